package itglue

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
)

// org is one organization of the export.
type org struct {
	id, name string
	row      *row // nil for an organization only named by other files
	slug     string
	items    map[string]map[string][]*item // type folder -> lower-case name -> items
}

// item is one item the export maps to, before and after its fields are
// mapped.
type item struct {
	typ      string // type folder: configurations, assets/email, documents, ...
	itgType  string // the IT Glue kind in import_id: configurations, documents, flexible
	id       string // IT Glue id
	name     string
	org      *org
	row      row
	slug     string // below the type folder; documents: folder/slug
	archived bool
	// filled by mapping:
	body     string            // TOML fields, or the document's Markdown
	groups   string            // [[group]] tables, after every key
	extras   []extra           // columns with no field, to notes
	notes    string            // Markdown notes of the row
	related  []string          // ids
	secrets  map[string]string // plaintext, in memory only
	attached []string          // site paths of attachments
	parent   *item             // the item a password is embedded in
	// documents:
	htmlFile string
	folders  []string
}

// extra is a value with no field of its own, kept in the notes.
type extra struct{ label, value string }

// importID is the value of the import_id key of an item.
func (it *item) importID() string { return "itglue/" + it.itgType + "/" + it.id }

// where names the item's source for messages: its CSV row, or a
// document's HTML file.
func (it *item) where() Note {
	if it.htmlFile != "" {
		return Note{File: it.htmlFile}
	}
	return it.row.where()
}

// rel is the item's file below the site root.
func (it *item) rel() string {
	if it.typ == "documents" {
		return "content/" + it.org.slug + "/documents/" + it.slug + ".md"
	}
	return "content/" + it.org.slug + "/" + it.typ + "/" + it.slug + ".toml"
}

// ref is the item's id relative to its organization, for links.
func (it *item) ref() string { return it.typ + "/" + it.slug }

// flexType is one flexible asset type: a CSV named by its slug.
type flexType struct {
	slug   string // the type's slug (schemas/<slug>.toml)
	file   string // the CSV
	t      *table
	fields []*flexField
	schema *schema.Schema
	// pwField and otpField name the fields embedded passwords go to, ""
	// while none does.
	pwField, otpField string
	titleCol          int
	// replaceable: the site's schema of this slug is cairn init's unused
	// default, which the generated one replaces.
	replaceable bool
}

// flexField is a generated field from one column.
type flexField struct {
	col      int
	name     string
	label    string
	kind     schema.Kind
	options  []string
	targets  []string
	multiple bool
	decimals int
}

// numericLess orders IT Glue ids numerically when both are numbers.
func numericLess(a, b string) bool {
	ai, aerr := strconv.ParseInt(a, 10, 64)
	bi, berr := strconv.ParseInt(b, 10, 64)
	if aerr == nil && berr == nil {
		return ai < bi
	}
	return a < b
}

// sortItems orders items for slug allocation: by wanted slug, then by id,
// so the same export always gives the same slugs.
func sortItems(items []*item, base func(*item) string) {
	sort.SliceStable(items, func(i, j int) bool {
		bi, bj := base(items[i]), base(items[j])
		if bi != bj {
			return bi < bj
		}
		return numericLess(items[i].id, items[j].id)
	})
}

// notesText joins a row's notes, its extra columns and its attachments
// into the Markdown of the notes key.
func (it *item) notesText(from string) string {
	var parts []string
	if s := strings.TrimSpace(it.notes); s != "" {
		parts = append(parts, s)
	}
	if len(it.extras) > 0 {
		// Single-line values as a list, a multi-line one as a paragraph
		// of its own (blank lines around it, so it never continues a list
		// item).
		blocks := []string{"## Imported from IT Glue"}
		var list []string
		flush := func() {
			if len(list) > 0 {
				blocks = append(blocks, strings.Join(list, "\n"))
				list = nil
			}
		}
		for _, e := range it.extras {
			v := strings.TrimSpace(e.value)
			if strings.Contains(v, "\n") {
				flush()
				blocks = append(blocks, fmt.Sprintf("**%s**:\n\n%s", e.label, v))
			} else {
				list = append(list, fmt.Sprintf("- **%s**: %s", e.label, v))
			}
		}
		flush()
		parts = append(parts, strings.Join(blocks, "\n\n"))
	}
	if len(it.attached) > 0 {
		var b strings.Builder
		b.WriteString("## Attachments\n")
		for _, a := range it.attached {
			name := a[strings.LastIndexByte(a, '/')+1:]
			fmt.Fprintf(&b, "\n- [%s](%s)", escapeLinkText(name), relLink(from, a))
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "\n\n")
}

// escapeLinkText escapes the characters of a Markdown link text.
func escapeLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`, "`", "\\`").Replace(s)
}

// relLink returns the relative link from the site file from to the site
// file to (both slash paths below the site root).
func relLink(from, to string) string {
	fd := strings.Split(from, "/")
	fd = fd[:len(fd)-1]
	td := strings.Split(to, "/")
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] {
		i++
	}
	return strings.Repeat("../", len(fd)-i) + strings.Join(td[i:], "/")
}
