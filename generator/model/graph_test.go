package model

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"testing"
)

func TestGraphIndexesEachLinkOnce(t *testing.T) {
	links := []Link{
		{From: "a/configurations/b", To: "a/locations/hq", Kind: LinkTag, Field: "location"},
		{From: "a/configurations/a", To: "a/locations/hq", Kind: LinkTag, Field: "location"},
		{From: "a/configurations/a", To: "a/locations/hq", Kind: LinkTag, Field: "location"}, // repeat
		{From: "a/configurations/a", To: "a/locations/hq", Kind: LinkRelated},                // another kind: kept
		{From: "a/configurations/a", To: "a", Kind: LinkWiki},
	}
	g := NewGraph(links)
	if g.Count() != 5 {
		t.Errorf("Count = %d, want 5 (repeats included)", g.Count())
	}
	var out []string
	for _, l := range g.Out("a/configurations/a") {
		out = append(out, l.To+" "+string(l.Kind))
	}
	if want := []string{"a wiki", "a/locations/hq tag", "a/locations/hq related"}; !reflect.DeepEqual(out, want) {
		t.Errorf("Out = %q, want %q", out, want)
	}
	var in []string
	for _, l := range g.In("a/locations/hq") {
		in = append(in, l.From+" "+string(l.Kind))
	}
	if want := []string{"a/configurations/a tag", "a/configurations/a related", "a/configurations/b tag"}; !reflect.DeepEqual(in, want) {
		t.Errorf("In = %q, want %q", in, want)
	}
	if g.Out("nothing") != nil || g.In("nothing") != nil {
		t.Error("unknown ids have links")
	}
}

func TestGraphRemembersHowEachReferenceResolved(t *testing.T) {
	g := NewGraph([]Link{
		{From: "a/documents/d", To: "a/configurations/sv1", Kind: LinkWiki, Text: "configurations/sv1"},
		{From: "a/documents/d", To: "a/configurations/sv1", Kind: LinkRelative, Text: "../configurations/sv1.toml"},
		{From: "a/documents/d", To: "a/files/lan map.pdf", Kind: LinkFile, Text: "../files/lan%20map.pdf"},
		{From: "a/assets/kit/k1", To: "a/files/lan map.pdf", Kind: LinkUpload, Field: "manual", Text: "lan map.pdf"},
		{From: "a/assets/kit/k1", To: "a", Kind: LinkTag, Field: "owner", Text: "a"},
	})
	for _, c := range []struct {
		from string
		kind RefKind
		text string
		want Target
		ok   bool
	}{
		{"a/documents/d", RefID, "configurations/sv1", Target{ID: "a/configurations/sv1"}, true},
		{"a/documents/d", RefPath, "../configurations/sv1.toml", Target{ID: "a/configurations/sv1"}, true},
		{"a/documents/d", RefPath, "../files/lan%20map.pdf", Target{File: "a/files/lan map.pdf"}, true},
		{"a/assets/kit/k1", RefUpload, "lan map.pdf", Target{File: "a/files/lan map.pdf"}, true},
		{"a/assets/kit/k1", RefID, "a", Target{ID: "a", Org: true}, true},
		// The same text read another way, or from another source, is another reference.
		{"a/documents/d", RefPath, "configurations/sv1", Target{}, false},
		{"a/documents/other", RefID, "configurations/sv1", Target{}, false},
	} {
		got, ok := g.Resolve(c.from, c.kind, c.text)
		if got != c.want || ok != c.ok {
			t.Errorf("Resolve(%s, %d, %q) = %+v, %v; want %+v, %v", c.from, c.kind, c.text, got, ok, c.want, c.ok)
		}
	}
	// Attachments are listed apart from links between items.
	if got := g.Files("a/documents/d"); !reflect.DeepEqual(got, []string{"a/files/lan map.pdf"}) {
		t.Errorf("Files = %q", got)
	}
	for _, l := range g.Out("a/documents/d") {
		if l.Kind == LinkFile {
			t.Errorf("Out lists a link to an attachment: %+v", l)
		}
	}
}

// TestGraphDropsRepeatsLikeAMap checks the graph's dedupe (a look back
// along each run of equal source and target) against the plain rule it
// implements, a set of every (from, to, field, kind) seen, on random
// links drawn from few values so that repeats, interleaved with other
// links, are common.
func TestGraphDropsRepeatsLikeAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 5))
	ids := []string{"a", "a/x", "a/y", "b/z"}
	fields := []string{"", "location", "owner"}
	kinds := []LinkKind{LinkTag, LinkRelated, LinkWiki, LinkRelative}
	for round := 0; round < 500; round++ {
		links := make([]Link, rng.IntN(40))
		for i := range links {
			links[i] = Link{From: ids[rng.IntN(len(ids))], To: ids[rng.IntN(len(ids))],
				Field: fields[rng.IntN(len(fields))], Kind: kinds[rng.IntN(len(kinds))], Text: strconv.Itoa(i)}
		}
		sorted := append([]Link(nil), links...)
		sort.SliceStable(sorted, func(i, j int) bool {
			if sorted[i].From != sorted[j].From {
				return sorted[i].From < sorted[j].From
			}
			return sorted[i].To < sorted[j].To
		})
		type key struct {
			from, to, field string
			kind            LinkKind
		}
		seen := map[key]bool{}
		var want []Link
		for _, l := range sorted {
			if k := (key{l.From, l.To, l.Field, l.Kind}); !seen[k] {
				seen[k] = true
				want = append(want, l)
			}
		}
		g := NewGraph(links)
		if !reflect.DeepEqual(g.links, want) && (len(g.links) != 0 || len(want) != 0) {
			t.Fatalf("round %d: links %+v, want %+v", round, g.links, want)
		}
		for _, id := range ids {
			var in []Link
			for _, l := range want {
				if l.To == id {
					in = append(in, l)
				}
			}
			if got := g.In(id); !reflect.DeepEqual(got, in) && (len(got) != 0 || len(in) != 0) {
				t.Fatalf("round %d: In(%s) = %+v, want %+v", round, id, got, in)
			}
		}
	}
}
