package build

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// calendarSite has two clients with a certificate each, a password under
// a rotation policy, a checklist task and a document under a review
// cadence, and a portal per client.
var calendarSite = map[string]string{
	"cairn.toml":                              "title = \"Docs\"\noutput = \"public\"\nexpiry_window_days = 30\n\n[rotation]\npasswords = \"90d\"\n\n[review]\n\"*\" = \"6mo\"\n",
	"access.toml":                             sitetest.ClientPortals("acme"),
	"content/acme/org.toml":                   "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/other/org.toml":                  "name = \"Other\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/ssl-certificates/www.toml":  "name = \"www.acme.example\"\nexpires_on = 2026-12-01\n",
	"content/other/ssl-certificates/vpn.toml": "name = \"CANARY-OTHER-CERT\"\nexpires_on = 2026-12-02\n",
	"content/other/passwords/root.toml":       "name = \"CANARY-OTHER-PASSWORD\"\nlast_rotated = 2026-01-01\n",
	"content/other/checklists/move.md":        "+++\ntitle = \"CANARY-OTHER-CHECKLIST\"\n+++\n\n- [ ] CANARY-OTHER-TASK due:2026-12-03\n",
	"content/other/documents/plan.md":         "+++\ntitle = \"CANARY-OTHER-DOC\"\nreviewed_on = 2026-01-01\n+++\n\n# Plan\n",
	"content/acme/documents/sops/restore.md":  "+++\ntitle = \"Restore\"\n+++\n\n# Restore\n",
	"content/acme/documents/fresh.md":         "+++\ntitle = \"Fresh\"\nreview_every = \"1y\"\n+++\n\n# Fresh\n",
}

// lastChanges dates restore.md 2026-04-01 (stale as of asOf under 6mo)
// and fresh.md 2026-11-01.
var lastChanges = expiry.ChangesFunc(func(f string) (time.Time, bool) {
	switch f {
	case "content/acme/documents/sops/restore.md":
		return time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), true
	case "content/acme/documents/fresh.md":
		return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
})

func buildCalendarSite(t *testing.T) map[string][]byte {
	t.Helper()
	s := openSite(t, writeSite(t, calendarSite))
	out := filepath.Join(t.TempDir(), "www")
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, Changes: lastChanges, NoRunbooks: true}); err != nil {
		t.Fatal(err)
	}
	return readTree(t, out)
}

func TestCalendarFeedHoldsOnlyWhatThePortalSees(t *testing.T) {
	tree := buildCalendarSite(t)
	acme := string(tree["acme/"+expiry.ICSFile])
	if !strings.HasPrefix(acme, "BEGIN:VCALENDAR\r\n") || !strings.Contains(acme, "SUMMARY:www.acme.example: SSL Certificate expires\r\n") {
		t.Fatalf("the acme feed lacks its certificate:\n%s", acme)
	}
	if !strings.Contains(acme, "X-WR-CALNAME:Docs: Acme IT\r\n") || !strings.Contains(acme, "DTSTAMP:20261123T000000Z\r\n") {
		t.Errorf("the acme feed's name or stamp:\n%s", acme)
	}
	for name, b := range tree {
		if strings.HasPrefix(name, "acme/") && bytes.Contains(b, []byte("CANARY-OTHER")) {
			t.Errorf("acme portal file %s holds another organization's item (canary found)", name)
		}
	}
	internal := string(tree["internal/"+expiry.ICSFile])
	for _, want := range []string{"CANARY-OTHER-CERT", "CANARY-OTHER-PASSWORD", "CANARY-OTHER-TASK", "CANARY-OTHER-DOC", "Restore: review"} {
		if !strings.Contains(strings.ReplaceAll(internal, "\r\n ", ""), want) {
			t.Errorf("the internal feed lacks %s", want)
		}
	}
	// The same site gives the same feed.
	if again := buildCalendarSite(t); !bytes.Equal(again["internal/"+expiry.ICSFile], tree["internal/"+expiry.ICSFile]) {
		t.Error("two builds give different feeds")
	}
}

func TestPortalLinksItsCalendarAndMarksStaleDocuments(t *testing.T) {
	tree := buildCalendarSite(t)
	home := string(tree["acme/index.html"])
	if !strings.Contains(home, `<a class="calendar-link" href="expiring.ics"`) {
		t.Errorf("the home page has no subscribe link")
	}
	var page string
	for name, b := range tree {
		if strings.HasPrefix(name, "acme/") && strings.Contains(name, "restore") && strings.HasSuffix(name, ".html") {
			page = string(b)
		}
	}
	if !strings.Contains(page, `<span class="pill pill-stale" title="Reviewed every 6mo; last review 2026-04-01">Review overdue by 53 days</span>`) {
		t.Errorf("the stale document's page has no overdue badge:\n%s", page)
	}
	if !strings.Contains(page, `href="../../../../expiring.ics"`) {
		t.Errorf("a nested page links the feed wrongly")
	}
	var list string
	for name, b := range tree {
		if strings.HasPrefix(name, "acme/") && strings.Contains(string(b), "<h1>Documents</h1>") {
			list = string(b)
		}
	}
	if !strings.Contains(list, "Review overdue by 53 days") {
		t.Errorf("the documents list has no overdue badge:\n%s", list)
	}
	if strings.Count(list, "pill-review") != 0 || strings.Count(list, "pill-stale") != 1 {
		t.Errorf("the list marks documents that are not overdue")
	}
	for name, b := range tree {
		if strings.HasPrefix(name, "acme/") && strings.Contains(name, "fresh") && strings.HasSuffix(name, ".html") {
			if !strings.Contains(string(b), `<span class="pill pill-review" title="Reviewed every 1y; last review 2026-11-01">Review due 2027-11-01</span>`) {
				t.Errorf("the fresh document's badge:\n%s", b)
			}
		}
	}
}
