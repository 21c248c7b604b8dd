package scaffold

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/cairn-it/cairn/generator/schema"
)

// identifierTypes are the types whose title is usually the slug as it is:
// a configuration's host name (sv-dc01), a domain, a certificate.
var identifierTypes = map[string]bool{"configurations": true, "domains": true, "ssl-certificates": true}

// TitleValues returns the title of a new item of type s made from its slug
// (the last segment of a document's path), as Values for ItemWith:
//   - configurations, domains, ssl-certificates: the slug as it is
//     ("sv-dc01");
//   - a type with one text title field, or none (its "name"): the slug's
//     words capitalised ("restore-veeam" gives "Restore Veeam");
//   - a type with several title fields (contacts: first_name, last_name):
//     the first word in the first field, the other words in the last
//     ("jo-ramirez" gives "Jo", "Ramirez").
//
// Title fields that are not text are left alone.
func TitleValues(s *schema.Schema, slug string) Values {
	slug = path.Base(slug)
	fields := s.TitleFields()
	title := titleCase(slug)
	if identifierTypes[s.Type] {
		title = slug
	}
	if len(fields) == 0 {
		return Values{"name": TOMLString(title)}
	}
	out := Values{}
	if len(fields) == 1 {
		if fields[0].Kind == schema.Text {
			out[fields[0].Name] = TOMLString(title)
		}
		return out
	}
	first, rest, _ := strings.Cut(slug, "-")
	if f := fields[0]; f.Kind == schema.Text {
		out[f.Name] = TOMLString(titleCase(first))
	}
	if f := fields[len(fields)-1]; f.Kind == schema.Text && rest != "" {
		out[f.Name] = TOMLString(titleCase(rest))
	}
	return out
}

// TOMLString returns s as a TOML basic string: quotes and backslashes
// escaped, control characters as \uXXXX. s must be valid UTF-8.
func TOMLString(s string) string {
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
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
