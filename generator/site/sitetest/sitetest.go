// Package sitetest writes small sites for tests and opens them as cairn
// check does: the one place tests of later stages (access, build,
// runbook, codeowners) get a loaded, checked site from a map of files.
package sitetest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// Day is the date tests measure expiries against.
var Day = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Write writes files (slash paths relative to the site root) into a new
// temporary folder and returns it.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if err := testsite.WriteFiles(root, files); err != nil {
		t.Fatal(err)
	}
	return root
}

// ClientPortals returns an access.toml with the arrangement most tests of
// the audience boundary need: a staff group that sees every organization,
// read through the "internal" portal, and for each client slug a group
// "<client>-people" that sees that organization only, read through a
// portal named after it and titled "<Client> IT".
func ClientPortals(clients ...string) string {
	var groups, portals strings.Builder
	groups.WriteString("[groups.staff]\norgs = [\"*\"]\n")
	portals.WriteString("[portals.internal]\ntitle = \"Internal\"\ngroups = [\"staff\"]\n")
	for _, c := range clients {
		fmt.Fprintf(&groups, "[groups.%s-people]\norgs = [%q]\n", c, c)
		fmt.Fprintf(&portals, "[portals.%s]\ntitle = \"%s IT\"\ngroups = [\"%s-people\"]\n", c, strings.ToUpper(c[:1])+c[1:], c)
	}
	return groups.String() + "\n" + portals.String()
}

// Open loads and checks the site in root at Day, whatever its
// diagnostics; it fails the test only when the site cannot be read.
func Open(t testing.TB, root string) *site.Result {
	t.Helper()
	res, err := site.Open(context.Background(), root, Day)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Valid is Open that fails the test on any check error, for tests that
// need a site the checker accepts.
func Valid(t testing.TB, root string) *model.Site {
	t.Helper()
	res := Open(t, root)
	if err := res.Diags.Err(); err != nil {
		t.Fatalf("the test site has check errors:\n%v", err)
	}
	return res.Site
}

// CopyDemo copies the demo site of the repository at repo (its settings,
// access rules, schemas but the built-in core ones, checklist templates
// and content; no Go files) into a new temporary folder and returns it:
// tests plant faults in the copy as a reviewer would.
func CopyDemo(t testing.TB, repo string) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"cairn.toml", "access.toml", "schemas", "checklists", "content"} {
		err := filepath.WalkDir(filepath.Join(repo, name), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(repo, p)
			if err != nil {
				return err
			}
			if d.IsDir() {
				if rel == filepath.Join("schemas", "core") {
					return filepath.SkipDir
				}
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			if strings.HasSuffix(p, ".go") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
