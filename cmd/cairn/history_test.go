package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/internal/testtool"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// commitAll commits every change of the work tree (additions, edits,
// deletions) as author at when, and returns the commit's hash.
func commitAll(t *testing.T, dir, author string, when time.Time, msg string) string {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		if r, err = git.PlainInit(dir, false); err != nil {
			t.Fatal(err)
		}
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	email := strings.ToLower(strings.Fields(author)[0]) + "@example.com"
	sig := &object.Signature{Name: author, Email: email, When: when}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// historySite is a fresh site with three commits by two authors on known
// dates: the firewall is created, edited, then renamed; its working copy
// then has an uncommitted change.
func historySite(t *testing.T) (dir string, hashes [3]string) {
	dir = newSite(t)
	fw := "content/example/configurations/fw01.toml"
	hashes[0] = commitAll(t, dir, "Dana Whitfield", time.Date(2026, 1, 5, 9, 30, 0, 0, time.FixedZone("", 3600)), "Start the documentation")
	writeFile(t, dir, fw, strings.Replace(readFile(t, dir, fw), `model = "EX-100"`, `model = "EX-200"`, 1))
	hashes[1] = commitAll(t, dir, "Erin O'Neill", time.Date(2026, 2, 10, 16, 45, 0, 0, time.FixedZone("", -5*3600)), "Record the new firewall model\n\nThe old one failed.")
	if err := os.Rename(filepath.Join(dir, fw), filepath.Join(dir, "content/example/configurations/fw-main.toml")); err != nil {
		t.Fatal(err)
	}
	hashes[2] = commitAll(t, dir, "Dana Whitfield", time.Date(2026, 3, 15, 11, 0, 0, 0, time.UTC), "Rename fw01 to fw-main")
	main := "content/example/configurations/fw-main.toml"
	writeFile(t, dir, main, readFile(t, dir, main)+"serial_number = \"X\"\n")
	return dir, hashes
}

func TestHistoryText(t *testing.T) {
	dir, h := historySite(t)
	code, stdout, stderr := cli(t, "-C", dir, "history", "example/configurations/fw-main")
	want := fmt.Sprintf(`History of example/configurations/fw-main (fw01)
Files: content/example/configurations/fw-main.toml
Last changed 2026-03-15 by Dana Whitfield

2026-03-15 11:00 +0000  %s  Dana Whitfield <dana@example.com>
    Rename fw01 to fw-main
    renamed content/example/configurations/fw01.toml → content/example/configurations/fw-main.toml

2026-02-10 16:45 -0500  %s  Erin O'Neill <erin@example.com>
    Record the new firewall model
    modified content/example/configurations/fw01.toml

2026-01-05 09:30 +0100  %s  Dana Whitfield <dana@example.com>
    Start the documentation
    added content/example/configurations/fw01.toml

content/example/configurations/fw-main.toml has changes that are not committed.
`, h[2][:12], h[1][:12], h[0][:12])
	if code != 0 || stderr != "" || stdout != want {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit 0 and:\n%s", code, stderr, stdout, want)
	}
}

func TestHistoryJSON(t *testing.T) {
	dir, h := historySite(t)
	code, stdout, stderr := cli(t, "-C", dir, "history", "example/configurations/fw-main", "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got struct {
		ID          string `json:"id"`
		LastChanged struct {
			Commit string `json:"commit"`
		} `json:"last_changed"`
		Revisions []struct {
			Commit, Date, Author, Email, Subject string
			Changes                              []struct{ Path, Action, From string }
		} `json:"revisions"`
		Omitted     bool            `json:"omitted"`
		Truncated   json.RawMessage `json:"truncated"`
		Uncommitted []string        `json:"uncommitted"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	var lines []string
	for _, r := range got.Revisions {
		line := fmt.Sprintf("%s %s %s <%s> %q", r.Commit, r.Date, r.Author, r.Email, r.Subject)
		for _, c := range r.Changes {
			line += " " + c.Action + " " + c.Path + " " + c.From
		}
		lines = append(lines, line)
	}
	want := []string{
		h[2] + ` 2026-03-15T11:00:00Z Dana Whitfield <dana@example.com> "Rename fw01 to fw-main" renamed content/example/configurations/fw-main.toml content/example/configurations/fw01.toml`,
		h[1] + ` 2026-02-10T16:45:00-05:00 Erin O'Neill <erin@example.com> "Record the new firewall model" modified content/example/configurations/fw01.toml `,
		h[0] + ` 2026-01-05T09:30:00+01:00 Dana Whitfield <dana@example.com> "Start the documentation" added content/example/configurations/fw01.toml `,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("revisions:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got.ID != "example/configurations/fw-main" || got.LastChanged.Commit != h[2] || got.Omitted || string(got.Truncated) != "null" ||
		strings.Join(got.Uncommitted, ",") != "content/example/configurations/fw-main.toml" {
		t.Errorf("report: %s", stdout)
	}
}

func TestHistoryOutsideGitAndUnknownItems(t *testing.T) {
	dir := newSite(t)
	code, stdout, stderr := cli(t, "-C", dir, "history", "example/configurations/fw01")
	if code != exitFatal || stdout != "" || stderr != "cairn: "+errNoGitHistory.Error()+"\n" {
		t.Errorf("outside git: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A portal built outside git has item pages without history.
	out := filepath.Join(t.TempDir(), "www")
	if code, _, stderr := cli(t, "-C", dir, "build", "--output", out, "--no-runbooks", "--today", "2026-11-23"); code != 0 {
		t.Fatalf("build outside git: exit %d: %s", code, stderr)
	}
	page := readFile(t, out, "internal/example/configurations/fw01/index.html")
	if strings.Contains(page, "Revisions") || strings.Contains(page, "Last changed") || !strings.Contains(page, "Source: <code>content/example/configurations/fw01.toml</code>") {
		t.Errorf("an item page built outside git:\n%s", page)
	}
	code, _, stderr = cli(t, "-C", dir, "history", "example/configurations/fw1")
	if want := "cairn: no item or organization \"example/configurations/fw1\": did you mean \"example/configurations/fw01\"?\nRun 'cairn --help' for usage.\n"; code != exitUsage || stderr != want {
		t.Errorf("unknown item: exit %d, stderr %q, want %q", code, stderr, want)
	}
	code, _, stderr = cli(t, "-C", dir, "history", "example", "--format", "yaml")
	if code != exitUsage || !strings.Contains(stderr, `--format: "yaml" is not text or json`) {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
}

// In a shallow clone the output says what is unknown, and an item named
// by its file is found.
func TestHistoryShallowClone(t *testing.T) {
	testtool.Find(t, "git", "git")
	dir, h := historySite(t)
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "2", "file://"+dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone --depth 2: %v\n%s", err, out)
	}
	code, stdout, stderr := cli(t, "-C", clone, "history", "content/example/configurations/fw-main.toml")
	want := fmt.Sprintf(`History of example/configurations/fw-main (fw01)
Files: content/example/configurations/fw-main.toml
Last changed 2026-03-15 by Dana Whitfield

2026-03-15 11:00 +0000  %s  Dana Whitfield <dana@example.com>
    Rename fw01 to fw-main
    renamed content/example/configurations/fw01.toml → content/example/configurations/fw-main.toml

The history is truncated: this is a shallow clone, and its oldest commit (%s, 2026-02-10) already held these files; what happened to them up to that commit is unknown. Run git fetch --unshallow for the whole history.
`, h[2][:12], h[1][:12])
	if code != 0 || stderr != "" || stdout != want {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit 0 and:\n%s", code, stderr, stdout, want)
	}
}
