package search_test

import (
	"bytes"
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
	views := []*access.View{view(b, s, "internal"), editedView(b, s)}
	var c search.Cache
	if _, _, err := c.Build(views[1]); err != nil {
		b.Fatal(err)
	}
	made, ops, start := 0, 0, cpuTime()
	for b.Loop() {
		made += cacheBuild(b, &c, views[ops%2])
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(made)/float64(ops), "parts-made/op")
}

// cacheBuild builds v's index through c and returns how many parts it
// made.
func cacheBuild(b *testing.B, c *search.Cache, v *access.View) int {
	_, st, err := c.Build(v)
	if err != nil {
		b.Fatal(err)
	}
	return st.Made
}

// editedView returns the internal portal's view of s with one item, in
// the middle, retitled and with another digest (as after an edit of its
// file).
func editedView(b *testing.B, s *model.Site) *access.View {
	items := append([]*model.Item(nil), s.Items...)
	edited := *items[len(items)/2]
	edited.Title += " (edited)"
	edited.Digest[0]++
	items[len(items)/2] = &edited
	s2 := model.NewSite(s.Root, s.Config, s.Access, s.Schemas, append([]*model.Org(nil), s.Orgs...), items, s.Templates, s.Files).WithGraph(s.Graph)
	return view(b, s2, "internal")
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

// BenchmarkLoadCacheOneChanged: what an incremental build in a new
// process pays for the index when one item changed: load the saved cache
// of the internal portal of the 10,000-item site (its size is reported),
// then build through it with one item edited (as in
// BenchmarkCacheOneChanged).
func BenchmarkLoadCacheOneChanged(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	var c search.Cache
	if _, _, err := c.Build(view(b, s, "internal")); err != nil {
		b.Fatal(err)
	}
	var saved bytes.Buffer
	if err := c.Save(&saved); err != nil {
		b.Fatal(err)
	}
	edited := editedView(b, s)
	ops, start := 0, cpuTime()
	for b.Loop() {
		c, err := search.LoadCache(bytes.NewReader(saved.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.Build(edited); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(saved.Len()), "cache-bytes")
}

// BenchmarkAllPortals: the indexes of every portal of the 10,000-item
// site, as cairn build makes them: each built alone, or through one
// Cache, so that portals share the parts of pages their audiences see
// alike.
func BenchmarkAllPortals(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	var views []*access.View
	for _, name := range access.Portals(s) {
		views = append(views, view(b, s, name))
	}
	for _, shared := range []bool{false, true} {
		name := "alone"
		if shared {
			name = "shared-cache"
		}
		b.Run(name, func(b *testing.B) {
			made, ops, start := 0, 0, cpuTime()
			for b.Loop() {
				var c search.Cache
				for _, v := range views {
					if !shared {
						mustBuild(b, v)
						continue
					}
					made += cacheBuild(b, &c, v)
				}
				ops++
			}
			reportCPU(b, start, ops)
			b.ReportMetric(float64(made)/float64(ops), "parts-made/op")
		})
	}
}
