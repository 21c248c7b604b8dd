package check

import (
	"fmt"
	"sort"

	"strings"

	"github.com/cairn-it/cairn/generator/expiry"

	"github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/forge"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

func at(file string, p tomldoc.Pos) diag.Pos { return diag.Pos{File: file, Line: p.Line, Col: p.Col} }

func (c *checker) config() {
	if c.site.Config.ExpiryWindowDays < 0 {
		c.diags.Errorf(diag.Pos{File: "cairn.toml"}, "wrong-type", "expiry_window_days must be 0 or more")
	}
	c.forge()
	c.expiryPolicy()
	c.collabConfig()
}

// expiryPolicy checks cairn.toml's [rotation] and [review] tables: their
// durations, and that they name organizations and types the site has.
func (c *checker) expiryPolicy() {
	_, probs := expiry.NewPolicy(c.site.Config)
	for _, p := range probs {
		c.diags.ErrorHint(at("cairn.toml", p.Pos), "invalid-value", p.Hint, "%s", p.Msg)
	}
	rot := c.site.Config.Rotation
	if rot == nil || rot.Kind != tomldoc.KindTable {
		return
	}
	var slugs []string
	for _, o := range c.site.Orgs {
		slugs = append(slugs, o.Slug)
	}
	types := c.site.Schemas.Types()
	checkTypes := func(t *tomldoc.Table, table string) {
		for _, typ := range t.Keys() {
			if table == "[rotation]" && typ == "orgs" {
				continue
			}
			if c.site.Schemas.Get(typ) == nil {
				c.diags.ErrorHint(at("cairn.toml", t.Get(typ).KeyPos), "invalid-value", diag.SuggestHint(typ, types, "types: "+strings.Join(types, ", ")),
					"%s names type %q, which the site does not have", table, typ)
			}
		}
	}
	checkTypes(rot.Table, "[rotation]")
	if orgs := rot.Table.Get("orgs"); orgs != nil && orgs.Kind == tomldoc.KindTable {
		for _, org := range orgs.Table.Keys() {
			v := orgs.Table.Get(org)
			if c.site.Org(org) == nil {
				c.diags.ErrorHint(at("cairn.toml", v.KeyPos), "invalid-value", diag.SuggestHint(org, slugs, "organizations: "+strings.Join(slugs, ", ")),
					"[rotation.orgs] names organization %q, which the site does not have", org)
			}
			if v.Kind == tomldoc.KindTable {
				checkTypes(v.Table, "[rotation.orgs."+org+"]")
			}
		}
	}
}

// forge checks the URL patterns of cairn.toml's [forge] table.
func (c *checker) forge() {
	f := c.site.Config.Forge
	for _, p := range []struct {
		kind    forge.Kind
		pattern string
	}{{forge.CommitURL, f.CommitURL}, {forge.EditURL, f.EditURL}} {
		if p.pattern == "" || f.Fields == nil {
			continue
		}
		problem, offset := forge.Problem(p.kind, p.pattern)
		if problem == "" {
			continue
		}
		pos := diag.Pos{File: "cairn.toml"}
		if v := f.Fields.Get(p.kind.Key); v != nil {
			pos.Line, pos.Col = v.Pos.Line, v.Pos.Col
			if offset > 0 {
				pos.Col += 1 + offset // after the opening quote
			}
		}
		c.diags.ErrorHint(pos, "invalid-value", fmt.Sprintf("write a URL with placeholders, like %s = %q (docs/history.md)", p.kind.Key, p.kind.Example),
			"[forge] %s %q %s", p.kind.Key, p.pattern, problem)
	}
}

func oneOf(s string, options []string) bool {
	for _, o := range options {
		if o == s {
			return true
		}
	}
	return false
}

func (c *checker) access() {
	acc := c.site.Access
	const file = "access.toml"
	var groupNames []string
	for name := range acc.Groups {
		groupNames = append(groupNames, name)
	}
	sort.Strings(groupNames)
	orgSlugs := make([]string, 0, len(c.site.Orgs))
	for _, o := range c.site.Orgs {
		orgSlugs = append(orgSlugs, o.Slug)
	}
	for _, name := range groupNames {
		g := acc.Groups[name]
		if g == nil {
			continue
		}
		if !schema.IsSlug(name) {
			c.diags.ErrorHint(at(file, g.Pos), "bad-slug", "group names are slugs: lower-case letters, digits, hyphens", "group name %q is not a valid slug", name)
		}
		if len(g.Orgs) == 0 {
			c.diags.ErrorHint(at(file, g.Pos), "access", `add orgs = ["*"] for every organization, or a list of org slugs`, "group %q names no organizations", name)
		}
		for _, o := range g.Orgs {
			if o != "*" && c.site.Org(o) == nil {
				c.diags.ErrorHint(at(file, g.Pos), "access", diag.SuggestHint(o, orgSlugs, "organizations: "+strings.Join(orgSlugs, ", ")), "group %q names unknown organization %q", name, o)
			}
		}
		if g.Types != nil && len(g.Types) == 0 {
			c.diags.ErrorHint(at(file, g.Pos), "access", "remove the key to allow every type, or name the types the group may see", "group %q: types = [] names no type (a group without a types key sees every type)", name)
		}
		for _, t := range g.Types {
			if !c.knownTypeName(t) {
				c.diags.ErrorHint(at(file, g.Pos), "access", diag.SuggestHint(t, c.typeNames(), "types: "+strings.Join(c.typeNames(), ", ")), "group %q names unknown type %q", name, t)
			}
		}
		if g.Team != "" {
			if p := model.ForgeHandleProblem(g.Team, true); p != "" {
				c.diags.ErrorHint(at(file, g.Pos), "access", `write the forge team after an @, like team = "@northwind-it/technicians"`, "group %q: team %q %s", name, g.Team, p)
			}
		}
		c.editRights(name, g)
		for _, d := range g.Deny {
			org, typ, ok := strings.Cut(d, "/")
			switch {
			case !ok:
				c.diags.ErrorHint(at(file, g.Pos), "access", `write deny entries as "<org|*>/<type|*>", like "acme/passwords"`, "group %q: deny entry %q has no type part", name, d)
			case org != "*" && c.site.Org(org) == nil:
				c.diags.ErrorHint(at(file, g.Pos), "access", diag.SuggestHint(org, orgSlugs, ""), "group %q: deny entry %q names unknown organization %q", name, d, org)
			case typ != "*" && !c.knownTypeName(typ):
				c.diags.ErrorHint(at(file, g.Pos), "access", diag.SuggestHint(typ, c.typeNames(), ""), "group %q: deny entry %q names unknown type %q", name, d, typ)
			}
		}
	}
	for _, u := range acc.Users {
		if u.Email == "" {
			c.diags.Errorf(at(file, u.Pos), "access", "user has no email")
		}
		if u.Role != "" && !oneOf(u.Role, model.Roles) {
			c.diags.ErrorHint(at(file, u.Pos), "access", "roles: "+strings.Join(model.Roles, ", "), "user %q has unknown role %q", u.Email, u.Role)
		}
		if u.Forge != "" {
			if p := model.ForgeHandleProblem(u.Forge, false); p != "" {
				c.diags.ErrorHint(at(file, u.Pos), "access", `write the user's forge name after an @, like forge = "@dana"; a team belongs in a group's team key`, "user %q: forge handle %q %s", u.Email, u.Forge, p)
			}
		}
		for _, g := range u.Groups {
			if acc.Groups[g] == nil {
				c.diags.ErrorHint(at(file, u.Pos), "access", diag.SuggestHint(g, groupNames, "groups: "+strings.Join(groupNames, ", ")), "user %q is in unknown group %q", u.Email, g)
			}
		}
	}
	if co := acc.Codeowners; co != nil {
		if co.Site != nil && len(co.Site) == 0 {
			c.diags.ErrorHint(at(file, co.Pos), "access", "remove the key to make the admins' forge handles the owners, or name handles", "[codeowners] site = [] names no owner")
		}
		for _, h := range co.Site {
			if p := model.ForgeHandleProblem(h, true); p != "" {
				c.diags.ErrorHint(at(file, co.Pos), "access", `write forge users or teams after an @, like site = ["@northwind-it/admins", "@dana"]`, "[codeowners] site: handle %q %s", h, p)
			}
		}
	}
	var portals []string
	for name := range acc.Portals {
		portals = append(portals, name)
	}
	sort.Strings(portals)
	for _, name := range portals {
		p := acc.Portals[name]
		if p == nil {
			continue
		}
		if !schema.IsSlug(name) {
			c.diags.ErrorHint(at(file, p.Pos), "bad-slug", "portal names are folder names under public/: lower-case letters, digits, hyphens", "portal name %q is not a valid slug", name)
		}
		if len(p.Groups) == 0 {
			c.diags.ErrorHint(at(file, p.Pos), "access", `add groups = ["..."]: a portal shows what its groups may see`, "portal %q has no groups", name)
		}
		for _, g := range p.Groups {
			if acc.Groups[g] == nil {
				c.diags.ErrorHint(at(file, p.Pos), "access", diag.SuggestHint(g, groupNames, "groups: "+strings.Join(groupNames, ", ")), "portal %q names unknown group %q", name, g)
			}
		}
		if p.Secrets != "" && p.Secrets != "none" && p.Secrets != "sealed" {
			c.diags.ErrorHint(at(file, p.Pos), "access", `secrets is "none" (metadata only) or "sealed" (encrypted in the page)`, "portal %q: unknown secrets policy %q", name, p.Secrets)
		}
		if h := p.History; h != "" && h != model.HistoryDates && h != model.HistoryFull {
			c.diags.ErrorHint(at(file, p.Pos), "access", diag.SuggestHint(h, []string{model.HistoryDates, model.HistoryFull}, `history is "dates" (dates only) or "full" (dates, commit subjects and author names)`), "portal %q: unknown history setting %q", name, h)
		}
	}
}

// typeNames are the names access rules may use for types.
func (c *checker) typeNames() []string {
	return append(c.site.Schemas.Types(), "assets")
}

func (c *checker) knownTypeName(t string) bool {
	return t == "*" || t == "assets" || c.site.Schemas.Get(t) != nil
}

func (c *checker) org(o *model.Org) Unit {
	var u Unit
	top := diag.Pos{File: o.File, Line: 1, Col: 1}
	if o.Name == "" && !o.Broken {
		c.diags.ErrorHint(top, "missing-field", `add name = "Organization name"`, "organization %s has no name", o.Slug)
	}
	if o.Kind != "" && !oneOf(o.Kind, model.OrgKinds) {
		v := o.Fields.Get("kind")
		c.diags.ErrorHint(at(o.File, v.Pos), "invalid-value", "kinds: "+strings.Join(model.OrgKinds, ", "), "unknown organization kind %q", o.Kind)
	}
	if o.Status != "" && !oneOf(o.Status, model.OrgStatuses) {
		v := o.Fields.Get("status")
		c.diags.ErrorHint(at(o.File, v.Pos), "invalid-value", "statuses: "+strings.Join(model.OrgStatuses, ", "), "unknown organization status %q", o.Status)
	}
	for _, a := range o.Alerts {
		if !oneOf(a.Level, []string{"info", "warning", "critical"}) {
			c.diags.ErrorHint(at(o.File, a.Pos), "invalid-value", `level is "info", "warning" or "critical"`, "alert has unknown level %q", a.Level)
		}
		if a.Message == "" {
			c.diags.Errorf(at(o.File, a.Pos), "missing-field", "alert has no message")
		}
	}
	if o.Notes != nil {
		u.Checked = c.markdownLinks(&u.Links, o.Slug, o.Slug, o.File, o.Notes, nil)
	}
	return u
}

func (c *checker) template(t *model.Template) {
	if t.Title == "" && !t.Broken {
		c.diags.ErrorHint(diag.Pos{File: t.File, Line: 1, Col: 1}, "missing-title", `add title = "..." to the front matter`, "checklist template has no title")
	}
	if len(t.Body.Tasks) == 0 {
		c.diags.Warnf(diag.Pos{File: t.File, Line: t.Body.Line}, "empty-checklist", "checklist template has no tasks (write them as - [ ] task)")
	}
	for _, k := range t.Fields.Keys() {
		if !oneOf(k, checklist.TemplateKeys) {
			v := t.Fields.Get(k)
			c.diags.ErrorHint(diag.Pos{File: t.File, Line: v.KeyPos.Line + t.FieldsLine - 1, Col: v.KeyPos.Col}, "unknown-field",
				"template front matter keys: "+strings.Join(checklist.TemplateKeys, ", "), "unknown key %q", k)
		}
	}
	if v := t.Fields.Get("sop"); v != nil && v.Kind != tomldoc.KindString {
		c.diags.ErrorHint(diag.Pos{File: t.File, Line: v.Pos.Line + t.FieldsLine - 1, Col: v.Pos.Col}, "invalid-value",
			`write sop = "documents/sops/<slug>", the id of the procedure in each organization`, "sop must be a string")
	}
	// A template's task may be due on a date or relative to the run's due
	// date (due:+3d, due:-1w), which cairn checklist start makes a date.
	for _, tk := range t.Body.Tasks {
		if tk.Due == "" {
			continue
		}
		if _, ok := checklist.ParseOffset(tk.Due); ok {
			continue
		}
		if _, ok := schema.DateOf(&tomldoc.Value{Kind: tomldoc.KindString, Str: tk.Due}); !ok {
			c.diags.ErrorHint(diag.Pos{File: t.File, Line: tk.Line, Col: tk.Col}, "invalid-value", "write due:YYYY-MM-DD, or an offset from the run's due date like due:+3d or due:-1w",
				"task due date %q is neither a date nor an offset", tk.Due)
		}
	}
}
