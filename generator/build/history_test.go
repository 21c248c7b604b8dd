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
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
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
	out := buildWithHistory(t, root)

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

// TestItemPagesShowHistoryByAudience builds a portal of one client and
// the internal portal from a history of two authors with a rename: the
// client's item page lists the revisions by date only, with no commit,
// author or subject anywhere in the portal, and the internal one lists
// them with commit links; both link to the item's own edit page.
func TestItemPagesShowHistoryByAudience(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range historySite {
		files[k] = v
	}
	files["cairn.toml"] += "[forge]\ncommit_url = \"https://forge.example/org/docs/commit/{commit}\"\nedit_url = \"https://forge.example/org/docs/edit/main/{path}\"\n"
	files["content/ferrum/configurations/old-name.toml"] = "name = \"fe-router\"\nconfiguration_type = \"Router\"\nmodel = \"R1\"\nserial_number = \"S-1\"\n"
	delete(files, "content/ferrum/configurations/untouched.toml")
	if err := testsite.CommitFiles(root, "Sam CANARYAUTHOR", time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC), "CANARYSUBJECT set up", files); err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Move("content/ferrum/configurations/old-name.toml", "content/ferrum/configurations/router.toml"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Quinn CANARYRENAMER", Email: "quinn@example.com", When: time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC)}
	rename, err := wt.Commit("CANARYRENAME the router", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	out := buildWithHistory(t, root, "ferrum", "internal")
	page := "ferrum/configurations/router/index.html"
	edit := `<a href="https://forge.example/org/docs/edit/main/content/ferrum/configurations/router.toml" rel="noopener noreferrer">Edit this item on the forge</a>`

	client := readTree(t, filepath.Join(out, "ferrum"))
	for name, data := range client {
		for _, canary := range []string{"CANARY", "old-name", rename.String()[:12], "forge.example/org/docs/commit"} {
			if bytes.Contains(data, []byte(canary)) {
				t.Errorf("portal ferrum: %q found in %s", canary, name)
			}
		}
	}
	wantClient := `<ol class="revision-list">
    <li><time datetime="2026-10-05">2026-10-05</time></li>
    <li><time datetime="2026-09-01">2026-09-01</time></li>
  </ol>`
	if p := string(client[page]); !strings.Contains(p, wantClient) || !strings.Contains(p, `Last changed <time datetime="2026-10-05">2026-10-05</time></p>`) || !strings.Contains(p, edit) {
		t.Errorf("portal ferrum: %s lacks the dated revisions, the last change or the edit link:\n%s", page, p)
	}
	// The edit link of each page names that page's own file only.
	if n := bytes.Count(client[page], []byte("/edit/main/")); n != 1 {
		t.Errorf("portal ferrum: %s has %d edit links, want 1", page, n)
	}

	internal := string(readTree(t, filepath.Join(out, "internal"))[page])
	for _, want := range []string{
		`Last changed <time datetime="2026-10-05">2026-10-05</time> by Quinn CANARYRENAMER</p>`,
		`<li><time datetime="2026-10-05">2026-10-05</time> <a href="https://forge.example/org/docs/commit/` + rename.String() + `" rel="noopener noreferrer"><code>` + rename.String()[:12] + `</code></a> <span class="revision-author">Quinn CANARYRENAMER</span><br><span class="revision-summary">CANARYRENAME the router</span></li>`,
		`<span class="revision-author">Sam CANARYAUTHOR</span><br><span class="revision-summary">CANARYSUBJECT set up</span></li>`,
		edit,
	} {
		if !strings.Contains(internal, want) {
			t.Errorf("portal internal: %s lacks %s\n%s", page, want, internal)
		}
	}
}

// buildWithHistory builds the portals named (all when none) of the site
// in root with its git history, and returns the output folder.
func buildWithHistory(t *testing.T, root string, portals ...string) string {
	t.Helper()
	s := openSite(t, root)
	ix, err := history.Load(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, History: GitHistory(ix, s), NoRunbooks: true, Portals: portals}); err != nil {
		t.Fatal(err)
	}
	return out
}
