package semdiff

import (
	"sort"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// access compares, per portal, what its audience sees on both sides:
// the items and organizations (through access.View, so by the same rule
// as the portal's build) and the secrets its pages carry sealed.
func (c *comparer) access() {
	names := map[string]bool{}
	for _, s := range []*Side{c.base, c.head} {
		for _, n := range access.Portals(s.Site) {
			names[n] = true
		}
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, name := range sorted {
		oldV, _ := access.NewView(c.base.Site, name) // nil: no such portal on that side
		newV, _ := access.NewView(c.head.Site, name)
		pc := PortalChange{Portal: name, Shows: []Item{}, Hides: []Item{}, Changed: []string{}, SecretsGained: []SecretRef{}, SecretsLost: []SecretRef{}}
		switch {
		case oldV == nil:
			pc.Status = "added"
		case newV == nil:
			pc.Status = "removed"
		}
		if newV != nil {
			pc.Title = newV.Portal.Title
		} else {
			pc.Title = oldV.Portal.Title
		}
		if op, np := policy(oldV), policy(newV); oldV != nil && newV != nil && op != np {
			pc.SecretsPolicy = op + " → " + np
		}
		oldSeen, newSeen := c.seen(oldV, true), c.seen(newV, false)
		sealed := policy(newV) == "sealed"
		for id, it := range newSeen {
			d := c.secretChanged[id]
			if _, ok := oldSeen[id]; !ok {
				pc.Shows = append(pc.Shows, it)
			} else if c.changed[id] || d.keys || (sealed && d.values) {
				pc.Changed = append(pc.Changed, id)
			}
		}
		for id, it := range oldSeen {
			if _, ok := newSeen[id]; !ok {
				pc.Hides = append(pc.Hides, it)
			}
		}
		sortItems(pc.Shows)
		sortItems(pc.Hides)
		sort.Strings(pc.Changed)
		oldSec, newSec := c.sealed(c.base, oldV, true), c.sealed(c.head, newV, false)
		for ref, named := range newSec {
			if _, ok := oldSec[ref]; !ok {
				pc.SecretsGained = append(pc.SecretsGained, named)
			}
		}
		for ref, named := range oldSec {
			if _, ok := newSec[ref]; !ok {
				pc.SecretsLost = append(pc.SecretsLost, named)
			}
		}
		sortRefs(pc.SecretsGained)
		sortRefs(pc.SecretsLost)
		if pc.Status != "" || pc.SecretsPolicy != "" || len(pc.Shows)+len(pc.Hides)+len(pc.Changed)+len(pc.SecretsGained)+len(pc.SecretsLost) > 0 {
			c.r.Access = append(c.r.Access, pc)
		}
	}
}

func policy(v *access.View) string {
	if v == nil || v.Portal.Secrets == "" {
		return "none"
	}
	return v.Portal.Secrets
}

// seen returns what a view shows (organizations, items, attachments), by
// head id (base item ids mapped through renames), each named as on its
// own side.
func (c *comparer) seen(v *access.View, base bool) map[string]Item {
	out := map[string]Item{}
	if v == nil {
		return out
	}
	key := func(id string) string {
		if base {
			return c.mapID(id)
		}
		return id
	}
	for _, o := range v.Orgs() {
		out[o.Slug] = Item{ID: o.Slug, Title: o.Name, File: o.File}
	}
	// Attachments the portal carries, by path below content/ (no item
	// id has "files" as its type folder).
	for _, f := range v.Files() {
		out[f] = Item{ID: f, File: "content/" + f}
	}
	for _, it := range v.Items() {
		out[key(it.ID)] = Item{ID: it.ID, Title: it.Title, File: it.File}
	}
	return out
}

// sealed returns the secrets a sealed portal's pages carry: every
// password field of a visible item that its secrets file holds, keyed by
// head id (base item ids mapped through renames), each named as on its
// own side (a secret a portal loses is named as the portal had it).
func (c *comparer) sealed(s *Side, v *access.View, base bool) map[SecretRef]SecretRef {
	out := map[SecretRef]SecretRef{}
	if v == nil || v.Portal.Secrets != "sealed" {
		return out
	}
	for _, it := range v.Items() {
		if it.Secrets == "" {
			continue
		}
		id := it.ID
		if base {
			id = c.mapID(id)
		}
		for _, k := range c.secretKeys(s, it) {
			if sopsfile.IsSecretField(it, k) {
				out[SecretRef{Item: id, Key: k}] = SecretRef{Item: it.ID, Key: k}
			}
		}
	}
	return out
}

// secretKeys returns the key names of an item's secrets file, read once
// per side however many portals ask; a file that cannot be read has none
// (check reports it).
func (c *comparer) secretKeys(s *Side, it *model.Item) []string {
	byFile := c.keyCache[s]
	if byFile == nil {
		byFile = map[string][]string{}
		c.keyCache[s] = byFile
	}
	if keys, ok := byFile[it.Secrets]; ok {
		return keys
	}
	var out []string
	if data, err := s.Read(it.Secrets); err == nil {
		for _, k := range sopsfile.Keys(data) {
			out = append(out, k.Name)
		}
	}
	byFile[it.Secrets] = out
	return out
}

func sortItems(its []Item) { sort.Slice(its, func(i, j int) bool { return its[i].ID < its[j].ID }) }

func sortRefs(rs []SecretRef) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Item != rs[j].Item {
			return rs[i].Item < rs[j].Item
		}
		return rs[i].Key < rs[j].Key
	})
}

// links compares the link graphs: links between items, to organizations
// and to attachments (kind "attachment"), base ends mapped through
// renames for the comparison. A removed link is named as base had it.
func (c *comparer) links() {
	set := func(s *Side, base bool) map[Link]Link {
		out := map[Link]Link{}
		add := func(l Link) {
			k := l
			if base {
				k.From = c.mapID(k.From)
				if k.Kind != "attachment" {
					k.To = c.mapID(k.To)
				}
			}
			out[k] = l
		}
		from := make([]string, 0, len(s.Site.Items)+len(s.Site.Orgs))
		for _, it := range s.Site.Items {
			from = append(from, it.ID)
		}
		for _, o := range s.Site.Orgs {
			from = append(from, o.Slug)
		}
		for _, id := range from {
			for _, l := range s.Site.Graph.Out(id) {
				add(Link{From: l.From, To: l.To, Kind: string(l.Kind)})
			}
			for _, f := range s.Site.Graph.Files(id) {
				add(Link{From: id, To: f, Kind: "attachment"})
			}
		}
		return out
	}
	old, cur := set(c.base, true), set(c.head, false)
	for k, l := range cur {
		if _, ok := old[k]; !ok {
			c.r.Links.Added = append(c.r.Links.Added, l)
		}
	}
	for k, l := range old {
		if _, ok := cur[k]; !ok {
			c.r.Links.Removed = append(c.r.Links.Removed, l)
		}
	}
	sortLinks(c.r.Links.Added)
	sortLinks(c.r.Links.Removed)
}

func sortLinks(ls []Link) {
	sort.Slice(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Kind < b.Kind
	})
}

// errors compares the check errors of both sides, ignoring positions (a
// line added above an error moves it without changing it) and mapping
// renamed files: an error counts as new when head has more of it than
// base.
func (c *comparer) errors() {
	files := map[string]string{}
	for _, rn := range c.r.Renamed {
		files[rn.From.File] = rn.To.File
		if it := c.base.Site.Item(rn.From.ID); it != nil && it.Secrets != "" {
			if n := c.head.Site.Item(rn.To.ID); n != nil && n.Secrets != "" {
				files[it.Secrets] = n.Secrets
			}
		}
	}
	type key struct{ file, code, msg string }
	count := func(ds []diag.Diagnostic, mapFile bool) (map[key]int, []diag.Diagnostic) {
		m := map[key]int{}
		var errs []diag.Diagnostic
		for _, d := range ds {
			if d.Severity != diag.Error {
				continue
			}
			f := d.Pos.File
			if to, ok := files[f]; ok && mapFile {
				f = to
			}
			m[key{f, d.Code, d.Message}]++
			errs = append(errs, d)
		}
		return m, errs
	}
	oldCount, oldErrs := count(c.base.Diags.Sorted(), true)
	newCount, newErrs := count(c.head.Diags.Sorted(), false)
	for _, d := range newErrs {
		k := key{d.Pos.File, d.Code, d.Message}
		if oldCount[k] > 0 {
			oldCount[k]--
			continue
		}
		c.r.NewErrors = append(c.r.NewErrors, problem(d))
	}
	for _, d := range oldErrs {
		f := d.Pos.File
		if to, ok := files[f]; ok {
			f = to
		}
		k := key{f, d.Code, d.Message}
		if newCount[k] > 0 {
			newCount[k]--
			continue
		}
		c.r.FixedErrors = append(c.r.FixedErrors, problem(d))
	}
}

func problem(d diag.Diagnostic) Problem {
	return Problem{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Code: d.Code, Message: d.Message, Hint: d.Hint}
}
