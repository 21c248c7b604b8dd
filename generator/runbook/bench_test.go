package runbook

import (
	"context"
	"io"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// BenchmarkRunbook makes the book of one organization of 1,000 items
// (generator/testsite), as the internal portal sees it.
func BenchmarkRunbook(b *testing.B) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 1000, Orgs: 1, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	res, err := site.Open(context.Background(), dir, asOf)
	if err != nil {
		b.Fatal(err)
	}
	// Rendering does not depend on the check's verdict (the CLI refuses a
	// site with errors; Write renders what the model holds), so problems
	// the generator and the checker disagree on do not stop the benchmark.
	if n, _ := res.Diags.Count(); n > 0 {
		b.Logf("note: the generated site has %d check errors", n)
	}
	v, err := access.NewView(res.Site, "internal")
	if err != nil {
		b.Fatal(err)
	}
	org := res.Site.Orgs[0].Slug
	if n := len(v.OrgItems(org)); n != 1000 {
		b.Fatalf("organization %s has %d items, want 1000", org, n)
	}
	opts := Options{Portal: "internal", AsOf: asOf, Commit: "abc1234", IncludeArchived: true}
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		w := &countWriter{}
		if err := Write(context.Background(), w, v, org, opts); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size)/1024, "KB/book")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return io.Discard.Write(p)
}
