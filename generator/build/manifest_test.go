package build

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/portal"
)

// TestScanInputsSkipsGitAndOutput scans a site holding a .git folder,
// its output folder and a symbolic link: the first two are not inputs,
// the link is hashed by its target's name without being followed.
func TestScanInputsSkipsGitAndOutput(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"cairn.toml", "content/acme/org.toml", ".git/HEAD", "public/internal/index.html", "public/.cairn/internal.all.manifest"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(root, "content", "acme", "link.toml")); err != nil {
		t.Fatal(err)
	}
	in, err := ScanInputs(context.Background(), root, filepath.Join(root, "public"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range in.Files {
		got = append(got, p)
	}
	sort.Strings(got)
	want := []string{"cairn.toml", "content/acme/link.toml", "content/acme/org.toml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if h := in.Files["content/acme/link.toml"].Hash; h != portal.Key(sha256Sum([]byte("link\x00/etc/passwd"))) {
		t.Error("the link is not hashed by its target's name")
	}
}

// TestFingerprintCoversItsInputs changes one input of the fingerprint at
// a time: each gives another fingerprint.
func TestFingerprintCoversItsInputs(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	base := func() *Inputs {
		return &Inputs{Tool: portal.Key{1}, Files: map[string]FileSum{"cairn.toml": {Size: 1, Hash: portal.Key{2}}}}
	}
	ref := base().Fingerprint(day, "abc", false, ModeAll)
	for name, fp := range map[string]portal.Key{
		"tool": func() portal.Key {
			in := base()
			in.Tool = portal.Key{9}
			return in.Fingerprint(day, "abc", false, ModeAll)
		}(),
		"file hash": func() portal.Key {
			in := base()
			in.Files["cairn.toml"] = FileSum{Size: 1, Hash: portal.Key{3}}
			return in.Fingerprint(day, "abc", false, ModeAll)
		}(),
		"new file": func() portal.Key {
			in := base()
			in.Files["x"] = FileSum{}
			return in.Fingerprint(day, "abc", false, ModeAll)
		}(),
		"as-of":  base().Fingerprint(day.AddDate(0, 0, 1), "abc", false, ModeAll),
		"commit": base().Fingerprint(day, "abd", false, ModeAll),
		"dirty":  base().Fingerprint(day, "abc", true, ModeAll),
		"mode":   base().Fingerprint(day, "abc", false, ModePages),
	} {
		if fp == ref {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if base().Fingerprint(day, "abc", false, ModeAll) != ref {
		t.Error("the same inputs give another fingerprint")
	}
}

// TestManifestRoundTrip writes a manifest with awkward paths and reads
// it back; one of another portal reads as none.
func TestManifestRoundTrip(t *testing.T) {
	out := t.TempDir()
	m := &manifest{Portal: "internal", Fingerprint: portal.Key{7}, Volatile: true, Files: map[string]entry{
		"index.html":                  {Key: portal.Key{1}, Hash: portal.Key{2}, Size: 3, MTime: 4},
		"files/a b\nc \"quoted\".pdf": {Key: portal.Key{5}, Hash: portal.Key{6}, Size: 7, MTime: -8},
	}}
	if err := m.write(out, ModeAll); err != nil {
		t.Fatal(err)
	}
	got := readManifest(out, "internal", ModeAll)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("read %+v, want %+v", got, m)
	}
	if err := os.Rename(manifestPath(out, "internal", ModeAll), manifestPath(out, "acme", ModeAll)); err != nil {
		t.Fatal(err)
	}
	if got := readManifest(out, "acme", ModeAll); got != nil {
		t.Errorf("a manifest of portal internal read as acme's: %+v", got)
	}
}
