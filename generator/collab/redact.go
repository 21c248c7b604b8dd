package collab

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// hiddenNames are the names a user must not learn from check's messages:
// the slugs of organizations they do not see and the ids (and
// organization-relative ids) of items they do not see.
func hiddenNames(site *model.Site, r *Rights) map[string]bool {
	seenOrg := map[string]bool{}
	hidden := map[string]bool{}
	for _, it := range site.Items {
		if r.Sees(it) {
			seenOrg[it.Org] = true
		}
	}
	for _, it := range site.Items {
		if !r.Sees(it) {
			hidden[it.ID] = true
			if !seenOrg[it.Org] {
				continue
			}
			// Within an organization the user sees, an item is also
			// named relative to it.
			hidden[strings.TrimPrefix(it.ID, it.Org+"/")] = true
		}
	}
	for _, o := range site.Orgs {
		if !seenOrg[o.Slug] {
			hidden[o.Slug] = true
		}
	}
	return hidden
}

var nameRe = regexp.MustCompile(`[a-z0-9]+(?:[-/][a-z0-9]+)*`)

// mentions reports whether text names one of hidden as a whole name.
func mentions(text string, hidden map[string]bool) bool {
	for _, m := range nameRe.FindAllString(text, -1) {
		// "acme/contacts/x" also names "acme" and "contacts/x".
		parts := strings.Split(m, "/")
		for i := range parts {
			for j := i + 1; j <= len(parts); j++ {
				if hidden[strings.Join(parts[i:j], "/")] {
					return true
				}
			}
		}
	}
	return false
}

// redact returns what a user may read of a diagnostic: its message and
// hint, with a hint that names something hidden from them left out, and a
// message that does replaced.
//
// A link to nothing reads the same as a link to something hidden (see
// hiddenLinks), without a hint, whose suggestions would differ.
func redact(d diag.Diagnostic, hidden map[string]bool) diag.Diagnostic {
	if mentions(d.Hint, hidden) {
		d.Hint = ""
	}
	if mentions(d.Message, hidden) || d.Code == "broken-link" {
		d.Message = hiddenMessage
		d.Hint = ""
	}
	return d
}

// hiddenMessage is what a user reads of a value naming something hidden
// from them or nothing at all.
const hiddenMessage = "this value names something that does not exist or that you may not see"

// checkChoices refuses tag values that are not among the items the form
// offered (items the user sees, or the value already written): a forged
// value would let check's answer tell whether a hidden item exists.
func checkChoices(fields []*Field, form url.Values) error {
	var walk func(fs []*Field) error
	walk = func(fs []*Field) error {
		for _, f := range fs {
			if f.Kind == "tag" && f.Editable {
				ok := map[string]bool{"": true}
				for _, o := range f.Options {
					ok[o.Value] = true
				}
				for _, v := range form[f.Name] {
					for _, line := range strings.Split(v, "\n") {
						if !ok[strings.TrimSpace(line)] {
							return &ForbiddenError{Key: f.Name}
						}
					}
				}
			}
			for _, r := range f.Rows {
				if err := walk(r.Fields); err != nil {
					return err
				}
			}
			if err := walk(f.New); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(fields)
}
