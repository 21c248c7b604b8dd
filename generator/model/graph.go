package model

import (
	"sort"

	"github.com/cairn-it/cairn/generator/diag"
)

// LinkKind says where a link was written.
type LinkKind string

// The places links come from.
const (
	LinkTag      LinkKind = "tag"      // a tag field
	LinkRelated  LinkKind = "related"  // the related key
	LinkWiki     LinkKind = "wiki"     // [[...]] in Markdown
	LinkRelative LinkKind = "relative" // [text](path) in Markdown
)

// Link is one resolved link from an item to an item or organization.
type Link struct {
	From string // item id
	// To is an item id, or an organization slug for links to an org.
	To     string
	Anchor string // heading anchor, if any
	Kind   LinkKind
	Field  string // the tag field's name, for LinkTag
	Pos    diag.Pos
}

// Graph holds every resolved link of a site, by source and by target.
// Each link is stored once: the by-target index holds positions in the
// by-source list, which on a site of 100,000 items saves tens of
// megabytes.
type Graph struct {
	links []Link             // deduplicated, sorted by source then target
	out   map[string][2]int  // source -> range of links
	in    map[string][]int32 // target -> positions in links, by source
	n     int
}

// NewGraph builds a graph from links, dropping repeats of the same
// (from, to, kind, field) so a page lists each neighbour once.
func NewGraph(links []Link) *Graph {
	g := &Graph{out: map[string][2]int{}, in: map[string][]int32{}, n: len(links)}
	sort.SliceStable(links, func(i, j int) bool {
		a, b := links[i], links[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	type key struct {
		from, to, field string
		kind            LinkKind
	}
	seen := make(map[key]bool, len(links))
	g.links = make([]Link, 0, len(links))
	for _, l := range links {
		k := key{l.From, l.To, l.Field, l.Kind}
		if seen[k] {
			continue
		}
		seen[k] = true
		i := len(g.links)
		g.links = append(g.links, l)
		r, ok := g.out[l.From]
		if !ok {
			r[0] = i
		}
		r[1] = i + 1
		g.out[l.From] = r
		g.in[l.To] = append(g.in[l.To], int32(i))
	}
	return g
}

// Out returns the links from an item, sorted by target. The slice must
// not be modified.
func (g *Graph) Out(id string) []Link {
	r, ok := g.out[id]
	if !ok {
		return nil
	}
	return g.links[r[0]:r[1]:r[1]]
}

// In returns the links to an item or organization (its backlinks), sorted
// by source.
func (g *Graph) In(id string) []Link {
	idx := g.in[id]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Link, len(idx))
	for j, i := range idx {
		out[j] = g.links[i]
	}
	return out
}

// Count returns how many links were resolved, repeats included.
func (g *Graph) Count() int { return g.n }
