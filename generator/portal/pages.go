package portal

import (
	"context"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/checklist"
	expirydays "github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/forge"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/generator/urls"
)

// orgIndex is what the renderer precomputes per organization, once, so
// that rendering each page does not walk the whole organization again.
type orgIndex struct {
	org    *model.Org
	items  []*model.Item
	byType map[string][]*model.Item
	types  []string
	// expiring are the organization's expiring dates, soonest first;
	// set by expiringDates.
	expiring []expirydays.Entry
}

// expiringDates returns what cairn expiring lists for this portal's
// view, cut to the expiry fields within the window (the one rule both
// the home and organization pages' panels show), and sets each
// organization's share. It walks every item of the view, so it runs once,
// when the first page that shows them is rendered: cairn serve, which
// often makes a few item pages only, does not pay for it.
func (r *Renderer) expiringDates() []expirydays.Entry {
	r.expiringOnce.Do(func() {
		r.expiring = expirydays.Expiring(expirydays.Collect(r.v, r.opts.Changes, r.today), r.v.Config().ExpiryWindowDays)
		for _, ix := range r.orgs {
			ix.expiring = expirydays.OfOrg(r.expiring, ix.org.Slug)
		}
	})
	return r.expiring
}

func (r *Renderer) index() {
	r.orgs = map[string]*orgIndex{}
	for _, o := range r.v.Orgs() {
		ix := &orgIndex{org: o, items: r.v.OrgItems(o.Slug), byType: map[string][]*model.Item{}}
		for _, it := range ix.items {
			ix.byType[it.Type] = append(ix.byType[it.Type], it)
		}
		ix.types = r.v.Types(o.Slug)
		r.orgs[o.Slug] = ix
	}
	for _, f := range r.v.Files() {
		r.files[f] = true
	}
}

// Files returns the attachments the portal shows, as paths below content/
// ("acme/files/lan.pdf"), sorted: the files access.View.CanSeeFile allows
// that exist. The build copies each to urls.File(path).
func (r *Renderer) Files() []string {
	out := make([]string, 0, len(r.files))
	for f := range r.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// download returns the name to save the attachment at p as when it is
// published under another name (urls.FilePath), else "".
func download(p string) string {
	if urls.PassiveFile(p) {
		return ""
	}
	return path.Base(p)
}

// file returns rest when it is an attachment the portal shows, else "".
func (r *Renderer) file(rest string) string {
	if r.files[rest] {
		return rest
	}
	return ""
}

func titleOf(it *model.Item) string {
	if it.Title != "" {
		return it.Title
	}
	return it.Slug
}

func (r *Renderer) typeName(typ string) string {
	if s := r.v.Schemas().Get(typ); s != nil {
		return s.Name
	}
	return typ
}

func (r *Renderer) rel(from, to string) template.URL { return template.URL(urls.Rel(from, to)) }

func (r *Renderer) itemLink(from string, it *model.Item) Link {
	return Link{Text: titleOf(it), Href: r.rel(from, urls.Item(it)), Hint: r.singular(it.Type)}
}

func (r *Renderer) singular(typ string) string {
	if s := r.v.Schemas().Get(typ); s != nil {
		return s.DisplaySingular()
	}
	return typ
}

// base builds the frame of a page.
func (r *Renderer) base(p Page, kind, title string) Base {
	cfg := r.v.Config()
	pt := r.v.Portal.Title
	if pt == "" {
		pt = r.v.Portal.Name
	}
	b := Base{
		SiteTitle: cfg.Title, PortalTitle: pt, Portal: r.v.Portal.Name,
		Title: title, Kind: kind, Path: p.Path, Root: urls.Root(p.Path), CSP: ContentSecurityPolicy,
		Home: r.rel(p.Path, urls.Home),
		AsOf: r.today.Format("2006-01-02"), ExpiryWindow: cfg.ExpiryWindowDays,
		Calendar: r.calendar(p.Path),
	}
	// Shared by every page of this depth: templates only read them.
	f := r.frame(p.Path)
	b.Static, b.Orgs = f.static, f.orgs
	b.OrgsScript = r.rel(p.Path, OrgsScript)
	if r.opts.Search && r.theme.HasAsset("search.js") {
		b.SearchScript = b.Static["search.js"]
	}
	b.Breadcrumbs = []Link{{Text: pt, Href: b.Home}}
	if p.Org != "" {
		ix := r.orgs[p.Org]
		b.Nav = &OrgNav{Org: Link{Text: ix.org.Name, Href: r.rel(p.Path, urls.Org(p.Org))}, Active: p.Type}
		b.Nav.Types = r.typeCounts(p.Path, ix)
		if r.opts.Runbooks {
			b.Nav.Runbook = r.rel(p.Path, urls.Runbook(p.Org))
		}
		b.Breadcrumbs = append(b.Breadcrumbs, b.Nav.Org)
		if p.Type != "" {
			b.Breadcrumbs = append(b.Breadcrumbs, Link{Text: r.typeName(p.Type), Href: r.rel(p.Path, urls.TypeList(p.Org, p.Type))})
		}
	}
	// The last crumb is the page itself: no link.
	last := &b.Breadcrumbs[len(b.Breadcrumbs)-1]
	if p.Kind == ItemPage {
		b.Breadcrumbs = append(b.Breadcrumbs, Link{Text: title})
	} else {
		last.Href = ""
	}
	return b
}

func (r *Renderer) typeCounts(from string, ix *orgIndex) []TypeCount {
	out := make([]TypeCount, 0, len(ix.types))
	for _, t := range ix.types {
		out = append(out, TypeCount{Type: t, Name: r.typeName(t), Count: len(ix.byType[t]), Href: r.rel(from, urls.TypeList(ix.org.Slug, t))})
	}
	return out
}

// expiryViews shows entries of expiry.Expiring, the first limit of them
// when limit is above 0.
func (r *Renderer) expiryViews(from string, es []expirydays.Entry, limit int) []Expiry {
	if limit > 0 && len(es) > limit {
		es = es[:limit]
	}
	out := make([]Expiry, 0, len(es))
	for _, e := range es {
		it, ix := r.v.Item(e.ID), r.orgs[e.Org]
		if it == nil || ix == nil {
			continue // Collect read the same view: not reached
		}
		o := ix.org
		out = append(out, Expiry{Item: r.itemLink(from, it), Org: Link{Text: o.Name, Href: r.rel(from, urls.Org(o.Slug))}, Field: e.Label, Badge: r.badge(e.Date)})
	}
	return out
}

// homeExpiringLimit caps the home page's list of expiring dates.
const homeExpiringLimit = 25

func (r *Renderer) home(p Page) *HomeData {
	d := &HomeData{Base: r.base(p, "home", r.v.Portal.Title)}
	expiring := r.expiringDates()
	if d.Title == "" {
		d.Title = d.PortalTitle
	}
	for _, o := range r.v.Orgs() {
		ix := r.orgs[o.Slug]
		d.Items += len(ix.items)
		d.Orgs = append(d.Orgs, OrgSummary{
			Link: Link{Text: o.Name, Href: r.rel(p.Path, urls.Org(o.Slug)), Hint: o.Kind},
			Slug: o.Slug, Kind: o.Kind, Status: o.Status, Description: o.Description,
			Items: len(ix.items), Expiring: len(ix.expiring), Alerts: len(o.Alerts),
		})
	}
	d.Expiring = r.expiryViews(p.Path, expiring, homeExpiringLimit)
	return d
}

func (r *Renderer) org(ctx context.Context, p Page) (*OrgData, error) {
	ix := r.orgs[p.Org]
	o := ix.org
	d := &OrgData{Base: r.base(p, "org", o.Name)}
	r.expiringDates()
	d.Org = OrgInfo{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Status: o.Status, ShortName: o.ShortName, Description: o.Description, Shared: o.Shared}
	for _, a := range o.Alerts {
		d.Alerts = append(d.Alerts, Alert{Level: a.Level, Message: a.Message})
	}
	var err error
	if d.QuickNotes, err = r.renderMarkdown(o.Notes, p.Path, o.Slug); err != nil {
		return nil, fmt.Errorf("quick notes: %w", err)
	}
	for _, it := range ix.byType["contacts"] {
		if v := it.Value("important"); v == nil || v.Kind != tomldoc.KindBool || !v.Bool {
			continue
		}
		c := ContactCard{Link: r.itemLink(p.Path, it)}
		if v := it.Value("title"); v != nil && v.Kind == tomldoc.KindString {
			c.JobTitle = v.Str
		}
		c.Emails = r.groupValues(p.Path, it, "emails")
		c.Phones = r.groupValues(p.Path, it, "phones")
		d.Important = append(d.Important, c)
	}
	for _, it := range ix.byType["locations"] {
		lc := LocationCard{Link: r.itemLink(p.Path, it)}
		for _, f := range it.Schema.ListFields() {
			if f.UseForTitle {
				continue
			}
			if fv, ok := r.fieldView(ctx, p.Path, it, f); ok {
				lc.Fields = append(lc.Fields, fv)
			}
		}
		d.Locations = append(d.Locations, lc)
	}
	d.Counts = d.Nav.Types
	d.Expiring = r.expiryViews(p.Path, ix.expiring, 0)
	if r.opts.History != nil {
		changes, err := r.opts.History.RecentlyChanged(ctx, o.Slug)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", o.Slug, err)
		}
		for _, c := range changes {
			it := r.v.Item(c.ID)
			if it == nil {
				continue
			}
			cv := ChangeView{Item: r.itemLink(p.Path, it), Date: c.When.Format("2006-01-02")}
			if r.v.ShowsGitMetadata() {
				cv.Author, cv.Summary = c.Author, c.Summary
			}
			d.RecentlyChanged = append(d.RecentlyChanged, cv)
			if len(d.RecentlyChanged) == recentLimit {
				break
			}
		}
	}
	d.Backlinks = r.groupLinks(p.Path, r.v.Backlinks(o.Slug), true)
	d.Checklists = r.checklistRuns(p.Path, ix)
	return d, nil
}

// recentLimit is how many changes an organization page lists.
const recentLimit = 10

// groupValues returns the "value" sub-field of a contact's emails or
// phones records, the primary one first.
func (r *Renderer) groupValues(from string, it *model.Item, field string) []Value {
	f := it.Schema.Field(field)
	v := it.Value(field)
	if f == nil || v == nil {
		return nil
	}
	sub := f.Sub("value")
	if sub == nil {
		return nil
	}
	var primary, rest []Value
	for _, rec := range records(v) {
		e := rec.Get("value")
		if e == nil {
			continue
		}
		val := r.scalar(from, it, sub, e)
		if p := rec.Get("primary"); p != nil && p.Kind == tomldoc.KindBool && p.Bool {
			primary = append(primary, val)
		} else {
			rest = append(rest, val)
		}
	}
	return append(primary, rest...)
}

func (r *Renderer) list(p Page) *ListData {
	ix := r.orgs[p.Org]
	s := r.v.Schemas().Get(p.Type)
	d := &ListData{Base: r.base(p, "list", r.typeName(p.Type)), Type: p.Type, Name: r.typeName(p.Type)}
	d.Title = d.Name + " · " + ix.org.Name
	var fields []*schema.Field
	if s != nil {
		d.Singular, d.Description = s.DisplaySingular(), s.Description
		for _, f := range s.ListFields() {
			if !f.UseForTitle && f.Kind != schema.Password && f.Kind != schema.Header {
				fields = append(fields, f)
			}
		}
	}
	d.Columns = append(d.Columns, Column{Label: "Name", Kind: "title"})
	for _, f := range fields {
		d.Columns = append(d.Columns, Column{Label: f.DisplayLabel(), Kind: string(f.Kind)})
	}
	progress := p.Type == checklist.Type
	if progress {
		d.Columns = append(d.Columns, Column{Label: "Progress", Kind: "progress"})
	}
	for _, it := range ix.byType[p.Type] {
		row := Row{Item: r.itemLink(p.Path, it), Review: r.review(it)}
		row.Cells = make([]Cell, 0, len(fields)+1)
		for _, f := range fields {
			row.Cells = append(row.Cells, r.cell(p.Path, it, f))
		}
		if progress {
			c := r.checklist(it)
			row.Cells = append(row.Cells, Cell{Progress: c, Sort: fmt.Sprintf("%03d", c.Percent)})
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

func (r *Renderer) cell(from string, it *model.Item, f *schema.Field) Cell {
	v := it.Value(f.Name)
	if v == nil {
		v = f.Default
	}
	if v == nil || f.Kind == schema.Group || f.Kind == schema.Textbox {
		return Cell{}
	}
	var c Cell
	var keys []string
	for _, e := range v.Elements() {
		val := r.scalar(from, it, f, e)
		c.Values = append(c.Values, val)
		switch {
		case val.Date != "":
			keys = append(keys, val.Date)
		case e.Kind == tomldoc.KindInteger || e.Kind == tomldoc.KindFloat:
			keys = append(keys, fmt.Sprintf("%g", e.Float))
		default:
			keys = append(keys, strings.ToLower(val.Text))
		}
	}
	c.Sort = strings.Join(keys, ", ")
	return c
}

func (r *Renderer) item(ctx context.Context, p Page) (*ItemData, error) {
	it := p.Item
	d := &ItemData{Base: r.base(p, "item", titleOf(it))}
	d.Item = ItemInfo{ID: it.ID, Title: titleOf(it), Type: it.Type, TypeName: r.typeName(it.Type), Singular: r.singular(it.Type),
		Archived: it.Archived, ManagedBy: it.ManagedBy, Restricted: len(it.Access) > 0, File: it.File, Review: r.review(it),
		SuggestURL: r.v.SuggestURL(it.ID)}
	var err error
	if d.Sections, err = r.sections(ctx, p.Path, it); err != nil {
		return nil, err
	}
	if d.Body, err = r.renderMarkdown(it.Body, p.Path, it.ID); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	if d.Notes, err = r.renderMarkdown(it.Notes, p.Path, it.ID); err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	if it.Body != nil {
		if hs := it.Body.Headings; len(hs) > 0 && hs[0].Level == 1 && strings.EqualFold(strings.TrimSpace(hs[0].Text), strings.TrimSpace(d.Item.Title)) {
			d.BodyTitled = true
		}
		for _, h := range it.Body.Headings {
			if (h.Level == 2 || h.Level == 3) && h.Anchor != "" {
				d.TOC = append(d.TOC, Heading{Level: h.Level, Text: h.Text, Anchor: h.Anchor})
			}
		}
		if len(d.TOC) < 3 {
			d.TOC = nil
		}
	}
	if it.Type == "checklists" {
		d.Checklist = r.checklist(it)
	}
	d.Related = r.groupLinks(p.Path, r.v.Links(it.ID), false)
	d.Backlinks = r.groupLinks(p.Path, r.v.Backlinks(it.ID), true)
	for _, f := range r.v.Attachments(it.ID) {
		d.Attachments = append(d.Attachments, Link{Text: path.Base(f), Href: r.rel(p.Path, urls.File(f)), Hint: strings.TrimPrefix(path.Ext(f), "."), Download: download(f)})
	}
	sort.Slice(d.Attachments, func(i, j int) bool { return d.Attachments[i].Href < d.Attachments[j].Href })
	if r.opts.History != nil {
		ih, err := r.opts.History.ItemHistory(ctx, it.ID)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", it.ID, err)
		}
		d.History = r.itemHistory(ih)
	}
	return d, nil
}

// itemHistory is the view of an item's history this portal may show:
// dates always; commits, authors and subjects only where the View allows
// git metadata.
func (r *Renderer) itemHistory(ih ItemHistory) *ItemHistoryView {
	full := r.v.ShowsGitMetadata()
	fg := r.v.Config().Forge
	h := &ItemHistoryView{Omitted: ih.Omitted}
	if !ih.TruncatedAt.IsZero() {
		h.TruncatedAt = ih.TruncatedAt.Format("2006-01-02")
	}
	if ih.Path != "" && fg.EditURL != "" {
		if p, _ := forge.Problem(forge.EditURL, fg.EditURL); p == "" {
			// A pattern that opens the file at a commit gets the page's
			// last revision, and only where commits may be shown.
			vals := map[string]string{forge.Path: ih.Path}
			switch {
			case !strings.Contains(fg.EditURL, "{"+forge.Commit+"}"):
				h.EditURL = forge.Expand(fg.EditURL, vals)
			case full && len(ih.Revisions) > 0:
				vals[forge.Commit] = ih.Revisions[0].Commit
				h.EditURL = forge.Expand(fg.EditURL, vals)
			}
		}
	}
	commitURL := fg.CommitURL != ""
	if p, _ := forge.Problem(forge.CommitURL, fg.CommitURL); p != "" {
		commitURL = false
	}
	for i, rev := range ih.Revisions {
		rv := RevisionView{Date: rev.When.Format("2006-01-02")}
		if full {
			rv.Author, rv.Summary = rev.Author, rev.Summary
			rv.Commit = rev.Commit[:min(12, len(rev.Commit))]
			if commitURL {
				rv.CommitURL = forge.Expand(fg.CommitURL, map[string]string{forge.Commit: rev.Commit})
			}
		}
		if i == 0 {
			h.LastChanged, h.LastAuthor = rv.Date, rv.Author
		}
		h.Revisions = append(h.Revisions, rv)
	}
	return h
}

func (r *Renderer) checklist(it *model.Item) *Checklist {
	p := checklist.Of(it.Tasks, r.today)
	c := &Checklist{Done: p.Done, Total: p.Total, Percent: p.Percent, Overdue: len(p.Overdue)}
	for _, t := range p.Overdue {
		if c.OverdueSince == "" || t.Due < c.OverdueSince {
			c.OverdueSince = t.Due
		}
	}
	return c
}

// checklistRuns are the open checklists of an organization the portal
// sees, as checklist.Open orders them.
func (r *Renderer) checklistRuns(from string, ix *orgIndex) []ChecklistRun {
	var out []ChecklistRun
	for _, run := range checklist.Open(ix.byType[checklist.Type], "", r.today) {
		out = append(out, ChecklistRun{Item: r.itemLink(from, run.Item), Due: run.Due, Checklist: *r.checklist(run.Item)})
	}
	return out
}

// groupLinks groups links by the type of their other end (the target, or
// the source for backlinks), each end once, types in registry order.
func (r *Renderer) groupLinks(from string, links []model.Link, bySource bool) []LinkGroup {
	byType := map[string][]Link{}
	seen := map[string]bool{}
	var orgs []Link
	for _, l := range links {
		end := l.To
		if bySource {
			end = l.From
		}
		if seen[end] {
			continue
		}
		seen[end] = true
		if it := r.v.Item(end); it != nil {
			byType[it.Type] = append(byType[it.Type], r.itemLink(from, it))
		} else if o := r.v.Org(end); o != nil {
			orgs = append(orgs, Link{Text: o.Name, Href: r.rel(from, urls.Org(o.Slug)), Hint: o.Kind})
		}
	}
	var out []LinkGroup
	if len(orgs) > 0 {
		out = append(out, LinkGroup{Name: "Organizations", Links: orgs})
	}
	for _, t := range r.v.Schemas().Types() {
		if ls := byType[t]; len(ls) > 0 {
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].Text < ls[j].Text })
			out = append(out, LinkGroup{Name: r.typeName(t), Links: ls})
		}
	}
	return out
}
