package build

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/testsite"
)

// BenchmarkBuild builds every portal of a synthetic 10,000-item site
// (generator/testsite): pages, assets, attachments, search index and
// runbooks. Run with: go test -run ^$ -bench Build -benchtime 3x ./generator/build
func BenchmarkBuild(b *testing.B) {
	b.Run("all", func(b *testing.B) { benchBuild(b, false) })
	b.Run("no-runbooks", func(b *testing.B) { benchBuild(b, true) })
}

func benchBuild(b *testing.B, noRunbooks bool) {
	root := b.TempDir()
	if err := testsite.Write(root, testsite.Options{Items: benchItems, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	s := openSite(b, root)
	out := filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		if res, err = Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, NoRunbooks: noRunbooks}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	pages, files := 0, 0
	for _, p := range res.Portals {
		pages += p.Pages
		files += p.Files
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(files), "files")
}

// benchItems is the size of the benchmark's site.
var benchItems = 10000
