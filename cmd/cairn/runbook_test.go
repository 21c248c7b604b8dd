package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/provenance"
	"github.com/cairn-it/cairn/generator/scaffold"
)

// runbookCLI runs cairn with args against fake streams, a fixed clock and
// an empty environment (so no age key is found).
func runbookCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{
		IO:     &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Now:    func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) },
		Getenv: func(string) string { return "" },
	}
	code = run(context.Background(), args, f)
	return code, out.String(), errOut.String()
}

// runbookSite writes a new site (cairn init) with a second portal and an
// organization with a non-ASCII name, and returns its folder.
func runbookSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.client]
orgs = ["kobenhavn"]
[portals.zeta]
title = "Zeta"
groups = ["client"]
[portals.alpha]
title = "Alpha staff"
groups = ["staff"]
secrets = "sealed"
`,
		"content/kobenhavn/org.toml":                   "name = \"Københavns Tandlæger\"\nkind = \"client\"\n",
		"content/kobenhavn/configurations/fw-kbh.toml": "name = \"fw-kbh-ø\"\nconfiguration_type = \"Firewall\"\n",
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

func pdfToText(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command(testtool.Find(t, "poppler-utils", "pdftotext"), "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestRunbookWritesDefaultFile(t *testing.T) {
	dir := runbookSite(t)
	work := t.TempDir()
	t.Chdir(work)
	code, _, stderr := runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "--today", "2026-11-23")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	file := filepath.Join(work, "kobenhavn-runbook.pdf")
	if !strings.Contains(stderr, "wrote kobenhavn-runbook.pdf") {
		t.Errorf("stderr = %q", stderr)
	}
	entries, _ := os.ReadDir(work)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want just the PDF (no temp files)", len(entries))
	}
	if fi, err := os.Stat(file); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("book mode %v, want 0600: readable by its owner only", fi.Mode().Perm())
	}
	text := pdfToText(t, file)
	// No portal "internal": the first portal written in access.toml.
	for _, want := range []string{"Københavns Tandlæger", "fw-kbh-ø", "Zeta (zeta)", "As of 2026-11-23", "Generated from no git commit", "as of 2026-11-23, no git commit"} {
		if !strings.Contains(text, want) {
			t.Errorf("book lacks %q", want)
		}
	}
	if strings.Contains(text, "Example Organization") {
		t.Error("book shows another organization")
	}
}

// commitSite makes the folder above the site dir a git repository and
// commits everything in it, authored and committed at when; the site is a
// folder of the repository, found by looking upwards.
func commitSite(t *testing.T, dir string, when time.Time) string {
	t.Helper()
	repo, err := git.PlainInit(filepath.Dir(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "T", Email: "t@example.com", When: when}
	hash, err := wt.Commit("docs", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	return hash.String()
}

func TestRunbookDateFromGit(t *testing.T) {
	dir := runbookSite(t)
	hash := commitSite(t, dir, time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC))
	out := filepath.Join(t.TempDir(), "book.pdf")
	code, _, stderr := runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "-o", out, "--portal", "alpha")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := pdfToText(t, out)
	for _, want := range []string{"As of 2026-10-05", "Generated from commit " + hash[:12], "Alpha staff (alpha)"} {
		if !strings.Contains(text, want) {
			t.Errorf("book lacks %q", want)
		}
	}
	if strings.Contains(text, "2030-01-02") {
		t.Error("book is dated by the clock, not by the commit")
	}
	if strings.Contains(text, "uncommitted") {
		t.Error("a book of a clean work tree says it has uncommitted changes")
	}
}

// TestRunbookProvenance commits the site at 23:30 in a zone five hours
// behind UTC, then changes a file without committing: the book is dated
// by provenance.Of (the commit's UTC date, the next day), and its cover,
// every footer and the command's report say "with uncommitted changes"
// once the work tree differs.
func TestRunbookProvenance(t *testing.T) {
	dir := runbookSite(t)
	when := time.Date(2026, 10, 5, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))
	hash := commitSite(t, dir, when)
	prov, err := provenance.Of(context.Background(), dir, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if day := prov.AsOf.Format("2006-01-02"); day != "2026-10-06" {
		t.Fatalf("provenance.Of dates the commit %s, want its UTC date 2026-10-06", day)
	}
	short := hash[:12]
	out := filepath.Join(t.TempDir(), "book.pdf")
	book := func() (text, stderr string, pages int) {
		t.Helper()
		code, _, stderr := runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "-o", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		raw, err := exec.Command(testtool.Find(t, "poppler-utils", "pdftotext"), "-enc", "UTF-8", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages = strings.Count(string(raw), "\f")
		if pages < 3 {
			t.Fatalf("%d pages", pages)
		}
		return pdfToText(t, out), stderr, pages
	}

	text, stderr, pages := book()
	for _, want := range []string{"As of " + prov.AsOf.Format("2006-01-02"), "Generated from commit " + short + " Types"} {
		if !strings.Contains(text, want) {
			t.Errorf("clean: book lacks %q", want)
		}
	}
	if n := strings.Count(text, "as of 2026-10-06, commit "+short+" "); n != pages {
		t.Errorf("clean: footer on %d of %d pages", n, pages)
	}
	if strings.Contains(text+stderr, "uncommitted") {
		t.Error("clean: the book says it has uncommitted changes")
	}

	// Change a file of the site and leave it uncommitted.
	fw := filepath.Join(dir, "content", "kobenhavn", "configurations", "fw-kbh.toml")
	if err := os.WriteFile(fw, []byte("name = \"fw-kbh-changed\"\nconfiguration_type = \"Firewall\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text, stderr, pages = book()
	if !strings.Contains(text, "fw-kbh-changed") {
		t.Fatal("the book does not hold the change")
	}
	if want := "Generated from commit " + short + " with uncommitted changes"; !strings.Contains(text, want) {
		t.Errorf("dirty: cover lacks %q", want)
	}
	if n := strings.Count(text, "as of 2026-10-06, commit "+short+" with uncommitted changes"); n != pages {
		t.Errorf("dirty: footer says so on %d of %d pages", n, pages)
	}
	if want := "as of 2026-10-06, commit " + short + " with uncommitted changes"; !strings.Contains(stderr, want) {
		t.Errorf("dirty: stderr %q lacks %q", stderr, want)
	}
}

func TestRunbookRefusals(t *testing.T) {
	dir := runbookSite(t)
	out := filepath.Join(t.TempDir(), "book.pdf")
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown org", []string{"runbook", "nope"}, exitUsage, `no organization "nope"`},
		{"unknown portal", []string{"runbook", "kobenhavn", "--portal", "nope"}, exitUsage, `--portal "nope": no such portal`},
		{"portal cannot see org", []string{"runbook", "example", "--portal", "zeta"}, exitUsage, `portal "zeta" may not see organization "example"`},
		{"archived not carried", []string{"runbook", "kobenhavn", "--include-archived"}, exitUsage, "does not carry archived items"},
		{"secrets on a portal without", []string{"runbook", "kobenhavn", "--include-secrets"}, exitUsage, "carries no secrets"},
		{"secrets without a key", []string{"runbook", "kobenhavn", "--include-secrets", "--portal", "alpha"}, exitFatal, "no age key"},
		{"bad type", []string{"runbook", "kobenhavn", "--types", "servers"}, exitUsage, `--types: unknown type "servers"`},
		{"bad date", []string{"runbook", "kobenhavn", "--today", "soon"}, exitUsage, "--today"},
		{"no org", []string{"runbook"}, exitUsage, "runbook takes one organization"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"-C", dir}, c.args...)
			code, _, stderr := runbookCLI(t, append(args, "-o", out)...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, c.code, c.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused runbook left a file")
			}
		})
	}
}

func TestRunbookRefusesSiteWithErrors(t *testing.T) {
	dir := runbookSite(t)
	bad := filepath.Join(dir, "content", "kobenhavn", "configurations", "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"bad\"\nconfiguration_type = \"Toaster\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(out, []byte("old book"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "-o", out)
	if code != exitProblem || !strings.Contains(stderr, "bad.toml") || !strings.Contains(stderr, "cairn check") {
		t.Errorf("exit %d, stderr %q; want 1 naming the file", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "old book" {
		t.Error("the earlier file was replaced")
	}
}

// TestRunbookNotHeldByAnotherClient: an error in an organization the
// book's portal does not see does not stop the book (as it does not stop
// that portal's build); the same error stops a book for a portal that
// sees it.
func TestRunbookNotHeldByAnotherClient(t *testing.T) {
	dir := runbookSite(t)
	bad := filepath.Join(dir, "content", "example", "configurations", "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"bad\"\nconfiguration_type = \"Toaster\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "book.pdf")
	code, _, stderr := runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "--portal", "zeta", "-o", out)
	if code != exitOK {
		t.Errorf("portal zeta: exit %d, stderr %q; want 0", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("portal zeta: no book written (%v)", err)
	}
	out2 := filepath.Join(t.TempDir(), "book.pdf")
	code, _, stderr = runbookCLI(t, "-C", dir, "runbook", "kobenhavn", "--portal", "alpha", "-o", out2)
	if code != exitProblem || !strings.Contains(stderr, "bad.toml") {
		t.Errorf("portal alpha: exit %d, stderr %q; want 1 naming bad.toml", code, stderr)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Error("portal alpha: a refused runbook left a file")
	}
}
