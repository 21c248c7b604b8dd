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

	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/testsite"
)

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
// left out (never followed), as the loader leaves it out of a work tree.
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
	r, err := AtRevision(context.Background(), dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(r.items); strings.Join(got, " ") != "acme/configurations/sv1" {
		t.Errorf("items at HEAD: %v", got)
	}
}

// TestAtRevisionRefusesOversizedFiles: a source file over the loader's
// limit at the revision stops the review with the file's name (the tree
// refuses it before reading it: gitrev's TestTreeFS); an attachment of
// that size is within its own limit.
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
	r, err := AtRevision(context.Background(), dir, "HEAD")
	if err == nil || err.Error() != "--since HEAD: the site at that revision cannot be reviewed: content/acme/documents/huge.md: is too large: the limit is 4 MiB" || r != nil {
		t.Errorf("err %v, review %v", err, r)
	}
}

// TestAtRevisionRefusesLinkedContent: content/ committed as a symbolic
// link is not followed, and the review stops rather than report that
// every audience lost every item.
func TestAtRevisionRefusesLinkedContent(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	if err := testsite.CommitFiles(dir, "Ann", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "Start", map[string]string{
		"cairn.toml":  "title = \"T\"\n",
		"access.toml": "",
	}); err != nil {
		t.Fatal(err)
	}
	commitSymlink(t, dir, "content", elsewhere)
	r, err := AtRevision(context.Background(), dir, "HEAD")
	want := "--since HEAD: the site at that revision cannot be reviewed: content: content/ is a symbolic link; symbolic links are not followed in content/"
	if err == nil || err.Error() != want || r != nil {
		t.Errorf("err %v, review %v\nwant %s", err, r, want)
	}
}
