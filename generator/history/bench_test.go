package history

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"testing"

	"github.com/cairn-it/cairn/internal/testtool"
)

// makeRepo builds a repository of commits commits over files files with
// git fast-import (seconds, where committing through a library takes
// minutes): the first commit adds every file, each later one changes three.
func makeRepo(tb testing.TB, commits, files int) string {
	tb.Helper()
	testtool.Find(tb, "git", "git")
	dir := tb.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v\n%s", err, out)
	}
	var s bytes.Buffer
	for c := 0; c < commits; c++ {
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(&s, "commit refs/heads/main\ncommitter Dana <dana@example.com> %d +0000\ndata %d\n%s\n", 1_700_000_000+c*3600, len(msg), msg)
		var changed []int
		if c == 0 {
			for f := 0; f < files; f++ {
				changed = append(changed, f)
			}
		} else {
			changed = []int{(c * 7) % files, (c * 13) % files, (c * 31) % files}
		}
		for _, f := range changed {
			body := fmt.Sprintf("name = \"item-%d\"\nrevision = %d\n", f, c)
			fmt.Fprintf(&s, "M 100644 inline content/org-%d/configurations/item-%d.toml\ndata %d\n%s\n", f%20, f, len(body), body)
		}
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &s
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, out)
	}
	if out, err := exec.Command("git", "-C", dir, "symbolic-ref", "HEAD", "refs/heads/main").CombinedOutput(); err != nil {
		tb.Fatalf("git symbolic-ref: %v\n%s", err, out)
	}
	return dir
}

func TestLoadOnGeneratedHistory(t *testing.T) {
	dir := makeRepo(t, 50, 40)
	ix, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// File 7*49 % 40 = 23 was last changed by commit 49, the newest.
	c, ok := ix.LastChange("content/org-3/configurations/item-23.toml")
	if !ok || c.Subject != "commit 49" {
		t.Errorf("item-23: %+v %v, want commit 49", c, ok)
	}
	// No later commit touches item-0 (7c, 13c, 31c mod 40 are never 0 for c in 1..49
	// except c = 40), so its last change is commit 40.
	c, ok = ix.LastChange("content/org-0/configurations/item-0.toml")
	if !ok || c.Subject != "commit 40" {
		t.Errorf("item-0: %+v %v, want commit 40", c, ok)
	}
}

// BenchmarkLoad2000Commits walks a 2,000-commit history over 1,000 files:
// the case where asking for each file's log would take about a second per
// file.
func BenchmarkLoad2000Commits(b *testing.B) { benchLoad(b, 2000, 1000) }

// BenchmarkLoad10000Files5000Commits is the target of docs/performance.md:
// the whole history of 10,000 files over 5,000 commits (every file's
// revisions, not only its last change) in under 5 seconds.
//
//	go test -run '^$' -bench Load10000Files5000Commits -benchtime 3x ./generator/history/
func BenchmarkLoad10000Files5000Commits(b *testing.B) { benchLoad(b, 5000, 10000) }

// benchLoad walks a generated history of commits over files, and checks
// that file 0's oldest revision is the commit that added it.
func benchLoad(b *testing.B, commits, files int) {
	dir := makeRepo(b, commits, files)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix, err := Load(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		h, ok := ix.File("content/org-0/configurations/item-0.toml")
		if !ok || len(h.Revisions) == 0 || h.Revisions[len(h.Revisions)-1].Commit.Subject != "commit 0" {
			b.Fatalf("item-0: %+v", h)
		}
	}
}
