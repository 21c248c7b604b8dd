package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
)

// keyed is one made file with its key.
type keyed struct {
	key  portal.Key
	data []byte
}

// options returns build options for the editor's site as loaded: git
// history and dates from its edits, the site scanned now.
func (e *editor) options(s *model.Site, out string) Options {
	e.t.Helper()
	in, err := ScanInputs(context.Background(), e.root, out)
	if err != nil {
		e.t.Fatal(err)
	}
	hist, changes := e.hist.forSite(s)
	return Options{Output: out, OutputOutsideSite: true, Today: asOf, Inputs: in, History: hist, Changes: expiry.ChangesFunc(changes)}
}

// renderAll makes every file of every portal of s, by portal/path.
func (e *editor) renderAll(s *model.Site) map[string]keyed {
	e.t.Helper()
	opts := e.options(s, "")
	theme, err := portal.LoadTheme(s.Root)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]keyed{}
	for _, n := range access.Portals(s) {
		v, err := access.NewView(s, n)
		if err != nil {
			e.t.Fatal(err)
		}
		files, err := PortalFiles(v, theme, opts)
		if err != nil {
			e.t.Fatal(err)
		}
		data, err := Render(context.Background(), files, 0)
		if err != nil {
			e.t.Fatal(err)
		}
		for i, f := range files {
			out[n+"/"+f.Path] = keyed{key: f.Key, data: data[i]}
		}
	}
	return out
}

// TestKeysSound is the property the incremental build rests on: after
// random edits to a generated site (field and body edits, title changes,
// new, deleted and renamed items, new links, access and archived
// changes, access.toml, organizations, attachments' bytes, with git
// history following the edits), every output file whose key did not
// change has the same bytes as before.
func TestKeysSound(t *testing.T) {
	seeds, steps := []int64{1, 2, 3}, 8
	if testing.Short() {
		seeds, steps = seeds[:1], 4
	}
	kept, changed := 0, 0
	for _, seed := range seeds {
		e := newEditedSite(t, 40, seed)
		s := e.load()
		if s == nil {
			t.Fatal("the generated site has check errors")
		}
		prev := e.renderAll(s)
		for step := 0; step < steps; step++ {
			what := e.edit()
			cur := e.renderAll(e.load())
			for p, c := range cur {
				old, ok := prev[p]
				if !ok || c.key.IsZero() {
					continue
				}
				if c.key != old.key {
					changed++
					continue
				}
				kept++
				if !bytes.Equal(c.data, old.data) {
					t.Errorf("seed %d, step %d (%s): %s kept its key, but its bytes changed", seed, step, what, p)
				}
			}
			prev = cur
		}
	}
	// Keys that never change, or always do, would prove nothing.
	if kept == 0 || changed == 0 {
		t.Errorf("%d files kept their keys and %d changed: want some of each", kept, changed)
	}
}

// TestIncrementalBuildMatchesClean builds a generated site again after
// each of a random sequence of edits into the same output folder and
// compares the whole tree with a clean build of the same site: they must
// be byte-identical, while the incremental build rewrites only some
// files.
func TestIncrementalBuildMatchesClean(t *testing.T) {
	seeds, steps := []int64{4, 5, 6}, 4
	if testing.Short() {
		seeds, steps = seeds[:1], 3
	}
	for _, seed := range seeds {
		e := newEditedSite(t, 40, seed)
		out := filepath.Join(t.TempDir(), "public")
		s := e.load()
		if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
			t.Fatal(err)
		}
		for step := 0; step < steps; step++ {
			var whats []string
			for i := 0; i <= step%3; i++ {
				whats = append(whats, e.edit())
			}
			s := e.load()
			res, err := Build(context.Background(), s, e.options(s, out))
			if err != nil {
				t.Fatal(err)
			}
			clean := filepath.Join(t.TempDir(), "public")
			if _, err := Build(context.Background(), s, e.options(s, clean)); err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprintf("seed%d/step%d", seed, step), func(t *testing.T) {
				sameTree(t, readTree(t, clean), readTree(t, out))
			})
			rewritten, files := 0, 0
			for _, p := range res.Portals {
				rewritten += p.Rewritten
				files += p.Files
			}
			if rewritten == files {
				t.Errorf("seed %d, step %d (%v): all %d files rewritten", seed, step, whats, files)
			}
		}
	}
}

// statOf returns a file's inode and modification time.
func statOf(t *testing.T, p string) (uint64, int64) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	ino, _ := inodeOf(t, p)
	return ino, fi.ModTime().UnixNano()
}

// TestUnchangedFilesKeepInodes edits one item's body and builds again:
// every file whose bytes did not change keeps its inode and modification
// time (it is linked, not rewritten), and the edited item's page is new.
func TestUnchangedFilesKeepInodes(t *testing.T) {
	e := newEditedSite(t, 30, 7)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	type st struct {
		ino   uint64
		mtime int64
	}
	stats := map[string]st{}
	for p := range before {
		ino, m := statOf(t, filepath.Join(out, p))
		stats[p] = st{ino, m}
	}
	var doc string
	for _, f := range e.files("item") {
		if filepath.Ext(f) == ".md" {
			doc = f
			break
		}
	}
	e.write(snapshot{}, doc, e.read(doc)+"\nOne more line.\n")
	s = e.load()
	res, err := Build(context.Background(), s, e.options(s, out))
	if err != nil {
		t.Fatal(err)
	}
	after := readTree(t, out)
	same, rewritten := 0, 0
	for p, data := range after {
		ino, m := statOf(t, filepath.Join(out, p))
		old, ok := stats[p]
		switch {
		case ok && bytes.Equal(before[p], data):
			same++
			if old.ino != ino || old.mtime != m {
				t.Errorf("%s: same bytes, but rewritten (inode %d to %d)", p, old.ino, ino)
			}
		default:
			rewritten++
			if ok && old.ino == ino {
				t.Errorf("%s: new bytes in the old inode: the previous output was changed in place", p)
			}
		}
	}
	got := 0
	for _, p := range res.Portals {
		got += p.Rewritten
	}
	if got != rewritten || rewritten == 0 || same == 0 {
		t.Errorf("Result says %d files rewritten; the tree has %d with new bytes and %d the same", got, rewritten, same)
	}
}

// TestHandEditedOutputIsRebuilt changes, adds and removes files in a
// built portal: the output is then not up to date, and a build with the
// same inputs puts back exactly a clean build's files.
func TestHandEditedOutputIsRebuilt(t *testing.T) {
	e := newEditedSite(t, 20, 8)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	opts := e.options(s, out)
	if _, err := Build(context.Background(), s, opts); err != nil {
		t.Fatal(err)
	}
	clean := readTree(t, out)
	fp := opts.Inputs.Fingerprint(opts.Today, opts.Commit, opts.Dirty, ModeAll)
	if up, _ := UpToDate(out, nil, fp, ModeAll); !up {
		t.Fatal("UpToDate is false right after a build")
	}
	for _, tc := range []struct {
		name string
		edit func(dir string) error
	}{
		{"changed page", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "index.html"), []byte("hand-edited"), 0o644)
		}},
		{"same size, other bytes", func(dir string) error {
			p := filepath.Join(dir, "index.html")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[len(b)-2] ^= 1
			return os.WriteFile(p, b, 0o644)
		}},
		{"extra file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "extra.html"), []byte("x"), 0o644)
		}},
		{"missing file", func(dir string) error { return os.Remove(filepath.Join(dir, "index.html")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.edit(filepath.Join(out, "internal")); err != nil {
				t.Fatal(err)
			}
			if up, _ := UpToDate(out, nil, fp, ModeAll); up {
				t.Error("UpToDate is true after the output was edited")
			}
			if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
				t.Fatal(err)
			}
			sameTree(t, clean, readTree(t, out))
		})
	}
}

// TestForeignManifestMeansFullBuild replaces a portal's manifest with
// garbage, another version's, and another portal's: the build then makes
// every file of that portal, and its output is a clean build's.
func TestForeignManifestMeansFullBuild(t *testing.T) {
	e := newEditedSite(t, 20, 9)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	clean := readTree(t, out)
	mine := manifestPath(out, "internal", ModeAll)
	other, err := os.ReadFile(manifestPath(out, "helpdesk", ModeAll))
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(mine)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"garbage":       []byte("\x00\x01 not a manifest"),
		"other version": bytes.Replace(good, []byte(manifestVersion), []byte("cairn-manifest 0"), 1),
		"other portal":  other,
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(mine, data, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Build(context.Background(), s, e.options(s, out))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range res.Portals {
				if p.Name == "internal" && p.Made != p.Files {
					t.Errorf("internal: %d of %d files made, want all", p.Made, p.Files)
				}
				if p.Name != "internal" && p.Made != 0 {
					t.Errorf("%s: %d files made, want none", p.Name, p.Made)
				}
			}
			sameTree(t, clean, readTree(t, out))
		})
	}
}

// copyTree copies a folder's regular files (new modification times, as a
// fresh checkout or a cache restored without times has).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCICache copies a site and its built output to new folders, every
// time different, as a CI job with a cached output folder sees them: the
// content hashes decide, so the output is up to date, and a build makes
// and rewrites nothing.
func TestCICache(t *testing.T) {
	e := newEditedSite(t, 20, 10)
	out := filepath.Join(t.TempDir(), "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	e2 := &editor{t: t, root: filepath.Join(t.TempDir(), "checkout"), hist: e.hist}
	copyTree(t, e.root, e2.root)
	out2 := filepath.Join(t.TempDir(), "cache", "public")
	copyTree(t, out, out2)
	in, err := ScanInputs(context.Background(), e2.root, out2)
	if err != nil {
		t.Fatal(err)
	}
	if up, _ := UpToDate(out2, nil, in.Fingerprint(asOf, "", false, ModeAll), ModeAll); !up {
		t.Error("UpToDate is false for a copied site and output")
	}
	s2 := e2.load()
	res, err := Build(context.Background(), s2, e2.options(s2, out2))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Portals {
		if p.Made != 0 || p.Rewritten != 0 {
			t.Errorf("%s: %d files made, %d rewritten, want none", p.Name, p.Made, p.Rewritten)
		}
	}
	sameTree(t, readTree(t, out), readTree(t, out2))
}

// TestRunbooksOnlyPairsWithNoRunbooks builds a site three ways: whole,
// without runbooks, and runbooks only. The last two merged are the whole
// build, file for file, and each keeps its own manifest.
func TestRunbooksOnlyPairsWithNoRunbooks(t *testing.T) {
	e := newEditedSite(t, 20, 11)
	s := e.load()
	full := filepath.Join(t.TempDir(), "full")
	pages := filepath.Join(t.TempDir(), "pages")
	books := filepath.Join(t.TempDir(), "books")
	for _, b := range []struct {
		out         string
		no, onlyRun bool
	}{{full, false, false}, {pages, true, false}, {books, false, true}} {
		opts := e.options(s, b.out)
		opts.NoRunbooks, opts.RunbooksOnly = b.no, b.onlyRun
		if _, err := Build(context.Background(), s, opts); err != nil {
			t.Fatal(err)
		}
	}
	merged := readTree(t, pages)
	runbooks := 0
	for p, data := range readTree(t, books) {
		if x, ok := merged[p]; ok && !bytes.Equal(x, data) {
			t.Errorf("%s: in both halves with different bytes", p)
		}
		if filepath.Ext(p) == ".pdf" {
			runbooks++
		}
		merged[p] = data
	}
	if runbooks == 0 {
		t.Error("the runbooks-only build has no runbooks")
	}
	sameTree(t, readTree(t, full), merged)
	for _, m := range []string{manifestPath(pages, "internal", ModePages), manifestPath(books, "internal", ModeRunbooks)} {
		if _, err := os.Stat(m); err != nil {
			t.Errorf("manifest: %v", err)
		}
	}
}
