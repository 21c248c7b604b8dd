package main

import (
	"reflect"
	"testing"

	"github.com/spf13/cobra"
)

// TestCommandsBindFlagsToOptions runs each command's constructor with a
// run function that records the options it is given, so flag parsing is
// tested without running the command: the GitHub CLI's shape, where every
// command is a constructor, an Options struct and a run function.
func TestCommandsBindFlagsToOptions(t *testing.T) {
	f, _, _ := testFactory()
	g := &globalOptions{Site: "site"}
	var got any
	record := func(o any) error { got = o; return nil }
	cases := []struct {
		name string
		cmd  *cobra.Command
		args []string
		want any
	}{
		{"check", newCheckCmd(f, g, func(o *CheckOptions) error { return record(*o) }),
			[]string{"--strict", "--format", "github", "--today", "2026-11-23"},
			CheckOptions{Strict: true, Format: "github", Today: "2026-11-23"}},
		{"check defaults", newCheckCmd(f, g, func(o *CheckOptions) error { return record(*o) }),
			nil, CheckOptions{Format: "text"}},
		{"check sarif", newCheckCmd(f, g, func(o *CheckOptions) error { return record(*o) }),
			[]string{"--format", "sarif"}, CheckOptions{Format: "sarif"}},
		{"check files", newCheckCmd(f, g, func(o *CheckOptions) error { return record(*o) }),
			[]string{"--files", "content/a/org.toml", "README.md"},
			CheckOptions{Format: "text", Files: true, Paths: []string{"content/a/org.toml", "README.md"}}},
		{"build", newBuildCmd(f, g, func(o *BuildOptions) error { return record(*o) }),
			[]string{"--portal", "acme", "--portal", "internal", "-o", "www", "--no-runbooks", "--passphrase-file", "acme=pass.txt", "--today", "2026-01-02"},
			BuildOptions{Portals: []string{"acme", "internal"}, Output: "www", NoRunbooks: true, PassphraseFiles: []string{"acme=pass.txt"}, Today: "2026-01-02"}},
		{"runbook", newRunbookCmd(f, g, func(o *RunbookOptions) error { return record(*o) }),
			[]string{"acme", "--portal", "client", "--types", "configurations,assets/backup", "--include-archived", "-o", "-"},
			RunbookOptions{Org: "acme", Portal: "client", Types: []string{"configurations", "assets/backup"}, IncludeArchived: true, Output: "-"}},
		{"serve", newServeCmd(f, g, func(o *ServeOptions) error { return record(*o) }),
			[]string{"--portal", "acme", "--port", "0", "--bind", "::1"},
			ServeOptions{Portal: "acme", Port: 0, Bind: "::1"}},
		{"serve defaults", newServeCmd(f, g, func(o *ServeOptions) error { return record(*o) }),
			nil, ServeOptions{Port: 8088, Bind: "127.0.0.1"}},
		{"new item", newNewCmd(f, g, func(o *NewOptions) error { return record(*o) }),
			[]string{"configurations", "acme", "sv-dc01"},
			NewOptions{Type: "configurations", Org: "acme", Slug: "sv-dc01"}},
		{"new item with --set", newNewCmd(f, g, func(o *NewOptions) error { return record(*o) }),
			[]string{"configurations", "acme", "sv-dc01", "--set", "status=Active", "--set", "model=R7, rack"},
			NewOptions{Type: "configurations", Org: "acme", Slug: "sv-dc01", Sets: []string{"status=Active", "model=R7, rack"}}},
		{"schema list", newSchemaListCmd(f, g, func(o *SchemaListOptions) error { return record(*o) }),
			nil, SchemaListOptions{}},
		{"new org", newNewCmd(f, g, func(o *NewOptions) error { return record(*o) }),
			[]string{"org", "acme"}, NewOptions{Type: "org", Slug: "acme"}},
		{"init", newInitCmd(f, func(o *InitOptions) error { return record(*o) }),
			[]string{"it-docs"}, InitOptions{Dir: "it-docs"}},
		{"keys init", newKeysCmd(f, g, func(verb string, o *KeysOptions) error { return record(*o) }),
			[]string{"init", "--add-to-sops"}, KeysOptions{AddToSops: true, AddToSopsSet: true}},
		{"codeowners", newCodeownersCmd(f, g, func(o *CodeownersOptions) error { return record(*o) }),
			[]string{"--output", ".gitlab/CODEOWNERS", "--check"}, CodeownersOptions{Output: ".gitlab/CODEOWNERS", Check: true}},
		{"schema export", newSchemaExportCmd(f, g, func(o *SchemaExportOptions) error { return record(*o) }),
			[]string{"editor-schemas", "--taplo"}, SchemaExportOptions{Dir: "editor-schemas", Taplo: true}},
		{"schema export defaults", newSchemaExportCmd(f, g, func(o *SchemaExportOptions) error { return record(*o) }),
			nil, SchemaExportOptions{}},
		{"keys init asks", newKeysCmd(f, g, func(verb string, o *KeysOptions) error { return record(*o) }),
			[]string{"init"}, KeysOptions{}},
		{"import itglue", newImportCmd(f, g, func(o *ImportOptions) error { return record(*o) }),
			[]string{"itglue", "export.zip", "--into", "it-docs", "--recipient", "age1a", "--recipient", "age1b", "--dry-run", "--format", "json"},
			ImportOptions{Export: "export.zip", Into: "it-docs", Recipients: []string{"age1a", "age1b"}, DryRun: true, Format: "json"}},
		{"import itglue defaults", newImportCmd(f, g, func(o *ImportOptions) error { return record(*o) }),
			[]string{"itglue", "export"}, ImportOptions{Export: "export", Format: "text"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got = nil
			c.cmd.SetArgs(c.args)
			if err := c.cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			// Compare the parsed fields only: the dependencies (IO, clock,
			// environment, global flags) are the factory's.
			gv := reflect.ValueOf(got)
			if !gv.IsValid() {
				t.Fatal("the run function was not called")
			}
			wv := reflect.ValueOf(c.want)
			for i := 0; i < wv.NumField(); i++ {
				name := wv.Type().Field(i).Name
				switch name {
				case "IO", "Global", "Now", "Getenv":
					if name == "Global" && gv.Field(i).Interface() != any(g) {
						t.Errorf("Global is not the root's global options")
					}
					continue
				}
				if a, b := gv.Field(i).Interface(), wv.Field(i).Interface(); !reflect.DeepEqual(a, b) {
					t.Errorf("%s = %#v, want %#v", name, a, b)
				}
			}
		})
	}
}
