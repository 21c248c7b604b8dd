package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/internal/testtool"
)

// switchSite has three organizations, one named like markup.
var switchSite = map[string]string{
	"cairn.toml":                             "title = \"Orgs\"\noutput = \"public\"\nexpiry_window_days = 30\n",
	"access.toml":                            "[groups.staff]\norgs = [\"*\"]\n\n[portals.internal]\ntitle = \"Internal\"\ngroups = [\"staff\"]\n",
	"content/acme/org.toml":                  "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/configurations/alpha.toml": "name = \"alpha-box\"\nconfiguration_type = \"Server\"\n",
	"content/bolt/org.toml":                  "name = \"<img src=x onerror=document.title='owned'>\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/zeta/org.toml":                  "name = \"Zeta & Co\"\nkind = \"client\"\nstatus = \"active\"\n",
}

// TestOrgSwitcher opens an item page from disk (file://, the theme's
// Content Security Policy in force): the page does not carry the list of
// organizations, only a link to the home page's list; with scripts the
// link opens the list in place from orgs.js (names as text, the current
// organization marked), and one of its links leads to that organization.
func TestOrgSwitcher(t *testing.T) {
	testtool.Chromium(t)
	out := buildSite(t, switchSite)
	portal := filepath.Join(out, "internal")
	item := filepath.Join(portal, "acme", "configurations", "alpha", "index.html")
	html, err := os.ReadFile(item)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(html), "Zeta") || strings.Contains(string(html), "bolt/") {
		t.Error("the item page lists other organizations")
	}
	home, err := os.ReadFile(filepath.Join(portal, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(home), `id="organizations"`) || !strings.Contains(string(home), "Zeta &amp; Co") {
		t.Error("the home page has no list of organizations for the switcher's link")
	}

	ctx := browser(t)
	step(t, ctx, "open the item page", chromedp.Navigate("file://"+item), chromedp.WaitReady(".sidebar-switch a"))
	fallback := eval[string](t, ctx, `document.querySelector(".sidebar-switch a").href`)
	if want := "file://" + filepath.Join(portal, "index.html") + "#organizations"; fallback != want {
		t.Errorf("the switcher's link (no scripts) goes to %q, want %q", fallback, want)
	}
	step(t, ctx, "open the switcher", chromedp.Click(".sidebar-switch a"))
	waitFor(t, ctx, "the organization list", `document.querySelector(".sidebar-switch ul")`, 10*time.Second)
	type entry struct {
		Text, Href string
		Active     bool
	}
	got := eval[[]entry](t, ctx, `Array.from(document.querySelectorAll(".sidebar-switch ul a")).map(function (a) {
		return {Text: a.textContent, Href: a.href, Active: a.classList.contains("active")};
	})`)
	base := "file://" + portal + "/"
	want := []entry{
		{"Acme", base + "acme/index.html", true},
		{"<img src=x onerror=document.title='owned'>", base + "bolt/index.html", false},
		{"Zeta & Co", base + "zeta/index.html", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("switcher lists %+v, want %+v", got, want)
	}
	if title := eval[string](t, ctx, `document.title`); title == "owned" {
		t.Error("an organization's name ran as markup")
	}
	if exp := eval[string](t, ctx, `document.querySelector(".sidebar-switch a").getAttribute("aria-expanded")`); exp != "true" {
		t.Errorf("aria-expanded = %q after opening", exp)
	}
	step(t, ctx, "follow an organization", chromedp.Click(`.sidebar-switch ul li:nth-child(3) a`))
	waitFor(t, ctx, "Zeta's page", `location.pathname.endsWith("/zeta/index.html")`, 10*time.Second)
}
