package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitWritesEditorFiles: a new site carries the schema of every type
// and a .taplo.toml whose every schema path exists, and cairn schema
// export rewrites the same bytes.
func TestInitWritesEditorFiles(t *testing.T) {
	dir := newSite(t)
	taplo := readFile(t, dir, ".taplo.toml")
	for _, want := range []string{
		"[[rule]]\nname = \"configurations\"\ninclude = [\"content/*/configurations/*.toml\"]\nschema.path = \".cairn/schemas/configurations.schema.json\"\n",
		"include = [\"content/*/assets/backup/*.toml\"]\nschema.path = \".cairn/schemas/assets-backup.schema.json\"\n",
	} {
		if !strings.Contains(taplo, want) {
			t.Errorf(".taplo.toml lacks %q:\n%s", want, taplo)
		}
	}
	if strings.Contains(taplo, "documents") || strings.Contains(taplo, "checklists") {
		t.Errorf(".taplo.toml maps Markdown types, which taplo does not read:\n%s", taplo)
	}
	for _, line := range strings.Split(taplo, "\n") {
		if p, ok := strings.CutPrefix(line, "schema.path = "); ok {
			if _, err := os.Stat(filepath.Join(dir, strings.Trim(p, `"`))); err != nil {
				t.Errorf(".taplo.toml points at a missing schema: %v", err)
			}
		}
	}
	before := readFile(t, dir, ".cairn/schemas/assets-backup.schema.json")
	// A type the site dropped: its schema goes with the next export.
	if err := os.Remove(filepath.Join(dir, "schemas", "wireless.toml")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, ".cairn/schemas/README.md", "kept: not a schema\n")
	code, stdout, stderr := cli(t, "-C", dir, "schema", "export", "--taplo")
	if code != 0 {
		t.Fatalf("schema export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(dir, ".cairn", "schemas", "documents.schema.json")+"\n") ||
		!strings.HasSuffix(stdout, filepath.Join(dir, ".taplo.toml")+"\n") {
		t.Errorf("schema export lists:\n%s", stdout)
	}
	if readFile(t, dir, ".cairn/schemas/assets-backup.schema.json") != before {
		t.Error("schema export wrote other bytes than cairn init")
	}
	if _, err := os.Stat(filepath.Join(dir, ".cairn", "schemas", "assets-wireless.schema.json")); !os.IsNotExist(err) {
		t.Errorf("the schema of a dropped type is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".cairn", "schemas", "README.md")); err != nil {
		t.Errorf("export removed a file that is not a schema: %v", err)
	}
	if got := readFile(t, dir, ".taplo.toml"); got != strings.Replace(taplo, "\n[[rule]]\nname = \"assets/wireless\"\ninclude = [\"content/*/assets/wireless/*.toml\"]\nschema.path = \".cairn/schemas/assets-wireless.schema.json\"\n", "", 1) || got == taplo {
		t.Errorf(".taplo.toml after dropping a type:\n%s", got)
	}
	if code, out, _ := cli(t, "-C", dir, "check", "--strict"); code != 0 {
		t.Fatalf("a new site with its editor files fails check:\n%s", out)
	}
}

// TestSchemaExportRefusals: a broken schema file stops the export before
// anything is written, and --taplo needs the schemas inside the site.
func TestSchemaExportRefusals(t *testing.T) {
	dir := newSite(t)
	writeFile(t, dir, "schemas/backup.toml", "name = \"Backup\"\n\n[[fields]]\nname = \"job\"\nkind = \"txt\"\n")
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := cli(t, "-C", dir, "schema", "export", out)
	if code != 1 || stdout != "" {
		t.Errorf("broken schema: exit %d, stdout %q", code, stdout)
	}
	for _, want := range []string{"schemas/backup.toml:3:3: error: field \"job\" has unknown kind \"txt\"\n    hint: did you mean \"text\"?", "fix the schema errors above first"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused export made %s: %v", out, err)
	}

	dir = newSite(t)
	outside := t.TempDir()
	if err := os.RemoveAll(filepath.Join(dir, ".cairn")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, ".cairn")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = cli(t, "-C", dir, "schema", "export")
	if code != 3 || !strings.Contains(stderr, "is not a folder (a symbolic link or a file): cairn writes schemas only inside the site") {
		t.Errorf("linked .cairn: exit %d: %s", code, stderr)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("schema export wrote through a linked .cairn: %v", entries)
	}

	dir = newSite(t)
	code, _, stderr = cli(t, "-C", dir, "schema", "export", "--taplo", out)
	if code != 2 || !strings.Contains(stderr, "--taplo needs DIR inside the site") {
		t.Errorf("--taplo outside the site: exit %d: %s", code, stderr)
	}
}

// TestNewWritesSchemaDirective: cairn new starts a TOML item with the
// #:schema line pointing at its type's exported schema (the path taken
// from the item's folder exists), and leaves it out where the site has
// no exported schema and for Markdown types.
func TestNewWritesSchemaDirective(t *testing.T) {
	dir := newSite(t)
	for _, c := range []struct{ typ, rel, want string }{
		{"configurations", "content/example/configurations/fw02.toml", "#:schema ../../../.cairn/schemas/configurations.schema.json\n"},
		{"backup", "content/example/assets/backup/fw02.toml", "#:schema ../../../../.cairn/schemas/assets-backup.schema.json\n"},
		{"documents", "content/example/documents/fw02.md", "+++\n"},
	} {
		if code, _, stderr := cli(t, "-C", dir, "new", c.typ, "example", "fw02"); code != 0 {
			t.Fatalf("new %s: exit %d: %s", c.typ, code, stderr)
		}
		text := readFile(t, dir, c.rel)
		first := text[:strings.IndexByte(text, '\n')+1]
		if first != c.want {
			t.Errorf("%s starts with %q, want %q", c.rel, first, c.want)
		}
		if p, ok := strings.CutPrefix(strings.TrimSpace(first), "#:schema "); ok {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(filepath.Dir(c.rel)), filepath.FromSlash(p))); err != nil {
				t.Errorf("the directive of %s points at a missing file: %v", c.rel, err)
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, ".cairn", "schemas")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "-C", dir, "new", "configurations", "example", "fw03"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	if text := readFile(t, dir, "content/example/configurations/fw03.toml"); strings.HasPrefix(text, "#:schema") {
		t.Errorf("new wrote a directive to a schema the site does not have:\n%s", text)
	}
}
