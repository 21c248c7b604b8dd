package model

import (
	"sort"
	"strings"

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
	// LinkFile is a relative Markdown link to an attachment; its To is the
	// attachment's path below content/ ("acme/files/lan.pdf").
	LinkFile LinkKind = "file"
	// LinkUpload is an upload field's value; its To is the attachment's
	// path below content/.
	LinkUpload LinkKind = "upload"
)

// RefKind says how a reference's text is read: as an id, as a path
// relative to the file it is written in, or as a path below the
// organization's files/ folder.
type RefKind uint8

// The ways a reference is written.
const (
	RefID     RefKind = iota // a tag or related value, a [[wiki link]]
	RefPath                  // a relative [text](path) link
	RefUpload                // an upload field's value
)

// RefKind returns how the link's Text was read.
func (k LinkKind) RefKind() RefKind {
	switch k {
	case LinkRelative, LinkFile:
		return RefPath
	case LinkUpload:
		return RefUpload
	}
	return RefID
}

// isFile reports whether the link points to an attachment.
func (k LinkKind) isFile() bool { return k == LinkFile || k == LinkUpload }

// Link is one resolved link from an item to an item or organization.
type Link struct {
	From string // item id
	// To is an item id, or an organization slug for links to an org.
	To     string
	Anchor string // heading anchor, if any
	Kind   LinkKind
	Field  string // the tag field's name, for LinkTag
	// Text is the reference as it was written (a tag value, a wiki link's
	// target, a relative link's path without its #anchor): renderers find
	// the resolved link again by it, through Graph.Resolve.
	Text string
	Pos  diag.Pos
}

// Target is what a reference resolves to: an item, an organization or an
// attachment.
type Target struct {
	// ID is an item id or an organization slug; "" for an attachment.
	ID string
	// Org is true when ID is an organization slug.
	Org bool
	// File is an attachment's path below content/ ("acme/files/lan.pdf").
	File string
}

type refKey struct {
	from string
	kind RefKind
	text string
}

// Graph holds every resolved link of a site, by source and by target.
// Each link is stored once: the by-target index holds positions in the
// by-source list, which on a site of 100,000 items saves tens of
// megabytes.
//
// The graph is also the site's one record of how every reference
// resolved: the checker resolves each reference once (generator/resolve
// holds the rules), and renderers look the result up with Resolve instead
// of resolving again.
type Graph struct {
	links []Link             // deduplicated, sorted by source then target
	out   map[string][2]int  // source -> range of links
	in    map[string][]int32 // target -> positions in links, by source
	n     int

	refs  map[refKey]Target
	files map[string][]string // item id -> attachments it refers to, sorted
}

// NewGraph builds a graph from links, dropping repeats of the same
// (from, to, kind, field) so a page lists each neighbour once. Links to
// attachments (LinkFile, LinkUpload) are kept apart: Out and In list
// links between items and organizations only, Files the attachments.
// NewGraph takes links over (it sorts and filters them in place): the
// caller must not use the slice afterwards.
func NewGraph(links []Link) *Graph {
	g := &Graph{out: map[string][2]int{}, in: map[string][]int32{}, n: len(links),
		refs: make(map[refKey]Target, len(links)), files: map[string][]string{}}
	links = g.index(links)
	sort.SliceStable(links, func(i, j int) bool {
		a, b := links[i], links[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	// Repeats of a (from, to, field, kind) lie in one run of equal from
	// and to after the sort, so they are found by looking back along the
	// run instead of in a map of every link (tens of megabytes at 100,000
	// items). Runs are short: the links between two items. The links kept
	// are moved to the front of links (index's own slice), not copied.
	kept := links[:0]
	run := 0 // the first link of kept with the current from and to
	for _, l := range links {
		if n := len(kept); n == 0 || kept[n-1].From != l.From || kept[n-1].To != l.To {
			run = n
		} else if repeats(kept[run:], l) {
			continue
		}
		kept = append(kept, l)
	}
	clear(links[len(kept):])
	if len(kept) < cap(kept)*7/8 {
		kept = append([]Link(nil), kept...) // many repeats: hold no more than needed
	}
	g.links = kept
	for i, l := range g.links {
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

// repeats reports whether run holds a link with l's field and kind.
func repeats(run []Link, l Link) bool {
	for _, r := range run {
		if r.Field == l.Field && r.Kind == l.Kind {
			return true
		}
	}
	return false
}

// index records every link's reference and attachment, and returns the
// links between items and organizations, moved to the front of links.
func (g *Graph) index(links []Link) []Link {
	rest := links[:0]
	seenFile := map[[2]string]bool{}
	for _, l := range links {
		t := Target{ID: l.To, Org: !strings.Contains(l.To, "/")}
		if l.Kind.isFile() {
			t = Target{File: l.To}
			if k := [2]string{l.From, l.To}; !seenFile[k] {
				seenFile[k] = true
				g.files[l.From] = append(g.files[l.From], l.To)
			}
		} else {
			rest = append(rest, l)
		}
		g.refs[refKey{l.From, l.Kind.RefKind(), l.Text}] = t
	}
	for _, fs := range g.files {
		sort.Strings(fs)
	}
	return rest
}

// Resolve returns what a reference written in from (an item id, or an
// organization slug for its quick notes) resolved to, and false when the
// checker resolved no such reference (it is broken, or was never
// checked). text is the reference as written, as in Link.Text.
func (g *Graph) Resolve(from string, kind RefKind, text string) (Target, bool) {
	t, ok := g.refs[refKey{from, kind, text}]
	return t, ok
}

// Files returns the attachments an item refers to, by upload fields and
// relative links, as paths below content/, sorted. The slice must not be
// modified.
func (g *Graph) Files(id string) []string { return g.files[id] }

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
