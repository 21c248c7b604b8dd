package scaffold

import (
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
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
		return Values{"name": tomldoc.Quote(title)}
	}
	out := Values{}
	if len(fields) == 1 {
		if fields[0].Kind == schema.Text {
			out[fields[0].Name] = tomldoc.Quote(title)
		}
		return out
	}
	first, rest, _ := strings.Cut(slug, "-")
	if f := fields[0]; f.Kind == schema.Text {
		out[f.Name] = tomldoc.Quote(titleCase(first))
	}
	if f := fields[len(fields)-1]; f.Kind == schema.Text && rest != "" {
		out[f.Name] = tomldoc.Quote(titleCase(rest))
	}
	return out
}
