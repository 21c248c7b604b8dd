// Package portal renders the HTML pages of one portal from an access.View:
// the portal home, organization overviews, type lists and item pages. It
// reads the site only through the view, so what the portal's audience may
// not see is never rendered; every link it writes is relative (see
// generator/urls), so the output works on any host, under a sub-path and
// from disk. Writing files is the job of generator/build.
package portal

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	expirydays "github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/urls"
)

// ContentSecurityPolicy is the policy every page declares in a <meta
// http-equiv> before any script or style sheet (docs/portals.md,
// "Content Security Policy"): scripts only from the portal's own files
// (the theme's static/ and the search index; no inline script, no eval),
// no plugins, frames, forms or <base>. Styles may be inline (the theme's
// progress bars, sealed.js, table alignment from Markdown); images may
// come from https URLs that documents name. A meta policy cannot say
// frame-ancestors: a host that can set headers should add it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https:; " +
	"object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"

// SecretSealer seals secret field values for client-side decryption in
// portals configured with secrets = "sealed". Seal returns the sealed
// value of an item's password-kind field, ok=false when there is none to
// show (the placeholder is then rendered without a value). It is called
// from many goroutines at once.
type SecretSealer interface {
	Seal(ctx context.Context, it *model.Item, field string) (sealed string, ok bool, err error)
}

// History supplies what changed recently in an organization, from version
// control. RecentlyChanged returns the latest changes, newest first; the
// renderer drops changes to items the portal may not see, and shows
// Author and Summary only where access.View.ShowsGitMetadata allows. It
// is called from many goroutines at once.
type History interface {
	RecentlyChanged(ctx context.Context, org string) ([]Change, error)
	// ItemHistory returns the revisions of one item (its file and its
	// secrets file), newest first; the renderer shows Author, Summary and
	// Commit only where access.View.ShowsGitMetadata allows.
	ItemHistory(ctx context.Context, id string) (ItemHistory, error)
}

// ItemHistory is what version control knows of one item.
type ItemHistory struct {
	// Revisions are newest first; empty when the item is not committed.
	Revisions []Revision
	// Omitted is true when older revisions exist beyond those given.
	Omitted bool
	// TruncatedAt is the date of a shallow clone's oldest commit when the
	// item's history stops there (earlier changes unknown); zero when the
	// history is complete.
	TruncatedAt time.Time
	// Path is the item's file relative to the repository's top (for
	// cairn.toml's forge edit_url); "" when unknown.
	Path string
}

// Revision is one commit that changed an item.
type Revision struct {
	Commit  string // full hex hash
	When    time.Time
	Author  string
	Summary string // the commit's subject line
}

// Change is one change to an item, for an organization's "recently
// changed" list.
type Change struct {
	// ID is the changed item's id.
	ID string
	// When is the commit time.
	When time.Time
	// Author is who made the change.
	Author string
	// Summary is the commit's subject line.
	Summary string
}

// Options tune a Renderer. The zero value is valid but for Today, which
// must be set for expiry badges to mean anything.
type Options struct {
	// Today is the "as of" date expiry badges are measured against. It
	// comes from the caller (a flag or the git HEAD date), never from the
	// clock here, so that output is deterministic.
	Today time.Time
	// Sealer seals secret values; nil renders placeholders only. It is
	// used only when the portal has secrets = "sealed".
	Sealer SecretSealer
	// History fills each organization's RecentlyChanged list; nil leaves
	// it empty.
	History History
	// Runbooks is true when the build writes runbooks/<org>.pdf for every
	// visible organization, so organization pages link to them.
	Runbooks bool
	// Search is true when the build writes the search index, so pages load
	// static/search.js (when the theme has it).
	Search bool
	// Changes gives each file's last change in git, for documents' review
	// badges; nil outside git (reviews then count from reviewed_on).
	Changes expirydays.Changes
	// Calendar is true when the build writes the portal's calendar feed
	// (expiry.ICSFile), so pages link to it.
	Calendar bool
}

// Renderer renders the pages of one portal. It is safe for concurrent use:
// a build renders many pages at once.
type Renderer struct {
	v     *access.View
	theme *Theme
	opts  Options
	md    *markdown.Parser
	today time.Time
	// expiring is what expires within the window (or has expired) in
	// the view, soonest first (expiry.Collect, expiry.Expiring); made
	// once, when a page first needs it (expiringDates).
	expiring     []expirydays.Entry
	expiringOnce sync.Once
	// policy is cairn.toml's [review] and [rotation], read once.
	policy expirydays.Policy
	orgs   map[string]*orgIndex
	files  map[string]bool

	sidebars sync.Map // sidebar cache key -> template.HTML
	frames   sync.Map // Root -> *frameParts

	// keys caches the input keys of nodes and links (keys.go).
	keys keyCache
}

// New returns a renderer of the view's portal with the theme.
func New(v *access.View, th *Theme, opts Options) *Renderer {
	y, m, d := opts.Today.Date()
	r := &Renderer{v: v, theme: th, opts: opts, md: markdown.NewParser(), today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), files: map[string]bool{}}
	r.policy, _ = expirydays.NewPolicy(v.Config())
	r.index()
	return r
}

// PageKind says which template renders a page.
type PageKind int

// The kinds of pages a portal has.
const (
	HomePage PageKind = iota
	OrgPage
	ListPage
	ItemPage
)

// Page is one page to render: where it goes and what it shows.
type Page struct {
	// Path is the page's path in the portal (see generator/urls).
	Path string
	Kind PageKind
	Org  string
	Type string
	Item *model.Item
}

// Pages returns every page of the portal, in a fixed order: home, then per
// organization its overview, type lists and items.
func (r *Renderer) Pages() []Page {
	pages := []Page{{Path: urls.Home, Kind: HomePage}}
	for _, o := range r.v.Orgs() {
		pages = append(pages, Page{Path: urls.Org(o.Slug), Kind: OrgPage, Org: o.Slug})
		for _, t := range r.v.Types(o.Slug) {
			pages = append(pages, Page{Path: urls.TypeList(o.Slug, t), Kind: ListPage, Org: o.Slug, Type: t})
		}
		for _, it := range r.v.OrgItems(o.Slug) {
			pages = append(pages, itemPage(it))
		}
	}
	return pages
}

// ItemPage returns the page of the item with the id, as Pages lists it,
// without listing the others; ok is false when the portal has no such
// page (the item does not exist or the portal may not see it).
func (r *Renderer) ItemPage(id string) (p Page, ok bool) {
	it := r.v.Item(id)
	if it == nil || !r.v.CanSeeOrg(it.Org) {
		return Page{}, false
	}
	return itemPage(it), true
}

// itemPage is the page of a visible item.
func itemPage(it *model.Item) Page {
	return Page{Path: urls.Item(it), Kind: ItemPage, Org: it.Org, Type: it.Type, Item: it}
}

// Render writes one page as HTML to w.
func (r *Renderer) Render(ctx context.Context, w io.Writer, p Page) error {
	var (
		name string
		data any
		err  error
	)
	switch p.Kind {
	case HomePage:
		name, data = tmplHome, r.home(p)
	case OrgPage:
		name = tmplOrg
		data, err = r.org(ctx, p)
	case ListPage:
		name, data = tmplList, r.list(p)
	case ItemPage:
		name = tmplItem
		data, err = r.item(ctx, p)
	default:
		return fmt.Errorf("page %s: unknown kind %d", p.Path, p.Kind)
	}
	if err != nil {
		return fmt.Errorf("page %s: %w", p.Path, err)
	}
	if err := r.sidebar(name, data.(interface{ frame() *Base }).frame()); err != nil {
		return fmt.Errorf("page %s: template sidebar: %w", p.Path, err)
	}
	if err := r.theme.pages[name].ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("page %s: template %s: %w", p.Path, name, err)
	}
	return nil
}

// sidebar fills b.Sidebar from the theme's "sidebar" template, rendering
// it once per organization, active type and depth. A theme without a
// "sidebar" template leaves it empty.
func (r *Renderer) sidebar(name string, b *Base) error {
	t := r.theme.pages[name].Lookup("sidebar")
	if t == nil {
		return nil
	}
	key := b.Root + "\x00" + b.Kind
	if b.Nav != nil {
		key += "\x00" + string(b.Nav.Org.Href) + "\x00" + b.Nav.Active
	}
	if v, ok := r.sidebars.Load(key); ok {
		b.Sidebar = v.(template.HTML)
		return nil
	}
	var buf strings.Builder
	if err := t.Execute(&buf, b); err != nil {
		return err
	}
	b.Sidebar = template.HTML(buf.String())
	r.sidebars.Store(key, b.Sidebar)
	return nil
}

var funcs = template.FuncMap{
	// pct formats a fraction of 100 for a CSS width.
	"pct": func(n int) template.CSS { return template.CSS(fmt.Sprintf("%d%%", n)) },
}
