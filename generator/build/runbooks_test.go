package build

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/runbook"
)

// twinSite has two portals that see the same (staff and twin) and one
// that sees one configuration less (less).
var twinSite = map[string]string{
	"cairn.toml": "title = \"Twins\"\nexpiry_window_days = 30\n",
	"access.toml": `[groups.staff]
orgs = ["*"]

[groups.twin]
orgs = ["*"]

[groups.less]
orgs = ["*"]

[portals.staff]
title = "Staff"
groups = ["staff"]

[portals.twin]
title = "Twin"
groups = ["twin"]

[portals.less]
title = "Less"
groups = ["less"]
`,
	"content/acme/org.toml":                  "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/configurations/alpha.toml": "name = \"alpha\"\nconfiguration_type = \"Server\"\nnotes = \"See [[configurations/beta]].\"\n",
	"content/acme/configurations/beta.toml":  "name = \"beta\"\nconfiguration_type = \"Server\"\naccess = [\"staff\", \"twin\"]\n",
}

// TestRunbooksSharedAcrossPortals builds three portals at once, two of
// which see the same organization: each portal's runbook is byte for byte
// what a build of that portal alone writes, so sharing layouts between
// portals changes no byte, and the portal that sees less gets another
// book.
func TestRunbooksSharedAcrossPortals(t *testing.T) {
	s := openSite(t, writeSite(t, twinSite))
	all := filepath.Join(t.TempDir(), "all")
	buildTo(t, s, all)
	for _, p := range []string{"staff", "twin", "less"} {
		alone := filepath.Join(t.TempDir(), p)
		if _, err := Build(context.Background(), s, Options{Output: alone, OutputOutsideSite: true, Today: asOf, Portals: []string{p}}); err != nil {
			t.Fatal(err)
		}
		sameTree(t, readTree(t, filepath.Join(all, p, "runbooks")), readTree(t, filepath.Join(alone, p, "runbooks")))
	}
	books := func(p string) []byte { return readTree(t, filepath.Join(all, p, "runbooks"))["acme.pdf"] }
	if string(books("less")) == string(books("staff")) {
		t.Error("portal less, which does not see beta, has staff's runbook")
	}
}

// TestRunbookViewKeyOfABuild: the key of the options a build uses is the
// same for builds of the same site and date, and another as-of date
// changes it (and the PDF).
func TestRunbookViewKeyOfABuild(t *testing.T) {
	s := openSite(t, writeSite(t, twinSite))
	v, err := access.NewView(s, "staff")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Today: asOf}
	key := runbook.ViewKey(v, "acme", RunbookOptions(v, opts))
	if key == "" || key != runbook.ViewKey(v, "acme", RunbookOptions(v, opts)) {
		t.Fatalf("key %q is not stable", key)
	}
	later := opts
	later.Today = asOf.AddDate(0, 1, 0)
	if runbook.ViewKey(v, "acme", RunbookOptions(v, later)) == key {
		t.Error("a build a month later has the same runbook key")
	}
}
