package build

import (
	"bytes"
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/testsite"
)

// historySite has two clients and portals that see different parts of
// it; one commit touches a file of each client.
var historySite = map[string]string{
	"cairn.toml": "title = \"History docs\"\nexpiry_window_days = 30\n",
	"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.helpdesk]
orgs = ["*"]
deny = ["*/passwords"]
[groups.ferrum-staff]
orgs = ["ferrum"]
types = ["configurations"]

[portals.internal]
groups = ["staff"]
[portals.internal-dates]
groups = ["staff"]
history = "dates"
[portals.helpdesk]
groups = ["helpdesk"]
[portals.ferrum]
groups = ["ferrum-staff"]
[portals.ferrum-full]
groups = ["ferrum-staff"]
history = "full"
`,
	"content/brightsmile/org.toml":                 "name = \"Bright Smile Dental\"\nkind = \"client\"\n",
	"content/ferrum/org.toml":                      "name = \"Ferrum Precision\"\nkind = \"client\"\n",
	"content/brightsmile/configurations/fw.toml":   "name = \"bs-fw\"\nconfiguration_type = \"Firewall\"\n",
	"content/ferrum/configurations/fw.toml":        "name = \"fe-fw\"\nconfiguration_type = \"Firewall\"\n",
	"content/brightsmile/passwords/admin.toml":     "name = \"Router admin\"\nusername = \"admin\"\n",
	"content/ferrum/configurations/untouched.toml": "name = \"fe-nas\"\nconfiguration_type = \"NAS\"\n",
}

// TestRecentlyChangedHidesGitMetadata commits once over two clients'
// files, with a subject naming both and a distinctive author, and builds
// every portal with the git history: only portals that see the whole site,
// or that opt in with history = "full", show subjects and author names;
// every portal still shows the dates.
func TestRecentlyChangedHidesGitMetadata(t *testing.T) {
	root := t.TempDir()
	setup := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	if err := testsite.CommitFiles(root, "Sam Setupwright", setup, "Set up CANARYSETUP docs", historySite); err != nil {
		t.Fatal(err)
	}
	change := time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC)
	const subject = "Renew the Bright Smile Dental and Ferrum Precision firewalls"
	const author = "Quinn Zebrowski"
	err := testsite.CommitFiles(root, author, change, subject+"\n\nCANARYBODY never shown.\n", map[string]string{
		"content/brightsmile/configurations/fw.toml": "name = \"bs-fw\"\nconfiguration_type = \"Firewall\"\nmodel = \"X2\"\n",
		"content/ferrum/configurations/fw.toml":      "name = \"fe-fw\"\nconfiguration_type = \"Firewall\"\nmodel = \"X2\"\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openSite(t, root)
	ix, err := history.Load(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, History: GitHistory(ix, s), NoRunbooks: true}); err != nil {
		t.Fatal(err)
	}

	secrets := []string{subject, author, "Bright Smile Dental and Ferrum", "Zebrowski", "CANARYSETUP", "Setupwright"}
	full := map[string]bool{"internal": true, "ferrum-full": true}
	for _, p := range []string{"internal", "internal-dates", "helpdesk", "ferrum", "ferrum-full"} {
		tree := readTree(t, filepath.Join(out, p))
		for _, canary := range secrets {
			var found []string
			for name, data := range tree {
				if bytes.Contains(data, []byte(canary)) {
					found = append(found, name)
				}
			}
			sort.Strings(found)
			if full[p] && canary != "CANARYSETUP" && canary != "Setupwright" && len(found) == 0 {
				t.Errorf("portal %s: %q appears in no file, but the portal shows git metadata", p, canary)
			}
			if !full[p] && len(found) > 0 {
				t.Errorf("portal %s: git metadata %q leaked into %s", p, canary, strings.Join(found, ", "))
			}
		}
		for name, data := range tree {
			if bytes.Contains(data, []byte("CANARYBODY")) {
				t.Errorf("portal %s: a commit body leaked into %s", p, name)
			}
		}
		// The dates stay, on the organization page of each visible change.
		if page := tree["ferrum/index.html"]; !bytes.Contains(page, []byte(`<time datetime="2026-10-05">2026-10-05</time>`)) {
			t.Errorf("portal %s: ferrum/index.html lists no change dated 2026-10-05", p)
		}
		if page := tree["ferrum/index.html"]; !bytes.Contains(page, []byte(`<time datetime="2026-09-01">2026-09-01</time>`)) {
			t.Errorf("portal %s: ferrum/index.html lists no change dated 2026-09-01", p)
		}
	}
	// The portals that see every item show the first commit's subject
	// too, through the untouched item; ferrum-full shows it by opting in.
	for _, p := range []string{"internal", "ferrum-full"} {
		page := readTree(t, filepath.Join(out, p))["ferrum/index.html"]
		for _, want := range []string{"CANARYSETUP", "Setupwright"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("portal %s: ferrum/index.html does not show %q", p, want)
			}
		}
	}
}
