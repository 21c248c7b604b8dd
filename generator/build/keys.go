package build

import (
	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/portal"
)

// The input keys of a portal's files other than pages (those are
// portal.Renderer.PageKeys). Each starts from the base key, or from a key
// that includes it, so a new program, theme or site-wide file changes
// every one. A zero key anywhere (no Inputs) gives a zero key: the file is
// made every time.

// baseKey is what every output depends on: the program, the theme, and
// every site file outside content/ (cairn.toml, access.toml, schemas,
// checklist templates, theme overrides). The zero key without inputs.
func baseKey(in *Inputs, theme *portal.Theme) portal.Key {
	if in == nil {
		return portal.Key{}
	}
	h := portal.NewHasher("base")
	h.Key(in.Tool)
	h.Key(theme.Digest())
	in.siteWide(h)
	return h.Sum()
}

// assetKey keys a theme asset: the theme's digest covers its bytes.
func assetKey(theme *portal.Theme, name string) portal.Key {
	h := portal.NewHasher("asset")
	h.Key(theme.Digest())
	h.String(name)
	return h.Sum()
}

// attachmentKey keys a copied attachment by its content's hash.
func attachmentKey(in *Inputs, path string) portal.Key {
	h := portal.NewHasher("attachment")
	h.String(path)
	h.Key(in.content(path))
	return h.Sum()
}

// searchKey keys the search index: made from the whole view.
func searchKey(view portal.Key) portal.Key {
	h := portal.NewHasher("search")
	h.Key(view)
	return h.Sum()
}

// calendarKey keys the calendar feed: the whole view, the as-of date,
// the portal's title, and (when git dates feed rotations and reviews)
// the commit.
func calendarKey(view portal.Key, v *access.View, opts Options) portal.Key {
	h := portal.NewHasher("calendar")
	h.Key(view)
	h.String(v.Portal.Title)
	h.String(opts.Today.Format("2006-01-02"))
	h.Bool(opts.Changes != nil)
	if opts.Changes != nil {
		h.String(opts.Commit)
		h.Bool(opts.Dirty)
	}
	return h.Sum()
}

// sitemapKey keys the sitemap: the base URL and the pages' paths.
func sitemapKey(base portal.Key, url string, v *access.View, pages []portal.Page) portal.Key {
	h := portal.NewHasher("sitemap")
	h.Key(base)
	h.String(url)
	h.String(v.Portal.Name)
	for _, p := range pages {
		h.String(p.Path)
	}
	return h.Sum()
}

// runbookKey keys an organization's runbook: the organization as the view
// shows it (every visible item and what links to and from it), the
// contents of the attachments it may embed, and the cover's as-of date,
// commit and portal.
func runbookKey(v *access.View, r *portal.Renderer, base portal.Key, org string, opts Options) portal.Key {
	h := portal.NewHasher("runbook")
	h.Key(r.OrgKey(base, org))
	h.String(opts.Today.Format("2006-01-02"))
	h.String(opts.Commit)
	h.Bool(opts.Dirty)
	h.String(v.Portal.Name)
	h.Bool(v.Portal.Archived)
	files := v.Attachments(org)
	for _, it := range v.OrgItems(org) {
		files = append(files, v.Attachments(it.ID)...)
	}
	for _, f := range files {
		h.String(f)
		h.Key(opts.Inputs.content(f))
	}
	return h.Sum()
}

// orgsScriptKey keys the organization list of the sidebar's switcher
// (portal.OrgsScript): the names and slugs of the view's organizations.
func orgsScriptKey(base portal.Key, v *access.View) portal.Key {
	h := portal.NewHasher("orgs.js")
	h.Key(base)
	for _, o := range v.Orgs() {
		h.String(o.Slug)
		h.String(o.Name)
	}
	return h.Sum()
}
