package codeowners_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
)

var update = flag.Bool("update", false, "rewrite testdata/demo.CODEOWNERS from the demo")

// demoRoot is the project root, which is itself the demo site.
var demoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// TestDemo compares the demo's CODEOWNERS with the golden file and with
// the one committed at the demo's root (so cairn check stays quiet), and
// checks that it is sensible: every organization's folder and every
// site-wide file has owners, Northwind's passwords are not owned by the
// helpdesk (its group denies them), and every owner is a handle from
// access.toml.
func TestDemo(t *testing.T) {
	s, _, err := load.Load(context.Background(), demoRoot)
	if err != nil {
		t.Fatal(err)
	}
	got := codeowners.Generate(s, "CODEOWNERS")
	golden := filepath.Join("testdata", "demo.CODEOWNERS")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("the demo's CODEOWNERS differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	// The demo is the root of cairn's own repository, so its CODEOWNERS is
	// kept in testdata, not at the root, where a forge would enforce its
	// made-up handles on cairn's own pull requests.

	owners := map[string][]string{}
	for _, l := range strings.Split(string(got), "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "/") {
			owners[f[0]] = f[1:]
		}
	}
	handles := map[string]bool{}
	for _, g := range s.Access.Groups {
		handles[g.Team] = g.Team != ""
	}
	for _, u := range s.Access.Users {
		handles[u.Forge] = u.Forge != ""
	}
	for p, hs := range owners {
		for _, h := range hs {
			if !handles[h] {
				t.Errorf("%s is owned by %q, which access.toml does not name", p, h)
			}
		}
	}
	if len(s.Orgs) < 5 {
		t.Fatalf("the demo has %d organizations; want its five", len(s.Orgs))
	}
	for _, o := range s.Orgs {
		if len(owners["/content/"+o.Slug+"/"]) == 0 {
			t.Errorf("organization %s has no owner line", o.Slug)
		}
	}
	for _, p := range []string{"/content/", "/schemas/", "/checklists/", "/themes/", "/access.toml", "/cairn.toml", "/.sops.yaml", "/.cairn/", "/CODEOWNERS"} {
		if len(owners[p]) == 0 {
			t.Errorf("site-wide %s has no owner line", p)
		}
	}
	helpdesk := s.Access.Groups["helpdesk"].Team
	if !contains(owners["/content/northwind/"], helpdesk) || contains(owners["/content/northwind/passwords/"], helpdesk) || len(owners["/content/northwind/passwords/"]) == 0 {
		t.Errorf("northwind/passwords should be owned without the helpdesk team %s, northwind/ with it: %v, %v",
			helpdesk, owners["/content/northwind/passwords/"], owners["/content/northwind/"])
	}
	for _, u := range s.Access.Users {
		if u.Forge != "" && !contains(model.OwnerRoles, u.Role) && strings.Contains(string(got), u.Forge) {
			t.Errorf("%s (role %s) owns something; only %v do", u.Forge, u.Role, model.OwnerRoles)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
