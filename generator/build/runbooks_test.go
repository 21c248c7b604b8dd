package build

import (
	"context"
	"path/filepath"
	"testing"
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
