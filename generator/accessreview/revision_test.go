package accessreview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/testsite"
)

func TestSafePath(t *testing.T) {
	for p, want := range map[string]bool{
		"content/acme/org.toml":         true,
		"content/acme/../../etc/x":      false,
		"../x":                          false,
		"/etc/passwd":                   false,
		"content//x":                    false,
		"content/./x":                   false,
		"content/.git/config":           false,
		"content/.GIT/config":           false,
		`content\..\x`:                  false,
		"content/a\x00b":                false,
		"":                              false,
		"content/acme/passwords/a.toml": true,
	} {
		if got := safePath(p); got != want {
			t.Errorf("safePath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestWanted(t *testing.T) {
	for p, want := range map[string]bool{
		"cairn.toml":                            true,
		"access.toml":                           true,
		"schemas/backup.toml":                   true,
		"checklists/onboarding.md":              true,
		"content/acme/org.toml":                 true,
		"content/acme/passwords/a.sops.yaml":    true,
		"content/acme/documents/files/notes.md": true, // a document folder named files
		"content/acme/files/lan.pdf":            false,
		"content/acme/files/sub/lan.pdf":        false,
		"themes/default/page.html":              false,
		"README.md":                             false,
		".sops.yaml":                            false,
		"public/internal/index.html":            false,
	} {
		if got := wanted(p); got != want {
			t.Errorf("wanted(%q) = %v, want %v", p, got, want)
		}
	}
}

// commitSymlink commits a symbolic link at name pointing to target.
func commitSymlink(t *testing.T, dir, name, target string) {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add(name); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Ann", Email: "ann@example.com", When: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	if _, err := wt.Commit("Link", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
}

// TestAtRevisionLeavesOutLinks: a symbolic link committed in content is
// not written (it is neither followed nor recreated), as the loader would
// refuse it.
func TestAtRevisionLeavesOutLinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "outside.toml")
	if err := os.WriteFile(secret, []byte("name = \"outside\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CommitFiles(dir, "Ann", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "Start", map[string]string{
		"cairn.toml":                           "title = \"T\"\n",
		"access.toml":                          "[groups.a]\norgs = [\"*\"]\n\n[portals.a]\ngroups = [\"a\"]\n",
		"content/acme/org.toml":                "name = \"Acme\"\n",
		"content/acme/configurations/sv1.toml": "name = \"sv1\"\n",
	}); err != nil {
		t.Fatal(err)
	}
	commitSymlink(t, dir, "content/acme/configurations/evil.toml", secret)
	var ids []string
	err := AtRevision(context.Background(), dir, "HEAD", func(s *model.Site) error {
		for _, it := range s.Items {
			ids = append(ids, it.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, " ") != "acme/configurations/sv1" {
		t.Errorf("items at HEAD: %v", ids)
	}
}

// TestAtRevisionRefusesOversizedFiles: a source file over the loader's
// limit at the revision stops the review with the file's name.
func TestAtRevisionRefusesOversizedFiles(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.CommitFiles(dir, "Ann", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "Start", map[string]string{
		"cairn.toml":                         "title = \"T\"\n",
		"access.toml":                        "",
		"content/acme/org.toml":              "name = \"Acme\"\n",
		"content/acme/documents/huge.md":     strings.Repeat("x", sitefs.MaxSourceFile+1),
		"content/acme/files/big-is-fine.bin": strings.Repeat("x", sitefs.MaxSourceFile+1),
	}); err != nil {
		t.Fatal(err)
	}
	called := false
	err := AtRevision(context.Background(), dir, "HEAD", func(*model.Site) error { called = true; return nil })
	if err == nil || err.Error() != "--since HEAD: content/acme/documents/huge.md is larger than 4 MiB at that revision" || called {
		t.Errorf("err %v, called %v", err, called)
	}
}
