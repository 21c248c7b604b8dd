package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/site"
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

// BenchmarkRebuildNoChange is what cairn build does when nothing changed
// since the last build of a 10,000-item site: scan the site (sizes and
// times; hashes cached in the output folder), compare the fingerprint and
// check the output against its manifests. No load, check or render.
// Run with: go test -run ^$ -bench Rebuild -benchtime 5x ./generator/build
func BenchmarkRebuildNoChange(b *testing.B) {
	root, out := benchBuilt(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, err := ScanInputs(context.Background(), root, out)
		if err != nil {
			b.Fatal(err)
		}
		if up, _ := UpToDate(out, nil, in.Fingerprint(asOf, "", false, ModeAll), ModeAll); !up {
			b.Fatal("not up to date")
		}
	}
}

// BenchmarkRebuildOneChange edits one item of a 10,000-item site and
// rebuilds: scan, load and check the whole site, key every file, make the
// few whose keys changed (the item's page, its neighbours, its list and
// organization pages, the search index, calendar and the organization's
// runbook) and link the rest. The load/check part is reported apart, as
// load-ms.
func BenchmarkRebuildOneChange(b *testing.B) {
	root, out := benchBuilt(b)
	var item string
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && item == "" && !d.IsDir() && strings.HasSuffix(p, ".md") {
			item = p
		}
		return err
	})
	if err != nil || item == "" {
		b.Fatalf("no Markdown item to edit: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var load time.Duration
	for i := 0; i < b.N; i++ {
		f, err := os.OpenFile(item, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(f, "\nEdit %d.\n", i)
		f.Close()
		start := time.Now()
		in, err := ScanInputs(context.Background(), root, out)
		if err != nil {
			b.Fatal(err)
		}
		res, err := site.Open(context.Background(), root, asOf)
		if err != nil || res.Diags.Err() != nil {
			b.Fatalf("load: %v %v", err, res.Diags.Err())
		}
		load += time.Since(start)
		r, err := Build(context.Background(), res.Site, Options{Output: out, OutputOutsideSite: true, Today: asOf, Inputs: in})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			for _, p := range r.Portals {
				b.Logf("%s: %d of %d files rewritten, %d made", p.Name, p.Rewritten, p.Files, p.Made)
			}
		}
	}
	b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
}

// benchBuilt writes the benchmark site and builds it once, runbooks and
// all, returning the site and output folders.
func benchBuilt(b *testing.B) (root, out string) {
	root = b.TempDir()
	if err := testsite.Write(root, testsite.Options{Items: benchItems, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	s := openSite(b, root)
	out = filepath.Join(b.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf}); err != nil {
		b.Fatal(err)
	}
	return root, out
}
