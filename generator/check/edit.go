package check

import (
	"net/url"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
)

// editRights checks a group's [groups.<name>.edit] table: every type and
// field it names exists, and the group may see it (an edit right never
// reaches beyond what the group reads).
func (c *checker) editRights(name string, g *model.Group) {
	e := g.Edit
	if e == nil {
		return
	}
	pos := at("access.toml", e.Pos)
	if len(e.Types) == 0 && len(e.Create) == 0 && e.Tasks == "" {
		c.diags.ErrorHint(pos, "access", `give types = [...], create = [...] or tasks = "assigned", or remove the table`, "group %q: edit names no right", name)
	}
	for _, t := range e.Types {
		c.editType(pos, name, g, "types", t)
	}
	for _, t := range e.Create {
		if t == "*" || t == "assets" || t == "documents" || t == "checklists" {
			c.diags.ErrorHint(pos, "access", "name the TOML types members may add, like create = [\"contacts\", \"assets/onboarding\"]; documents and checklists are written by the team",
				"group %q: edit create entry %q is not a type members can add", name, t)
			continue
		}
		c.editType(pos, name, g, "create", t)
	}
	types := make([]string, 0, len(e.Fields))
	for t := range e.Fields {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		s := c.site.Schemas.Get(t)
		if s == nil {
			c.diags.ErrorHint(pos, "access", diag.SuggestHint(t, c.site.Schemas.Types(), ""), "group %q: edit fields name unknown type %q", name, t)
			continue
		}
		editable := false
		for _, et := range e.Types {
			if access.TypeMatches(et, t) {
				editable = true
			}
		}
		if !editable {
			c.diags.ErrorHint(pos, "access", "add the type to edit types, or remove its fields entry", "group %q: edit fields name type %q, which is not in edit types", name, t)
		}
		for _, f := range e.Fields[t] {
			sf := s.Field(f)
			switch {
			case sf == nil:
				c.diags.ErrorHint(pos, "access", diag.SuggestHint(f, s.FieldNames(), "fields of "+t+": "+strings.Join(s.FieldNames(), ", ")), "group %q: edit fields of %s name unknown field %q", name, t, f)
			case sf.Kind == schema.Password:
				c.diags.ErrorHint(pos, "access", "secret values are never offered for editing; let members add password items with create = [\"passwords\"]", "group %q: edit fields of %s name the password field %q", name, t, f)
			}
		}
	}
	switch e.Tasks {
	case "", model.EditTasksAll, model.EditTasksAssigned:
	default:
		c.diags.ErrorHint(pos, "access", diag.SuggestHint(e.Tasks, []string{model.EditTasksAll, model.EditTasksAssigned}, `tasks is "all" or "assigned"`), "group %q: unknown edit tasks setting %q", name, e.Tasks)
	}
	if e.Tasks != "" && !c.groupSeesType(g, "checklists") {
		c.diags.ErrorHint(pos, "access", `add "checklists" to the group's types, or remove tasks`, "group %q may tick checklist tasks but does not see checklists", name)
	}
}

// editType checks one type named in an edit list (key "types" or
// "create").
func (c *checker) editType(pos diag.Pos, name string, g *model.Group, key, t string) {
	if !c.knownTypeName(t) {
		c.diags.ErrorHint(pos, "access", diag.SuggestHint(t, c.typeNames(), "types: "+strings.Join(c.typeNames(), ", ")), "group %q: edit %s names unknown type %q", name, key, t)
		return
	}
	if !c.groupSeesType(g, t) {
		c.diags.ErrorHint(pos, "access", "a group edits only what it sees: add the type to the group's types, or remove it here", "group %q: edit %s names type %q, which the group may not see", name, key, t)
	}
}

// groupSeesType reports whether the group sees items of some type covered
// by the type name t in some organization of the site.
func (c *checker) groupSeesType(g *model.Group, t string) bool {
	for _, ct := range c.site.Schemas.Types() {
		if !access.TypeMatches(t, ct) {
			continue
		}
		for _, o := range c.site.Orgs {
			if access.GroupAllows(g, o.Slug, ct) {
				return true
			}
		}
	}
	return false
}

// collabKinds are the forges [collab] forge may name (those
// generator/collab/forge knows; check cannot import a later stage).
var collabKinds = []string{"github", "gitlab", "gitea", "forgejo"}

// collabConfig checks cairn.toml's [collab] table.
func (c *checker) collabConfig() {
	cc := c.site.Config.Collab
	if cc == nil {
		return
	}
	pos := at("cairn.toml", cc.Pos)
	if cc.URL != "" {
		u, err := url.Parse(cc.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			c.diags.ErrorHint(pos, "invalid-value", `write the address readers open, like url = "https://docs.example.com/collab/"`, "[collab] url %q is not an http(s) address", cc.URL)
		}
	}
	if cc.Forge != "" && !oneOf(cc.Forge, collabKinds) {
		c.diags.ErrorHint(pos, "invalid-value", diag.SuggestHint(cc.Forge, collabKinds, "forges: "+strings.Join(collabKinds, ", ")), "[collab] unknown forge %q", cc.Forge)
	}
	if cc.Forge != "" && cc.Repo == "" {
		c.diags.ErrorHint(pos, "missing-field", `add repo = "owner/name"`, "[collab] names a forge but no repo")
	}
}
