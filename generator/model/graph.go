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
type Graph struct {
	out map[string][]Link
	in  map[string][]Link
	n   int
}

// NewGraph builds a graph from links, dropping repeats of the same
// (from, to, kind, field) so a page lists each neighbour once.
func NewGraph(links []Link) *Graph {
	g := &Graph{out: map[string][]Link{}, in: map[string][]Link{}, n: len(links)}
	sort.SliceStable(links, func(i, j int) bool {
		a, b := links[i], links[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	type key struct{ from, to, field string }
	seen := map[key]bool{}
	for _, l := range links {
		k := key{l.From, l.To, string(l.Kind) + l.Field}
		if seen[k] {
			continue
		}
		seen[k] = true
		g.out[l.From] = append(g.out[l.From], l)
		g.in[l.To] = append(g.in[l.To], l)
	}
	return g
}

// Out returns the links from an item, sorted by target.
func (g *Graph) Out(id string) []Link { return g.out[id] }

// In returns the links to an item or organization (its backlinks), sorted
// by source.
func (g *Graph) In(id string) []Link { return g.in[id] }

// Count returns how many links were resolved, repeats included.
func (g *Graph) Count() int { return g.n }
