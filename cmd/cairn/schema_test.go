package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/schema"
)

func TestSchemaShowParsesItsArgument(t *testing.T) {
	f, _, _ := testFactory()
	var got *SchemaShowOptions
	cmd := newSchemaCmd(f, &globalOptions{Site: "somewhere"}, func(o *SchemaShowOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"show", "backup"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Type != "backup" || got.Global.Site != "somewhere" {
		t.Fatalf("options = %+v", got)
	}
	cmd.SetArgs([]string{"show"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "schema show takes one type") {
		t.Errorf("no type: %v", err)
	}
}

func TestSchemaShowPrintsFields(t *testing.T) {
	code, out, errOut := cli(t, "schema", "show", "--site", "../..", "configurations")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"FIELD", "KIND", "configuration_type", "select"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSchemaListListsEveryType(t *testing.T) {
	code, out, errOut := cli(t, "schema", "list", "--site", "../..")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	flex, err := filepath.Glob("../../schemas/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(schema.CoreTypes) + len(flex); len(lines) != want || len(flex) == 0 {
		t.Fatalf("%d lines, want %d (a header, %d core and %d flexible types):\n%s", len(lines), want, len(schema.CoreTypes), len(flex), out)
	}
	for i, want := range []string{
		"TYPE                     NAME              FIELDS  KIND",
		"configurations           Configurations    16      core",
		"contacts                 Contacts          8       core",
	} {
		if lines[i] != want {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], want)
		}
	}
	for _, want := range []string{
		"assets/backup            Backup            12      flexible",
		"assets/internet-wan      Internet / WAN    13      flexible",
		"checklists               Checklists        5       core",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("no line %q:\n%s", want, out)
		}
	}
}

func TestSchemaListRefusals(t *testing.T) {
	dir := newSite(t)
	writeFile(t, dir, "schemas/evil.toml", "name = \"Evil\\u001b[2J\"\n[[fields]]\nname = \"x\"\nkind = \"text\"\nuse_for_title = true\n")
	code, out, errOut := cli(t, "schema", "list", "-C", dir)
	if code != 0 || !strings.Contains(out, "assets/evil              Evil\\x1b[2J       1       flexible\n") {
		t.Errorf("exit %d, a hostile name is not escaped:\n%q\n%s", code, out, errOut)
	}
	writeFile(t, dir, "schemas/broken.toml", "name = \"Broken\"\n[[fields]]\nname = \"x\"\nkind = \"txt\"\n")
	code, out, errOut = cli(t, "schema", "list", "-C", dir)
	if want := "cairn: schemas/broken.toml:2:3: field \"x\" has unknown kind \"txt\" (run cairn check)\n"; code != exitFatal || out != "" || errOut != want {
		t.Errorf("broken schema: exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
	code, _, errOut = cli(t, "schema", "list", "-C", t.TempDir())
	if code != exitFatal || !strings.Contains(errOut, "cairn.toml") {
		t.Errorf("not a site: exit %d, %q", code, errOut)
	}
	code, _, errOut = cli(t, "schema", "list", "backup")
	if want := "cairn: schema list takes no arguments: cairn schema show TYPE shows one type\nRun 'cairn --help' for usage.\n"; code != exitUsage || errOut != want {
		t.Errorf("an argument: exit %d, %q", code, errOut)
	}
}
