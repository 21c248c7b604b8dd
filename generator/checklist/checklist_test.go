package checklist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// files is a small site: one template with relative due dates and an SOP,
// one organization that has the SOP and one that has not, and two runs.
var files = map[string]string{
	"cairn.toml":  "title = \"T\"\n",
	"access.toml": "",
	"checklists/onboarding.md": `+++
title = "New starter"
sop = "documents/sops/new-starter"
+++

# New starter

## Before

- [ ] Create the account @dana due:-3d
- [x] Order the laptop due:-1w
- [ ] Fixed date due:2026-01-05
  - [ ] Nested, no date

## On the day

- [ ] Hand over the laptop due:+0d
`,
	"content/acme/org.toml":                      "name = \"Acme\"\nkind = \"client\"\n",
	"content/acme/documents/sops/new-starter.md": "+++\ntitle = \"New starter at Acme\"\n+++\n\nSteps.\n",
	"content/bravo/org.toml":                     "name = \"Bravo\"\nkind = \"client\"\n",
	"content/acme/checklists/run-a.md":           "+++\ntitle = \"Run A\"\ndue = 2026-12-01\nassignee = \"dana\"\n+++\n\n- [x] one due:2026-11-01\n- [ ] two due:2026-11-20\n- [ ] three due:2026-12-20\n- [ ] four\n",
	"content/acme/checklists/run-b.md":           "+++\ntitle = \"Run B\"\nstatus = \"Done\"\n+++\n\n- [x] one\n",
	"content/bravo/checklists/run-c.md":          "+++\ntitle = \"Run C\"\n+++\n\n- [ ] one due:2026-11-01\n",
	"content/bravo/checklists/run-d-archived.md": "+++\ntitle = \"Run D\"\narchived = true\n+++\n\n- [ ] one due:2026-11-01\n",
}

// writeSite writes files and extra into a new temporary folder.
func writeSite(t *testing.T, extra map[string]string) string {
	t.Helper()
	all := map[string]string{}
	for _, m := range []map[string]string{files, extra} {
		for k, v := range m {
			all[k] = v
		}
	}
	return sitetest.Write(t, all)
}

var today = sitetest.Day

func openSite(t *testing.T, root string) *model.Site { return sitetest.Valid(t, root) }

func TestOf(t *testing.T) {
	tasks := []markdown.Task{{Done: true, Due: "2026-01-01"}, {Due: "2026-11-22"}, {Due: "2026-11-23"}, {Due: "not a date"}, {}}
	p := Of(tasks, today.Add(15*time.Hour))
	if p.Done != 1 || p.Total != 5 || p.Percent != 20 || len(p.Overdue) != 1 || p.Overdue[0].Due != "2026-11-22" {
		t.Fatalf("got %+v", p)
	}
	if p := Of(nil, today); p.Percent != 0 || p.Total != 0 {
		t.Fatalf("no tasks: got %+v", p)
	}
}

func TestParseOffset(t *testing.T) {
	for in, want := range map[string]int{"+3d": 3, "-3d": -3, "+0d": 0, "-1w": -7, "+2w": 14} {
		if got, ok := ParseOffset(in); !ok || got != want {
			t.Errorf("ParseOffset(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"3d", "+3", "+3m", "2026-01-01", "+99999w", "", "+-3d"} {
		if _, ok := ParseOffset(in); ok {
			t.Errorf("ParseOffset(%q) is ok; want not", in)
		}
	}
}

func TestOpen(t *testing.T) {
	s := openSite(t, writeSite(t, nil))
	runs := Open(s.Items, "", today)
	var got []string
	for _, r := range runs {
		got = append(got, r.Item.ID)
	}
	if strings.Join(got, " ") != "acme/checklists/run-a bravo/checklists/run-c" {
		t.Fatalf("open runs: %v", got)
	}
	a := runs[0]
	if a.Due != "2026-12-01" || a.Assignee != "dana" || a.Status != "Not started" || a.Progress.Done != 1 || a.Progress.Total != 4 || len(a.Progress.Overdue) != 1 || a.Progress.Overdue[0].Text != "two" {
		t.Fatalf("run a: %+v", a)
	}
	if runs := Open(s.Items, "bravo", today); len(runs) != 1 || runs[0].Item.ID != "bravo/checklists/run-c" {
		t.Fatalf("bravo: %+v", runs)
	}
}

func TestStart(t *testing.T) {
	root := writeSite(t, nil)
	s := openSite(t, root)
	st, err := Start(s, "onboarding", StartOptions{Org: "acme", Due: "2026-12-01", Assignee: "lena", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "acme/checklists/onboarding-2026-12-01" || st.File != "content/acme/checklists/onboarding-2026-12-01.md" || st.SOP != "acme/documents/sops/new-starter" || len(st.Notes) != 0 {
		t.Fatalf("got %s %s %q\n%s", st.ID, st.SOP, st.Notes, st.Text)
	}
	text := string(st.Text)
	for _, want := range []string{
		"title = \"New starter (2026-12-01)\"\n", "template = \"onboarding\"\n", "assignee = \"lena\"\n", "due = 2026-12-01\n",
		"status = \"Not started\"\n", "related = [\"documents/sops/new-starter\"]\n",
		"- [ ] Create the account @dana due:2026-11-28\n",
		"- [x] Order the laptop due:2026-11-24\n",
		"- [ ] Fixed date due:2026-01-05\n",
		"  - [ ] Nested, no date\n",
		"- [ ] Hand over the laptop due:2026-12-01\n",
		"## On the day\n",
		"+++\n\n# New starter\n\n## Before\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("run lacks %q:\n%s", want, text)
		}
	}
	// The run is a valid checklist of the site, linked to its template
	// and SOP.
	p := filepath.Join(root, filepath.FromSlash(st.File))
	if err := os.WriteFile(p, st.Text, 0o644); err != nil {
		t.Fatal(err)
	}
	s = openSite(t, root)
	it := s.Item(st.ID)
	if it == nil || len(it.Tasks) != 5 {
		t.Fatalf("written run: %+v", it)
	}
	linked := false
	for _, l := range s.Graph.Out(st.ID) {
		linked = linked || l.To == "acme/documents/sops/new-starter"
	}
	if !linked {
		t.Error("the run does not link the SOP")
	}

	// Without --due, offsets count from today and the slug and title take
	// today's date; an organization without the SOP gets a note instead.
	st, err = Start(s, "onboarding", StartOptions{Org: "bravo", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "bravo/checklists/onboarding-2026-11-23" || st.SOP != "" || len(st.Notes) != 1 ||
		st.Notes[0] != `the run is not linked to the template's sop "documents/sops/new-starter": "documents/sops/new-starter": no such item in bravo` {
		t.Fatalf("got %s %s %q\n%s", st.ID, st.SOP, st.Notes, st.Text)
	}
	if text := string(st.Text); !strings.Contains(text, "Hand over the laptop due:2026-11-23\n") || strings.Contains(text, "\nrelated =") {
		t.Errorf("run from today:\n%s", text)
	}
}

func TestStartErrors(t *testing.T) {
	s := openSite(t, writeSite(t, nil))
	cases := []struct {
		tmpl string
		opts StartOptions
		want string
	}{
		{"offboarding", StartOptions{Org: "acme"}, `no checklist template "offboarding": templates are onboarding`},
		{"onboarding", StartOptions{Org: "zulu"}, `no organization "zulu": create it first with cairn new org zulu`},
		{"onboarding", StartOptions{Org: "acme", Due: "1 Dec"}, `due date "1 Dec" is not a date: write YYYY-MM-DD`},
		{"onboarding", StartOptions{Org: "acme", Slug: "Bad Slug"}, `"Bad Slug" is not a valid slug: use lower-case letters, digits and single hyphens`},
		{"onboarding", StartOptions{Org: "acme", Due: "0001-01-02"}, `checklists/onboarding.md:10: task due date "-3d" from 0001-01-02 falls outside the years 1 to 9999`},
		{"onboarding", StartOptions{Org: "acme", Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Title: "Jo\nstatus = \"Done\""}, `--title "Jo\nstatus = \"Done\"" has a line break: a checklist's title is one line`},
		{"onboarding", StartOptions{Org: "acme", Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Assignee: "dana\r"}, `--assignee "dana\r" has a line break: a checklist's assignee is one line`},
	}
	for _, c := range cases {
		_, err := Start(s, c.tmpl, c.opts)
		if err == nil || err.Error() != c.want {
			t.Errorf("Start(%s, %+v) = %v; want %s", c.tmpl, c.opts, err, c.want)
		}
	}
}
