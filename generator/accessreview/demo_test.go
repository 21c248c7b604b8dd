package accessreview_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/accessreview"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// demoRoot is the project root, which is itself the demo site.
var demoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// demoFile is one item of the demo as the test reads it from disk, apart
// from cairn's loader: its organization and type from its path, archived
// and access from a plain search of its text, its secret keys from the
// unindented keys of the secrets file beside it.
type demoFile struct {
	id, org, typ string
	archived     bool
	restricted   []string // the groups of its access list; nil for none
	secrets      []string // "ID#KEY"
}

var (
	archivedRe = regexp.MustCompile(`(?m)^archived\s*=\s*true\s*$`)
	accessRe   = regexp.MustCompile(`(?m)^access\s*=\s*\[([^\]]*)\]`)
	yamlKeyRe  = regexp.MustCompile(`(?m)^([A-Za-z0-9_]+):`)
)

func demoFiles(t *testing.T) []demoFile {
	t.Helper()
	var out []demoFile
	content := filepath.Join(demoRoot, "content")
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(content, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		ext := filepath.Ext(p)
		if len(parts) < 3 || parts[1] == "files" || (ext != ".toml" && ext != ".md") {
			return nil
		}
		typ := parts[1]
		if typ == "assets" {
			typ += "/" + parts[2]
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		id := strings.TrimSuffix(filepath.ToSlash(rel), ext)
		f := demoFile{id: id, org: parts[0], typ: typ, archived: archivedRe.Match(data)}
		if m := accessRe.FindSubmatch(data); m != nil {
			f.restricted = []string{}
			for _, g := range strings.Split(string(m[1]), ",") {
				f.restricted = append(f.restricted, strings.Trim(strings.TrimSpace(g), `"`))
			}
		}
		if sec, err := os.ReadFile(strings.TrimSuffix(p, ext) + ".sops.yaml"); err == nil {
			for _, m := range yamlKeyRe.FindAllSubmatch(sec, -1) {
				if string(m[1]) != "sops" {
					f.secrets = append(f.secrets, id+"#"+string(m[1]))
				}
			}
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d items in the demo", len(out))
	}
	return out
}

// demoGroup is what access.toml says of a group, written out by hand.
type demoGroup struct {
	orgs     []string // nil: every organization
	types    []string // nil: every type
	deny     []string // "ORG/TYPE"
	portal   string
	archived bool // the portal shows archived items
	sealed   bool // the portal's secrets = "sealed"
}

// The demo's access.toml, read by a person.
var demoGroups = map[string]demoGroup{
	"staff":    {portal: "internal", archived: true, sealed: true},
	"helpdesk": {deny: []string{"northwind/passwords"}, portal: "helpdesk"},
	"brightsmile-staff": {orgs: []string{"brightsmile"}, portal: "brightsmile",
		types: []string{"configurations", "contacts", "locations", "domains", "ssl-certificates", "documents", "checklists", "assets/site-summary", "assets/applications", "assets/wireless"}},
	"ferrum-staff": {orgs: []string{"ferrum"}, portal: "ferrum",
		types: []string{"configurations", "contacts", "locations", "domains", "ssl-certificates", "documents", "checklists", "assets/site-summary", "assets/applications", "assets/lan", "assets/file-sharing", "assets/onboarding"}},
	"harlowpike-staff": {orgs: []string{"harlowpike"}, portal: "harlowpike",
		types: []string{"configurations", "contacts", "locations", "domains", "ssl-certificates", "documents", "checklists", "assets/applications", "assets/file-sharing"}},
}

// The demo's users and their groups, read by a person: the first group
// is the one whose portal they read; Karen's second group, brightsmile-it,
// is in no portal (it exists for an edit right) and adds nothing she reads.
var demoUsers = map[string][]string{
	"priya.nair@northwind-it.example":      {"staff"},
	"dana.kim@northwind-it.example":        {"staff"},
	"sam.okafor@northwind-it.example":      {"staff"},
	"lena.fischer@northwind-it.example":    {"helpdesk"},
	"karen.li@brightsmile.example":         {"brightsmile-it", "brightsmile-staff"},
	"marcus.webb@ferrum-precision.example": {"ferrum-staff"},
	"ines.garcia@harlowpike.example":       {"harlowpike-staff"},
}

func in(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expect is the row of a group, computed from the hand-written rules and
// the files on disk.
func (g demoGroup) expect(name string, files []demoFile) accessreview.Row {
	row := accessreview.Row{Kind: accessreview.KindGroup, Name: name, Groups: []string{name}, Portals: []string{g.portal},
		Orgs: []string{}, Types: []string{}, Withheld: []string{}, Restricted: []string{}}
	orgs, types := map[string]bool{}, map[string]bool{}
	var secrets, sealed []string
	for _, f := range files {
		if g.orgs == nil || in(g.orgs, f.org) {
			orgs[f.org] = true
		}
		if !orgs[f.org] || (g.types != nil && !in(g.types, f.typ)) || in(g.deny, f.org+"/"+f.typ) ||
			(f.archived && !g.archived) || (f.restricted != nil && !in(f.restricted, name)) {
			continue
		}
		row.Items++
		types[f.typ] = true
		if f.restricted != nil {
			row.Restricted = append(row.Restricted, f.id)
		}
		secrets = append(secrets, f.secrets...)
		if g.sealed {
			sealed = append(sealed, f.secrets...)
		}
	}
	for o := range orgs {
		row.Orgs = append(row.Orgs, o)
	}
	for ty := range types {
		row.Types = append(row.Types, ty)
	}
	for _, d := range g.deny {
		o, ty, _ := strings.Cut(d, "/")
		if !orgs[o] || !types[ty] {
			continue
		}
		for _, f := range files {
			if f.org == o && f.typ == ty {
				row.Withheld = append(row.Withheld, d)
				break
			}
		}
	}
	sort.Strings(row.Orgs)
	sort.Strings(row.Types)
	sort.Strings(row.Restricted)
	row.Notes = []string{strings.Join(secrets, " "), strings.Join(sealed, " ")} // compared apart
	return row
}

// TestDemoMatchesAccessToml compares the review of the demo with what a
// person reading access.toml and the content folder expects, for every
// group and user.
func TestDemoMatchesAccessToml(t *testing.T) {
	s, _, err := load.Load(context.Background(), demoRoot)
	if err != nil {
		t.Fatal(err)
	}
	r, err := accessreview.Build(s, sitefs.FS(demoRoot, ".", sitefs.MaxSourceFile))
	if err != nil {
		t.Fatal(err)
	}
	files := demoFiles(t)
	rows := map[string]accessreview.Row{}
	var kinds []string
	for _, row := range r.Rows {
		rows[row.Kind+" "+row.Name] = row
		kinds = append(kinds, row.Kind+" "+row.Name)
	}
	wantKinds := []string{"group brightsmile-it", "group brightsmile-staff", "group ferrum-staff", "group harlowpike-staff", "group helpdesk", "group staff",
		"user dana.kim@northwind-it.example", "user ines.garcia@harlowpike.example", "user karen.li@brightsmile.example",
		"user lena.fischer@northwind-it.example", "user marcus.webb@ferrum-precision.example", "user priya.nair@northwind-it.example",
		"user sam.okafor@northwind-it.example",
		"portal brightsmile", "portal ferrum", "portal harlowpike", "portal helpdesk", "portal internal"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Fatalf("rows:\n%v\nwant\n%v", kinds, wantKinds)
	}
	for name, g := range demoGroups {
		want := g.expect(name, files)
		got, ok := rows["group "+name]
		if !ok {
			t.Errorf("no row for group %s", name)
			continue
		}
		compareRow(t, got, want)
		for email, groups := range demoUsers {
			if groups[len(groups)-1] != name {
				continue
			}
			u := rows["user "+email]
			if u.Role == "" || !reflect.DeepEqual(u.Groups, groups) {
				t.Errorf("user %s: role %q, groups %v", email, u.Role, u.Groups)
			}
			uw := want
			uw.Kind, uw.Name, uw.Role = accessreview.KindUser, email, u.Role
			compareRow(t, u, uw)
		}
		p := rows["portal "+g.portal]
		pw := want
		pw.Kind, pw.Name, pw.Portals = accessreview.KindPortal, g.portal, []string{g.portal}
		compareRow(t, p, pw)
	}
	// A group in no portal reads nothing, and the review says so.
	if g := rows["group brightsmile-it"]; len(g.Portals) != 0 || g.Items != 0 || len(g.Notes) != 1 || !strings.HasPrefix(g.Notes[0], "in no portal") {
		t.Errorf("brightsmile-it: portals %v, %d items, notes %q", g.Portals, g.Items, g.Notes)
	}
	// What a person would point at: helpdesk does not see Northwind's
	// passwords, the break-glass account is for staff only, and only the
	// internal portal carries secret values.
	if got := rows["group helpdesk"].Withheld; !reflect.DeepEqual(got, []string{"northwind/passwords"}) {
		t.Errorf("helpdesk withheld %v", got)
	}
	if got := rows["group staff"].Restricted; !reflect.DeepEqual(got, []string{"harlowpike/passwords/break-glass-global-admin"}) {
		t.Errorf("staff restricted %v", got)
	}
	if rows["group helpdesk"].Items >= rows["group staff"].Items || rows["group staff"].SealedCount() == 0 || rows["group helpdesk"].SealedCount() != 0 {
		t.Errorf("helpdesk %d items, %d sealed; staff %d items, %d sealed", rows["group helpdesk"].Items, rows["group helpdesk"].SealedCount(), rows["group staff"].Items, rows["group staff"].SealedCount())
	}
}

func compareRow(t *testing.T, got, want accessreview.Row) {
	t.Helper()
	var secrets, sealed []string
	for _, s := range got.Secrets {
		secrets = append(secrets, s.String())
		if len(s.SealedIn) > 0 {
			sealed = append(sealed, s.String())
		}
	}
	sort.Strings(secrets)
	sort.Strings(sealed)
	ws := strings.Fields(want.Notes[0])
	wsealed := strings.Fields(want.Notes[1])
	sort.Strings(ws)
	sort.Strings(wsealed)
	if strings.Join(secrets, " ") != strings.Join(ws, " ") {
		t.Errorf("%s %s secrets:\n%v\nwant\n%v", got.Kind, got.Name, secrets, ws)
	}
	if strings.Join(sealed, " ") != strings.Join(wsealed, " ") {
		t.Errorf("%s %s sealed:\n%v\nwant\n%v", got.Kind, got.Name, sealed, wsealed)
	}
	check := func(what string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s %s %s = %v, want %v", got.Kind, got.Name, what, a, b)
		}
	}
	check("portals", got.Portals, want.Portals)
	check("orgs", got.Orgs, want.Orgs)
	check("types", got.Types, want.Types)
	check("withheld", got.Withheld, want.Withheld)
	check("items", got.Items, want.Items)
	check("restricted", got.Restricted, want.Restricted)
	check("role", got.Role, want.Role)
}
