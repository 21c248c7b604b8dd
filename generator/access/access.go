// Package access decides what each portal's audience may see. A View is
// the site as one portal sees it: every later stage that writes output for
// a portal (HTML, search index, sitemap, runbooks) reads the site through
// a View and nothing else, so what an audience may not see is never
// written for it.
package access

import (
	"fmt"
	"io/fs"
	"iter"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// HiddenText is what a portal (page, runbook) shows in place of a link
// whose target it may not see, when the link has no text of its own: the
// target's id would name an item of another organization or type.
const HiddenText = "not in this portal"

// View is a site as one portal may see it, and the only door through
// which renderers reach the site: every lookup answers for what the portal
// may see and nothing else (a hidden item, organization, link or
// attachment is reported as absent), and the site itself is not exported.
// It is immutable and safe for concurrent use.
type View struct {
	site   *model.Site
	Portal *model.Portal

	orgs  []*model.Org
	items []*model.Item
	org   map[string]bool
	item  map[string]bool
	files map[string]bool
}

// NewView returns the view of the named portal. It fails when access.toml
// defines no such portal.
func NewView(site *model.Site, portal string) (*View, error) {
	p := site.Access.Portals[portal]
	if p == nil {
		return nil, fmt.Errorf("no portal %q in access.toml (portals: %s)", portal, strings.Join(Portals(site), ", "))
	}
	return newView(site, p, groupsOf(site, p)), nil
}

// NewGroupsView returns the view a portal of the named groups would have,
// with archived items shown when archived is true: the same rule portals
// use, for asking what groups would see apart from the portals that
// exist (cairn access review). Names access.toml does not define are
// ignored, as a portal ignores them; the view's Portal is made up and
// named "(groups)".
func NewGroupsView(site *model.Site, groups []string, archived bool) *View {
	p := &model.Portal{Name: "(groups)", Groups: groups, Archived: archived}
	return newView(site, p, groupsOf(site, p))
}

// Portals returns the names of the site's portals, sorted.
func Portals(site *model.Site) []string {
	var out []string
	for name := range site.Access.Portals {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func groupsOf(site *model.Site, p *model.Portal) []namedGroup {
	var gs []namedGroup
	for _, name := range p.Groups {
		if g := site.Access.Groups[name]; g != nil {
			gs = append(gs, namedGroup{name, g})
		}
	}
	return gs
}

type namedGroup struct {
	name string
	g    *model.Group
}

func newView(site *model.Site, p *model.Portal, groups []namedGroup) *View {
	v := &View{site: site, Portal: p, org: map[string]bool{}, item: map[string]bool{}, files: map[string]bool{}}
	for _, o := range site.Orgs {
		for _, ng := range groups {
			if listed(ng.g.Orgs, o.Slug) {
				v.org[o.Slug] = true
				v.orgs = append(v.orgs, o)
				break
			}
		}
	}
	names := map[string]bool{}
	for _, ng := range groups {
		names[ng.name] = true
	}
	for _, it := range site.Items {
		if !v.org[it.Org] || (it.Archived && !p.Archived) || !accessAllows(it.Access, names) {
			continue
		}
		for _, ng := range groups {
			if GroupAllows(ng.g, it.Org, it.Type) {
				v.item[it.ID] = true
				v.items = append(v.items, it)
				break
			}
		}
	}
	for _, it := range v.items {
		for _, f := range site.Graph.Files(it.ID) {
			v.files[f] = true
		}
	}
	for _, o := range v.orgs { // images and links in quick notes
		for _, f := range site.Graph.Files(o.Slug) {
			v.files[f] = true
		}
	}
	return v
}

func listed(list []string, s string) bool {
	for _, x := range list {
		if x == "*" || x == s {
			return true
		}
	}
	return false
}

// accessAllows reports whether an item's access list admits one of
// groups: a nil list (no access key) admits every portal, an empty one
// (access = []) none.
func accessAllows(itemAccess []string, groups map[string]bool) bool {
	if itemAccess == nil {
		return true
	}
	for _, g := range itemAccess {
		if groups[g] {
			return true
		}
	}
	return false
}

// typeMatches reports whether a type name in access.toml covers typ:
// "*", the type itself, or "assets" for every flexible type.
func typeMatches(name, typ string) bool {
	return name == "*" || name == typ || (name == "assets" && strings.HasPrefix(typ, "assets/"))
}

// TypeMatches reports whether a type name written in access.toml ("*",
// "assets", or a type folder) covers the type folder typ.
func TypeMatches(name, typ string) bool { return typeMatches(name, typ) }

// GroupSeesItem reports whether the group called name sees the item in
// a portal that leaves out archived items: GroupAllows its type, and the
// item's access list (if any) names the group. cairn collab offers items
// for editing only where this holds.
func GroupSeesItem(name string, g *model.Group, it *model.Item) bool {
	return !it.Archived && GroupAllows(g, it.Org, it.Type) && accessAllows(it.Access, map[string]bool{name: true})
}

// GroupMayEdit reports whether members of the group called name may
// suggest a change to the item through cairn collab: they see it, and the
// group's edit rights name its type, or let them tick the tasks of a
// checklist.
func GroupMayEdit(name string, g *model.Group, it *model.Item) bool {
	e := g.Edit
	if e == nil || !GroupSeesItem(name, g, it) {
		return false
	}
	if it.Type == "checklists" {
		return e.Tasks != "" && len(it.Tasks) > 0
	}
	if it.IsMarkdown() {
		return false
	}
	for _, t := range e.Types {
		if typeMatches(t, it.Type) {
			return true
		}
	}
	return false
}

// GroupSeesOrg reports whether a group lists the organization (by slug
// or "*"). It is the organization half of GroupAllows.
func GroupSeesOrg(g *model.Group, org string) bool { return listed(g.Orgs, org) }

// GroupAllows reports whether a group may see items of type typ (a type
// folder: "passwords", "assets/backup") in the organization org: the org
// is listed, the type allowed (no types key allows every type; types = []
// none) and not denied. It is the one rule portals use; item-level access
// lists and archiving are decided apart from it.
func GroupAllows(g *model.Group, org, typ string) bool {
	if !listed(g.Orgs, org) {
		return false
	}
	if g.Types != nil { // types = [] (an error in check) allows no type
		ok := false
		for _, t := range g.Types {
			if typeMatches(t, typ) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, d := range g.Deny {
		o, t, _ := strings.Cut(d, "/")
		if (o == "*" || o == org) && typeMatches(t, typ) {
			return false
		}
	}
	return true
}

// SuggestURL returns the address of the cairn collab form for the item
// when cairn.toml's [collab] url is set and a group of the portal may
// suggest changing it (GroupMayEdit), else "". The item must be one the
// portal sees.
func (v *View) SuggestURL(id string) string {
	c := v.site.Config.Collab
	it := v.Item(id)
	if c == nil || c.URL == "" || it == nil {
		return ""
	}
	for _, ng := range groupsOf(v.site, v.Portal) {
		if GroupMayEdit(ng.name, ng.g, it) {
			return strings.TrimSuffix(c.URL, "/") + "/item/" + it.ID
		}
	}
	return ""
}

// Orgs returns the organizations the portal may see, by slug.
func (v *View) Orgs() []*model.Org { return v.orgs }

// Items returns the items the portal may see, by id.
func (v *View) Items() []*model.Item { return v.items }

// OrgItems returns the visible items of one organization, by id.
func (v *View) OrgItems(org string) []*model.Item {
	var out []*model.Item
	for _, it := range v.site.OrgItems(org) {
		if v.item[it.ID] {
			out = append(out, it)
		}
	}
	return out
}

// CanSeeOrg reports whether the portal may see an organization.
func (v *View) CanSeeOrg(slug string) bool { return v.org[slug] }

// CanSee reports whether the portal may see an item (by id) or an
// organization (by slug).
func (v *View) CanSee(id string) bool { return v.item[id] || v.org[id] }

// CanSeeFile reports whether the portal may see an attachment ("acme/files/
// lan.pdf"): only files that a visible item, or a visible organization's
// notes, uploads or links to.
func (v *View) CanSeeFile(path string) bool { return v.files[path] }

// ShowsGitMetadata reports whether the portal may show commit subjects and
// author names (in "recently changed" lists); when false it shows dates
// only. It is the one place that decides this: a commit subject or an
// author name may name anything the commit touched, so by default only a
// portal that sees the whole site (every organization and every item)
// shows them. access.toml overrides the default per portal with
// history = "full" or "dates"; an unknown value (which check reports)
// shows dates only.
func (v *View) ShowsGitMetadata() bool {
	switch v.Portal.History {
	case model.HistoryFull:
		return true
	case "":
		return len(v.orgs) == len(v.site.Orgs) && len(v.items) == len(v.site.Items)
	default:
		return false
	}
}

// Files returns the attachments the portal may see, sorted.
func (v *View) Files() []string {
	out := make([]string, 0, len(v.files))
	for f := range v.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Links returns the visible links from an item: those whose target the
// portal may see.
func (v *View) Links(id string) []model.Link { return v.filter(v.site.Graph.Out(id), false) }

// LinksSeq yields the links Links returns, in the same order, without
// making a slice: for callers that visit every page's links (the search
// index's part keys). The links must not be modified.
func (v *View) LinksSeq(id string) iter.Seq[*model.Link] {
	return func(yield func(*model.Link) bool) {
		out := v.site.Graph.Out(id)
		for i := range out {
			if v.CanSee(out[i].To) && !yield(&out[i]) {
				return
			}
		}
	}
}

// Backlinks returns the visible links to an item or organization: those
// whose source the portal may see.
func (v *View) Backlinks(id string) []model.Link { return v.filter(v.site.Graph.In(id), true) }

func (v *View) filter(links []model.Link, bySource bool) []model.Link {
	var out []model.Link
	for _, l := range links {
		end := l.To
		if bySource {
			end = l.From
		}
		if v.CanSee(end) {
			out = append(out, l)
		}
	}
	return out
}

// Types returns the type folders of the visible items of an org, in the
// registry's display order.
func (v *View) Types(org string) []string {
	have := map[string]bool{}
	for _, it := range v.OrgItems(org) {
		have[it.Type] = true
	}
	var out []string
	for _, t := range v.site.Schemas.Types() {
		if have[t] {
			out = append(out, t)
		}
	}
	return out
}

// Item returns the item with the id when the portal may see it, else nil.
func (v *View) Item(id string) *model.Item {
	if !v.item[id] {
		return nil
	}
	return v.site.Item(id)
}

// Org returns the organization with the slug when the portal may see it,
// else nil.
func (v *View) Org(slug string) *model.Org {
	if !v.org[slug] {
		return nil
	}
	return v.site.Org(slug)
}

// Config returns the site's cairn.toml settings.
func (v *View) Config() model.Config { return v.site.Config }

// Schemas returns the site's types. Schemas are site-wide, not content:
// every portal sees every type's definition.
func (v *View) Schemas() *schema.Registry { return v.site.Schemas }

// Resolve returns what a reference written in from (a visible item's id,
// or a visible organization's slug for its notes) points to, as the
// checker resolved it (model.Graph.Resolve), when the portal may see both
// ends; else false, and the renderer shows the reference as plain text.
func (v *View) Resolve(from string, kind model.RefKind, text string) (model.Target, bool) {
	if !v.CanSee(from) {
		return model.Target{}, false
	}
	t, ok := v.site.Graph.Resolve(from, kind, text)
	if !ok {
		return model.Target{}, false
	}
	if t.File != "" {
		return t, v.files[t.File]
	}
	return t, v.CanSee(t.ID)
}

// Attachments returns the attachments a visible item (or organization's
// notes) refers to, by upload fields and relative links, as paths below
// content/, sorted; nil for what the portal may not see.
func (v *View) Attachments(id string) []string {
	if !v.CanSee(id) {
		return nil
	}
	return v.site.Graph.Files(id)
}

// Stat describes an attachment the portal may see, so a renderer can
// refuse an oversized file before reading it. It refuses every other path.
func (v *View) Stat(path string) (fs.FileInfo, error) {
	if !v.files[path] {
		return nil, fmt.Errorf("attachment %s is not in portal %s", path, v.Portal.Name)
	}
	return sitefs.Stat(v.site.Root, "content/"+path)
}

// ReadFile returns the bytes of an attachment the portal may see
// ("acme/files/lan.pdf"), at most sitefs.MaxAttachment of them, never
// following a link out of the site. It refuses every other path, so a
// renderer cannot publish a file outside the view.
func (v *View) ReadFile(path string) ([]byte, error) {
	if !v.files[path] {
		return nil, fmt.Errorf("attachment %s is not in portal %s", path, v.Portal.Name)
	}
	return sitefs.ReadFile(v.site.Root, "content/"+path, sitefs.MaxAttachment)
}
