package runbook

import (
	"strings"
	"testing"
)

// TestExpiringSection checks the exact rows of the "Expiring soon and
// expired" section (as of 2026-11-23, a 30-day window): what is due
// within the window or past, with how far off, and nothing else, however
// far off the dates.
func TestExpiringSection(t *testing.T) {
	dates := map[string]string{
		"cfg-today":        "2026-11-23",
		"cfg-window-end":   "2026-12-23",
		"cfg-after-window": "2026-12-24",
		"cfg-yesterday":    "2026-11-22",
		"cfg-year-1":       "0001-01-01",
		"cfg-year-9999":    "9999-12-31",
	}
	files := map[string]string{"cairn.toml": "title = \"Hostile\"\nexpiry_window_days = 30\n"}
	for name, date := range dates {
		files["content/acme/configurations/"+name+".toml"] = "name = \"" + name + "\"\nconfiguration_type = \"Server\"\nwarranty_expires = " + date + "\n"
	}
	v := openView(t, hostileSite(t, "text\n", files), "internal")
	text := pdfText(t, render(t, v, "acme", Options{Portal: "internal"}))
	// The section runs from its title (after the contents' entry) to the
	// next section's.
	_, sec, ok := strings.Cut(text[strings.Index(text, "Important contacts")+1:], "Expiring soon and expired")
	if !ok {
		t.Fatal("no expiring section")
	}
	sec, _, _ = strings.Cut(sec, "Configurations\n")
	sec = strings.Join(strings.Fields(sec), " ")
	want := []string{
		"cfg-year-1 Configuration Warranty expires 0001-01-01 expired 739942 days ago",
		"cfg-yesterday Configuration Warranty expires 2026-11-22 expired yesterday",
		"cfg-today Configuration Warranty expires 2026-11-23 expires today",
		"cfg-window-end Configuration Warranty expires 2026-12-23 in 30 days",
	}
	inDateOrder(t, sec, want)
	for _, not := range []string{"cfg-after-window", "cfg-year-9999"} {
		if strings.Contains(sec, not) {
			t.Errorf("section lists %s, which is not due within the window", not)
		}
	}
}

// TestProvenanceOnCoverAndFooter checks that the cover and every footer
// name the commit in provenance's one length, and say when the work tree
// had uncommitted changes.
func TestProvenanceOnCoverAndFooter(t *testing.T) {
	v := openView(t, hostileSite(t, "text\n", nil), "internal")
	const commit = "0123456789abcdef0123456789abcdef01234567"
	for _, dirty := range []bool{false, true} {
		text := pdfText(t, render(t, v, "acme", Options{Portal: "internal", Commit: commit, Dirty: dirty}))
		pages := strings.Count(text, "\f")
		flat := strings.Join(strings.Fields(text), " ")
		stamp := "as of 2026-11-23, commit 0123456789ab"
		cover := "Generated from commit 0123456789ab"
		if dirty {
			stamp += " with uncommitted changes"
			cover += " with uncommitted changes"
		}
		if !strings.Contains(flat, cover) {
			t.Errorf("dirty=%v: cover lacks %q", dirty, cover)
		}
		if n := strings.Count(flat, stamp); n != pages || pages < 3 {
			t.Errorf("dirty=%v: %q on %d of %d pages", dirty, stamp, n, pages)
		}
		if !dirty && strings.Contains(flat, "uncommitted") {
			t.Error("a clean book says it has uncommitted changes")
		}
		if strings.Contains(flat, commit[:13]) {
			t.Errorf("dirty=%v: the commit is printed longer than 12 digits", dirty)
		}
	}
}

// TestExpiringSectionListsGroupRecords: the section lists what cairn
// expiring lists for the book's organization: the date of a group
// field's second record included, and nothing of another organization
// the portal also sees.
func TestExpiringSectionListsGroupRecords(t *testing.T) {
	files := map[string]string{
		"cairn.toml":            "title = \"Kits\"\nexpiry_window_days = 30\n",
		"content/beta/org.toml": "name = \"Beta\"\nkind = \"client\"\n",
		"schemas/kits.toml": "name = \"Kits\"\nsingular = \"Kit\"\n[[fields]]\nname = \"name\"\nkind = \"text\"\nuse_for_title = true\n" +
			"[[fields]]\nname = \"renewal\"\nlabel = \"Renewal\"\nkind = \"date\"\nexpires = true\n" +
			"[[fields]]\nname = \"parts\"\nlabel = \"Parts\"\nkind = \"group\"\nmultiple = true\n" +
			"  [[fields.fields]]\n  name = \"serial\"\n  kind = \"text\"\n  [[fields.fields]]\n  name = \"warranty\"\n  label = \"Warranty\"\n  kind = \"date\"\n  expires = true\n",
		// The first part's warranty is outside the window, the second's
		// within it.
		"content/acme/assets/kits/k.toml": "name = \"Acme kit\"\nrenewal = 2026-11-30\n" +
			"[[parts]]\nserial = \"XYZ789\"\nwarranty = 2027-06-01\n[[parts]]\nserial = \"ABC123\"\nwarranty = 2026-11-25\n",
		"content/beta/assets/kits/b.toml": "name = \"Beta kit\"\nrenewal = 2026-11-24\n[[parts]]\nserial = \"BETA1\"\nwarranty = 2026-11-24\n",
	}
	v := openView(t, hostileSite(t, "text\n", files), "internal")
	text := pdfText(t, render(t, v, "acme", Options{Portal: "internal"}))
	// The section runs from its title (the last "Expiring soon and
	// expired", after the contents' entry) to its page's footer.
	at := strings.LastIndex(text, "Expiring soon and expired")
	if at < 0 {
		t.Fatal("no expiring section")
	}
	sec, _, ok := strings.Cut(text[at:], "CONFIDENTIAL")
	if !ok {
		t.Fatal("the expiring section has no footer after it")
	}
	sec = strings.Join(strings.Fields(sec), " ")
	want := []string{
		"Acme kit Kit Parts ABC123 warranty 2026-11-25 in 2 days",
		"Acme kit Kit Renewal 2026-11-30 in 7 days",
	}
	inDateOrder(t, sec, want)
	if strings.Contains(sec, "XYZ789") {
		t.Errorf("the section lists a part outside the window:\n%s", sec)
	}
	for _, not := range []string{"Beta kit", "BETA1"} {
		if strings.Contains(text, not) {
			t.Errorf("acme's book shows %s, of beta", not)
		}
	}
}

// inDateOrder checks that the section holds every wanted row, in order.
func inDateOrder(t *testing.T, sec string, want []string) {
	t.Helper()
	last := -1
	for _, w := range want {
		i := strings.Index(sec, w)
		if i < 0 {
			t.Errorf("section lacks %q:\n%s", w, sec)
			continue
		}
		if i < last {
			t.Errorf("%q out of date order", w)
		}
		last = i
	}
}
