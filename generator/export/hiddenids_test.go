package export_test

import (
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/export"
)

// TestPortalExportNamesNoHiddenItem exports the demo for each portal, in
// both formats, and searches every file of the export for the id and the
// source path (content/<org>/...) of every item the portal may not see: a
// field, related key or Markdown link to a hidden item must not spell out
// the hidden item's id in an export handed to that audience.
func TestPortalExportNamesNoHiddenItem(t *testing.T) {
	s := openSite(t, demoRoot)
	for _, portal := range access.Portals(s) {
		v, err := access.NewView(s, portal)
		if err != nil {
			t.Fatal(err)
		}
		var hidden []string
		for _, it := range s.Items {
			if !v.CanSee(it.ID) {
				hidden = append(hidden, it.ID, it.File)
			}
		}
		if len(hidden) == 0 {
			continue
		}
		for _, format := range export.Formats {
			m := run(t, s, export.Options{Format: format, Scope: v})
			found := map[string]string{}
			for name, data := range m.files {
				for _, h := range hidden {
					if _, seen := found[h]; !seen && (strings.Contains(string(data), h) || strings.Contains(name, h)) {
						found[h] = name
					}
				}
			}
			for h, name := range found {
				t.Errorf("portal %s, %s export: %s names hidden %s", portal, format, name, h)
			}
		}
	}
}

// TestPortalExportHidesReferences exports a site for a portal that sees
// acme's documents but not its contacts, and checks each way a reference
// to the hidden contact is written: a related value (in TOML and in front
// matter), a wiki link with and without a label, a relative link, and a
// link in the organization's quick notes and alerts.
func TestPortalExportHidesReferences(t *testing.T) {
	s := openSite(t, writeSite(t, map[string]string{
		"cairn.toml":                            "title = \"T\"\n",
		"access.toml":                           "[groups.docs]\norgs = [\"acme\"]\ntypes = [\"documents\", \"configurations\"]\n\n[portals.client]\ngroups = [\"docs\"]\n",
		"content/acme/org.toml":                 "name = \"Acme\"\nquick_notes = \"Call [[contacts/sam-okafor]].\"\n\n[[alerts]]\nlevel = \"info\"\nmessage = \"Ring [[contacts/sam-okafor]] first\"\n",
		"content/acme/contacts/sam-okafor.toml": "first_name = \"Sam\"\nlast_name = \"Okafor\"\n",
		"content/acme/configurations/sv1.toml":  "name = \"sv1\"\nconfiguration_type = \"Server\"\nrelated = [\"contacts/sam-okafor\"]\nnotes = \"Ask [[contacts/sam-okafor|the installer]].\"\n",
		"content/acme/documents/restore.md": "+++\ntitle = \"Restore\"\nrelated = [\"contacts/sam-okafor\"]\n+++\n\nCall [[contacts/sam-okafor]], or [Sam](../contacts/sam-okafor.toml), " +
			"or [[contacts/sam-okafor|the installer]]; start on [[configurations/sv1]].\n",
	}))
	v, err := access.NewView(s, "client")
	if err != nil {
		t.Fatal(err)
	}
	m := run(t, s, export.Options{Format: "json", Scope: v})
	m.files["organizations.csv"] = run(t, s, export.Options{Format: "csv", Scope: v, Type: ""}).files["organizations.csv"]
	want := map[string]string{
		"configurations.json": `"related": [
        "not in this portal"
      ]`,
		"content/acme/documents/restore.md": "+++\ntitle = \"Restore\"\nrelated = [\"not in this portal\"]\n+++\n\nCall not in this portal, or [Sam](), " +
			"or the installer; start on [[configurations/sv1]].\n",
		"organizations.json": `"quick_notes": "Call not in this portal."`,
		"organizations.csv":  `Ring not in this portal first`,
	}
	for name, w := range want {
		if got := string(m.files[name]); !strings.Contains(got, w) {
			t.Errorf("%s:\n%s\nlacks\n%s", name, got, w)
		}
	}
	if got := string(m.files["configurations.json"]); !strings.Contains(got, `"notes": "Ask the installer."`) {
		t.Errorf("configurations.json:\n%s\nlacks the link's label", got)
	}
	for name, data := range m.files {
		if strings.Contains(string(data), "sam-okafor") {
			t.Errorf("%s names the hidden contact", name)
		}
	}
}
