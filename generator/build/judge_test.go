package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/portal"
)

// TestManifestFolderLinkedOutsideIsRefused plants a symbolic link as the
// output folder's .cairn/ (a hostile CI cache): the build reads no
// manifest through it, refuses before writing anything, and leaves the
// folder the link points to untouched.
func TestManifestFolderLinkedOutsideIsRefused(t *testing.T) {
	e := newEditedSite(t, 10, 3)
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(dir, "elsewhere")
	if err := os.Rename(filepath.Join(out, ManifestDir), elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(out, ManifestDir)); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, elsewhere)
	if m := readManifest(out, "internal", ModeAll); m != nil {
		t.Error("a manifest was read through the linked .cairn folder")
	}
	_, err := Build(context.Background(), s, e.options(s, out))
	want := "unsafe output folder: " + filepath.Join(out, ManifestDir) + " is a symbolic link, and cairn build keeps its manifests there: remove the link, or choose another output folder"
	if err == nil || !errors.Is(err, ErrOutput) || err.Error() != want {
		t.Errorf("build: %v\nwant %s", err, want)
	}
	sameTree(t, before, readTree(t, elsewhere))
}

// TestPortalListNamesStayInTheOutput gives UpToDate a hostile list of
// portals (under the right fingerprint) naming a folder beside the
// output, with a manifest and a marked folder there that would pass: it
// must not read them, and so not report the output up to date.
func TestPortalListNamesStayInTheOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	fp := portal.Key{7}
	for _, name := range []string{"../sib", "", ".", "..", "a/b", "/abs"} {
		t.Run(name, func(t *testing.T) {
			if err := os.MkdirAll(filepath.Join(out, ManifestDir), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := writePortalList(out, fp, ModeAll, []string{name}); err != nil {
				t.Fatal(err)
			}
			m := &manifest{Portal: name, Fingerprint: fp, Files: map[string]entry{}}
			p := manifestPath(out, name, ModeAll)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
				_ = os.WriteFile(p, []byte(strings.Join([]string{manifestVersion, "portal " + m.Portal, "fingerprint " + fp.String(), "volatile 0", ""}, "\n")), 0o644)
			}
			if err := os.MkdirAll(filepath.Join(out, name), 0o755); err == nil {
				_ = writeMarker(filepath.Join(out, name))
			}
			if up, _ := UpToDate(out, nil, fp, ModeAll); up {
				t.Errorf("portal list naming %q: up to date", name)
			}
			if up, _ := UpToDate(out, []string{name}, fp, ModeAll); up {
				t.Errorf("portal %q: up to date", name)
			}
		})
	}
}

// TestHugeManifestIsNotReadWhole gives the build a 300 MB manifest (a
// hostile or corrupt CI cache) whose header is right and whose body is
// zero bytes: it is foreign, and telling so must not read the file into
// memory (it allocated twice its size, and a build read it twice).
func TestHugeManifestIsNotReadWhole(t *testing.T) {
	out := t.TempDir()
	p := manifestPath(out, "internal", ModeAll)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	header := manifestVersion + "\nportal internal\nfingerprint " + portal.Key{1}.String() + "\nvolatile 0\n"
	if err := os.WriteFile(p, []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 300<<20); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := readManifest(out, "internal", ModeAll)
	runtime.ReadMemStats(&after)
	if m != nil {
		t.Error("a manifest of zero bytes was read as one")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("reading it allocated %d MiB, want at most 16", n>>20)
	}
}

// TestLinkedFolderInPortalIsNotFollowed plants, in a built portal folder,
// a symbolic link to a folder outside the output holding the very files
// the build made there: the next build must not hard-link (or read) them
// through the link, and still writes the clean build's bytes.
func TestLinkedFolderInPortalIsNotFollowed(t *testing.T) {
	e := newEditedSite(t, 10, 4)
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	s := e.load()
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	clean := readTree(t, out)
	entries, err := os.ReadDir(filepath.Join(out, "internal"))
	if err != nil {
		t.Fatal(err)
	}
	var sub string
	for _, d := range entries {
		if d.IsDir() && d.Name() != "static" {
			sub = d.Name()
			break
		}
	}
	outside := filepath.Join(dir, "outside")
	if err := os.Rename(filepath.Join(out, "internal", sub), outside); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(out, "internal", sub)); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, e.options(s, out)); err != nil {
		t.Fatal(err)
	}
	sameTree(t, clean, readTree(t, out))
	err = filepath.WalkDir(outside, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, nlink := inodeOf(t, p); nlink != 1 {
			t.Errorf("%s, outside the output, is linked into it", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
