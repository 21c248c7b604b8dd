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
		{"check explain", newCheckCmd(f, g, func(o *CheckOptions) error { return record(*o) }),
			[]string{"--explain", "naming", "--no-advisor"}, CheckOptions{Format: "text", Explain: "naming", NoAdvisor: true}},
		{"build", newBuildCmd(f, g, func(o *BuildOptions) error { return record(*o) }),
			[]string{"--portal", "acme", "--portal", "internal", "-o", "www", "--no-runbooks", "--passphrase-file", "acme=pass.txt", "--today", "2026-01-02"},
			BuildOptions{Portals: []string{"acme", "internal"}, Output: "www", NoRunbooks: true, PassphraseFiles: []string{"acme=pass.txt"}, Today: "2026-01-02"}},
		{"build runbooks only", newBuildCmd(f, g, func(o *BuildOptions) error { return record(*o) }),
			[]string{"--runbooks-only"}, BuildOptions{RunbooksOnly: true}},
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
		// expiry alerts and review cadences
		{"expiring", newExpiringCmd(f, g, func(o *ExpiringOptions) error { return record(*o) }),
			[]string{"--within", "90d", "--fail-within", "7d", "--org", "acme", "--today", "2026-11-23", "--format", "ics", "--notify", "https://hooks.example/x"},
			ExpiringOptions{Within: "90d", FailWithin: "7d", Org: "acme", Today: "2026-11-23", Format: "ics", Notify: "https://hooks.example/x"}},
		{"expiring defaults", newExpiringCmd(f, g, func(o *ExpiringOptions) error { return record(*o) }),
			nil, ExpiringOptions{Format: "text"}},
		{"stale", newStaleCmd(f, g, func(o *StaleOptions) error { return record(*o) }),
			[]string{"--org", "acme", "--today", "2026-11-23", "--format", "json"}, StaleOptions{Org: "acme", Today: "2026-11-23", Format: "json"}},
		{"codeowners", newCodeownersCmd(f, g, func(o *CodeownersOptions) error { return record(*o) }),
			[]string{"--output", ".gitlab/CODEOWNERS", "--check"}, CodeownersOptions{Output: ".gitlab/CODEOWNERS", Check: true}},
		{"schema export", newSchemaExportCmd(f, g, func(o *SchemaExportOptions) error { return record(*o) }),
			[]string{"editor-schemas", "--taplo"}, SchemaExportOptions{Dir: "editor-schemas", Taplo: true}},
		{"schema export defaults", newSchemaExportCmd(f, g, func(o *SchemaExportOptions) error { return record(*o) }),
			nil, SchemaExportOptions{}},
		{"access review", newAccessCmd(f, g, func(o *AccessReviewOptions) error { return record(*o) }),
			[]string{"review", "--since", "v1.4", "--format", "csv"}, AccessReviewOptions{Since: "v1.4", Format: "csv"}},
		{"access review defaults", newAccessCmd(f, g, func(o *AccessReviewOptions) error { return record(*o) }),
			[]string{"review"}, AccessReviewOptions{Format: "text"}},
		{"diff", newDiffCmd(f, g, func(o *DiffOptions) error { return record(*o) }),
			[]string{"main", "HEAD", "--format", "markdown"}, DiffOptions{Base: "main", Head: "HEAD", Format: "markdown"}},
		{"diff defaults", newDiffCmd(f, g, func(o *DiffOptions) error { return record(*o) }),
			nil, DiffOptions{Format: "text"}},
		{"keys init asks", newKeysCmd(f, g, func(verb string, o *KeysOptions) error { return record(*o) }),
			[]string{"init"}, KeysOptions{}},
		// issue 10 item 2: cairn history
		{"history", newHistoryCmd(f, g, func(o *HistoryOptions) error { return record(*o) }),
			[]string{"acme/configurations/fw01", "--format", "json"}, HistoryOptions{ID: "acme/configurations/fw01", Format: "json"}},
		{"history defaults", newHistoryCmd(f, g, func(o *HistoryOptions) error { return record(*o) }),
			[]string{"acme"}, HistoryOptions{ID: "acme", Format: "text"}},
		// checklists and exports (issue 10 items 5-6)
		{"checklist", newChecklistCmd(f, g, func(o *ChecklistOptions) error { return record(*o) }, nil),
			[]string{"--org", "acme", "--format", "json", "--today", "2026-11-23"},
			ChecklistOptions{Org: "acme", Format: "json", Today: "2026-11-23"}},
		{"checklist defaults", newChecklistCmd(f, g, func(o *ChecklistOptions) error { return record(*o) }, nil),
			nil, ChecklistOptions{Format: "text"}},
		{"checklist start", newChecklistCmd(f, g, nil, func(o *ChecklistStartOptions) error { return record(*o) }),
			[]string{"start", "onboarding", "acme", "--due", "2026-12-01", "--assignee", "dana", "--title", "Onboarding: Jo", "--slug", "onboard-jo", "--today", "2026-11-23"},
			ChecklistStartOptions{Template: "onboarding", Org: "acme", Due: "2026-12-01", Assignee: "dana", Title: "Onboarding: Jo", Slug: "onboard-jo", Today: "2026-11-23"}},
		{"export", newExportCmd(f, g, func(o *ExportOptions) error { return record(*o) }),
			[]string{"--org", "acme", "--type", "configurations", "--portal", "acme", "--format", "json", "-o", "out.zip", "--include-secrets", "--recipient", "age1x"},
			ExportOptions{Org: "acme", Type: "configurations", Portal: "acme", Format: "json", Output: "out.zip", IncludeSecrets: true, Recipients: []string{"age1x"}}},
		{"export defaults", newExportCmd(f, g, func(o *ExportOptions) error { return record(*o) }),
			[]string{"--format", "csv"}, ExportOptions{Format: "csv"}},
		{"collab", newCollabCmd(f, g, func(o *CollabOptions) error { return record(*o) }),
			[]string{"--remote", "../docs.git", "--state", "st", "--branch", "trunk", "--bind", "0.0.0.0", "--port", "9000", "--trusted-proxy", "10.0.0.5", "--header", "X-Email", "--rate", "30"},
			CollabOptions{Remote: "../docs.git", State: "st", Branch: "trunk", Bind: "0.0.0.0", Port: 9000, TrustedProxy: "10.0.0.5", Header: "X-Email", Rate: 30}},
		{"collab defaults", newCollabCmd(f, g, func(o *CollabOptions) error { return record(*o) }),
			nil, CollabOptions{Bind: "127.0.0.1", Port: 8089, Header: "X-Forwarded-Email", Rate: 120}},
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
