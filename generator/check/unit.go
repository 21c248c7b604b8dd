package check

import (
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
)

// Unit is what checking one item or organization yields besides its
// problems: its resolved links and its part of Stats.
type Unit struct {
	// Diags are the unit's problems; empty from Run, which collects them
	// in one list.
	Diags []diag.Diagnostic
	Links []model.Link
	// Checked is how many references were checked; Expired and Expiring
	// count the item's expiry dates.
	Checked, Expired, Expiring int
	// Deps are the facts about other items, organizations and
	// attachments the unit's references looked up (resolve.Deps), sorted:
	// the unit's result changes only when one of them, or the unit's own
	// file, does. Set by Checker.Item and Checker.Org only.
	Deps []resolve.Dep
}

// Checker checks one site a part at a time, for callers that keep a
// checked site up to date (generator/site): the site-wide rules (Site),
// one item (Item), one organization (Org). Run is the same checks over
// the whole site. A Checker only reads its site; its methods may be
// called from several goroutines at once.
type Checker struct {
	c checker
}

// NewChecker returns a Checker of site, measuring expiries against
// opts.Today.
func NewChecker(site *model.Site, opts Options) *Checker {
	return &Checker{c: checker{site: site, resolver: resolve.New(site), today: dateOnly(opts.Today), window: site.Config.ExpiryWindowDays,
		md: markdown.NewParser()}}
}

// unit returns a checker for one item or organization that reports to
// diags and, when deps is not nil, records its lookups there.
func (k *Checker) unit(diags *diag.List, deps *resolve.Deps) *checker {
	c := k.c
	c.diags = diags
	if deps != nil {
		c.resolver = c.resolver.Recording(deps)
	}
	return &c
}

// site runs the rules that read cairn.toml, access.toml and the checklist
// templates (with the site's organizations and types) into diags.
func (k *Checker) site(diags *diag.List) {
	c := k.unit(diags, nil)
	c.config()
	c.access()
	for _, t := range c.site.Templates {
		c.template(t)
	}
}

// Site returns the problems of the site-wide rules: cairn.toml,
// access.toml and the checklist templates, checked against the site's
// organizations and types. They are cheap: callers that keep a checked
// site run them again after every change.
func (k *Checker) Site() []diag.Diagnostic {
	l := &diag.List{}
	k.site(l)
	return l.Sorted()
}

// Item checks one item of the site, recording its lookups in Unit.Deps.
func (k *Checker) Item(it *model.Item) Unit {
	return k.recorded(func(c *checker) Unit { return c.item(it) })
}

// Org checks one organization of the site (its org.toml and the links of
// its quick notes), recording its lookups in Unit.Deps.
func (k *Checker) Org(o *model.Org) Unit {
	return k.recorded(func(c *checker) Unit { return c.org(o) })
}

// recorded runs check with a checker of its own and returns its Unit
// with its diagnostics and recorded lookups.
func (k *Checker) recorded(check func(c *checker) Unit) Unit {
	l := &diag.List{}
	var d resolve.Deps
	u := check(k.unit(l, &d))
	u.Diags, u.Deps = l.Sorted(), d.List()
	return u
}

// Assemble makes the link graph and the summary of a site from the
// results of its organizations and items (in site.Orgs and site.Items
// order), as Run does.
func Assemble(site *model.Site, orgs, items []Unit) (*model.Graph, Stats) {
	// The summary first: once their links are copied the units are not
	// read again, so a caller that drops them lets them go while the
	// graph is built (the peak of a check's memory).
	st := Summarize(site, orgs, items)
	n := 0
	for _, u := range items {
		n += len(u.Links)
	}
	for _, u := range orgs {
		n += len(u.Links)
	}
	links := make([]model.Link, 0, n)
	for _, u := range items {
		links = append(links, u.Links...)
	}
	for _, u := range orgs {
		links = append(links, u.Links...)
	}
	return model.NewGraph(links), st
}

// Summarize returns the summary of a site from the results of its
// organizations and items, for callers that keep the link graph up to
// date themselves (model.Graph.With).
func Summarize(site *model.Site, orgs, items []Unit) Stats {
	st := Stats{Orgs: len(site.Orgs), Items: len(site.Items)}
	for _, u := range items {
		st.Links += u.Checked
		st.Expired += u.Expired
		st.Expiring += u.Expiring
	}
	for _, u := range orgs {
		st.Links += u.Checked
	}
	return st
}
