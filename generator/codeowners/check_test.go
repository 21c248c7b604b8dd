package codeowners_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// staleAccess is a small access.toml, one staff team and one admin, that
// the command's tests in cmd/cairn use too.
var staleAccess = func() string {
	b, err := os.ReadFile(filepath.Join("testdata", "staff-access.toml"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// ownersReport opens the site in dir as cairn check does and returns its
// codeowners diagnostics, one per line with the hint.
func ownersReport(t *testing.T, dir string) string {
	t.Helper()
	res, err := site.Open(context.Background(), dir, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range res.Diags.Sorted() {
		if d.Code == "codeowners-stale" {
			b.WriteString(d.String() + "\n    hint: " + d.Hint + "\n")
		}
	}
	return b.String()
}

func writeGenerated(t *testing.T, dir, rel string) {
	t.Helper()
	res, err := site.Open(context.Background(), dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := testsite.WriteFiles(dir, map[string]string{rel: string(codeowners.Generate(res.Site, rel))}); err != nil {
		t.Fatal(err)
	}
}

func TestStaleWarningAppearsAndDisappears(t *testing.T) {
	_, dir := loadSite(t, map[string]string{"access.toml": staleAccess, ".github/workflows/check.yml": "on: push\n"})
	if got := ownersReport(t, dir); got != "" {
		t.Fatalf("no CODEOWNERS yet, got:\n%s", got)
	}
	rel, err := codeowners.DefaultPath(dir)
	if err != nil || rel != ".github/CODEOWNERS" {
		t.Fatalf("DefaultPath = %q, %v; want .github/CODEOWNERS", rel, err)
	}
	writeGenerated(t, dir, rel)
	if got := ownersReport(t, dir); got != "" {
		t.Fatalf("fresh CODEOWNERS, got:\n%s", got)
	}

	// A new editor with a handle changes line 19 (/content/acme/).
	if err := testsite.WriteFiles(dir, map[string]string{"access.toml": staleAccess + `
[[users]]
email = "bob@msp.example"
role = "editor"
groups = ["staff"]
forge = "@bob"
`}); err != nil {
		t.Fatal(err)
	}
	want := `.github/CODEOWNERS:19: warning: CODEOWNERS is out of date: access.toml now gives other owners
    hint: run cairn codeowners and commit the result
`
	if got := ownersReport(t, dir); got != want {
		t.Fatalf("after adding an editor, got:\n%s\nwant:\n%s", got, want)
	}

	writeGenerated(t, dir, rel)
	if got := ownersReport(t, dir); got != "" {
		t.Fatalf("after cairn codeowners, got:\n%s", got)
	}
}

func TestStaleWarningOnlyForFilesCairnWrote(t *testing.T) {
	_, dir := loadSite(t, map[string]string{
		"access.toml": staleAccess,
		// A hand-written file: never compared.
		".gitlab/CODEOWNERS": "* @someone\n",
		// Two files cairn wrote, both out of date: the first place is the
		// one cairn codeowners rewrites, the other needs --output.
		"CODEOWNERS":      codeowners.Header + "\n/content/ @old\n",
		"docs/CODEOWNERS": codeowners.Header + "\n",
	})
	want := `CODEOWNERS:2: warning: CODEOWNERS is out of date: access.toml now gives other owners
    hint: run cairn codeowners and commit the result
docs/CODEOWNERS:2: warning: CODEOWNERS is out of date: access.toml now gives other owners
    hint: run cairn codeowners --output docs/CODEOWNERS and commit the result
`
	if got := ownersReport(t, dir); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if rel, err := codeowners.DefaultPath(dir); err != nil || rel != "CODEOWNERS" {
		t.Errorf("DefaultPath = %q, %v; want the file cairn wrote, CODEOWNERS", rel, err)
	}
}

func TestStaleCheckDoesNotFollowLinksOut(t *testing.T) {
	_, dir := loadSite(t, map[string]string{"access.toml": staleAccess})
	outside := filepath.Join(t.TempDir(), "CODEOWNERS")
	if err := os.WriteFile(outside, []byte(codeowners.Header+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "CODEOWNERS")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	want := `CODEOWNERS: warning: CODEOWNERS is a symbolic link that leads outside the site, so cairn cannot tell whether it is up to date
    hint: replace the link with the file itself
`
	if got := ownersReport(t, dir); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := codeowners.DefaultPath(dir); err == nil {
		t.Error("DefaultPath accepted a CODEOWNERS that leads outside the site")
	}
	// A .github that leads outside is no place to write either.
	_, dir2 := loadSite(t, map[string]string{"access.toml": staleAccess})
	if err := os.Symlink(t.TempDir(), filepath.Join(dir2, ".github")); err != nil {
		t.Fatal(err)
	}
	if rel, err := codeowners.DefaultPath(dir2); err == nil {
		t.Errorf("DefaultPath = %q through a .github that leads outside the site", rel)
	}
}
