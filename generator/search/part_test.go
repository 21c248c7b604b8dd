package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/search"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// TestGolden: Build writes, byte for byte, the index files the format's
// first implementation wrote for the fixture (testdata/golden, written by
// the Build before parts existed): search.js reads them unchanged.
func TestGolden(t *testing.T) {
	s := fixture(t)
	for _, portal := range []string{"internal", "acme"} {
		want, err := os.ReadFile(filepath.Join("testdata", "golden", portal+".js"))
		if err != nil {
			t.Fatal(err)
		}
		if got := mustBuild(t, view(t, s, portal))[search.IndexFile]; !bytes.Equal(got, want) {
			t.Errorf("portal %s: index differs from testdata/golden/%s.js:\n got %s\nwant %s", portal, portal, got, want)
		}
	}
}

// TestAssembleFromCachedParts is the property the part API promises:
// after any sequence of random edits, additions and deletions of items,
// organizations and access rules of a generated site, an index assembled
// from the parts cached by key (PartKey) is byte for byte the index a
// fresh Build writes, in every portal; and a part made again for a key
// seen before is equal to the first (equal keys, equal parts).
func TestAssembleFromCachedParts(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 240, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 14))
	var cache search.Cache
	seen := map[search.Key]*search.Part{} // every part made, by key
	made, pages := 0, 0
	steps := 40
	if testing.Short() {
		steps = 8
	}
	for step := 0; step <= steps; step++ {
		what := "the generated site"
		if step > 0 {
			what = edit(t, rng, dir)
		}
		res, err := site.Open(context.Background(), dir, today)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		for _, portal := range access.Portals(res.Site) {
			v := view(t, res.Site, portal)
			want := mustBuild(t, v)[search.IndexFile]
			got, st, err := cache.Build(v)
			if err != nil {
				t.Fatalf("step %d (%s), portal %s: %v", step, what, portal, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("step %d (%s), portal %s: the index assembled from cached parts differs from a fresh build", step, what, portal)
			}
			if step > 0 {
				made += st.Made
				pages += st.Pages
			}
			for _, p := range search.Pages(v) {
				k := search.PartKey(v, p)
				part := search.NewPart(v, p)
				if old, ok := seen[k]; ok && !reflect.DeepEqual(old, part) {
					t.Fatalf("step %d (%s), portal %s: page %s has the key of an earlier part but a different part", step, what, portal, p.ID())
				}
				seen[k] = part
			}
		}
	}
	// The cache must have spared work, or the test proves nothing about
	// reuse: a one-file edit changes few parts.
	if made*4 > pages {
		t.Errorf("the cache made %d parts of %d pages over %d edits: it reuses too little", made, pages, steps)
	}
	t.Logf("%d edits: %d parts made for %d pages", steps, made, pages)
}

// edit makes one random change to the site in dir and says what it did.
func edit(t *testing.T, rng *rand.Rand, dir string) string {
	t.Helper()
	items := siteFiles(t, dir, func(rel string) bool {
		return strings.HasPrefix(rel, "content/") && strings.Count(rel, "/") >= 3 && !strings.Contains(rel, "/files/") &&
			(strings.HasSuffix(rel, ".toml") || strings.HasSuffix(rel, ".md"))
	})
	orgs := siteFiles(t, dir, func(rel string) bool { return path.Base(rel) == "org.toml" })
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	word := func() string { return fmt.Sprintf("Zq%dx", rng.IntN(1000)) }
	idOf := func(rel string) string {
		id := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".toml"), ".md")
		return strings.TrimSuffix(id, "/index")
	}
	switch rng.IntN(9) {
	case 0: // rename an item: its title, and what tags to it show
		rel := pick(items)
		if rng.IntN(2) == 0 { // locations and contacts: what tag fields point to
			rel = pick(siteFiles(t, dir, func(rel string) bool {
				return strings.Contains(rel, "/locations/") || strings.Contains(rel, "/contacts/")
			}))
		}
		replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^(name|title|first_name) = ".*"$`), `${1} = "Renamed `+word()+`"`)
		return "rename " + rel
	case 1: // a wiki link without a label, to an item that may be hidden or missing
		rel := pick(siteFiles(t, dir, func(rel string) bool { return strings.HasPrefix(rel, "content/") && strings.HasSuffix(rel, ".md") }))
		target := idOf(pick(items))
		if rng.IntN(4) == 0 {
			target += "-missing"
		}
		appendTo(t, dir, rel, "\nSee [["+target+"]] and "+word()+".\n")
		return "link " + rel + " to " + target
	case 2: // delete an item
		rel := pick(items)
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, strings.TrimSuffix(rel, ".toml")+".sops.yaml"))
		return "delete " + rel
	case 3: // add an item: a copy of another under a new slug and name
		rel := pick(siteFiles(t, dir, func(rel string) bool {
			return strings.HasPrefix(rel, "content/") && strings.HasSuffix(rel, ".toml") && path.Base(rel) != "org.toml" &&
				!strings.Contains(rel, "/passwords/")
		}))
		b := read(t, dir, rel)
		nu := path.Join(path.Dir(rel), fmt.Sprintf("added-%d.toml", rng.IntN(100000)))
		b = regexp.MustCompile(`(?m)^name = ".*"$`).ReplaceAll(b, []byte(`name = "Added `+word()+`"`))
		write(t, dir, nu, b)
		return "add " + nu
	case 4: // rename an organization
		rel := pick(orgs)
		replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^name = ".*"$`), `name = "Org `+word()+`"`)
		return "rename org " + rel
	case 5: // change what a tag field points to
		rel := pick(items)
		target := idOf(pick(items))
		org := strings.SplitN(idOf(rel), "/", 2)[0]
		if strings.HasPrefix(target, org+"/") {
			target = strings.TrimPrefix(target, org+"/")
		}
		replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^(location|contact|owner|dhcp_server) = ".*"$`), `${1} = "`+target+`"`)
		return "retag " + rel + " to " + target
	case 6: // change which types the client portal's group sees
		types := []string{"configurations", "contacts", "locations", "documents", "assets", "domains", "checklists"}
		rng.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
		list := `"` + strings.Join(types[:1+rng.IntN(len(types)-1)], `", "`) + `"`
		replaceFirst(t, dir, "access.toml", regexp.MustCompile(`(?m)^types = \[.*\]$`), "types = ["+list+"]")
		return "access types " + list
	case 7: // change a type: its display name, or which fields make a summary
		rel := "schemas/" + pick(testsite.DefaultFlexTypes) + ".toml"
		if rng.IntN(2) == 0 {
			replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^singular = ".*"$`), `singular = "Kind `+word()+`"`)
			return "rename type " + rel
		}
		replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^show_in_list = true$`), "show_in_list = false")
		return "list fields of " + rel
	default: // edit a field value that is indexed
		rel := pick(items)
		appendTo(t, dir, rel, "") // keep the file as it is when no field matches
		replaceFirst(t, dir, rel, regexp.MustCompile(`(?m)^(model|manufacturer|category|network|primary_ip) = ".*"$`), `${1} = "Value `+word()+`"`)
		return "field of " + rel
	}
}

func siteFiles(t *testing.T, dir string, keep func(rel string) bool) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); keep(rel) {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func read(t *testing.T, dir, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t *testing.T, dir, rel string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, dir, rel, s string) {
	t.Helper()
	write(t, dir, rel, append(read(t, dir, rel), s...))
}

// replaceFirst replaces the first match of re in the file.
func replaceFirst(t *testing.T, dir, rel string, re *regexp.Regexp, repl string) {
	t.Helper()
	b := read(t, dir, rel)
	if loc := re.FindSubmatchIndex(b); loc != nil {
		var out []byte
		out = re.Expand(out, []byte(repl), b, loc)
		b = append(append(append([]byte{}, b[:loc[0]]...), out...), b[loc[1]:]...)
	}
	write(t, dir, rel, b)
}

// TestCacheKeepsPortalsApart: parts are shared between portals by key,
// yet a portal's index assembled after another portal filled the cache
// holds nothing hidden from it (the fixture's acme portal sees neither
// globex nor contacts, which the internal portal's parts name).
func TestCacheKeepsPortalsApart(t *testing.T) {
	s := fixture(t)
	var c search.Cache
	if _, _, err := c.Build(view(t, s, "internal")); err != nil {
		t.Fatal(err)
	}
	acme := view(t, s, "acme")
	got, st, err := c.Build(acme)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustBuild(t, acme)[search.IndexFile]; !bytes.Equal(got, want) {
		t.Errorf("acme index from a cache the internal portal filled differs from a fresh build")
	}
	for _, secret := range []string{"globex", "203.0.113", "gx-db01", "zurich", "bloggs", "hunter2pass"} {
		if bytes.Contains(bytes.ToLower(got), []byte(secret)) {
			t.Errorf("acme portal index from the shared cache holds %q", secret)
		}
	}
	// Pages whose view is the same in both portals are shared; those
	// that link to what acme may not see are not.
	if st.Made == 0 || st.Made == st.Pages {
		t.Errorf("acme build made %d of %d parts, want some but not all reused from the internal portal's", st.Made, st.Pages)
	}
}

// TestAssembleRejects: Assemble refuses parts it cannot place.
func TestAssembleRejects(t *testing.T) {
	v := view(t, fixture(t), "internal")
	pages := search.Pages(v)
	org, item := search.NewPart(v, pages[0]), search.NewPart(v, pages[1])
	for _, tc := range []struct {
		name  string
		parts []*search.Part
		want  string
	}{
		{"item first", []*search.Part{item, org}, "search parts: an item's part comes before any organization's"},
		{"nil", []*search.Part{org, nil}, "search part 1 is nil"},
	} {
		if _, err := search.Assemble(tc.parts); err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if b, err := search.Assemble(nil); err != nil || string(b) != "window."+search.Global+`={"v":1,"types":[],"orgs":null,"docs":null,"terms":"","post":""};`+"\n" {
		t.Errorf("Assemble(nil) = %q, %v", b, err)
	}
}

// TestPartKeyFollowsTheView: a part's key changes with what decides its
// contents beyond its own file: a tag target's visibility, here.
func TestPartKeyFollowsTheView(t *testing.T) {
	s := fixture(t)
	internal, acme := view(t, s, "internal"), view(t, s, "acme")
	page := func(v *access.View, id string) search.Page {
		for _, p := range search.Pages(v) {
			if p.ID() == id {
				return p
			}
		}
		t.Fatalf("no page %s in portal %s", id, v.Portal.Name)
		return search.Page{}
	}
	// The server tags a location acme's portal does not show.
	const server = "acme/configurations/server4thfloor"
	if search.PartKey(internal, page(internal, server)) == search.PartKey(acme, page(acme, server)) {
		t.Error("the server's key is the same in a portal that hides its tag's target")
	}
	if !reflect.DeepEqual(search.NewPart(internal, page(internal, server)), search.NewPart(internal, page(internal, server))) {
		t.Error("NewPart is not deterministic")
	}
}

// TestEncodingAsEncodingJSON: the index Build writes is, byte for byte,
// what encoding/json writes for the decoded Index (the first
// implementation's encoder: no HTML escaping but inside docs, which
// json.Marshal wrote), on a site whose names and values hold quotes,
// backslashes, HTML characters, control characters, U+2028, accents and
// letters above U+FFFF; and its terms are in the UTF-16 order search.js
// binary-searches.
func TestEncodingAsEncodingJSON(t *testing.T) {
	dir := t.TempDir()
	err := testsite.WriteFiles(dir, map[string]string{
		"cairn.toml":  `title = "Tricky"`,
		"access.toml": "[groups.staff]\norgs = [\"*\"]\n\n[portals.internal]\ngroups = [\"staff\"]\n",
		"content/acme/org.toml": `name = "Acme <R&D> \"Labs\""
description = "Line\u2028separator, bell\u0007, tab\t and a back\\slash"
quick_notes = "Café — naïve résumé; 𠀀x﨎y a\"b c<d e&f"
`,
		"content/acme/configurations/box.toml": `name = "box-𠀀 﨎 Ünïcödé"
notes = "x<y>z & \"quoted\" \\ 1.2.3 ＡＢＣ 𝔘𝔫𝔦"
`,
		"content/acme/configurations/fw.toml": `name = "fw <main> & backup"`,
		"content/acme/documents/doc.md":       "+++\ntitle = \"Doc </script> & co\u2028\"\n+++\n\n# Heading\n\nText with [[configurations/box]] and U+2028 \u2028 here.\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Open(context.Background(), dir, today)
	if err != nil {
		t.Fatal(err)
	}
	got := mustBuild(t, view(t, res.Site, "internal"))[search.IndexFile]
	idx := decode(t, map[string][]byte{search.IndexFile: got})
	var want bytes.Buffer
	want.WriteString("window." + search.Global + "=")
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(idx); err != nil {
		t.Fatal(err)
	}
	want.Truncate(want.Len() - 1)
	want.WriteString(";\n")
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("index differs from encoding/json's:\n got %s\nwant %s", got, want.Bytes())
	}
	for _, esc := range []string{`fw \u003cmain\u003e \u0026 backup`, `\u003c/script\u003e`, `\u2028`, `\u0007`, `a\"b`, `c<d`} {
		if !bytes.Contains(got, []byte(esc)) {
			t.Errorf("index lacks %s", esc)
		}
	}
	terms := strings.Split(idx.Terms, " ")
	for i := 1; i < len(terms); i++ {
		if !referenceLess(terms[i-1], terms[i]) {
			t.Errorf("terms %q and %q are not in UTF-16 order", terms[i-1], terms[i])
		}
	}
	if !contains(terms, "𠀀x﨎y") || !contains(terms, "﨎") || !contains(terms, "𠀀") {
		t.Errorf("terms %q lack the letters above U+E000", terms)
	}
}

// TestCacheConcurrent: builds of several portals through one Cache at
// once, each portal twice, give every portal the bytes of a fresh build
// (run with -race to check the cache's locking).
func TestCacheConcurrent(t *testing.T) {
	s := fixture(t)
	var c search.Cache
	var wg sync.WaitGroup
	for range 2 {
		for _, portal := range []string{"internal", "acme", "internal", "acme"} {
			v := view(t, s, portal)
			want := mustBuild(t, v)[search.IndexFile]
			wg.Go(func() {
				got, _, err := c.Build(v)
				if err != nil {
					t.Error(err)
				} else if !bytes.Equal(got, want) {
					t.Errorf("portal %s: a concurrent cached build differs from a fresh build", v.Portal.Name)
				}
			})
		}
	}
	wg.Wait()
}
