package serve_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/serve"
	"github.com/cairn-it/cairn/generator/site"
)

// TestPortalRendererMatchesBuild: what serve renders in memory is, file
// for file and byte for byte, what cairn build writes; runbooks are made
// on request instead, and are valid PDFs.
func TestPortalRendererMatchesBuild(t *testing.T) {
	dir, _ := newSite(t)
	ctx := context.Background()
	res, err := site.Open(ctx, dir, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Diags.Err(); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	if _, err := build.Build(ctx, res.Site, build.Options{Output: outDir, OutputOutsideSite: true, Portals: []string{"internal"}, Today: today}); err != nil {
		t.Fatal(err)
	}
	render := serve.PortalRenderer(serve.RenderOptions{Today: func() time.Time { return today }})
	out, err := render(ctx, res.Site, "internal")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(outDir, "internal")
	seen := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == build.MarkerFile {
			return nil // build's own mark on the folder, not a file of the portal
		}
		want, _ := os.ReadFile(p)
		if lazy := out.Lazy[rel]; lazy != nil {
			seen[rel] = true
			got, err := lazy(ctx)
			if err != nil || !bytes.HasPrefix(got, []byte("%PDF-")) {
				t.Errorf("%s: made on request: %v %.10q", rel, err, got)
			}
			return nil
		}
		got, ok := out.Files[rel]
		switch {
		case !ok:
			t.Errorf("%s: written by build, not rendered by serve", rel)
		case !bytes.Equal(got, want):
			t.Errorf("%s: serve renders %d bytes, build wrote %d different ones", rel, len(got), len(want))
		}
		seen[rel] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p := range out.Files {
		if !seen[p] {
			t.Errorf("%s: rendered by serve, not written by build", p)
		}
	}
	if len(seen) < 40 || !seen["index.html"] || !seen["search/index.js"] || !seen["static/search.js"] {
		t.Errorf("only %d files compared", len(seen))
	}
	for p := range out.Lazy {
		if !strings.HasPrefix(p, "runbooks/") || !seen[p] {
			t.Errorf("lazy file %s: not a runbook build wrote", p)
		}
	}
}

// TestEditedPageFirst: after a configuration file changes, RebuildFiles
// swaps in that item's page (rendered alone) before rendering the whole
// portal, and the page it swapped in first is byte for byte the one the
// full render gives.
func TestEditedPageFirst(t *testing.T) {
	dir, cfg := newSite(t)
	todayFn := func() time.Time { return today }
	var asked []string
	var first map[string][]byte
	pages := serve.PortalPages(serve.RenderOptions{Today: todayFn})
	s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(serve.RenderOptions{Today: todayFn}), Today: todayFn,
		Pages: func(ctx context.Context, st *model.Site, portal string, paths []string) (map[string][]byte, error) {
			asked = append(asked, paths...)
			out, err := pages(ctx, st, portal, paths)
			first = out
			return out, err
		}})
	ctx := context.Background()
	if _, err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if asked != nil {
		t.Fatalf("a plain Rebuild rendered single pages first: %v", asked)
	}
	setIP(t, cfg, "198.51.100.77")
	rel, _ := filepath.Rel(dir, cfg)
	res, err := s.RebuildFiles(ctx, []string{filepath.ToSlash(rel)})
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(rel), "content/"), ".toml")
	page := id + "/index.html"
	if len(asked) != 1 || asked[0] != page {
		t.Fatalf("single pages rendered first: %v, want [%s]", asked, page)
	}
	if res.FirstReload <= 0 || res.FirstReload > res.Took {
		t.Errorf("FirstReload = %v, Took = %v", res.FirstReload, res.Took)
	}
	if !bytes.Contains(first[page], []byte("198.51.100.77")) {
		t.Errorf("the page rendered first does not show the new address")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:8088/"+page, nil))
	if got, want := rec.Body.Bytes(), serve.Inject(first[page], res.Gen); !bytes.Equal(got, want) {
		t.Errorf("the fully rebuilt page differs from the one rendered first")
	}
}
