package serve

import (
	"slices"
	"strings"

	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/urls"
)

// plan is what a rebuild after some files changed makes: the outputs to
// make first (the changed items' pages, what an editor looks at), then
// the other pages and files, then the outputs no open page shows (search
// index, calendar feed, sitemap); or everything.
type plan struct {
	all               bool
	first, rest, last []string
}

// everything is the plan that makes every output of a portal but its
// runbooks (made on request): pages and files first, then the rest.
func everything(all []build.File) plan {
	var p plan
	for _, f := range all {
		switch {
		case f.Runbook:
		case f.Page || isStatic(f.Path) || isFile(f.Path):
			p.first = append(p.first, f.Path)
		default:
			p.last = append(p.last, f.Path)
		}
	}
	return p
}

// affected returns the outputs of a portal (all, as FilesFunc lists
// them) that a change (d, from site old to site cur) can alter: the one
// place a rebuild decides what to make again. served are the paths
// served now. It errs on the side of making more, never fewer: a page
// made again with the same bytes is not reloaded.
//
// The rules follow what pages show (generator/portal): an item's page
// shows its links' titles and its backlinks (the neighbours in the old and
// the new graph); an organization's page, its type list pages and the
// home page show its items; every page of an organization shows how many
// items of each type it has (so an item that appears, disappears or
// changes who may see it touches them all); every page shows every
// organization's name and kind (so a change to those makes everything).
// The search index, calendar feed and sitemap are made again each time,
// last. Outputs the portal did not have before are made; the caller
// drops served ones it no longer has.
//
// When build.File.Key lands (per-output input keys), this becomes: the
// outputs whose key differs from the key of the served bytes.
func affected(old, cur *model.Site, d *site.Delta, all []build.File, served map[string][]byte) plan {
	if d.Full {
		return plan{all: true}
	}
	if len(d.Orgs)+len(d.Items)+len(d.Files)+len(d.Rechecked) == 0 {
		return plan{} // the same site: the same outputs
	}
	for _, slug := range d.Orgs {
		o, n := old.Org(slug), cur.Org(slug)
		if o == nil || n == nil || o.Name != n.Name || o.Kind != n.Kind {
			return plan{all: true} // the sidebar of every page lists them
		}
	}
	first, rest := map[string]bool{}, map[string]bool{}
	wholeOrg := map[string]bool{}
	orgOf := func(id string) string { org, _, _ := strings.Cut(id, "/"); return org }
	page := func(id string) {
		if strings.Contains(id, "/") {
			rest[urls.ItemID(id)] = true
		} else {
			rest[urls.Org(id)] = true
		}
	}
	itemTouched := func(id string) {
		org := orgOf(id)
		rest[urls.Org(org)] = true
		rest[urls.Home] = true
		for _, s := range []*model.Site{old, cur} {
			if it := s.Item(id); it != nil {
				rest[urls.TypeList(org, it.Type)] = true
			}
		}
	}
	for _, id := range d.Items {
		first[urls.ItemID(id)] = true
		itemTouched(id)
		o, n := old.Item(id), cur.Item(id)
		if o == nil || n == nil || o.Archived != n.Archived || !slices.Equal(o.Access, n.Access) {
			wholeOrg[orgOf(id)] = true
		}
		for _, s := range []*model.Site{old, cur} {
			for _, l := range s.Graph.Out(id) {
				page(l.To)
			}
			for _, l := range s.Graph.In(id) {
				page(l.From)
			}
		}
	}
	for _, id := range d.Rechecked {
		rest[urls.ItemID(id)] = true
		itemTouched(id)
	}
	for _, slug := range d.Orgs {
		rest[urls.Org(slug)] = true
		rest[urls.Home] = true
	}
	for _, f := range d.Files {
		rest[urls.FilePath(f)] = true
	}
	isServed := func(p string) bool { _, ok := served[p]; return ok }
	p := plan{}
	for _, f := range all {
		switch {
		case f.Runbook:
			continue // made on request
		case first[f.Path]:
			p.first = append(p.first, f.Path)
		case !f.Page && !isStatic(f.Path) && !isFile(f.Path):
			p.last = append(p.last, f.Path)
		case rest[f.Path], !isServed(f.Path):
			p.rest = append(p.rest, f.Path)
		case f.Page && wholeOrg[orgOf(f.Path)]:
			p.rest = append(p.rest, f.Path)
		}
	}
	return p
}

// isFile reports whether an output path is an attachment (copied as it
// is; made again only when it changed): <org>/files/...
func isFile(p string) bool {
	_, rest, ok := strings.Cut(p, "/")
	return ok && strings.HasPrefix(rest, "files/")
}
