package build

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/search"
)

// dirsOf lists the folders below root, but ManifestDir's.
func dirsOf(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == ManifestDir && filepath.Dir(p) == root {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		dirs = append(dirs, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	return dirs
}

// TestRebuildRecyclesThePreviousFolder builds a generated site after
// edits into one output folder: from the third build on, a portal is
// staged in the folder of the build before last (its spare, the same
// folder), yet every build's files and folders are exactly a clean
// build's, though files and folders were added to the spare and to the
// portal folder, a file of the spare was changed, and the spare's
// manifest was removed before the last build. The spare holds only
// files the portal shows as they are.
func TestRebuildRecyclesThePreviousFolder(t *testing.T) {
	e := newEditedSite(t, 40, 8)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	name := access.Portals(s)[0]
	build := func(step string) {
		t.Helper()
		e.edit()
		s := e.load()
		if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		clean := filepath.Join(t.TempDir(), "public")
		if _, err := Build(context.Background(), s, e.options(s, clean)); err != nil {
			t.Fatal(err)
		}
		sameTree(t, readTree(t, clean), readTree(t, out))
		if got, want := strings.Join(dirsOf(t, out), " "), strings.Join(dirsOf(t, clean), " "); got != want {
			t.Errorf("%s: folders\n%s\nwant\n%s", step, got, want)
		}
	}
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	first, _ := statOf(t, filepath.Join(out, name))
	build("second build")
	spare, spareMan := sparePaths(out, name, ModeAll)
	if ino, _ := statOf(t, spare); ino != first {
		t.Fatalf("the spare is not the first build's folder")
	}
	// An output folder published whole must not serve, from the spare,
	// what the portal no longer shows: each file of the spare has the
	// bytes of the portal's file at the same path.
	cur := readTree(t, filepath.Join(out, name))
	for p, b := range readTree(t, spare) {
		if c, ok := cur[p]; !ok || !bytes.Equal(c, b) {
			t.Errorf("the spare's %s is not what the portal shows", p)
		}
	}

	// Things no build wrote, in the spare and in the portal folder (the
	// next build's spare).
	for _, p := range []string{
		filepath.Join(spare, "stray.html"),
		filepath.Join(spare, "stray", "index.html"),
		filepath.Join(spare, "search", "stray.json"),
		filepath.Join(out, name, "stray-in-portal.html"),
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("stray"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A changed file of the spare (a theme asset: its key stays), not in
	// place: the current folder's file, which it may share an inode
	// with, stays as it is.
	changed := filepath.Join(spare, "static", "cairn.css")
	if err := os.Remove(changed); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(changed, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}

	build("third build")
	if ino, _ := statOf(t, filepath.Join(out, name)); ino != first {
		t.Errorf("the third build did not stage into the first build's folder")
	}
	build("fourth build")

	if err := os.Remove(spareMan); err != nil {
		t.Fatal(err)
	}
	spareIno, _ := statOf(t, spare)
	build("fifth build, the spare's manifest missing")
	if ino, _ := statOf(t, filepath.Join(out, name)); ino == spareIno {
		t.Errorf("a spare without its manifest was staged into")
	}
}

// TestSearchPartsSavedPerPortal builds a generated site of several
// portals: each portal's saved search parts hold exactly what a cache
// that built that portal alone saves (nothing of another portal's
// pages), and a rebuild after an edit, which loads them, makes each
// changed portal's index from them byte for byte as a clean build.
func TestSearchPartsSavedPerPortal(t *testing.T) {
	e := newEditedSite(t, 40, 9)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	names := access.Portals(s)
	if len(names) < 2 {
		t.Fatalf("the generated site has %d portals, want several", len(names))
	}
	for _, n := range names {
		saved, err := os.ReadFile(searchCachePath(out, n, ModeAll))
		if err != nil {
			t.Fatal(err)
		}
		v, err := access.NewView(s, n)
		if err != nil {
			t.Fatal(err)
		}
		var alone search.Cache
		if _, _, err := alone.Build(v); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := alone.Save(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(saved, want.Bytes()) {
			t.Errorf("portal %s: its saved search parts are not those of its index alone", n)
		}
	}
	for step := 0; step < 2; step++ {
		e.edit()
		s := e.load()
		if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
			t.Fatal(err)
		}
		clean := filepath.Join(t.TempDir(), "public")
		if _, err := Build(context.Background(), s, e.options(s, clean)); err != nil {
			t.Fatal(err)
		}
		sameTree(t, readTree(t, clean), readTree(t, out))
	}
}
