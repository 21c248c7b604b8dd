package search_test

import (
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/search"
)

// reportCPU reports the CPU time per operation since start (cpuTime), as
// "cpu-ms/op", beside the wall time the benchmark reports.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(ops), "cpu-ms/op")
}

// BenchmarkAssembleOneChanged: the internal portal of the 10,000-item
// site, its parts made once; each operation makes one item's part again
// (as after an edit of that item) and assembles the index from it and
// the 10,000 others.
func BenchmarkAssembleOneChanged(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	v := view(b, s, "internal")
	pages := search.Pages(v)
	parts := make([]*search.Part, len(pages))
	for i, p := range pages {
		parts[i] = search.NewPart(v, p)
	}
	changed := len(pages) / 2
	for pages[changed].Item == nil {
		changed++
	}
	var out []byte
	ops, start := 0, cpuTime()
	for b.Loop() {
		parts[changed] = search.NewPart(v, pages[changed])
		if out, err = search.Assemble(parts); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(len(out)), "index-bytes")
}

// BenchmarkCacheOneChanged: what a rebuild through a Cache costs when one
// item changed: the internal portal of the 10,000-item site, alternately
// as loaded and with one item retitled (another digest, as after an edit
// of its file). Each operation keys every page, makes one part and
// assembles the index.
func BenchmarkCacheOneChanged(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	items := append([]*model.Item(nil), s.Items...)
	edited := *items[len(items)/2]
	edited.Title += " (edited)"
	edited.Digest[0]++
	items[len(items)/2] = &edited
	s2 := model.NewSite(s.Root, s.Config, s.Access, s.Schemas, append([]*model.Org(nil), s.Orgs...), items, s.Templates, s.Files).WithGraph(s.Graph)
	views := []*access.View{view(b, s, "internal"), view(b, s2, "internal")}
	var c search.Cache
	if _, _, err := c.Build(views[1]); err != nil {
		b.Fatal(err)
	}
	made, ops, start := 0, 0, cpuTime()
	for b.Loop() {
		_, st, err := c.Build(views[ops%2])
		if err != nil {
			b.Fatal(err)
		}
		made += st.Made
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(made)/float64(ops), "parts-made/op")
}

// BenchmarkIndexKey: the key of the internal portal's whole index at
// 10,000 items, what an incremental build compares to skip the index.
func BenchmarkIndexKey(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	v := view(b, s, "internal")
	ops, start := 0, cpuTime()
	for b.Loop() {
		search.IndexKey(v)
		ops++
	}
	reportCPU(b, start, ops)
}
