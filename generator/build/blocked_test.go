package build

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/site"
)

func TestBlocked(t *testing.T) {
	for _, tc := range []struct {
		name     string
		file     string
		content  string
		siteWide bool
		stopped  string // portals stopped, sorted, comma-separated
	}{
		{"error in another client", "content/other/configurations/bad.toml", "name = \"bad\"\nconfiguration_type = \"Toaster\"\n", false, "helpdesk,internal"},
		{"error in acme", "content/acme/configurations/bad.toml", "name = \"bad\"\nconfiguration_type = \"Toaster\"\n", false, "acme,helpdesk,internal"},
		{"error in an item acme's portal cannot see", "content/acme/passwords/bad.toml", "name = \"bad\"\nnosuchfield = 1\n", false, "acme,helpdesk,internal"},
		{"error in a schema", "schemas/broken.toml", "name = \"Broken\"\n[[fields]]\nname = \"x\"\nkind = \"nosuchkind\"\n", true, ""},
		{"error outside any organization", "content/stray/configurations/x.toml", "name = \"x\"\nconfiguration_type = \"Toaster\"\n", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range canarySite {
				files[k] = v
			}
			files[tc.file] = tc.content
			root := writeSite(t, files)
			res, err := site.Open(context.Background(), root, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if res.Diags.Err() == nil {
				t.Fatal("the site has no error")
			}
			names := access.Portals(res.Site)
			siteWide, byPortal, err := Blocked(res.Site, res.Diags.Sorted(), names)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(siteWide) > 0; got != tc.siteWide {
				t.Errorf("site-wide errors: %v, want %v (%v)", siteWide, tc.siteWide, res.Diags.Sorted())
			}
			var stopped []string
			for n, ds := range byPortal {
				stopped = append(stopped, n)
				for _, d := range ds {
					if d.Severity != diag.Error || !strings.HasPrefix(d.Pos.File, tc.file) {
						t.Errorf("portal %s stopped by %v", n, d)
					}
				}
			}
			sort.Strings(stopped)
			if got := strings.Join(stopped, ","); got != tc.stopped {
				t.Errorf("stopped portals %q, want %q", got, tc.stopped)
			}
		})
	}
}

func TestDiagOrg(t *testing.T) {
	for in, want := range map[string]string{
		"content/acme/configurations/fw.toml": "acme",
		"content/acme/org.toml":               "acme",
		"content/readme.md":                   "",
		"access.toml":                         "",
		"schemas/content/x.toml":              "",
		"":                                    "",
	} {
		if got := diagOrg(in); got != want {
			t.Errorf("diagOrg(%q) = %q, want %q", in, got, want)
		}
	}
}
