package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/testsite"
)

// diffRepo makes a site in a git repository: a commit on main by Alice,
// then a branch with a commit by Bob, checked out. It returns the folder
// and the age key text that opens its secrets.
func diffRepo(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: "refs/heads/main"}})
	if err != nil {
		t.Fatal(err)
	}
	keyText, recipient, err := secrets.NewKeyFile(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "test")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secrets.ParseKeys(keyText)
	if err != nil {
		t.Fatal(err)
	}
	if err := testsite.WriteFiles(dir, map[string]string{
		".sops.yaml":                      "creation_rules:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: " + recipient + "\n",
		"cairn.toml":                      "title = \"T\"\n",
		"access.toml":                     "[groups.all]\norgs = [\"*\"]\n\n[portals.internal]\ngroups = [\"all\"]\nsecrets = \"sealed\"\n",
		"content/acme/org.toml":           "name = \"Acme\"\n",
		"content/acme/passwords/vpn.toml": "name = \"VPN\"\n",
	}); err != nil {
		t.Fatal(err)
	}
	st := &secrets.Store{Root: dir, Keys: keys, Now: time.Now}
	set := func(v string) {
		f := secrets.NewFile()
		f.Set("password", v)
		if err := st.Save("content/acme/passwords/vpn.sops.yaml", f); err != nil {
			t.Fatal(err)
		}
	}
	set("Canary-Before-1")
	wt, _ := r.Worktree()
	commit := func(who string, day int) {
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		sig := &object.Signature{Name: who, Email: strings.ToLower(who) + "@example.com", When: time.Date(2026, 2, day, 12, 0, 0, 0, time.UTC)}
		if _, err := wt.Commit("change by "+who, &git.CommitOptions{All: true, Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	commit("Alice", 1)
	if err := wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName("topic"), Create: true}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content/acme/passwords/vpn.toml"), []byte("name = \"VPN gateway\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commit("Bob", 2)
	set("Canary-After-2") // uncommitted: only the working tree has it
	return dir, keyText
}

// TestDiffCommand runs cairn diff with its defaults (the merge base with
// main against the working tree), with and without a key, and between
// two named revisions as JSON.
func TestDiffCommand(t *testing.T) {
	dir, keyText := diffRepo(t)
	ctx := context.Background()

	f, out, errOut := testFactory()
	f.Getenv = func(k string) string {
		if k == "SOPS_AGE_KEY" {
			return keyText
		}
		return ""
	}
	if code := run(ctx, []string{"-C", dir, "diff"}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if strings.Contains(out.String(), "Canary") {
		t.Fatal("a secret value is in the report")
	}
	lines := strings.SplitN(out.String(), "\n", 2)
	if !strings.HasPrefix(lines[0], "cairn diff merge base with main (") || !strings.HasSuffix(lines[0], ") → working tree") {
		t.Errorf("first line %q", lines[0])
	}
	want := `1 changed, 1 secrets file changed, 1 portal affected.

Access impact
  portal internal
    ~ sees changes to acme/passwords/vpn

Items
  ~ changed acme/passwords/vpn (VPN gateway)
      name: "VPN" → "VPN gateway"

Secrets (names only)
  acme/passwords/vpn (content/acme/passwords/vpn.sops.yaml)
    password: value changed
`
	report, commits, _ := strings.Cut(lines[1], "\nCommits (1)\n  ")
	if report != want {
		t.Errorf("report:\n%s\nwant:\n%s", lines[1], want)
	}
	// The commit on the branch, by Bob on his day; not Alice's on main.
	if hash, rest, _ := strings.Cut(commits, " "); len(hash) != 12 || rest != "2026-02-02 Bob: change by Bob\n" {
		t.Errorf("commits section %q", commits)
	}

	// Without a key: the same, but it cannot tell.
	f, out, errOut = testFactory()
	if code := run(ctx, []string{"-C", dir, "diff", "main"}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out.String(), "    password: changed or re-encrypted\n    note: cannot tell a changed value from a re-encryption without a key (set SOPS_AGE_KEY_FILE)\n") {
		t.Errorf("without a key:\n%s", out)
	}

	// Two revisions, as JSON: the working tree's secret change is not in it.
	f, out, errOut = testFactory()
	if code := run(ctx, []string{"-C", dir, "diff", "main", "topic", "--format", "json"}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	var rep struct {
		Changed []struct{ ID string } `json:"changed"`
		Secrets []any                 `json:"secrets"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].ID != "acme/passwords/vpn" || len(rep.Secrets) != 0 {
		t.Errorf("main..topic: %s", out)
	}
}

func TestDiffCommandErrors(t *testing.T) {
	dir, _ := diffRepo(t)
	ctx := context.Background()
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad format", []string{"-C", dir, "diff", "--format", "xml"}, exitUsage,
			"cairn: --format \"xml\": use one of text, markdown, json\nRun 'cairn --help' for usage.\n"},
		{"unknown revision", []string{"-C", dir, "diff", "nope"}, exitFatal,
			"cairn: git revision \"nope\": reference not found (name a branch, tag or commit)\n"},
		{"not in git", []string{"-C", t.TempDir(), "diff"}, exitFatal,
			"cairn: cairn diff reads git history: not in a git repository\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _, errOut := testFactory()
			if code := run(ctx, c.args, f); code != c.code || errOut.String() != c.want {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errOut, c.code, c.want)
			}
		})
	}
}

// TestReviewingDocShowsCIJobs: every yaml block of docs/reviewing.md is a
// part of a CI file of docs/ci (which TestCIFiles checks), so the jobs the
// page shows are the ones that are tested; and the review jobs are there.
func TestReviewingDocShowsCIJobs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "reviewing.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ci strings.Builder
	files, _ := filepath.Glob(filepath.Join(ciDir, "*.yml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ci.Write(b)
	}
	blocks := strings.Split(string(data), "```yaml\n")[1:]
	if len(blocks) != 2 {
		t.Fatalf("docs/reviewing.md has %d yaml blocks, want the GitHub and the GitLab job", len(blocks))
	}
	for i, b := range blocks {
		block, _, _ := strings.Cut(b, "```\n")
		if !strings.Contains(ci.String(), block) {
			t.Errorf("yaml block %d of docs/reviewing.md is not in a CI file of docs/ci", i+1)
		}
		if !strings.Contains(block, "cairn diff ") || !strings.Contains(block, "--format markdown") {
			t.Errorf("yaml block %d does not run cairn diff --format markdown", i+1)
		}
		for _, c := range cairnCommands(block) {
			if err := validateCommand(c); err != nil {
				t.Errorf("yaml block %d: cairn %s: %v", i+1, strings.Join(c, " "), err)
			}
		}
	}
}

// TestDiffRefusesKeyFileOutsideSite: the site's sops_age_key_file (read
// from the base revision's cairn.toml) is read only when it is a small
// regular file inside the site.
func TestDiffRefusesKeyFileOutsideSite(t *testing.T) {
	dir, _ := diffRepo(t)
	if err := os.WriteFile(filepath.Join(dir, "cairn.toml"), []byte("title = \"T\"\nsops_age_key_file = \"../outside-key.txt\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	sig := &object.Signature{Name: "Carol", Email: "carol@example.com", When: time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)}
	if _, err := wt.Commit("key file outside", &git.CommitOptions{All: true, Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "diff", "HEAD"}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if want := "cairn diff: cairn.toml sops_age_key_file \"../outside-key.txt\" is not a key file inside the site; not reading it\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	if !strings.Contains(out.String(), "No changes to documentation, secrets, links or access.") {
		t.Errorf("report:\n%s", out)
	}
}
