package model

import (
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
