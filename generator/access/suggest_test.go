package access_test

import (
	"testing"

	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// TestSuggestURL checks when a portal's item page links to cairn collab:
// only with [collab] url set, and only for items a group of the portal
// may edit (not archived, not hidden, of an edit type, or a checklist
// whose tasks it may tick).
func TestSuggestURL(t *testing.T) {
	files := map[string]string{
		"access.toml": `[groups.staff]
orgs = ["*"]
[groups.client]
orgs = ["acme"]
types = ["configurations", "contacts", "checklists"]
[groups.client.edit]
types = ["configurations"]
tasks = "all"
[portals.staff]
groups = ["staff"]
[portals.client]
groups = ["client"]
`,
		"content/acme/org.toml":                  "name = \"Acme\"\n",
		"content/acme/configurations/ws1.toml":   "name = \"ws1\"\nconfiguration_type = \"Workstation\"\n",
		"content/acme/configurations/old.toml":   "name = \"old\"\nconfiguration_type = \"Workstation\"\narchived = true\n",
		"content/acme/configurations/staff.toml": "name = \"staff\"\nconfiguration_type = \"Workstation\"\naccess = [\"staff\"]\n",
		"content/acme/contacts/ana.toml":         "first_name = \"Ana\"\n",
		"content/acme/checklists/on.md":          "+++\ntitle = \"On\"\n+++\n\n- [ ] a\n",
	}
	for _, withURL := range []bool{false, true} {
		files["cairn.toml"] = "title = \"T\"\n"
		if withURL {
			files["cairn.toml"] += "[collab]\nurl = \"https://docs.example/collab/\"\n"
		}
		s := sitetest.Open(t, sitetest.Write(t, files)).Site
		client, staff := view(t, s, "client"), view(t, s, "staff")
		tests := []struct {
			v    string
			id   string
			want string
		}{
			{"client", "acme/configurations/ws1", "https://docs.example/collab/item/acme/configurations/ws1"},
			{"client", "acme/checklists/on", "https://docs.example/collab/item/acme/checklists/on"},
			{"client", "acme/contacts/ana", ""},
			{"client", "acme/configurations/old", ""},
			{"client", "acme/configurations/staff", ""},
			{"staff", "acme/configurations/ws1", ""},
		}
		for _, tc := range tests {
			v := client
			if tc.v == "staff" {
				v = staff
			}
			want := tc.want
			if !withURL {
				want = ""
			}
			if got := v.SuggestURL(tc.id); got != want {
				t.Errorf("url %v, portal %s, %s: %q, want %q", withURL, tc.v, tc.id, got, want)
			}
		}
	}
}
