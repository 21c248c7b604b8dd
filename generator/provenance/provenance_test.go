package provenance

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
)

var clock = func() time.Time { return time.Date(2030, 1, 2, 23, 30, 0, 0, time.FixedZone("X", -5*3600)) }

// repoWithSite makes a repository whose folder "site" holds a few files,
// commits them at when, and returns the repository's top folder.
func repoWithSite(t *testing.T, when time.Time) string {
	t.Helper()
	top := t.TempDir()
	err := testsite.WriteFiles(top, map[string]string{
		".gitignore":                   "site/public/\n*.tmp\n",
		"README.md":                    "outside the site\n",
		"site/cairn.toml":              "title = \"T\"\n",
		"site/content/acme/org.toml":   "name = \"Acme\"\n",
		"site/content/acme/notes.md":   "hello\n",
		"site/content/acme/.gitignore": "scratch/\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainInit(top, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "T", Email: "t@example.com", When: when}
	if _, err := wt.Commit("site", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	return top
}

func of(t *testing.T, root string, today *time.Time) Provenance {
	t.Helper()
	p, err := Of(context.Background(), root, today, clock)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOutsideGit(t *testing.T) {
	p := of(t, t.TempDir(), nil)
	if p.Commit != "" || p.Dirty {
		t.Errorf("provenance outside git = %+v", p)
	}
	// The clock's date in UTC: 2030-01-02 23:30 at UTC-5 is the 3rd in UTC.
	if got := p.String(); got != "as of 2030-01-03, no git commit" {
		t.Errorf("String() = %q", got)
	}
}

func TestRepositoryWithoutCommits(t *testing.T) {
	top := t.TempDir()
	if _, err := git.PlainInit(top, false); err != nil {
		t.Fatal(err)
	}
	if p := of(t, top, nil); p.Commit != "" || p.Label() != "no git commit" {
		t.Errorf("provenance = %+v", p)
	}
}

// TestAsOfNearMidnight commits at 23:30 in a zone five hours behind UTC:
// the as-of date is the commit's UTC date (the next day), whatever the
// committer's zone; --today wins over it.
func TestAsOfNearMidnight(t *testing.T) {
	when := time.Date(2026, 10, 5, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))
	top := repoWithSite(t, when)
	p := of(t, filepath.Join(top, "site"), nil)
	if want := time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC); !p.AsOf.Equal(want) || p.AsOf.Location() != time.UTC {
		t.Errorf("AsOf = %s, want %s", p.AsOf, want)
	}
	if !p.CommitTime.Equal(when) || p.CommitTime.Location() != time.UTC {
		t.Errorf("CommitTime = %s", p.CommitTime)
	}
	if len(p.Commit) != 40 || p.Short() != p.Commit[:12] {
		t.Errorf("Commit %q, Short %q", p.Commit, p.Short())
	}
	if want := "as of 2026-10-06, commit " + p.Commit[:12]; p.String() != want {
		t.Errorf("String() = %q, want %q", p.String(), want)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if p := of(t, filepath.Join(top, "site"), &today); !p.AsOf.Equal(today) || p.Commit == "" {
		t.Errorf("with --today: %+v", p)
	}
}

// TestDirty changes the work tree in each way git calls a change, and in
// ways it does not, and checks Dirty after each.
func TestDirty(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, top string)
		dirty  bool
	}{
		{"nothing", func(*testing.T, string) {}, false},
		{"edited", func(t *testing.T, top string) { write(t, top, "site/content/acme/notes.md", "hello, world\n") }, true},
		{"edited, same size", func(t *testing.T, top string) { write(t, top, "site/content/acme/notes.md", "HELLO\n") }, true},
		{"edited back", func(t *testing.T, top string) {
			write(t, top, "site/content/acme/notes.md", "changed\n")
			write(t, top, "site/content/acme/notes.md", "hello\n")
		}, false},
		{"added", func(t *testing.T, top string) { write(t, top, "site/content/acme/new.toml", "x\n") }, true},
		{"deleted", func(t *testing.T, top string) { rm(t, top, "site/content/acme/notes.md") }, true},
		{"executable", func(t *testing.T, top string) { chmod(t, top, "site/content/acme/notes.md", 0o755) }, true},
		{"ignored output", func(t *testing.T, top string) { write(t, top, "site/public/index.html", "x\n") }, false},
		{"ignored by pattern, outside the sources", func(t *testing.T, top string) { write(t, top, "site/a.tmp", "x\n") }, false},
		// A build reads content/ whatever git ignores: a document that
		// .gitignore hides is in the output, so the output is not the commit.
		{"ignored by pattern in content/", func(t *testing.T, top string) { write(t, top, "site/content/acme/a.tmp", "x\n") }, true},
		{"ignored by a nested .gitignore in content/", func(t *testing.T, top string) { write(t, top, "site/content/acme/scratch/x.md", "x\n") }, true},
		{"ignored schema", func(t *testing.T, top string) {
			write(t, top, ".git/info/exclude", "schemas/\n")
			write(t, top, "site/schemas/x.toml", "x\n")
		}, true},
		{"ignored dotfile in content/ (never read)", func(t *testing.T, top string) { write(t, top, "site/content/acme/.x.tmp", "x\n") }, false},
		{"outside the site", func(t *testing.T, top string) {
			write(t, top, "README.md", "changed\n")
			write(t, top, "other/new.txt", "x\n")
		}, false},
		{"symlink replacing a file", func(t *testing.T, top string) {
			rm(t, top, "site/content/acme/notes.md")
			if err := os.Symlink("org.toml", filepath.Join(top, "site/content/acme/notes.md")); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			top := repoWithSite(t, time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC))
			c.change(t, top)
			p := of(t, filepath.Join(top, "site"), nil)
			if p.Dirty != c.dirty {
				t.Errorf("Dirty = %v, want %v", p.Dirty, c.dirty)
			}
			want := "commit " + p.Short()
			if c.dirty {
				want += " with uncommitted changes"
			}
			if p.Label() != want {
				t.Errorf("Label() = %q, want %q", p.Label(), want)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	top := repoWithSite(t, time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Of(ctx, filepath.Join(top, "site"), nil, clock); err == nil {
		t.Error("no error with a cancelled context")
	}
}

func write(t *testing.T, top, name, body string) {
	t.Helper()
	if err := testsite.WriteFiles(top, map[string]string{name: body}); err != nil {
		t.Fatal(err)
	}
}

func rm(t *testing.T, top, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(top, filepath.FromSlash(name))); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, top, name string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(top, filepath.FromSlash(name)), mode); err != nil {
		t.Fatal(err)
	}
}

// TestAgreesWithGit makes the repository with the git command (its own
// index format and timestamps) and checks Dirty against
// `git status --porcelain -- site` after each change.
func TestAgreesWithGit(t *testing.T) {
	gitBin := testtool.Find(t, "git", "git")
	top := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = top
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	write(t, top, ".gitignore", "site/public/\n")
	write(t, top, "site/cairn.toml", "title = \"T\"\n")
	write(t, top, "site/content/acme/org.toml", "name = \"Acme\"\n")
	run("init", "-q")
	run("add", ".")
	run("commit", "-q", "-m", "site")
	steps := []struct {
		name   string
		change func()
	}{
		{"clean", func() {}},
		{"ignored", func() { write(t, top, "site/public/x.html", "x") }},
		{"edited", func() { write(t, top, "site/cairn.toml", "title = \"U\"\n") }},
		{"committed", func() { run("commit", "-q", "-am", "u") }},
		{"untracked", func() { write(t, top, "site/content/acme/x.toml", "x") }},
		{"committed again", func() { run("add", "."); run("commit", "-q", "-m", "x") }},
		{"deleted", func() { rm(t, top, "site/content/acme/x.toml") }},
	}
	for _, s := range steps {
		s.change()
		want := run("status", "--porcelain", "--", "site") != ""
		if p := of(t, filepath.Join(top, "site"), nil); p.Dirty != want {
			t.Errorf("%s: Dirty = %v, git status says %v", s.name, p.Dirty, want)
		}
	}
}
