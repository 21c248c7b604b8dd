package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// TestExpiryCounts checks the exact expired and expiring counts of a site
// with one configuration per case, measured on 2026-11-23 with a 30-day
// window: a count stuck at 0 (or counting the wrong side of the window)
// fails it.
func TestExpiryCounts(t *testing.T) {
	dates := map[string]string{
		"today":         "2026-11-23", // expiring: due today
		"window-end":    "2026-12-23", // expiring: the 30th day
		"after-window":  "2026-12-24", // neither: the 31st day
		"yesterday":     "2026-11-22", // expired
		"year-1":        "0001-01-01", // expired, 739,942 days ago
		"year-9999":     "9999-12-31", // neither
		"archived-soon": "2026-12-01", // expiring: archived items count too
	}
	root := t.TempDir()
	files := map[string]string{
		"cairn.toml":            "title = \"Counts\"\nexpiry_window_days = 30\n",
		"access.toml":           "[groups.staff]\norgs = [\"*\"]\n[portals.internal]\ngroups = [\"staff\"]\n",
		"content/acme/org.toml": "name = \"Acme\"\nkind = \"client\"\n",
	}
	for name, date := range dates {
		body := "name = \"" + name + "\"\nconfiguration_type = \"Server\"\nwarranty_expires = " + date + "\n"
		if name == "archived-soon" {
			body += "archived = true\n"
		}
		files["content/acme/configurations/"+name+".toml"] = body
	}
	if err := testsite.WriteFiles(root, files); err != nil {
		t.Fatal(err)
	}
	res, err := site.Open(context.Background(), root, time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Diags.Err(); err != nil {
		t.Fatalf("fixture has errors:\n%v", err)
	}
	if res.Stats.Expiring != 3 || res.Stats.Expired != 2 {
		t.Errorf("expiring %d, expired %d; want 3 and 2", res.Stats.Expiring, res.Stats.Expired)
	}
	var warned []string
	for _, d := range res.Diags.Sorted() {
		if d.Code == "expired" {
			warned = append(warned, d.Pos.File+": "+d.Message)
		}
	}
	want := []string{
		"content/acme/configurations/year-1.toml: Warranty expires 0001-01-01 has passed (739942 days ago)",
		"content/acme/configurations/yesterday.toml: Warranty expires 2026-11-22 has passed (1 day ago)",
	}
	if len(warned) != len(want) {
		t.Fatalf("expired warnings %q, want %q", warned, want)
	}
	for i := range want {
		if warned[i] != want[i] {
			t.Errorf("warning %d = %q, want %q", i, warned[i], want[i])
		}
	}
}
