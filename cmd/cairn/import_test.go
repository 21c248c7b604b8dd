package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/importer/itglue/itgluetest"

	"filippo.io/age"

	"github.com/cairn-it/cairn/generator/scaffold"
)

// noCanary reports each of the export's secret values (itgluetest.Secrets)
// found in text.
func noCanary(t *testing.T, canaries []string, where, text string) {
	t.Helper()
	for i, c := range canaries {
		if strings.Contains(text, c) {
			t.Errorf("canary %d found in %s", i, where)
		}
	}
}

// TestImportCommandThenCheckAndBuild imports the fixture export into a new
// site, then checks it and builds its portals and runbooks, as a person
// would; no password value reaches stdout, stderr or the built output.
func TestImportCommandThenCheckAndBuild(t *testing.T) {
	itglueFixture := itgluetest.Basic(t)
	canaries := itgluetest.Secrets(t, itglueFixture)
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	id, _ := age.GenerateX25519Identity()
	f, out, errOut := testFactory()
	code := run(context.Background(), []string{"import", "itglue", itglueFixture, "--into", dir, "--recipient", id.Recipient().String(), "--format", "json"}, f)
	noCanary(t, canaries, "stdout", out.String())
	noCanary(t, canaries, "stderr", errOut.String())
	if code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	var rep struct {
		Items map[string]int `json:"items"`
		Files map[string]int `json:"files"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--format json: %v", err)
	}
	if rep.Items["configurations"] != 4 || rep.Files["created"] == 0 {
		t.Errorf("report: %+v", rep)
	}
	f, out, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "check", "--today", "2025-06-01"}, f); code != exitOK {
		t.Fatalf("check after import: exit %d\n%s%s", code, out, errOut)
	}
	f, out, errOut = testFactory()
	public := filepath.Join(t.TempDir(), "public")
	if code := run(context.Background(), []string{"-C", dir, "build", "--output", public, "--today", "2025-06-01"}, f); code != exitOK {
		t.Fatalf("build after import: exit %d\n%s%s", code, out, errOut)
	}
	runbooks := 0
	filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".pdf") {
			runbooks++
		}
		b, _ := os.ReadFile(p)
		noCanary(t, canaries, p, string(b))
		return nil
	})
	if runbooks == 0 {
		t.Error("no runbook was built")
	}
	// The second import changes nothing.
	f, out, errOut = testFactory()
	if code := run(context.Background(), []string{"import", "itglue", itglueFixture, "--into", dir}, f); code != exitOK {
		t.Fatalf("second import: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "files: 0 created, 0 updated, ") {
		t.Errorf("second import:\n%s", out)
	}
}

func TestImportCommandRefusesPasswordsWithoutRecipient(t *testing.T) {
	itglueFixture := itgluetest.Basic(t)
	canaries := itgluetest.Secrets(t, itglueFixture)
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory()
	code := run(context.Background(), []string{"import", "itglue", itglueFixture, "--into", dir}, f)
	noCanary(t, canaries, "stdout", out.String())
	noCanary(t, canaries, "stderr", errOut.String())
	if code != exitProblem {
		t.Fatalf("exit %d, want %d", code, exitProblem)
	}
	if !strings.Contains(errOut.String(), "pass --recipient age1...") || !strings.Contains(errOut.String(), "nothing was written") {
		t.Errorf("stderr: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/acme-dental")); err == nil {
		t.Error("an organization was written")
	}
}
