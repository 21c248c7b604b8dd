package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/testsite"
)

// ownersAccess is the codeowners package's test access.toml: one staff
// team and one admin.
var ownersAccess = func() string {
	b, err := os.ReadFile(filepath.Join("..", "..", "generator", "codeowners", "testdata", "staff-access.toml"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func ownersSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{
		"cairn.toml":            "title = \"T\"\n",
		"access.toml":           ownersAccess,
		"content/acme/org.toml": "name = \"Acme\"\n",
	}
	for k, v := range files {
		all[k] = v
	}
	if err := testsite.WriteFiles(dir, all); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCodeownersCommand(t *testing.T) {
	dir := ownersSite(t, map[string]string{".github/workflows/check.yml": "on: push\n"})
	target := filepath.Join(dir, ".github", "CODEOWNERS")

	f, _, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners", "--check"}, f); code != exitProblem {
		t.Fatalf("--check without a file: exit %d, want %d; stderr:\n%s", code, exitProblem, errOut)
	}
	if want := target + " does not exist: run cairn codeowners and commit it\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("--check wrote the file")
	}

	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners"}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if want := "wrote " + target + "\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), codeowners.Header+"\n") || !strings.Contains(string(data), "\n/content/acme/ @ann @msp/tech\n") || !strings.Contains(string(data), "\n/.github/CODEOWNERS @ann\n") {
		t.Errorf("unexpected CODEOWNERS:\n%s", data)
	}

	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners", "--check"}, f); code != exitOK {
		t.Fatalf("--check after writing: exit %d; stderr:\n%s", code, errOut)
	}
	if want := target + " is up to date\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}

	// access.toml changes: --check fails, and writes nothing.
	if err := testsite.WriteFiles(dir, map[string]string{"access.toml": strings.Replace(ownersAccess, `team = "@msp/tech"`, `team = "@msp/engineers"`, 1)}); err != nil {
		t.Fatal(err)
	}
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners", "--check"}, f); code != exitProblem {
		t.Fatalf("--check when stale: exit %d; stderr:\n%s", code, errOut)
	}
	if want := target + " is out of date: run cairn codeowners and commit the result\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	if again, _ := os.ReadFile(target); string(again) != string(data) {
		t.Error("--check changed the file")
	}
}

func TestCodeownersOutputAndAccessErrors(t *testing.T) {
	dir := ownersSite(t, nil)

	// --output is relative to the current folder, like cairn build's.
	out := filepath.Join(dir, "docs", "CODEOWNERS")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	f, _, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners", "--output", out}, f); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), "\n/docs/CODEOWNERS @ann\n") {
		t.Fatalf("docs/CODEOWNERS (%v):\n%s", err, data)
	}
	// With no .github, and a file cairn wrote in docs/, that is where it
	// writes next time.
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "codeowners"}, f); code != exitOK || errOut.String() != out+" is up to date\n" {
		t.Fatalf("exit %d; stderr %q", code, errOut)
	}

	// An invalid handle in access.toml: the errors, exit 1, nothing written.
	bad := ownersSite(t, map[string]string{"access.toml": strings.Replace(ownersAccess, `forge = "@ann"`, `forge = "ann"`, 1)})
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", bad, "codeowners"}, f); code != exitProblem {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitProblem, errOut)
	}
	want := `access.toml:5:3: error: user "ann@msp.example": forge handle "ann" does not start with @
    hint: write the user's forge name after an @, like forge = "@dana"; a team belongs in a group's team key
cairn codeowners: access.toml has errors; fix them and run it again
`
	if errOut.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
	if _, err := os.Stat(filepath.Join(bad, "CODEOWNERS")); err == nil {
		t.Error("wrote CODEOWNERS from an access.toml with errors")
	}
}
