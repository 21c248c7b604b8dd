package model

import (
	"slices"
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

// Graph holds every resolved link of a site, by source and by target.
// Each link is stored once, with the links of its source: the by-target
// index points into them.
//
// The graph is also the site's one record of how every reference
// resolved: the checker resolves each reference once (generator/resolve
// holds the rules), and renderers look the result up with Resolve instead
// of resolving again.
//
// A graph is never modified: With makes a new one that shares the
// unchanged sources with it.
type Graph struct {
	src map[string]*source   // source (item id or org slug) -> its links
	in  map[string][]backref // target -> links to it, by source
	n   int
}

// source is the links of one item or organization.
type source struct {
	from  string
	links []Link      // deduplicated, sorted by target
	refs  []ref       // how each reference resolved, each text once
	refAt map[ref]int // the index of each ref (with no Target), when there are many
	files []string
	n     int // links given, repeats included
}

// ref is how one reference of a source resolved.
type ref struct {
	kind RefKind
	text string
	t    Target
}

// backref is one link to a target: the i-th link of a source.
type backref struct {
	src *source
	i   int32
}

// NewGraph builds a graph from links, dropping repeats of the same
// (from, to, kind, field) so a page lists each neighbour once. Links to
// attachments (LinkFile, LinkUpload) are kept apart: Out and In list
// links between items and organizations only, Files the attachments.
// NewGraph sorts links in place, and keeps none of them: a caller that
// needs the order it gave must pass a copy. (Copying here cost a third
// copy of every link at the peak of a 100,000-item check.)
func NewGraph(links []Link) *Graph {
	sort.SliceStable(links, func(i, j int) bool { return links[i].From < links[j].From })
	g := &Graph{src: map[string]*source{}, in: map[string][]backref{}, n: len(links)}
	for i := 0; i < len(links); {
		j := i + 1
		for j < len(links) && links[j].From == links[i].From {
			j++
		}
		s := newSource(links[i].From, links[i:j:j])
		g.src[s.from] = s
		for k, l := range s.links {
			g.in[l.To] = append(g.in[l.To], backref{s, int32(k)})
		}
		i = j
	}
	return g
}

// newSource indexes the links of one source, given in the order they
// were written. It sorts links in place.
func newSource(from string, links []Link) *source {
	s := &source{from: from, n: len(links)}
	for _, l := range links {
		t := Target{ID: l.To, Org: !strings.Contains(l.To, "/")}
		if l.Kind.isFile() {
			t = Target{File: l.To}
			if !slices.Contains(s.files, l.To) {
				s.files = append(s.files, l.To)
			}
		}
		s.setRef(ref{kind: l.Kind.RefKind(), text: l.Text, t: t})
	}
	sort.Strings(s.files)
	sort.SliceStable(links, func(i, j int) bool { return links[i].To < links[j].To })
	type key struct {
		to, field string
		kind      LinkKind
	}
	var seen map[key]bool // for sources with many links only
	for _, l := range links {
		if l.Kind.isFile() {
			continue
		}
		k := key{l.To, l.Field, l.Kind}
		dup := false
		if len(s.links) < 32 {
			for _, o := range s.links {
				if o.To == k.to && o.Field == k.field && o.Kind == k.kind {
					dup = true
					break
				}
			}
		} else {
			if seen == nil {
				seen = make(map[key]bool, len(links))
				for _, o := range s.links {
					seen[key{o.To, o.Field, o.Kind}] = true
				}
			}
			dup = seen[k]
			seen[k] = true
		}
		if !dup {
			s.links = append(s.links, l)
		}
	}
	s.links = slices.Clip(s.links)
	return s
}

// setRef records how a reference resolved; a later one of the same text
// wins. A source with many references gets an index of them.
func (s *source) setRef(r ref) {
	if i, ok := s.refIndex(r.kind, r.text); ok {
		s.refs[i] = r
		return
	}
	s.refs = append(s.refs, r)
	switch {
	case len(s.refs) == 32:
		s.refAt = make(map[ref]int, 64)
		for i, x := range s.refs {
			s.refAt[ref{kind: x.kind, text: x.text}] = i
		}
	case s.refAt != nil:
		s.refAt[ref{kind: r.kind, text: r.text}] = len(s.refs) - 1
	}
}

// refIndex returns the position of a reference in s.refs.
func (s *source) refIndex(kind RefKind, text string) (int, bool) {
	if s.refAt != nil {
		i, ok := s.refAt[ref{kind: kind, text: text}]
		return i, ok
	}
	for i := range s.refs {
		if s.refs[i].kind == kind && s.refs[i].text == text {
			return i, true
		}
	}
	return 0, false
}

// With returns a graph whose links from each source in changed (an item
// id or organization slug) are changed[from] instead of g's: none, for an
// item or organization that is gone. The links of other sources are
// shared with g, which is not modified. The result is the graph NewGraph
// makes of all the links.
func (g *Graph) With(changed map[string][]Link) *Graph {
	n := &Graph{src: make(map[string]*source, len(g.src)+len(changed)), in: make(map[string][]backref, len(g.in)), n: g.n}
	for k, v := range g.src {
		n.src[k] = v
	}
	for k, v := range g.in {
		n.in[k] = v
	}
	targets := map[string]bool{}
	added := map[string][]backref{} // the changed sources' links, by target
	for from, links := range changed {
		if old := n.src[from]; old != nil {
			n.n -= old.n
			for _, l := range old.links {
				targets[l.To] = true
			}
			delete(n.src, from)
		}
		if len(links) == 0 {
			continue
		}
		s := newSource(from, slices.Clone(links))
		n.src[from] = s
		n.n += s.n
		for i, l := range s.links {
			targets[l.To] = true
			added[l.To] = append(added[l.To], backref{s, int32(i)})
		}
	}
	// Rebuild the backlinks of every target a changed source linked to,
	// or links to now, in source order (one pass over the changed
	// sources above, not one per target: a schema edit changes
	// hundreds).
	for to := range targets {
		var refs []backref
		for _, b := range g.in[to] {
			if _, ok := changed[b.src.from]; !ok {
				refs = append(refs, b)
			}
		}
		refs = append(refs, added[to]...)
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].src.from < refs[j].src.from })
		if len(refs) == 0 {
			delete(n.in, to)
			continue
		}
		n.in[to] = refs
	}
	return n
}

// Resolve returns what a reference written in from (an item id, or an
// organization slug for its quick notes) resolved to, and false when the
// checker resolved no such reference (it is broken, or was never
// checked). text is the reference as written, as in Link.Text.
func (g *Graph) Resolve(from string, kind RefKind, text string) (Target, bool) {
	s := g.src[from]
	if s == nil {
		return Target{}, false
	}
	if i, ok := s.refIndex(kind, text); ok {
		return s.refs[i].t, true
	}
	return Target{}, false
}

// Files returns the attachments an item refers to, by upload fields and
// relative links, as paths below content/, sorted. The slice must not be
// modified.
func (g *Graph) Files(id string) []string {
	if s := g.src[id]; s != nil {
		return s.files
	}
	return nil
}

// Out returns the links from an item, sorted by target. The slice must
// not be modified.
func (g *Graph) Out(id string) []Link {
	s := g.src[id]
	if s == nil || len(s.links) == 0 {
		return nil
	}
	return s.links[:len(s.links):len(s.links)]
}

// In returns the links to an item or organization (its backlinks), sorted
// by source.
func (g *Graph) In(id string) []Link {
	refs := g.in[id]
	if len(refs) == 0 {
		return nil
	}
	out := make([]Link, len(refs))
	for j, b := range refs {
		out[j] = b.src.links[b.i]
	}
	return out
}

// Count returns how many links were resolved, repeats included.
func (g *Graph) Count() int { return g.n }
