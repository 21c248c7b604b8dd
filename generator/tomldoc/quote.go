package tomldoc

import (
	"fmt"
	"strings"
)

// Quote writes s as a TOML 1.0 basic string, for files cairn writes:
// quotes and backslashes escaped, tab, newline and carriage return as
// \t, \n and \r, other control characters as \uXXXX (invalid UTF-8 as
// U+FFFD, which ranging over a string yields). (Go's
// %q is not TOML: it writes \x escapes, which only TOML 1.1 has, and
// tools such as taplo read TOML 1.0.)
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
