package resolve

import (
	"sort"

	"github.com/cairn-it/cairn/generator/model"
)

// DepKind says what kind of fact about a site a lookup read.
type DepKind uint8

// The facts a resolver looks up. Schemas, checklist templates and
// access.toml are not recorded: a change to any of them changes every
// item's check, so callers that keep results check everything again.
const (
	// DepItem is whether an item exists, and what it is (type, file,
	// headings): Key is the item's id.
	DepItem DepKind = iota
	// DepOrg is whether an organization exists and is shared (a resolver
	// reads nothing else of it): Key is its slug.
	DepOrg
	// DepOrgs is the set of organization slugs (for suggestions): no Key.
	DepOrgs
	// DepOrgItems is the set of item ids of one organization (for
	// suggestions): Key is its slug.
	DepOrgItems
	// DepFile is whether an attachment exists: Key is its path below
	// content/ ("acme/files/lan.pdf").
	DepFile
)

// Dep is one fact a resolver looked up.
type Dep struct {
	Kind DepKind
	Key  string
}

// Deps records the facts a resolver looked up while resolving the
// references of one item or organization: the answers it gave can only
// change when one of them does. The zero value is ready; it is used by
// one goroutine.
type Deps struct {
	list []Dep
}

func (d *Deps) add(k DepKind, key string) {
	if d != nil {
		d.list = append(d.list, Dep{k, key})
	}
}

// List returns the facts recorded, sorted, each once.
func (d *Deps) List() []Dep {
	if d == nil || len(d.list) == 0 {
		return nil
	}
	out := append([]Dep(nil), d.list...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Key < out[j].Key
	})
	n := 0
	for i, x := range out {
		if i > 0 && x == out[n-1] {
			continue
		}
		out[n] = x
		n++
	}
	return out[:n]
}

// Recording returns a resolver for the same site that records every
// lookup it makes in d. It is for one goroutine (d is not locked).
func (r *Resolver) Recording(d *Deps) *Resolver { return &Resolver{site: r.site, deps: d} }

// The site lookups of a resolver, each recorded.

func (r *Resolver) org(slug string) *model.Org {
	r.deps.add(DepOrg, slug)
	return r.site.Org(slug)
}

func (r *Resolver) item(id string) *model.Item {
	r.deps.add(DepItem, id)
	return r.site.Item(id)
}

func (r *Resolver) orgSlugs() []string {
	r.deps.add(DepOrgs, "")
	slugs := make([]string, 0, len(r.site.Orgs))
	for _, o := range r.site.Orgs {
		slugs = append(slugs, o.Slug)
	}
	return slugs
}

func (r *Resolver) orgItems(org string) []*model.Item {
	r.deps.add(DepOrgItems, org)
	return r.site.OrgItems(org)
}

func (r *Resolver) hasFile(path string) bool {
	r.deps.add(DepFile, path)
	return r.site.HasFile(path)
}

// Item returns the item with the id, or nil, recording the lookup: for
// callers that look a resolved target up again.
func (r *Resolver) Item(id string) *model.Item { return r.item(id) }
