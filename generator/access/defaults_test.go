package access_test

import (
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// openSite loads a site written from files, whatever its check errors:
// these tests look at what a view would show if a caller ignored them.
func openSite(t *testing.T, files map[string]string) *model.Site {
	t.Helper()
	files["cairn.toml"] = "title = \"T\"\n"
	return sitetest.Open(t, sitetest.Write(t, files)).Site
}

func view(t *testing.T, s *model.Site, portal string) *access.View {
	t.Helper()
	v, err := access.NewView(s, portal)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ids(items []*model.Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return strings.Join(out, " ")
}

// An empty list written in access.toml or on an item is an error in
// check; should a caller build anyway, it hides rather than shows: an
// item with access = [] and a group with types = [] show nothing, while
// an absent key keeps meaning "no restriction".
func TestEmptyListsHideRatherThanShow(t *testing.T) {
	s := openSite(t, map[string]string{
		"access.toml": `
[groups.all]
orgs = ["*"]
[groups.none]
orgs = ["*"]
types = []
[portals.all]
groups = ["all"]
[portals.none]
groups = ["none"]
`,
		"content/acme/org.toml":                     "name = \"Acme\"\n",
		"content/acme/configurations/open.toml":     "name = \"open\"\nconfiguration_type = \"Server\"\n",
		"content/acme/configurations/empty.toml":    "name = \"empty\"\nconfiguration_type = \"Server\"\naccess = []\n",
		"content/acme/configurations/mistyped.toml": "name = \"mistyped\"\nconfiguration_type = \"Server\"\naccess = \"all\"\n",
		"content/acme/configurations/named.toml":    "name = \"named\"\nconfiguration_type = \"Server\"\naccess = [\"all\"]\n",
	})
	if got, want := ids(view(t, s, "all").Items()), "acme/configurations/named acme/configurations/open"; got != want {
		t.Errorf("portal all sees %q, want %q", got, want)
	}
	if got := ids(view(t, s, "none").Items()); got != "" {
		t.Errorf("portal none (types = []) sees %q, want nothing", got)
	}
}

// ShowsGitMetadata: by default only a portal that sees every organization
// and every item shows commit subjects and author names; history = "full"
// or "dates" decides for a portal; an unknown value shows dates only.
func TestShowsGitMetadata(t *testing.T) {
	s := openSite(t, map[string]string{
		"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.no-passwords]
orgs = ["*"]
deny = ["*/passwords"]
[groups.acme]
orgs = ["acme"]

[portals.internal]
groups = ["staff"]
archived = true
[portals.current]
groups = ["staff"]
[portals.helpdesk]
groups = ["no-passwords"]
[portals.acme]
groups = ["acme"]
[portals.acme-full]
groups = ["acme"]
history = "full"
[portals.internal-dates]
groups = ["staff"]
archived = true
history = "dates"
[portals.internal-typo]
groups = ["staff"]
archived = true
history = "ful"
`,
		"content/acme/org.toml":                 "name = \"Acme\"\n",
		"content/other/org.toml":                "name = \"Other\"\n",
		"content/acme/configurations/sv1.toml":  "name = \"sv1\"\nconfiguration_type = \"Server\"\n",
		"content/other/configurations/old.toml": "name = \"old\"\nconfiguration_type = \"Server\"\narchived = true\n",
		"content/other/passwords/admin.toml":    "name = \"admin\"\n",
	})
	for portal, want := range map[string]bool{
		"internal":       true,  // sees everything
		"current":        false, // every organization, but not the archived item
		"helpdesk":       false, // every organization, but no passwords
		"acme":           false, // one organization
		"acme-full":      true,  // opted in
		"internal-dates": false, // opted out
		"internal-typo":  false, // unknown values show dates only
	} {
		if got := view(t, s, portal).ShowsGitMetadata(); got != want {
			t.Errorf("portal %s: ShowsGitMetadata() = %v, want %v", portal, got, want)
		}
	}
}
