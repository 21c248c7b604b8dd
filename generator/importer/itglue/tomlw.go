package itglue

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// tomlBuf writes a TOML file key by key, in the order given, so that the
// same values always give the same bytes.
type tomlBuf struct{ b strings.Builder }

func (t *tomlBuf) str(key, v string) {
	if strings.Contains(v, "\n") {
		fmt.Fprintf(&t.b, "%s = %s\n", key, multiline(v))
		return
	}
	fmt.Fprintf(&t.b, "%s = %s\n", key, tomldoc.Quote(v))
}

func (t *tomlBuf) raw(key, v string) { fmt.Fprintf(&t.b, "%s = %s\n", key, v) }

func (t *tomlBuf) boolean(key string, v bool) { t.raw(key, strconv.FormatBool(v)) }

func (t *tomlBuf) strs(key string, vs []string) {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = tomldoc.Quote(v)
	}
	t.raw(key, "["+strings.Join(q, ", ")+"]")
}

func (t *tomlBuf) line(s string) { t.b.WriteString(s + "\n") }

func (t *tomlBuf) String() string { return t.b.String() }

// multiline writes s as a TOML multi-line basic string: the text reads as
// written, with backslashes, quotes and control characters escaped.
func multiline(s string) string {
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	quotes := 0 // unescaped quotes just written: a third would close the string
	for _, r := range s {
		if r != '"' {
			quotes = 0
		}
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"' && quotes == 2:
			b.WriteString(`\"`)
			quotes = 0
		case r == '"':
			b.WriteRune(r)
			quotes++
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	if !strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(`"""`)
	return b.String()
}
