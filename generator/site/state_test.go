package site_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// TestStateMatchesOpen is the incremental site model's property: after
// every step of a random sequence of edits, additions, deletions and
// renames (valid and broken TOML and Markdown, links made and broken,
// duplicate ids, secrets files and attachments added and removed,
// organizations changed, schema and access.toml edits), State.Update's
// result is exactly what a fresh Open of the site returns: the same
// diagnostics (every field, in order), stats, organizations, items and
// link graph.
func TestStateMatchesOpen(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := testsite.Write(dir, testsite.Options{Items: 50, Seed: int64(seed)}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			st, err := site.NewState(ctx, dir, today)
			if err != nil {
				t.Fatal(err)
			}
			e := &editor{t: t, dir: dir, rng: rand.New(rand.NewPCG(seed, 14))}
			sameResult(t, "start", st.Result(), open(t, dir))
			for step := 0; step < 35; step++ {
				what, paths := e.step()
				res, _, err := st.Update(ctx, paths, today)
				if err != nil {
					t.Fatalf("step %d (%s): %v", step, what, err)
				}
				sameResult(t, fmt.Sprintf("step %d (%s)", step, what), res, open(t, dir))
			}
		})
	}
}

func open(t *testing.T, dir string) *site.Result {
	t.Helper()
	res, err := site.Open(context.Background(), dir, today)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameResult fails the test at the first difference between an
// incremental result and a fresh one.
func sameResult(t *testing.T, step string, got, want *site.Result) {
	t.Helper()
	gd, wd := got.Diags.Sorted(), want.Diags.Sorted()
	for i := 0; i < max(len(gd), len(wd)); i++ {
		var g, w diag.Diagnostic
		if i < len(gd) {
			g = gd[i]
		}
		if i < len(wd) {
			w = wd[i]
		}
		if g != w {
			t.Fatalf("%s: diagnostic %d:\n got %+v\nwant %+v", step, i, g, w)
		}
	}
	if got.Stats != want.Stats {
		t.Fatalf("%s: stats %+v, want %+v", step, got.Stats, want.Stats)
	}
	gs, ws := got.Site, want.Site
	if len(gs.Orgs) != len(ws.Orgs) || len(gs.Items) != len(ws.Items) || !reflect.DeepEqual(gs.Files, ws.Files) {
		t.Fatalf("%s: %d orgs, %d items, files %v; want %d, %d, %v", step, len(gs.Orgs), len(gs.Items), gs.Files, len(ws.Orgs), len(ws.Items), ws.Files)
	}
	for i, o := range gs.Orgs {
		w := ws.Orgs[i]
		if o.Slug != w.Slug || o.Digest != w.Digest || o.Name != w.Name || o.Shared != w.Shared {
			t.Fatalf("%s: org %d is %s %q, want %s %q", step, i, o.Slug, o.Name, w.Slug, w.Name)
		}
	}
	for i, it := range gs.Items {
		w := ws.Items[i]
		if it.ID != w.ID || it.File != w.File || it.Digest != w.Digest || it.Title != w.Title || it.Secrets != w.Secrets || it.Broken != w.Broken {
			t.Fatalf("%s: item %d is %s (%s, %q, secrets %q), want %s (%s, %q, secrets %q)", step, i, it.ID, it.File, it.Title, it.Secrets, w.ID, w.File, w.Title, w.Secrets)
		}
	}
	if got.Site.Graph.Count() != want.Site.Graph.Count() {
		t.Fatalf("%s: %d links, want %d", step, got.Site.Graph.Count(), want.Site.Graph.Count())
	}
	var ids []string
	for _, o := range ws.Orgs {
		ids = append(ids, o.Slug)
	}
	for _, it := range ws.Items {
		ids = append(ids, it.ID)
	}
	for _, id := range ids {
		g, w := got.Site.Graph, want.Site.Graph
		if !reflect.DeepEqual(g.Out(id), w.Out(id)) || !reflect.DeepEqual(g.In(id), w.In(id)) || !reflect.DeepEqual(g.Files(id), w.Files(id)) {
			t.Fatalf("%s: links of %s:\n got out %v in %v files %v\nwant out %v in %v files %v", step, id, g.Out(id), g.In(id), g.Files(id), w.Out(id), w.In(id), w.Files(id))
		}
		for _, l := range w.Out(id) {
			gt, gok := g.Resolve(id, l.Kind.RefKind(), l.Text)
			wt, wok := w.Resolve(id, l.Kind.RefKind(), l.Text)
			if gt != wt || gok != wok {
				t.Fatalf("%s: %s's reference %q resolves to %+v, want %+v", step, id, l.Text, gt, wt)
			}
		}
	}
}

// editor makes random changes to a site on disk.
type editor struct {
	t   *testing.T
	dir string
	rng *rand.Rand
	n   int // names made so far
	// removed are the schema files deleted, by path, with their text,
	// to put back later.
	removed map[string]string
}

// files returns the site's files below dir (relative to the site root)
// whose names end in one of the suffixes, sorted.
func (e *editor) files(dir string, suffixes ...string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(e.dir, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(e.dir, p)
		rel = filepath.ToSlash(rel)
		for _, s := range suffixes {
			if strings.HasSuffix(rel, s) {
				out = append(out, rel)
				break
			}
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func (e *editor) pick(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[e.rng.IntN(len(xs))]
}

func (e *editor) read(rel string) string {
	b, _ := os.ReadFile(filepath.Join(e.dir, rel))
	return string(b)
}

func (e *editor) write(rel, text string) {
	p := filepath.Join(e.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *editor) remove(rel string) {
	if err := os.Remove(filepath.Join(e.dir, filepath.FromSlash(rel))); err != nil {
		e.t.Fatal(err)
	}
}

// orgOf returns the organization of a file under content/.
func orgOf(rel string) string { return strings.Split(rel, "/")[1] }

// target returns a link target: an existing item (by id within its
// organization, or with an anchor), an id a later step may create, or
// one that never resolves.
func (e *editor) target(org string) string {
	switch e.rng.IntN(5) {
	case 0, 1:
		f := e.pick(e.files("content/"+org, ".toml", ".md"))
		if f == "" || strings.HasSuffix(f, "org.toml") || strings.Contains(f, "/files/") {
			return "documents/new-1"
		}
		id := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(f, "content/"+org+"/"), ".toml"), ".md")
		return strings.TrimSuffix(id, "/index")
	case 2:
		return fmt.Sprintf("documents/new-%d", 1+e.rng.IntN(4))
	case 3:
		return "vendors/" + e.pick([]string{"documents/kb", "configurations/nope", "contacts/new-2"})
	default:
		return "documents/kb#" + e.pick([]string{"overview", "nope"})
	}
}

func (e *editor) name() string {
	e.n++
	return fmt.Sprintf("new-%d", 1+e.rng.IntN(4)+e.n%2*4)
}

// step makes one random change and returns what it did and the paths it
// touched.
func (e *editor) step() (string, []string) {
	items := e.files("content", ".toml", ".md")
	var plain []string
	for _, f := range items {
		if !strings.HasSuffix(f, "/org.toml") && !strings.Contains(f, "/files/") {
			plain = append(plain, f)
		}
	}
	orgs := e.files("content", "/org.toml")
	if len(orgs) == 0 { // every org.toml deleted: steps below pick one
		f := "content/" + e.name() + "/org.toml"
		e.write(f, "name = \"New org\"\n")
		return "new org " + f, []string{f}
	}
	switch e.rng.IntN(16) {
	case 0, 1: // add a link, maybe broken, maybe fixed later
		f := e.pick(plain)
		org := orgOf(f)
		if strings.HasSuffix(f, ".md") {
			e.write(f, e.read(f)+"\nSee [["+e.target(org)+"]] and [this](../configurations/"+e.name()+".toml).\n")
		} else {
			e.write(f, e.read(f)+"\n[[zz_links]]\nnotes = \"See [["+e.target(org)+"]]\"\n")
		}
		return "link in " + f, []string{f}
	case 2: // break or unbreak a file's syntax
		f := e.pick(plain)
		text := e.read(f)
		if strings.Contains(text, "= = broken") {
			text = strings.ReplaceAll(text, "= = broken\n", "")
		} else if strings.HasSuffix(f, ".md") && e.rng.IntN(2) == 0 {
			text = "no front matter\n" + text
		} else {
			text = "= = broken\n" + text
		}
		e.write(f, text)
		return "syntax of " + f, []string{f}
	case 3: // change a value
		f := e.pick(plain)
		e.write(f, strings.Replace(e.read(f), "name = \"", "name = \"Z", 1))
		return "value in " + f, []string{f}
	case 4, 5: // add a document, which may fix broken links
		org := orgOf(e.pick(orgs))
		f := "content/" + org + "/documents/" + e.name() + ".md"
		e.write(f, "+++\ntitle = \"New\"\n+++\n\n# Overview\n\nSee [["+e.target(org)+"]].\n")
		return "add " + f, []string{f}
	case 6: // add an item
		org := orgOf(e.pick(orgs))
		f := "content/" + org + "/contacts/" + e.name() + ".toml"
		e.write(f, "name = \"New Person\"\nrelated = [\""+e.target(org)+"\"]\n")
		return "add " + f, []string{f}
	case 7: // delete a file
		f := e.pick(append(plain, e.files("content", ".sops.yaml", ".pdf")...))
		e.remove(f)
		return "delete " + f, []string{f}
	case 8: // rename an item
		f := e.pick(plain)
		to := path.Join(path.Dir(f), e.name()+path.Ext(f))
		if strings.HasSuffix(f, "/index.md") || f == to {
			to = path.Join(path.Dir(f), "renamed-"+fmt.Sprint(e.n)+path.Ext(f))
		}
		e.write(to, e.read(f))
		e.remove(f)
		return "rename " + f + " to " + to, []string{f, to}
	case 9: // a duplicate id: documents/x.md and documents/x/index.md
		docs := e.files("content", ".md")
		f := e.pick(docs)
		if !strings.Contains(f, "/documents/") {
			return "nothing", nil
		}
		dup := strings.TrimSuffix(f, ".md") + "/index.md"
		if strings.HasSuffix(f, "/index.md") {
			dup = strings.TrimSuffix(f, "/index.md") + ".md"
		}
		e.write(dup, "+++\ntitle = \"Duplicate\"\n+++\n\n# Other\n")
		return "duplicate " + dup, []string{dup}
	case 10: // a secrets file added (maybe orphaned, maybe broken) or removed
		if s := e.files("content", ".sops.yaml"); len(s) > 0 && e.rng.IntN(2) == 0 {
			f := e.pick(s)
			e.remove(f)
			return "delete " + f, []string{f}
		}
		org := orgOf(e.pick(orgs))
		slug := e.pick([]string{e.name(), strings.TrimSuffix(path.Base(e.pick(e.files("content/"+org+"/passwords", ".toml"))), ".toml")})
		if slug == "" {
			slug = e.name()
		}
		f := "content/" + org + "/passwords/" + slug + ".sops.yaml"
		e.write(f, e.pick([]string{"password: plain\n", "notakey: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n"}))
		return "secrets " + f, []string{f}
	case 11: // an attachment added, maybe leaking a secret
		org := orgOf(e.pick(orgs))
		f := "content/" + org + "/files/" + e.name() + ".txt"
		e.write(f, e.pick([]string{"just notes\n", fakeKeyBlock()}))
		return "attachment " + f, []string{f}
	case 12: // an organization changed: shared or not, broken, new
		switch e.rng.IntN(3) {
		case 0:
			f := e.pick(orgs)
			text := e.read(f)
			if strings.Contains(text, "shared = true") {
				text = strings.ReplaceAll(text, "shared = true", "shared = false")
			} else {
				text += "\nshared = true\n"
			}
			e.write(f, text)
			return "shared in " + f, []string{f}
		case 1:
			f := e.pick(orgs)
			e.write(f, e.read(f)+"\nkind = \"nonsense\"\n")
			return "kind in " + f, []string{f}
		default:
			f := "content/" + e.name() + "/org.toml"
			e.write(f, "name = \"New org\"\n")
			return "new org " + f, []string{f}
		}
	case 13: // a schema edited, removed, added or put back
		f := e.pick(e.files("schemas", ".toml"))
		if f == "" {
			return "nothing", nil
		}
		switch e.rng.IntN(6) {
		case 0: // its type folders become unknown, its items strays
			if e.removed == nil {
				e.removed = map[string]string{}
			}
			e.removed[f] = e.read(f)
			e.remove(f)
			return "delete schema " + f, []string{f}
		case 1: // back again, or a new type that links to another
			for g, text := range e.removed {
				e.write(g, text)
				delete(e.removed, g)
				return "schema back " + g, []string{g}
			}
			g := "schemas/zz-new.toml"
			e.write(g, "name = \"New\"\nslug = \"zz-new\"\n\n[[fields]]\nname = \"title\"\nkind = \"text\"\nrequired = true\nuse_for_title = true\n\n[[fields]]\nname = \"peer\"\nkind = \"link\"\ntargets = [\""+e.pick([]string{"assets/vendors", "assets/nowhere", "contacts"})+"\"]\n")
			return "new schema " + g, []string{g}
		case 2: // every item of the type misses a field now
			e.write(f, e.read(f)+fmt.Sprintf("\n[[fields]]\nname = \"zz_req%d\"\nkind = \"text\"\nrequired = true\n", e.n))
			e.n++
			return "required field in " + f, []string{f}
		case 3: // a leak in a schema
			e.write(f, e.read(f)+"\n"+fakeKeyComment())
			return "leak in " + f, []string{f}
		}
		e.write(f, e.read(f)+e.pick([]string{"\n[[fields]]\nname = \"zz_extra\"\nkind = \"text\"\n", "\n= broken\n"}))
		return "schema " + f, []string{f}
	case 14: // an access.toml edit: groups made and broken, items given access
		switch e.rng.IntN(4) {
		case 0: // an item limited to a group that may not exist (yet)
			f := e.pick(plain)
			if !strings.HasSuffix(f, ".toml") {
				return "nothing", nil
			}
			e.write(f, fmt.Sprintf("access = [\"g%d\"]\n", e.rng.IntN(max(e.n, 1)))+e.read(f))
			return "access in " + f, []string{f}
		case 1: // a leak, or broken syntax
			e.write("access.toml", e.read("access.toml")+e.pick([]string{"\n" + fakeKeyComment(), "\n= broken\n"}))
			return "access.toml broken or leaking", []string{"access.toml"}
		case 2: // the groups made so far taken away again, and the damage
			text := e.read("access.toml")
			if i := strings.Index(text, "\n[groups.g"); i >= 0 {
				text = text[:i]
			}
			text = strings.ReplaceAll(text, "\n= broken\n", "")
			e.write("access.toml", text)
			return "access.toml groups removed", []string{"access.toml"}
		}
		e.write("access.toml", e.read("access.toml")+fmt.Sprintf("\n[groups.g%d]\norgs = [%q]\n", e.n, e.pick([]string{"vendors", "nowhere"})))
		e.n++
		return "access.toml", []string{"access.toml"}
	default: // remove an organization's org.toml
		f := e.pick(orgs)
		e.remove(f)
		return "delete " + f, []string{f}
	}
}

// TestStateSharedOrgToggled: when a shared organization stops being
// shared, the items of other organizations that link into it are checked
// again (their links are cross-org errors now), and again when it is
// shared once more, though none of their files changed.
func TestStateSharedOrgToggled(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 60, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := site.NewState(ctx, dir, today)
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{t: t, dir: dir}
	const f = "content/vendors/org.toml"
	orig := e.read(f)
	if !strings.Contains(orig, "shared = true") {
		t.Fatalf("%s is not shared", f)
	}
	for i, text := range []string{strings.Replace(orig, "shared = true", "shared = false", 1), orig} {
		e.write(f, text)
		res, _, err := st.Update(ctx, []string{f}, today)
		if err != nil {
			t.Fatal(err)
		}
		want := open(t, dir)
		if i == 0 && !want.Diags.HasErrors() {
			t.Fatal("no cross-org errors: nothing links into vendors")
		}
		sameResult(t, fmt.Sprintf("step %d", i), res, want)
	}
}

// TestStateAccessGroupAdded: an item whose access key names a group
// access.toml lacks is checked again when access.toml changes (the
// unknown group's error comes and goes), though its file did not change,
// and access.toml's own leak findings follow its edits; the items of a
// type whose schema gained a required field are read and checked again.
func TestStateAccessGroupAdded(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 60, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e := &editor{t: t, dir: dir}
	var item string
	for _, f := range e.files("content", ".toml") {
		if strings.Contains(f, "/contacts/") {
			item = f
			break
		}
	}
	e.write(item, "access = [\"ops\"]\n"+e.read(item))
	st, err := site.NewState(ctx, dir, today)
	if err != nil {
		t.Fatal(err)
	}
	acc := e.read("access.toml")
	schema := e.files("schemas", ".toml")[0]
	steps := []struct {
		file, text string
		errs       bool // whether Open finds errors after the step
	}{
		{"access.toml", acc + "\n[groups.ops]\norgs = [\"*\"]\n", false},
		{"access.toml", acc + "\n" + fakeKeyComment(), true},
		{"access.toml", acc + "\n[groups.ops]\norgs = [\"*\"]\n", false},
		{schema, e.read(schema) + "\n[[fields]]\nname = \"zz_req\"\nkind = \"text\"\nrequired = true\n", true},
	}
	for i, s := range steps {
		e.write(s.file, s.text)
		res, d, err := st.Update(ctx, []string{s.file}, today)
		if err != nil {
			t.Fatal(err)
		}
		want := open(t, dir)
		if want.Diags.HasErrors() != s.errs {
			t.Fatalf("step %d: errors %v, want %v", i, want.Diags.HasErrors(), s.errs)
		}
		if !d.Full {
			t.Fatalf("step %d: the delta of a change to %s is not Full", i, s.file)
		}
		sameResult(t, fmt.Sprintf("step %d (%s)", i, s.file), res, want)
	}
}

// fakeKeyBlock is an attachment's text that the leak scan takes for a
// private key: made here, so no key-shaped text is committed.
func fakeKeyBlock() string {
	label := "RSA PRIVATE" + " KEY"
	return "-----BEGIN " + label + "-----\nMIIEpAIBAAKCAQEAx\n-----END " + label + "-----\n"
}

// fakeKeyComment is fakeKeyBlock as TOML comment lines.
func fakeKeyComment() string {
	return "# " + strings.ReplaceAll(strings.TrimSuffix(fakeKeyBlock(), "\n"), "\n", "\n# ") + "\n"
}
