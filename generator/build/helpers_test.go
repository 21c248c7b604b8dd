package build

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// asOf is the date every test build is measured against.
var asOf = sitetest.Day

// writeSite writes files into a new temporary folder and returns it.
func writeSite(t testing.TB, files map[string]string) string { return sitetest.Write(t, files) }

// openSite loads and checks a site and fails the test on any check error.
func openSite(t testing.TB, root string) *model.Site { return sitetest.Valid(t, root) }

// buildTo builds every portal of s into out.
func buildTo(t testing.TB, s *model.Site, out string) *Result {
	t.Helper()
	res, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// readTree returns every file below dir by slash path, but the build's
// manifests (ManifestDir, which hold times): what a server would publish.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ManifestDir && filepath.Dir(p) == dir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails unless a and b hold the same files with the same bytes.
func sameTree(t testing.TB, a, b map[string][]byte) {
	t.Helper()
	for name, x := range a {
		y, ok := b[name]
		if !ok {
			t.Errorf("%s: missing from the second tree", name)
			continue
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s: differs (%d and %d bytes)", name, len(x), len(y))
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s: only in the second tree", name)
		}
	}
}

// canarySite is a small site with one thing of each kind a portal may
// not see, each holding a unique string:
//
//	CANARYVISIBLE      an item every portal sees
//	CANARYRESTRICTED   an item with access = ["ops"] (only internal)
//	CANARYOTHERORG     an item of org "other" (not in the acme portal)
//	CANARYDENIEDTYPE   a password entry (denied to helpdesk, not a type of acme-people)
//	CANARYARCHIVED     an archived item (only internal, which shows archived items)
//	CANARYFILE         an attachment linked only from the restricted item
var canarySite = map[string]string{
	"cairn.toml": "title = \"Canary docs\"\noutput = \"public\"\nexpiry_window_days = 30\n",
	"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.ops]
orgs = ["*"]
[groups.helpdesk]
orgs = ["*"]
deny = ["*/passwords"]
[groups.acme-people]
orgs = ["acme"]
types = ["configurations", "contacts", "documents"]

[portals.internal]
title = "Internal"
groups = ["staff", "ops"]
archived = true
[portals.helpdesk]
title = "Helpdesk"
groups = ["helpdesk"]
[portals.acme]
title = "Acme IT"
groups = ["acme-people"]
`,
	"content/acme/org.toml":  "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/other/org.toml": "name = \"Other client\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/configurations/visible.toml": `name = "visible-box"
configuration_type = "Server"
warranty_expires = 2026-12-01
related = ["configurations/restricted", "passwords/admin", "configurations/old"]
notes = "Holds CANARYVISIBLE. See [[configurations/restricted]] and [[passwords/admin]]."
`,
	"content/acme/configurations/restricted.toml": `name = "restricted-box"
configuration_type = "Server"
access = ["ops"]
notes = "Holds CANARYRESTRICTED. Diagram: [lan](../files/secret-plan.txt)"
`,
	"content/acme/configurations/old.toml": `name = "old-box"
configuration_type = "Server"
archived = true
notes = "Holds CANARYARCHIVED."
`,
	"content/acme/passwords/admin.toml": `name = "Domain admin"
username = "CANARYDENIEDTYPE"
`,
	"content/acme/files/secret-plan.txt":       "CANARYFILE\n",
	"content/other/configurations/server.toml": "name = \"other-server\"\nconfiguration_type = \"Server\"\nnotes = \"Holds CANARYOTHERORG.\"\n",
	"content/acme/documents/readme.md": `+++
title = "Readme"
+++

# Readme

Start at [[configurations/visible]]. Also [the box](../configurations/visible.toml).

## Tasks

- [x] done thing
- [ ] open thing

A footnote[^1].

[^1]: The note.
`,
}
