// Package collab is the write path of cairn collab: a client's staff
// suggest changes to the items their groups may edit (access.toml's
// [groups.<name>.edit]), in forms generated from the schemas; each valid
// suggestion becomes a commit on a new branch of the server's own clone,
// pushed to the remote and opened as a pull request on the forge.
package collab

import (
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
)

// Rights are what one user of access.toml may see and suggest changing,
// the union over their groups. A Rights belongs to one loaded site and is
// read-only.
type Rights struct {
	User   model.User
	site   *model.Site
	groups []namedGroup
}

type namedGroup struct {
	name string
	g    *model.Group
}

// RightsFor returns the rights of the access.toml user with the email
// (compared without regard to ASCII case), or false when there is none.
func RightsFor(site *model.Site, email string) (*Rights, bool) {
	for _, u := range site.Access.Users {
		if u.Email != "" && equalFoldASCII(u.Email, strings.TrimSpace(email)) {
			r := &Rights{User: u, site: site}
			for _, name := range u.Groups {
				if g := site.Access.Groups[name]; g != nil {
					r.groups = append(r.groups, namedGroup{name, g})
				}
			}
			return r, true
		}
	}
	return nil, false
}

// Sees reports whether the user may see the item (for tag pickers and
// links): one of their groups sees it.
func (r *Rights) Sees(it *model.Item) bool {
	for _, ng := range r.groups {
		if access.GroupSeesItem(ng.name, ng.g, it) {
			return true
		}
	}
	return false
}

// Fields returns the fields of the item the user may change, in schema
// order; nil when they may change none. Password fields and upload fields
// are never editable here, nor are reserved keys outside the schema.
func (r *Rights) Fields(it *model.Item) []*schema.Field {
	if it == nil || it.Schema == nil || it.Broken || it.IsMarkdown() {
		return nil
	}
	allowed := map[string]bool{}
	all := false
	for _, ng := range r.groups {
		if !access.GroupMayEdit(ng.name, ng.g, it) {
			continue
		}
		fs, limited := ng.g.Edit.Fields[it.Type]
		if !limited {
			all = true
		}
		for _, f := range fs {
			allowed[f] = true
		}
	}
	var out []*schema.Field
	for _, f := range it.Schema.Fields {
		if f.Kind == schema.Password || f.Kind == schema.Upload || f.Kind == schema.Header {
			continue
		}
		if all || allowed[f.Name] {
			out = append(out, f)
		}
	}
	return out
}

// CanCreate reports whether the user may add items of the type folder typ
// to the organization org.
func (r *Rights) CanCreate(org, typ string) bool {
	if r.site.Org(org) == nil || r.site.Schemas.Get(typ) == nil {
		return false
	}
	for _, ng := range r.groups {
		if e := ng.g.Edit; e != nil && access.GroupAllows(ng.g, org, typ) && typeListed(e.Create, typ) {
			return true
		}
	}
	return false
}

// CanTick reports whether the user may tick or untick the task of a
// checklist they see.
func (r *Rights) CanTick(it *model.Item, t markdown.Task) bool {
	if it == nil || it.Type != "checklists" || it.Broken {
		return false
	}
	for _, ng := range r.groups {
		e := ng.g.Edit
		if e == nil || e.Tasks == "" || !access.GroupSeesItem(ng.name, ng.g, it) {
			continue
		}
		if e.Tasks == model.EditTasksAll {
			return true
		}
		if e.Tasks == model.EditTasksAssigned && r.User.Forge != "" && t.Assignee != "" &&
			strings.EqualFold(strings.TrimPrefix(t.Assignee, "@"), strings.TrimPrefix(r.User.Forge, "@")) {
			return true
		}
	}
	return false
}

// Editable returns the items the user may change (fields or tasks), in id
// order.
func (r *Rights) Editable() []*model.Item {
	var out []*model.Item
	for _, it := range r.site.Items {
		if len(r.Fields(it)) > 0 || len(r.Tickable(it)) > 0 {
			out = append(out, it)
		}
	}
	return out
}

// Tickable returns the indexes in it.Tasks of the tasks the user may tick.
func (r *Rights) Tickable(it *model.Item) []int {
	var out []int
	if it == nil {
		return nil
	}
	for i, t := range it.Tasks {
		if r.CanTick(it, t) {
			out = append(out, i)
		}
	}
	return out
}

// Creatable returns the (organization, type) pairs the user may add items
// to, sorted.
func (r *Rights) Creatable() [][2]string {
	var out [][2]string
	for _, o := range r.site.Orgs {
		for _, typ := range r.site.Schemas.Types() {
			if r.CanCreate(o.Slug, typ) {
				out = append(out, [2]string{o.Slug, typ})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0]+"/"+out[i][1] < out[j][0]+"/"+out[j][1] })
	return out
}

func typeListed(list []string, typ string) bool {
	for _, t := range list {
		if access.TypeMatches(t, typ) {
			return true
		}
	}
	return false
}

// equalFoldASCII compares two emails without regard to ASCII case only:
// Unicode case folding (strings.EqualFold) would take "ſam@" (long s) or
// the Kelvin sign for "sam@" and "k", letting a look-alike address that
// an identity provider hands out sign in as someone else.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
