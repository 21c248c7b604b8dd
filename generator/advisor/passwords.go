package advisor

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
)

const passwordsType = "passwords"

// titlePos is where an item's title is written: its first title field
// (a contact's first_name), or its name key, or the top of the file.
func titlePos(it *model.Item) diag.Pos {
	var keys []string
	if it.Schema != nil {
		for _, f := range it.Schema.TitleFields() {
			keys = append(keys, f.Name)
		}
	}
	keys = append(keys, "name", "title")
	for _, k := range keys {
		if v := it.Value(k); v != nil {
			return it.Pos(v.Pos)
		}
	}
	return diag.Pos{File: it.File, Line: it.FieldsLine, Col: 1}
}

// passwords runs the rules about password items: unlinked general
// passwords, duplicate titles, and passwords embedded in other types.
func (a *advisor) passwords() {
	for _, org := range a.orgSlugs() {
		items := a.site.OrgItems(org)
		byTitle := map[string][]*model.Item{}
		var titles []string
		for _, it := range items {
			if it.Type != passwordsType {
				if it.Secrets != "" && !it.Archived {
					a.add(finding{rule: RuleEmbeddedPassword, pos: diag.Pos{File: it.File, Line: it.FieldsLine, Col: 1},
						msg: fmt.Sprintf("%s keeps a password of its own (%s) instead of linking a general password", localID(it), it.Secrets),
						hint: fmt.Sprintf("move the secret into a password item and link it: cairn new passwords %s NAME, then related = [\"passwords/NAME\"] here",
							it.Org)})
				}
				continue
			}
			if it.Archived || it.Broken {
				continue
			}
			key := strings.ToLower(strings.Join(strings.Fields(it.Title), " "))
			if len(byTitle[key]) == 0 {
				titles = append(titles, key)
			}
			byTitle[key] = append(byTitle[key], it)
			if len(a.site.Graph.Out(it.ID)) == 0 && len(a.site.Graph.In(it.ID)) == 0 {
				hint := fmt.Sprintf("relate it to what it opens: related = [\"configurations/...\"] in %s, or link it from that item", it.File)
				switch cs := a.likelyOwners(it, items); {
				case len(cs) == 1:
					hint = fmt.Sprintf("relate it to what it opens: related = [%q], or link it from that item with [[%s]]", localID(cs[0]), localID(it))
				case len(cs) > 1:
					ids := make([]string, len(cs))
					for i, c := range cs {
						ids[i] = fmt.Sprintf("%q", localID(c))
					}
					hint = fmt.Sprintf("relate it to what it opens (its title names %s): related = [%s], or link it from those items with [[%s]]",
						strings.Join(ids, ", "), strings.Join(ids, ", "), localID(it))
				}
				a.add(finding{rule: RuleUnlinkedPassword, pos: titlePos(it),
					msg:  fmt.Sprintf("general password %q is related to nothing and nothing links to it", it.Title),
					hint: hint})
			}
		}
		for _, key := range titles {
			same := byTitle[key]
			if len(same) < 2 {
				continue
			}
			for i, it := range same {
				others := othersOf(len(same), i, func(j int) string { return localID(same[j]) })
				a.add(finding{rule: RuleDuplicatePasswordTitle, pos: titlePos(it),
					msg:  fmt.Sprintf("password title %q is also the title of %s", it.Title, others),
					hint: "give each password a title unique in its organization that says what it opens, like \"FortiGate admin (fw01)\"; if both hold the same credential, keep one and link it"})
			}
		}
	}
	// A type with a password-kind field invites embedded passwords.
	for _, s := range a.site.Schemas.Schemas() {
		if s.Core || s.File == "" {
			continue
		}
		for _, f := range s.Fields {
			if f.Kind == schema.Password {
				a.add(finding{rule: RuleEmbeddedPassword, pos: diag.Pos{File: s.File, Line: f.Pos.Line, Col: f.Pos.Col},
					msg:  fmt.Sprintf("type %s has a password field %q: its items embed passwords", s.Name, f.Name),
					hint: "remove the field and link a general password instead: a tag field with targets = [\"passwords\"], or related"})
			}
		}
	}
}

// likelyOwners guesses the items a password opens: the organization's
// configurations and assets whose slug is in the password's title, slug,
// username or URL, at most three (none when more match: a guess that
// wide helps nobody); else the items whose own address is the URL's host
// (https://10.40.100.30:8443/).
func (a *advisor) likelyOwners(pw *model.Item, items []*model.Item) []*model.Item {
	if found := slugOwners(pw, items); len(found) > 0 {
		return found
	}
	v := pw.Value("url")
	if v == nil {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(v.Str))
	if err != nil {
		return nil
	}
	n, ok := normIP(u.Hostname())
	if !ok {
		return nil
	}
	var found []*model.Item
	seen := map[*model.Item]bool{}
	for _, h := range a.data()[pw.Org][datum{kindIP, n}] {
		if !h.identity || h.item.Archived || seen[h.item] {
			continue
		}
		if len(found) == 3 {
			return nil
		}
		seen[h.item] = true
		found = append(found, h.item)
	}
	return found
}

// slugOwners is likelyOwners by slug.
func slugOwners(pw *model.Item, items []*model.Item) []*model.Item {
	text := strings.ToLower(pw.Title + " " + pw.Slug)
	for _, k := range []string{"username", "url"} {
		if v := pw.Value(k); v != nil {
			text += " " + strings.ToLower(v.Str)
		}
	}
	var found []*model.Item
	for _, it := range items {
		if it.Type == passwordsType || it.Body != nil {
			continue
		}
		slug := it.Slug[strings.LastIndex(it.Slug, "/")+1:]
		if len(slug) < 4 || !strings.Contains(text, slug) {
			continue
		}
		if len(found) == 3 {
			return nil
		}
		found = append(found, it)
	}
	return found
}

// sharedSecrets reports one secret value that several items of an
// organization hold. Values are hashed with a salt drawn for this run as
// soon as they are read and compared by hash; no value is kept or shown.
// It runs only with a secret source (a key is available); files this
// user cannot decrypt are skipped.
func (a *advisor) sharedSecrets() {
	if a.opts.Secrets == nil {
		return
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return
	}
	type use struct {
		item  *model.Item
		field string
	}
	for _, org := range a.orgSlugs() {
		byHash := map[[32]byte][]use{}
		var order [][32]byte
		for _, it := range a.site.OrgItems(org) {
			if it.Secrets == "" || it.Archived || a.ctx.Err() != nil {
				continue
			}
			vals, err := a.opts.Secrets.Secrets(a.ctx, it)
			if err != nil {
				continue // not a recipient, or reported by the secrets checks
			}
			fields := make([]string, 0, len(vals))
			for f := range vals {
				fields = append(fields, f)
			}
			sort.Strings(fields)
			for _, f := range fields {
				if vals[f] == "" {
					continue
				}
				h := sha256.New()
				h.Write(salt)
				h.Write([]byte(vals[f]))
				var sum [32]byte
				copy(sum[:], h.Sum(nil))
				if len(byHash[sum]) == 0 {
					order = append(order, sum)
				}
				byHash[sum] = append(byHash[sum], use{it, f})
			}
			clear(vals)
		}
		for _, sum := range order {
			uses := byHash[sum]
			items := map[string]bool{}
			for _, u := range uses {
				items[u.item.ID] = true
			}
			if len(items) < 2 {
				continue
			}
			general := ""
			for _, o := range uses {
				if o.item.Type == passwordsType {
					general = localID(o.item)
					break
				}
			}
			for i, u := range uses {
				others := othersOf(len(uses), i, func(j int) string { return fmt.Sprintf("%s (%s)", localID(uses[j].item), uses[j].field) })
				var hint string
				switch {
				case u.item.Type == passwordsType:
					hint = "if they are one credential, keep one password item and link it where the other is used; if not, rotate one of them: each credential needs its own value"
				case general != "":
					hint = fmt.Sprintf("link the general password that holds it instead: related = [%q]; then remove the copy and rotate the secret", general)
				default:
					hint = fmt.Sprintf("keep the secret in one general password (cairn new passwords %s NAME) and link it from the items that use it; then rotate it", org)
				}
				a.add(finding{rule: RuleSharedSecret, pos: diag.Pos{File: u.item.File, Line: u.item.FieldsLine, Col: 1},
					msg:  fmt.Sprintf("the secret %q has the same value as %s", u.field, others),
					hint: hint})
			}
		}
	}
}
