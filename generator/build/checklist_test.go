package build

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checklistSite has a checklist whose tasks link a contact (title "Jo
// Ramirez", slug jo-ramirez), a finished run, a run only ops may see, and
// a client portal.
var checklistSite = map[string]string{
	"cairn.toml": "title = \"Docs\"\noutput = \"public\"\nexpiry_window_days = 30\n",
	"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.ops]
orgs = ["*"]
[groups.acme-people]
orgs = ["acme"]

[portals.internal]
title = "Internal"
groups = ["staff", "ops"]
[portals.acme]
title = "Acme IT"
groups = ["acme-people"]
`,
	"checklists/onboarding.md":              "+++\ntitle = \"Onboarding\"\n+++\n\n- [ ] Create the account\n",
	"content/acme/org.toml":                 "name = \"Acme\"\nkind = \"client\"\n",
	"content/acme/contacts/jo-ramirez.toml": "first_name = \"Jo\"\nlast_name = \"Ramirez\"\n",
	"content/acme/checklists/onboard-jo.md": `+++
title = "Onboard Jo"
template = "onboarding"
due = 2026-12-01
status = "In progress"
+++

# Onboard Jo

## Before

- [x] Create the account @dana due:2026-11-10
- [ ] Order the laptop @sam due:2026-11-20
- [ ] Call [[contacts/jo-ramirez]] about the start @dana due:2026-11-30
`,
	"content/acme/checklists/done-run.md":   "+++\ntitle = \"Finished run\"\nstatus = \"Done\"\n+++\n\n- [x] CANARYDONE task\n",
	"content/acme/checklists/ops-only.md":   "+++\ntitle = \"CANARYOPSRUN\"\naccess = [\"ops\"]\n+++\n\n- [ ] secret step\n",
	"content/other/org.toml":                "name = \"Other\"\nkind = \"client\"\n",
	"content/other/checklists/other-run.md": "+++\ntitle = \"CANARYOTHERRUN\"\n+++\n\n- [ ] step\n",
}

// visibleText returns the text of an HTML page outside tags and
// attributes, scripts and styles.
func visibleText(t *testing.T, page []byte) string {
	t.Helper()
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(page))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				skip++
			}
		case html.EndTagToken:
			if n, _ := z.TagName(); (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func buildChecklistSite(t *testing.T) map[string][]byte {
	t.Helper()
	s := openSite(t, writeSite(t, checklistSite))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	return readTree(t, out)
}

// TestChecklistPageShowsTasksOnce: the page showed every task twice (a
// table of tasks above the body's task list), and the table showed a
// linked item by its slug where the list showed its title.
func TestChecklistPageShowsTasksOnce(t *testing.T) {
	tree := buildChecklistSite(t)
	page, ok := tree["internal/acme/checklists/onboard-jo/index.html"]
	if !ok {
		t.Fatal("no checklist page")
	}
	text := visibleText(t, page)
	for _, task := range []string{"Order the laptop", "about the start"} {
		if n := strings.Count(text, task); n != 1 {
			t.Errorf("the page shows %q %d times, want once", task, n)
		}
	}
	if strings.Contains(text, "jo-ramirez") {
		t.Error("the page shows the linked contact by its slug")
	}
	if !strings.Contains(text, "Jo Ramirez") {
		t.Error("the page does not show the linked contact's title")
	}
	// The overdue task (due 2026-11-20, as of 2026-11-23) is marked in the
	// body; the done one and the one due later are not.
	if n := bytes.Count(page, []byte(`<li class="task-overdue">`)); n != 1 || !regexp.MustCompile(`<li class="task-overdue"><input disabled="" type="checkbox"> Order the laptop`).Match(page) {
		t.Errorf("%d tasks marked overdue, want the laptop's only", n)
	}
	for _, want := range []string{`role="progressbar" aria-valuemin="0" aria-valuemax="3" aria-valuenow="1"`, `<strong>1 of 3</strong> tasks done`, `1 overdue`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// TestChecklistProgressInListsAndOverview: the list of checklists has a
// progress column, and the organization's page lists its open runs with
// their progress, only those the portal may see.
func TestChecklistProgressInListsAndOverview(t *testing.T) {
	tree := buildChecklistSite(t)
	list := string(tree["internal/acme/checklists/index.html"])
	if !strings.Contains(list, `<th scope="col" data-kind="progress">Progress</th>`) || !strings.Contains(list, `data-sort="033"`) || !strings.Contains(list, "1/3") {
		t.Errorf("the checklist list has no progress column:\n%s", list)
	}
	org := visibleText(t, tree["internal/acme/index.html"])
	for _, want := range []string{"Open checklists", "Onboard Jo", "1/3", "CANARYOPSRUN"} {
		if !strings.Contains(org, want) {
			t.Errorf("the internal organization page lacks %q", want)
		}
	}
	if strings.Contains(org, "Finished run") {
		t.Error("the organization page lists a finished run as open")
	}
	acme := visibleText(t, tree["acme/acme/index.html"])
	if !strings.Contains(acme, "Onboard Jo") {
		t.Error("the client portal's organization page lacks the open run")
	}
	for name, data := range tree {
		if !strings.HasPrefix(name, "acme/") {
			continue
		}
		for _, c := range []string{"CANARYOPSRUN", "CANARYOTHERRUN"} {
			if bytes.Contains(data, []byte(c)) {
				t.Errorf("%s holds %s, which the acme portal may not see", name, c)
			}
		}
	}
}
