package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/testsite"
)

// TestBuildIncremental runs cairn build twice on a generated site: the
// second run says nothing changed (it loads nothing); after an edit it
// builds again and says how many files it rewrote.
func TestBuildIncremental(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := testsite.Write(dir, testsite.Options{Items: 20, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "www")
	build := func() string {
		t.Helper()
		code, _, stderr := cli(t, "-C", dir, "build", "--no-runbooks", "--today", "2026-11-23", "-o", out)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
		return stderr
	}
	if got := build(); !strings.Contains(got, "files rewritten") || strings.Contains(got, "nothing changed") {
		t.Errorf("first build:\n%s", got)
	}
	if got := build(); !strings.Contains(got, "nothing changed since the last build: 0 of ") {
		t.Errorf("second build, nothing changed:\n%s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "msp", "org.toml"), append(readBytes(t, filepath.Join(dir, "content", "msp", "org.toml")), "\n# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := build(); strings.Contains(got, "nothing changed") || !strings.Contains(got, "built portal internal") {
		t.Errorf("build after an edit:\n%s", got)
	}
}

func readBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBuildRunbooksOnly writes only runbooks (and each portal's marker),
// and refuses --runbooks-only with --no-runbooks.
func TestBuildRunbooksOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := testsite.Write(dir, testsite.Options{Items: 10, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "www")
	if code, _, stderr := cli(t, "-C", dir, "build", "--runbooks-only", "--no-runbooks", "-o", out); code != exitUsage || !strings.Contains(stderr, "--no-runbooks and --runbooks-only are the two halves of a build") {
		t.Errorf("both flags: exit %d, stderr %s", code, stderr)
	}
	if code, _, stderr := cli(t, "-C", dir, "build", "--runbooks-only", "--portal", "internal", "--today", "2026-11-23", "-o", out); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	pdfs := 0
	err := filepath.WalkDir(filepath.Join(out, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(out, "internal"), p)
		switch {
		case strings.HasPrefix(rel, "runbooks"+string(filepath.Separator)) && strings.HasSuffix(rel, ".pdf"):
			pdfs++
		case rel == ".cairn-portal":
		default:
			t.Errorf("--runbooks-only wrote %s", rel)
		}
		return nil
	})
	if err != nil || pdfs == 0 {
		t.Errorf("%d runbooks (%v)", pdfs, err)
	}
}
