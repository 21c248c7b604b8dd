package gitrev

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/testsite"
)

type repo struct {
	t   *testing.T
	dir string
	r   *git.Repository
	n   int
}

func newRepo(t *testing.T) *repo {
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: "refs/heads/main"}})
	if err != nil {
		t.Fatal(err)
	}
	return &repo{t: t, dir: dir, r: r}
}

func (r *repo) write(rel, text string) {
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(msg string) plumbing.Hash {
	r.t.Helper()
	wt, err := r.r.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatal(err)
	}
	r.n++
	who := &object.Signature{Name: "Alice", Email: "a@example.com", When: time.Date(2026, 1, r.n, 9, 0, 0, 0, time.UTC)}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: who, Committer: who})
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *repo) checkout(branch string, create bool) {
	wt, _ := r.r.Worktree()
	if err := wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(branch), Create: create}); err != nil {
		r.t.Fatal(err)
	}
}

func TestDefaultBranchAndMergeBase(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "1\n")
	fork := r.commit("one")
	r.checkout("topic", true)
	r.write("a.txt", "2\n")
	r.commit("two on topic")
	r.checkout("main", false)
	r.write("b.txt", "3\n")
	r.commit("three on main")
	r.checkout("topic", false)

	g, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	branch, err := g.DefaultBranch()
	if err != nil || branch != "main" {
		t.Fatalf("DefaultBranch = %q, %v; want main", branch, err)
	}
	head, err := g.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	main, err := g.Resolve(branch)
	if err != nil {
		t.Fatal(err)
	}
	base, err := g.MergeBase(head, main, "merge base with main")
	if err != nil {
		t.Fatal(err)
	}
	if base.Hash() != fork.String() || base.Rev != "merge base with main" {
		t.Errorf("merge base %s (%s), want the fork point %s", base.Hash(), base.Rev, fork)
	}

	// origin/HEAD, when there is one, names the default branch.
	if err := g.r.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "trunk"), fork)); err != nil {
		t.Fatal(err)
	}
	if err := g.r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.NewRemoteHEADReferenceName("origin"), plumbing.NewRemoteReferenceName("origin", "trunk"))); err != nil {
		t.Fatal(err)
	}
	if branch, err := g.DefaultBranch(); err != nil || branch != "origin/trunk" {
		t.Errorf("with origin/HEAD: DefaultBranch = %q, %v; want origin/trunk", branch, err)
	}
}

func TestNoDefaultBranch(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "1\n")
	r.commit("one")
	r.checkout("topic", true)
	if err := r.r.Storer.RemoveReference(plumbing.NewBranchReferenceName("main")); err != nil {
		t.Fatal(err)
	}
	g, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.DefaultBranch()
	want := "cannot find the default branch: there is no origin/HEAD, main or master; name the base revision: cairn diff BASE"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if _, err := g.Resolve("nope"); err == nil || !strings.HasPrefix(err.Error(), `git revision "nope": `) {
		t.Errorf("Resolve(nope) = %v", err)
	}
}

func TestOpenOutsideGit(t *testing.T) {
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNoRepository) {
		t.Errorf("err = %v, want ErrNoRepository", err)
	}
}

// TestTreeFS reads a site in a sub-folder of the repository from a
// commit: links are described and refused, files over the limit are
// refused before they are read, and the loader reports a linked item.
func TestTreeFS(t *testing.T) {
	r := newRepo(t)
	r.write("docs/cairn.toml", "title = \"T\"\n")
	r.write("docs/content/acme/org.toml", "name = \"Acme\"\n")
	r.write("docs/content/acme/files/big.bin", strings.Repeat("x", 100))
	r.write("secret.txt", "outside the site\n")
	if err := os.Symlink("../../../../secret.txt", filepath.Join(r.dir, "docs/content/acme/configurations-link.toml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.MkdirAll(filepath.Join(r.dir, "docs/content/acme/contacts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../secret.txt", filepath.Join(r.dir, "docs/content/acme/contacts/jo.toml")); err != nil {
		t.Fatal(err)
	}
	h := r.commit("site")
	g, err := Open(filepath.Join(r.dir, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := g.Resolve(h.String())
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := g.FS(c, 50)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(fsys, "cairn.toml"); err != nil || string(b) != "title = \"T\"\n" {
		t.Errorf("cairn.toml = %q, %v", b, err)
	}
	fi, err := fsys.Stat("content/acme/contacts/jo.toml")
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Stat of a link: %v, %v; want a link", fi, err)
	}
	if _, err := fsys.Open("content/acme/contacts/jo.toml"); !errors.Is(err, sitefs.ErrSymlink) {
		t.Errorf("Open of a link: %v, want ErrSymlink", err)
	}
	if _, err := fsys.Open("content/acme/files/big.bin"); !errors.Is(err, sitefs.ErrTooLarge) {
		t.Errorf("Open of a file over the limit: %v, want ErrTooLarge", err)
	}
	if _, err := fsys.Open("../secret.txt"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open(../secret.txt): %v, want ErrInvalid", err)
	}

	fsys, _ = g.FS(c, sitefs.MaxAttachment)
	_, _, diags, err := load.LoadFS(context.Background(), fsys, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diags.Sorted() {
		got = append(got, d.String())
	}
	want := []string{
		"content/acme/configurations-link.toml: error: symbolic links are not followed: they could point outside the site",
		"content/acme/contacts/jo.toml: error: symbolic links are not followed: they could point outside the site",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTreeFSConcurrent: the loader reads with one worker per CPU; the
// FS serialises go-git, whose objects are not safe for concurrent use.
func TestTreeFSConcurrent(t *testing.T) {
	r := newRepo(t)
	r.write("cairn.toml", "title = \"T\"\n")
	for _, org := range []string{"acme", "beta", "gamma", "delta"} {
		r.write("content/"+org+"/org.toml", "name = \"Org\"\n")
		for _, typ := range []string{"contacts", "locations", "domains"} {
			for i := 0; i < 40; i++ {
				r.write(fmt.Sprintf("content/%s/%s/i%d.toml", org, typ, i), "name = \"x\"\n")
			}
		}
	}
	h := r.commit("many")
	g, _ := Open(r.dir)
	c, _ := g.Resolve(h.String())
	fsys, _ := g.FS(c, sitefs.MaxAttachment)
	s, _, _, err := load.LoadFS(context.Background(), fsys, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Items) == 0 {
		t.Error("no items loaded")
	}
}

// TestShallowCloneHint: in a shallow clone a revision that is not there
// is reported with how to fetch the history.
func TestShallowCloneHint(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "1\n")
	r.commit("one")
	r.write("a.txt", "2\n")
	second := r.commit("two")
	if err := r.r.Storer.SetShallow([]plumbing.Hash{second}); err != nil {
		t.Fatal(err)
	}
	g, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Resolve("origin/main")
	want := `git revision "origin/main": reference not found (name a branch, tag or commit); this clone is shallow, so older commits are missing: fetch them (git fetch --unshallow, or fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in GitLab CI)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// TestReadFSStatsFirst: sitefs.ReadFS refuses a file of a tree over its
// limit from its size, before the tree reads it.
func TestReadFSStatsFirst(t *testing.T) {
	r := newRepo(t)
	r.write("big.sops.yaml", strings.Repeat("x", 1000))
	h := r.commit("big")
	g, _ := Open(r.dir)
	c, _ := g.Resolve(h.String())
	fsys, _ := g.FS(c, sitefs.MaxAttachment)
	counting := &countingFS{TreeFS: fsys}
	if _, err := sitefs.ReadFS(counting, "big.sops.yaml", 100); !errors.Is(err, sitefs.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	if counting.opens != 0 {
		t.Errorf("the file was opened (read) %d times", counting.opens)
	}
}

type countingFS struct {
	*TreeFS
	opens int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opens++
	return c.TreeFS.Open(name)
}

// TestTreeLoadsLikeDisk loads a synthetic site (every kind of item,
// attachments, templates, a stray file, a broken one) from disk and from
// the commit that holds it: the same sites, sources and diagnostics.
func TestTreeLoadsLikeDisk(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	gr, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &repo{t: t, dir: dir, r: gr}
	entries, _ := os.ReadDir(filepath.Join(r.dir, "content"))
	if len(entries) == 0 || !entries[0].IsDir() {
		t.Fatal("the synthetic site has no organization")
	}
	r.write("content/"+entries[0].Name()+"/configurations/broken.toml", "name = \n")
	r.write("content/acme-stray.txt", "stray\n")
	r.write("schemas/not-toml.txt", "x\n")
	h := r.commit("site")
	ctx := context.Background()
	disk, diskSrc, diskDiags, err := load.LoadWithSources(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Open(r.dir)
	c, _ := g.Resolve(h.String())
	fsys, _ := g.FS(c, sitefs.MaxAttachment)
	tree, treeSrc, treeDiags, err := load.LoadFS(ctx, fsys, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(s *model.Site) string {
		var b strings.Builder
		for _, it := range s.Items {
			fmt.Fprintf(&b, "%s %s %q %s\n", it.ID, it.File, it.Title, it.Secrets)
		}
		for _, o := range s.Orgs {
			fmt.Fprintf(&b, "org %s\n", o.Slug)
		}
		for _, tp := range s.Templates {
			fmt.Fprintf(&b, "template %s\n", tp.Slug)
		}
		fmt.Fprintf(&b, "files %v\nschemas %v\n", s.Files, s.Schemas.Types())
		return b.String()
	}
	if a, b := ids(disk), ids(tree); a != b {
		t.Errorf("sites differ:\ndisk:\n%s\ntree:\n%s", a, b)
	}
	if len(disk.Items) < 300 {
		t.Errorf("only %d items", len(disk.Items))
	}
	diagText := func(l interface{ Sorted() []diag.Diagnostic }) string {
		var b strings.Builder
		for _, d := range l.Sorted() {
			b.WriteString(d.String() + " [" + d.Code + "]\n")
		}
		return b.String()
	}
	if a, b := diagText(diskDiags), diagText(treeDiags); a != b || !strings.Contains(a, "broken.toml") || !strings.Contains(a, "acme-stray.txt") {
		t.Errorf("diagnostics differ:\ndisk:\n%s\ntree:\n%s", a, b)
	}
	if len(diskSrc) != len(treeSrc) {
		t.Errorf("%d sources from disk, %d from the tree", len(diskSrc), len(treeSrc))
	}
	for k, v := range diskSrc {
		if !bytes.Equal(v, treeSrc[k]) {
			t.Errorf("source %s differs", k)
		}
	}
}

// TestLog lists the commits of a branch that the base does not have, by
// two authors on known dates, newest first; a merge brings the other
// side's commits in.
func TestLog(t *testing.T) {
	r := newRepo(t)
	commitAs := func(name string, day int, msg string) plumbing.Hash {
		wt, _ := r.r.Worktree()
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		who := &object.Signature{Name: name, Email: name + "@example.com", When: time.Date(2026, 3, day, 8, 0, 0, 0, time.UTC)}
		h, err := wt.Commit(msg+"\n\nbody text", &git.CommitOptions{Author: who, Committer: who})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	r.write("a.txt", "1\n")
	commitAs("Alice", 1, "Start")
	r.checkout("topic", true)
	r.write("a.txt", "2\n")
	commitAs("Bob", 3, "Change a")
	r.write("b.txt", "3\n")
	commitAs("Alice", 5, "Add b")
	g, _ := Open(r.dir)
	base, _ := g.Resolve("main")
	head, _ := g.Resolve("topic")
	log, more, err := g.Log(base, head, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.When.Format("2006-01-02")+" "+e.Author+": "+e.Subject)
	}
	want := []string{"2026-03-05 Alice: Add b", "2026-03-03 Bob: Change a"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || more != 0 {
		t.Errorf("log:\n%s\n(%d more)\nwant:\n%s", strings.Join(got, "\n"), more, strings.Join(want, "\n"))
	}
	if log, more, _ := g.Log(base, head, 1); len(log) != 1 || more != 1 {
		t.Errorf("capped at 1: %d entries, %d more", len(log), more)
	}
	if log, _, _ := g.Log(head, head, 10); len(log) != 0 {
		t.Errorf("head..head has %d commits", len(log))
	}
}

// TestLogAuthorDate: a commit's date is its author date in the zone it
// recorded, as git log shows it, not the committer date (git commit
// --date, a rebase or a cherry-pick set them apart); the list is ordered
// by committer date, as git log orders it.
func TestLogAuthorDate(t *testing.T) {
	r := newRepo(t)
	commitAs := func(author, committer time.Time, msg string) {
		wt, _ := r.r.Worktree()
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		a := &object.Signature{Name: "Erin", Email: "e@example.com", When: author}
		c := &object.Signature{Name: "Bot", Email: "b@example.com", When: committer}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: a, Committer: c}); err != nil {
			t.Fatal(err)
		}
	}
	pst := time.FixedZone("", -8*3600)
	r.write("a.txt", "1\n")
	commitAs(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), "Start")
	r.write("a.txt", "2\n")
	commitAs(time.Date(2026, 3, 21, 23, 30, 0, 0, pst), time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC), "Late night")
	r.write("a.txt", "3\n")
	commitAs(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC), time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC), "Backdated by the committer")
	g, _ := Open(r.dir)
	base, _ := g.Resolve("HEAD~2")
	head, _ := g.Resolve("HEAD")
	log, _, err := g.Log(base, head, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.When.Format("2006-01-02 15:04 -0700")+" (committed "+e.Committed.UTC().Format("2006-01-02")+") "+e.Subject)
	}
	want := []string{
		"2026-03-21 23:30 -0800 (committed 2026-11-30) Late night",
		"2026-04-02 10:00 +0000 (committed 2026-04-02) Backdated by the committer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
