package check_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// TestEditRights checks each rejection of a group's edit table with the
// exact message a user reads, and that valid rights pass.
func TestEditRights(t *testing.T) {
	const group = "[groups.client]\norgs = [\"acme\"]\ntypes = [\"configurations\", \"contacts\", \"passwords\", \"checklists\"]\n"
	tests := []struct {
		name, edit string
		want       []string
	}{
		{"valid", "types = [\"configurations\"]\ncreate = [\"contacts\", \"passwords\"]\ntasks = \"assigned\"\n[groups.client.edit.fields]\nconfigurations = [\"contact\", \"status\"]\n", nil},
		{"empty", "", []string{`group "client": edit names no right`}},
		{"unknown type", "types = [\"configuration\"]\n", []string{`group "client": edit types names unknown type "configuration"`}},
		{"unseen type", "types = [\"locations\"]\n", []string{`group "client": edit types names type "locations", which the group may not see`}},
		{"unseen create", "create = [\"domains\"]\n", []string{`group "client": edit create names type "domains", which the group may not see`}},
		{"create documents", "create = [\"documents\"]\n", []string{`group "client": edit create entry "documents" is not a type members can add`}},
		{"unknown field", "types = [\"configurations\"]\n[groups.client.edit.fields]\nconfigurations = [\"contacts\"]\n", []string{`group "client": edit fields of configurations name unknown field "contacts"`}},
		{"fields not editable", "types = [\"configurations\"]\n[groups.client.edit.fields]\ncontacts = [\"title\"]\n", []string{`group "client": edit fields name type "contacts", which is not in edit types`}},
		{"fields unknown type", "types = [\"configurations\"]\n[groups.client.edit.fields]\nnope = [\"x\"]\n", []string{`group "client": edit fields name unknown type "nope"`}},
		{"password field", "types = [\"passwords\"]\n[groups.client.edit.fields]\npasswords = [\"password\"]\n", []string{`group "client": edit fields of passwords name the password field "password"`}},
		{"bad tasks", "tasks = \"mine\"\n", []string{`group "client": unknown edit tasks setting "mine"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{
				"cairn.toml":            "title = \"Edit\"\n",
				"access.toml":           group + "[groups.client.edit]\n" + tc.edit + "[portals.client]\ngroups = [\"client\"]\n",
				"content/acme/org.toml": "name = \"Acme\"\nkind = \"client\"\n",
			}
			if tc.name == "empty" {
				files["access.toml"] = group + "edit = {}\n[portals.client]\ngroups = [\"client\"]\n"
			}
			if err := testsite.WriteFiles(root, files); err != nil {
				t.Fatal(err)
			}
			res, err := site.Open(context.Background(), root, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range res.Diags.Sorted() {
				if d.Pos.File == "access.toml" {
					got = append(got, d.Message)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestCollabConfig checks cairn.toml's [collab] table with the exact
// messages.
func TestCollabConfig(t *testing.T) {
	tests := []struct {
		table string
		want  []string
	}{
		{"url = \"https://docs.example/collab/\"\nforge = \"github\"\nrepo = \"a/b\"\n", nil},
		{"url = \"docs.example/collab\"\n", []string{`[collab] url "docs.example/collab" is not an http(s) address`}},
		{"forge = \"gitub\"\nrepo = \"a/b\"\n", []string{`[collab] unknown forge "gitub"`}},
		{"forge = \"gitlab\"\n", []string{"[collab] names a forge but no repo"}},
	}
	for _, tc := range tests {
		root := t.TempDir()
		files := map[string]string{
			"cairn.toml":            "title = \"C\"\n[collab]\n" + tc.table,
			"access.toml":           "[groups.staff]\norgs = [\"*\"]\n[portals.internal]\ngroups = [\"staff\"]\n",
			"content/acme/org.toml": "name = \"Acme\"\n",
		}
		if err := testsite.WriteFiles(root, files); err != nil {
			t.Fatal(err)
		}
		res, err := site.Open(context.Background(), root, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Diags.Sorted() {
			if d.Pos.File == "cairn.toml" {
				got = append(got, d.Message)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q: diagnostics %q, want %q", tc.table, got, tc.want)
		}
	}
}
