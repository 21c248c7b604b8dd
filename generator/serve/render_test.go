package serve_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
// makes that item's page first, swaps it in and tells open pages before
// it makes anything else (and before it lists the portal's files, with
// Options.Items), and makes far fewer files than the portal has
// (the first build makes them all).
func TestEditedPageFirst(t *testing.T) {
	dir, cfg := newSite(t)
	todayFn := func() time.Time { return today }
	list := serve.PortalFiles(serve.RenderOptions{Today: todayFn})
	items := serve.PortalItems(serve.RenderOptions{Today: todayFn})
	var made []string
	listedAfter := -1 // how many files were made when the portal's files were last listed
	var mu sync.Mutex
	count := func(files []build.File) {
		for i := range files {
			f := files[i]
			files[i].Make = func(ctx context.Context) ([]byte, error) {
				mu.Lock()
				made = append(made, f.Path)
				mu.Unlock()
				return f.Make(ctx)
			}
		}
	}
	s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(serve.RenderOptions{Today: todayFn}), Today: todayFn,
		Files: func(st *model.Site, portal string) ([]build.File, error) {
			files, err := list(st, portal)
			count(files)
			mu.Lock()
			listedAfter = len(made)
			mu.Unlock()
			return files, err
		},
		Items: func(st *model.Site, portal string, ids []string) ([]build.File, error) {
			files, err := items(st, portal, ids)
			count(files)
			return files, err
		}})
	ctx := context.Background()
	full, err := s.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != full.Made || full.FirstReload == 0 {
		t.Fatalf("the first build made %d files, counted %d (first reload after %v)", full.Made, len(made), full.FirstReload)
	}
	made = nil
	setIP(t, cfg, "198.51.100.77")
	rel, _ := filepath.Rel(dir, cfg)
	res, err := s.RebuildFiles(ctx, []string{filepath.ToSlash(rel)})
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(rel), "content/"), ".toml")
	page := id + "/index.html"
	if len(made) == 0 || made[0] != page {
		t.Fatalf("files made: %v, want %s first", made, page)
	}
	if listedAfter != 1 {
		t.Errorf("the portal's files were listed after %d files were made, want after the edited page alone", listedAfter)
	}
	if res.Made != len(made) || res.Made*3 > full.Made {
		t.Errorf("made %d files (counted %d) after one edit; the portal has %d", res.Made, len(made), full.Made)
	}
	if res.FirstReload <= 0 || res.FirstReload > res.Took {
		t.Errorf("FirstReload = %v, Took = %v", res.FirstReload, res.Took)
	}
	if !slices.Contains(res.Changed, page) {
		t.Errorf("changed %v: not the edited page", res.Changed)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:8088/"+page, nil))
	if !bytes.Contains(rec.Body.Bytes(), []byte("198.51.100.77")) {
		t.Errorf("the served page does not show the new address")
	}
}
