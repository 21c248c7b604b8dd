package expiry_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/testsite"
)

var asOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// plantedSite has one expiry of every kind, each on a known date.
var plantedSite = map[string]string{
	"cairn.toml": `title = "Planted"
output = "public"
expiry_window_days = 30

[rotation]
passwords = "365d"

[rotation.orgs.beta]
passwords = "90d"

[review]
"*" = "1y"
sops = "6mo"
`,
	"access.toml":                             sitetest.ClientPortals("acme", "beta"),
	"content/acme/org.toml":                   "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/beta/org.toml":                   "name = \"Beta\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/ssl-certificates/www.toml":  "name = \"www.acme.example\"\nexpires_on = 2026-12-01\n",
	"content/acme/domains/acme-example.toml":  "name = \"acme.example\"\nexpires_on = 2026-11-20\n",
	"content/acme/configurations/fw.toml":     "name = \"acme-fw\"\nconfiguration_type = \"Firewall\"\nwarranty_expires = 2027-06-30\n",
	"content/acme/configurations/old.toml":    "name = \"old\"\nconfiguration_type = \"Server\"\narchived = true\nwarranty_expires = 2020-01-01\n",
	"content/acme/passwords/admin.toml":       "name = \"Domain admin\"\nlast_rotated = 2025-10-01\n",
	"content/beta/passwords/wifi.toml":        "name = \"Guest Wi-Fi\"\n",
	"content/beta/domains/beta-example.toml":  "name = \"beta.example\"\nexpires_on = 2026-12-24\n",
	"content/acme/documents/guide.md":         "+++\ntitle = \"Guide\"\nreview_every = \"2y\"\n+++\n\n# Guide\n",
	"content/acme/documents/sops/restore.md":  "+++\ntitle = \"Restore\"\n+++\n\n# Restore\n",
	"content/acme/documents/sops/reviewed.md": "+++\ntitle = \"Reviewed by hand\"\nreviewed_on = 2026-10-01\n+++\n\n# Reviewed\n",
	"schemas/contracts.toml": `name = "Contracts"
singular = "Contract"
[[fields]]
name = "vendor"
kind = "text"
use_for_title = true
[[fields]]
name = "lines"
label = "Lines"
kind = "group"
multiple = true
  [[fields.fields]]
  name = "what"
  kind = "text"
  [[fields.fields]]
  name = "renews"
  label = "Renews"
  kind = "date"
  expires = true
`,
	"content/beta/assets/contracts/support.toml": `vendor = "Support Co"
[[lines]]
what = "phones"
renews = 2027-02-01
[[lines]]
what = "printers"
renews = 2026-11-25
`,
	"content/acme/checklists/onboarding.md": `+++
title = "Onboarding Jo"
+++

# Onboarding Jo

- [ ] Create the account @dana due:2026-11-20
- [x] Order the laptop due:2026-11-01
- [ ] Hand over the laptop due:2026-12-10
- [ ] Say hello
`,
}

// gitSite writes plantedSite as three commits on known dates and returns
// its root.
func gitSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	rest := map[string]string{}
	for k, v := range plantedSite {
		if k != "content/acme/documents/sops/restore.md" && k != "content/beta/passwords/wifi.toml" {
			rest[k] = v
		}
	}
	steps := []struct {
		author, when, msg string
		files             map[string]string
	}{
		{"Ann", "2026-01-05", "Add the site", rest},
		{"Ben", "2026-04-10", "Write the restore SOP", map[string]string{"content/acme/documents/sops/restore.md": plantedSite["content/acme/documents/sops/restore.md"]}},
		{"Ann", "2026-09-01", "Add the guest Wi-Fi", map[string]string{"content/beta/passwords/wifi.toml": plantedSite["content/beta/passwords/wifi.toml"]}},
	}
	for _, s := range steps {
		if err := testsite.CommitFiles(root, s.author, day(s.when).Add(15*time.Hour), s.msg, s.files); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func entryLines(es []expiry.Entry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s %d %s %s %s\n", e.Date.Format("2006-01-02"), e.Days, e.Kind, e.ID, e.What)
	}
	return b.String()
}

func siteSource(s *model.Site) expiry.Source { return expiry.SiteSource(s) }

func TestCollectFindsEveryPlantedExpiry(t *testing.T) {
	root := gitSite(t)
	s := sitetest.Valid(t, root)
	ix, err := history.Load(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	got := entryLines(expiry.Collect(siteSource(s), expiry.FromHistory(ix), asOf))
	want := `2026-10-01 -53 rotation acme/passwords/admin rotate (every 365d, last 2025-10-01 by last_rotated)
2026-10-10 -44 review acme/documents/sops/restore review (every 6mo, last 2026-04-10 in git)
2026-11-20 -3 task acme/checklists/onboarding Create the account
2026-11-20 -3 expires acme/domains/acme-example Domain expires
2026-11-25 2 expires beta/assets/contracts/support Contract lines printers renews
2026-11-30 7 rotation beta/passwords/wifi rotate (every 90d, last 2026-09-01 in git)
2026-12-01 8 expires acme/ssl-certificates/www SSL Certificate expires
2026-12-10 17 task acme/checklists/onboarding Hand over the laptop
2026-12-24 31 expires beta/domains/beta-example Domain expires
2027-02-01 70 expires beta/assets/contracts/support Contract lines phones renews
2027-04-01 129 review acme/documents/sops/reviewed review (every 6mo, last 2026-04-01 in git)
2027-06-30 219 expires acme/configurations/fw Configuration warranty expires
2028-01-05 408 review acme/documents/guide review (every 2y, last 2026-01-05 in git)
`
	// reviewed.md: its reviewed_on (2026-10-01) is later than its commit
	// (2026-01-05), so the review counts from reviewed_on.
	want = strings.Replace(want, "2027-04-01 129 review acme/documents/sops/reviewed review (every 6mo, last 2026-04-01 in git)\n", "", 1)
	want = strings.Replace(want, "2027-06-30 219", "2027-04-01 129 review acme/documents/sops/reviewed review (every 6mo, last 2026-10-01 by reviewed_on)\n2027-06-30 219", 1)
	if got != want {
		t.Errorf("entries:\n%s\nwant:\n%s", got, want)
	}
}

func TestCollectOutsideGit(t *testing.T) {
	root := sitetest.Write(t, plantedSite)
	s := sitetest.Valid(t, root)
	got := entryLines(expiry.Collect(siteSource(s), nil, asOf))
	// Without git: the Wi-Fi password has no rotation date and only the
	// document with reviewed_on has a known review.
	for _, gone := range []string{"beta/passwords/wifi", "documents/guide", "documents/sops/restore"} {
		if strings.Contains(got, gone) {
			t.Errorf("outside git, %s has no date, yet it is listed:\n%s", gone, got)
		}
	}
	if !strings.Contains(got, "2027-04-01 129 review acme/documents/sops/reviewed review (every 6mo, last 2026-10-01 by reviewed_on)") {
		t.Errorf("the reviewed_on date is not used outside git:\n%s", got)
	}
}

func TestCollectThroughAPortalViewShowsOnlyItsOrganization(t *testing.T) {
	root := sitetest.Write(t, plantedSite)
	s := sitetest.Valid(t, root)
	v, err := access.NewView(s, "beta")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range expiry.Collect(v, nil, asOf) {
		if e.Org != "beta" {
			t.Errorf("the beta portal's entries include %s of %s", e.ID, e.Org)
		}
	}
}

func TestReviewOf(t *testing.T) {
	root := sitetest.Write(t, plantedSite)
	s := sitetest.Valid(t, root)
	pol, probs := expiry.NewPolicy(s.Config)
	if len(probs) > 0 {
		t.Fatalf("policy problems: %v", probs)
	}
	restore := s.Item("acme/documents/sops/restore")
	inGit := expiry.ChangesFunc(func(f string) (time.Time, bool) {
		if f == restore.File {
			return day("2026-05-23"), true
		}
		return time.Time{}, false
	})
	cases := []struct {
		name    string
		changes expiry.Changes
		want    string
	}{
		{"committed", inGit, "known=true last=2026-05-23 in git due=2026-11-23 days=0 stale=false"},
		{"outside git", nil, "known=false last=0001-01-01  due=0001-01-01 days=0 stale=false"},
		{"not committed yet", expiry.ChangesFunc(func(string) (time.Time, bool) { return time.Time{}, false }), "known=true last=2026-11-23 uncommitted due=2027-05-23 days=181 stale=false"},
		{"not in a shallow clone's history", expiry.Incomplete(expiry.ChangesFunc(func(string) (time.Time, bool) { return time.Time{}, false })), "known=false last=0001-01-01  due=0001-01-01 days=0 stale=false"},
		{"a day late", expiry.ChangesFunc(func(string) (time.Time, bool) { return day("2026-05-22"), true }), "known=true last=2026-05-22 in git due=2026-11-22 days=-1 stale=true"},
	}
	for _, c := range cases {
		r, ok := expiry.ReviewOf(restore, pol, c.changes, asOf)
		if !ok || r.Every.String() != "6mo" || r.From != "[review] sops" {
			t.Fatalf("%s: cadence %v %q %v, want 6mo from [review] sops", c.name, r.Every, r.From, ok)
		}
		got := fmt.Sprintf("known=%v last=%s %s due=%s days=%d stale=%v", r.Known, r.Last.Format("2006-01-02"), r.LastFrom, r.Due.Format("2006-01-02"), r.Days, r.Stale())
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	if _, ok := expiry.ReviewOf(s.Item("acme/passwords/admin"), pol, nil, asOf); ok {
		t.Error("a password item has a review cadence")
	}
}

func TestDueWithinAndFailing(t *testing.T) {
	root := sitetest.Write(t, plantedSite)
	s := sitetest.Valid(t, root)
	all := expiry.Collect(siteSource(s), nil, asOf)
	thirty, _ := expiry.ParseDuration("30d")
	week, _ := expiry.ParseDuration("7d")
	in := expiry.DueWithin(all, asOf, thirty)
	if got := entryLines(in); strings.Contains(got, "beta/domains/beta-example") || !strings.Contains(got, "acme/ssl-certificates/www") {
		t.Errorf("within 30d:\n%s", got)
	}
	if got, want := entryLines(expiry.Failing(in, asOf, nil)), "2026-10-01 -53 rotation acme/passwords/admin rotate (every 365d, last 2025-10-01 by last_rotated)\n2026-11-20 -3 task acme/checklists/onboarding Create the account\n2026-11-20 -3 expires acme/domains/acme-example Domain expires\n"; got != want {
		t.Errorf("failing without --fail-within:\n%s\nwant:\n%s", got, want)
	}
	eight, _ := expiry.ParseDuration("8d")
	if got := entryLines(expiry.Failing(in, asOf, &week)); strings.Contains(got, "ssl-certificates/www") {
		t.Errorf("a certificate 8 days off fails --fail-within 7d:\n%s", got)
	}
	if got := entryLines(expiry.Failing(in, asOf, &eight)); !strings.Contains(got, "ssl-certificates/www") {
		t.Errorf("a certificate 8 days off does not fail --fail-within 8d:\n%s", got)
	}
	if got := expiry.OfOrg(all, "beta"); len(got) != 3 || got[1].ID != "beta/domains/beta-example" || got[0].Field != "lines[1].renews" || got[2].Field != "lines[0].renews" {
		t.Errorf("OfOrg(beta) = %s", entryLines(got))
	}
}

func TestCollectSkipsTasksOfClosedChecklists(t *testing.T) {
	files := map[string]string{}
	for k, v := range plantedSite {
		if !strings.HasPrefix(k, "content/") || strings.HasSuffix(k, "/org.toml") {
			files[k] = v
		}
	}
	run := func(status string) string {
		return "+++\ntitle = \"Run\"\n" + status + "+++\n\n- [ ] Call the client due:2026-11-01\n"
	}
	files["content/acme/checklists/open.md"] = run("")
	files["content/acme/checklists/going.md"] = run("status = \"In progress\"\n")
	files["content/acme/checklists/done.md"] = run("status = \"Done\"\n")
	files["content/acme/checklists/cancelled.md"] = run("status = \"Cancelled\"\n")
	files["content/acme/documents/howto.md"] = "+++\ntitle = \"How to\"\n+++\n\n- [ ] Call the client due:2026-11-01\n"
	s := sitetest.Valid(t, sitetest.Write(t, files))
	got := entryLines(expiry.Collect(siteSource(s), nil, asOf))
	want := `2026-11-01 -22 task acme/checklists/going Call the client
2026-11-01 -22 task acme/checklists/open Call the client
`
	if got != want {
		t.Errorf("entries:\n%s\nwant (no task of a Done or Cancelled run, nor of a document):\n%s", got, want)
	}
}

// TestCollectNamesGroupRecords: two records of a group field falling due
// say which record each is, by its first text value or else its number.
func TestCollectNamesGroupRecords(t *testing.T) {
	files := map[string]string{}
	for k, v := range plantedSite {
		if !strings.HasPrefix(k, "content/") || strings.HasSuffix(k, "/org.toml") {
			files[k] = v
		}
	}
	files["schemas/kits.toml"] = "name = \"Kits\"\nsingular = \"Kit\"\n[[fields]]\nname = \"name\"\nkind = \"text\"\nuse_for_title = true\n" +
		"[[fields]]\nname = \"parts\"\nlabel = \"Parts\"\nkind = \"group\"\nmultiple = true\n  [[fields.fields]]\n  name = \"until\"\n  label = \"Warranty\"\n  kind = \"date\"\n  expires = true\n"
	files["content/acme/assets/kits/k.toml"] = "name = \"k\"\n[[parts]]\nuntil = 2026-12-01\n[[parts]]\nuntil = 2026-12-02\n"
	files["content/acme/assets/contracts/c.toml"] = "vendor = \"V\"\n[[lines]]\nwhat = \"  a very long\\tline \\\"of\\\" text that goes on and on, well past sixty characters in all\"\nrenews = 2026-12-03\n"
	s := sitetest.Valid(t, sitetest.Write(t, files))
	got := entryLines(expiry.Collect(siteSource(s), nil, asOf))
	want := `2026-12-01 8 expires acme/assets/kits/k Kit parts #1 warranty
2026-12-02 9 expires acme/assets/kits/k Kit parts #2 warranty
2026-12-03 10 expires acme/assets/contracts/c Contract lines a very long line "of" text that goes on and on, well past s… renews
`
	if got != want {
		t.Errorf("entries:\n%s\nwant:\n%s", got, want)
	}
}

// TestCollectShowsTaskLinksByTitle: a task's [[link]] reads as the linked
// item's title, as cairn checklist and the portal show it, and through a
// portal's view only when that portal may see the item (else as written).
func TestCollectShowsTaskLinksByTitle(t *testing.T) {
	files := map[string]string{}
	for k, v := range plantedSite {
		files[k] = v
	}
	files["content/beta/contacts/jo-ramirez.toml"] = "first_name = \"Jo\"\nlast_name = \"Ramirez\"\n"
	files["content/beta/contacts/staff-only.toml"] = "first_name = \"Secret\"\nlast_name = \"Person\"\naccess = [\"staff\"]\n"
	files["content/beta/checklists/call.md"] = "+++\ntitle = \"Calls\"\n+++\n\n- [ ] Call [[contacts/jo-ramirez]] about [[contacts/staff-only]] due:2026-11-01\n"
	s := sitetest.Valid(t, sitetest.Write(t, files))
	task := func(es []expiry.Entry) string {
		for _, e := range es {
			if e.ID == "beta/checklists/call" {
				return e.What
			}
		}
		return "(none)"
	}
	if got, want := task(expiry.Collect(siteSource(s), nil, asOf)), "Call Jo Ramirez about Secret Person"; got != want {
		t.Errorf("the site's entry says %q, want %q", got, want)
	}
	v, err := access.NewView(s, "beta")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := task(expiry.Collect(v, nil, asOf)), "Call Jo Ramirez about staff-only"; got != want {
		t.Errorf("the beta portal's entry says %q, want %q (a staff-only contact is not the portal's to name)", got, want)
	}
}

// TestExpiringKeepsExpiryFieldsWithinTheWindow: Expiring keeps the
// expiry-field entries due within the window or past, each labelled
// without its type, and drops rotations, reviews, tasks and later dates.
func TestExpiringKeepsExpiryFieldsWithinTheWindow(t *testing.T) {
	s := sitetest.Valid(t, gitSite(t))
	var b strings.Builder
	for _, e := range expiry.Expiring(expiry.Collect(siteSource(s), expiry.FromHistory(nil), asOf), 30) {
		fmt.Fprintf(&b, "%s %s %s %q\n", e.Date.Format("2006-01-02"), e.Kind, e.ID, e.Label)
	}
	want := `2026-11-20 expires acme/domains/acme-example "Expires"
2026-11-25 expires beta/assets/contracts/support "Lines printers renews"
2026-12-01 expires acme/ssl-certificates/www "Expires"
`
	if got := b.String(); got != want {
		t.Errorf("expiring:\n%s\nwant:\n%s", got, want)
	}
}
