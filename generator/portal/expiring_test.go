package portal

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/urls"
)

// kitsSite has an item type with an expiry field and a multiple group
// field whose records expire (a date field cannot be multiple itself), one kit in acme and one in beta, and a
// portal that sees acme only.
var kitsSite = map[string]string{
	"cairn.toml":            "title = \"Kits\"\nexpiry_window_days = 30\n",
	"access.toml":           "[groups.acme-people]\norgs = [\"acme\"]\n[portals.acme]\ntitle = \"Acme IT\"\ngroups = [\"acme-people\"]\n",
	"content/acme/org.toml": "name = \"Acme\"\nkind = \"client\"\n",
	"content/beta/org.toml": "name = \"Beta\"\nkind = \"client\"\n",
	"schemas/kits.toml": `name = "Kits"
singular = "Kit"
[[fields]]
name = "name"
kind = "text"
use_for_title = true
[[fields]]
name = "renewal"
label = "Renewal"
kind = "date"
expires = true
[[fields]]
name = "parts"
label = "Parts"
kind = "group"
multiple = true
  [[fields.fields]]
  name = "serial"
  kind = "text"
  [[fields.fields]]
  name = "warranty"
  label = "Warranty"
  kind = "date"
  expires = true
`,
	// The first part's warranty is outside the window, the second's
	// within it.
	"content/acme/assets/kits/k.toml": "name = \"Acme kit\"\nrenewal = 2026-11-30\n" +
		"[[parts]]\nserial = \"XYZ789\"\nwarranty = 2027-06-01\n[[parts]]\nserial = \"ABC123\"\nwarranty = 2026-11-25\n",
	"content/beta/assets/kits/b.toml": "name = \"Beta kit\"\nrenewal = 2026-11-24\n\n[[parts]]\nserial = \"BETA1\"\nwarranty = 2026-11-24\n",
}

// TestExpiringPanelsListWhatCollectLists: the home page's and the
// organization page's "Expiring soon" panels list every expiry value the
// portal may see within the window, the date of a group field's second
// record included, and nothing of an organization the
// portal does not see.
func TestExpiringPanelsListWhatCollectLists(t *testing.T) {
	v, err := access.NewView(sitetest.Valid(t, sitetest.Write(t, kitsSite)), "acme")
	if err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	r := New(v, th, Options{Today: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)})
	lines := func(es []Expiry) string {
		var b strings.Builder
		for _, e := range es {
			fmt.Fprintf(&b, "%s | %s | %s | %s | %s | %s\n", e.Org.Text, e.Item.Text, e.Item.Href, e.Field, e.Badge.Date, e.Badge.Text)
		}
		return b.String()
	}
	const home = `Acme | Acme kit | acme/assets/kits/k/index.html | Parts ABC123 warranty | 2026-11-25 | Expires in 2 days
Acme | Acme kit | acme/assets/kits/k/index.html | Renewal | 2026-11-30 | Expires in 7 days
`
	if got := lines(r.home(Page{Path: urls.Home, Kind: HomePage}).Expiring); got != home {
		t.Errorf("home page panel:\n%s\nwant:\n%s", got, home)
	}
	d, err := r.org(context.Background(), Page{Path: urls.Org("acme"), Kind: OrgPage, Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	org := strings.ReplaceAll(home, "| acme/assets", "| ../acme/assets")
	if got := lines(d.Expiring); got != org {
		t.Errorf("organization page panel:\n%s\nwant:\n%s", got, org)
	}
}
