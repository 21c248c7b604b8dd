package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
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

// TestGraphWithIsNewGraph checks that a graph patched with With, source
// by source, answers every question as NewGraph of all the links does:
// links replaced, added, repeated and removed, with sources that gain or
// lose every link.
func TestGraphWithIsNewGraph(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	ids := []string{"a", "b", "a/configurations/x", "a/configurations/y", "a/documents/z", "b/contacts/p", "b/contacts/q"}
	kinds := []LinkKind{LinkTag, LinkRelated, LinkWiki, LinkRelative, LinkFile, LinkUpload}
	random := func(from string) []Link {
		var out []Link
		for n := rng.IntN(5); n > 0; n-- {
			l := Link{From: from, To: ids[rng.IntN(len(ids))], Kind: kinds[rng.IntN(len(kinds))], Text: fmt.Sprint(rng.IntN(3))}
			if l.Kind.isFile() {
				l.To = fmt.Sprintf("a/files/f%d.pdf", rng.IntN(3))
			}
			if l.Kind == LinkTag {
				l.Field = fmt.Sprint("f", rng.IntN(2))
			}
			out = append(out, l)
		}
		return out
	}
	bySrc := map[string][]Link{}
	all := func() []Link {
		var out []Link
		for _, id := range ids {
			out = append(out, bySrc[id]...)
		}
		return out
	}
	for _, id := range ids {
		bySrc[id] = random(id)
	}
	g := NewGraph(all())
	for step := 0; step < 200; step++ {
		changed := map[string][]Link{}
		for n := 1 + rng.IntN(2); n > 0; n-- {
			id := ids[rng.IntN(len(ids))]
			changed[id] = random(id)
			bySrc[id] = changed[id]
		}
		g = g.With(changed)
		want := NewGraph(all())
		if g.Count() != want.Count() {
			t.Fatalf("step %d: Count = %d, want %d", step, g.Count(), want.Count())
		}
		for _, id := range ids {
			if !reflect.DeepEqual(g.Out(id), want.Out(id)) || !reflect.DeepEqual(g.In(id), want.In(id)) || !reflect.DeepEqual(g.Files(id), want.Files(id)) {
				t.Fatalf("step %d: links of %s: out %v in %v files %v, want %v %v %v", step, id, g.Out(id), g.In(id), g.Files(id), want.Out(id), want.In(id), want.Files(id))
			}
			for _, k := range []RefKind{RefID, RefPath, RefUpload} {
				for _, text := range []string{"0", "1", "2"} {
					gt, gok := g.Resolve(id, k, text)
					wt, wok := want.Resolve(id, k, text)
					if gt != wt || gok != wok {
						t.Fatalf("step %d: Resolve(%s, %d, %s) = %v %v, want %v %v", step, id, k, text, gt, gok, wt, wok)
					}
				}
			}
		}
	}
}
