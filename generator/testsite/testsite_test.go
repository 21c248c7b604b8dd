package testsite_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// TestWriteIsValid: every generated site passes check with no diagnostic
// at all, has exactly the items asked for, and uses every kind of link.
func TestWriteIsValid(t *testing.T) {
	for _, opts := range []testsite.Options{
		{Items: 0, Orgs: 1, Seed: 1},
		{Items: 7, Orgs: 3, Seed: 2},
		{Items: 40, Orgs: 2, Seed: 3},
		{Items: 600, Seed: 4},
		{Items: 3000, Orgs: 9, Seed: 5},
	} {
		dir := t.TempDir()
		if err := testsite.Write(dir, opts); err != nil {
			t.Fatal(err)
		}
		res, err := site.Open(context.Background(), dir, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Diags.Sorted() {
			t.Errorf("%+v: %s (hint: %s)", opts, d, d.Hint)
		}
		if res.Stats.Items != opts.Items {
			t.Errorf("%+v: %d items, want %d", opts, res.Stats.Items, opts.Items)
		}
		wantOrgs := opts.Orgs
		if wantOrgs == 0 {
			wantOrgs = 3
		}
		if res.Stats.Orgs != wantOrgs {
			t.Errorf("%+v: %d orgs, want %d", opts, res.Stats.Orgs, wantOrgs)
		}
		if opts.Items < 600 {
			continue
		}
		kinds := map[model.LinkKind]int{}
		cross, anchors := 0, 0
		types := map[string]bool{}
		for _, it := range res.Site.Items {
			types[it.Type] = true
			for _, l := range res.Site.Graph.Out(it.ID) {
				kinds[l.Kind]++
				if l.Anchor != "" {
					anchors++
				}
				if to := res.Site.Item(l.To); to != nil && to.Org != it.Org {
					cross++
				}
			}
		}
		for _, k := range []model.LinkKind{model.LinkTag, model.LinkRelated, model.LinkWiki, model.LinkRelative} {
			if kinds[k] == 0 {
				t.Errorf("%+v: no %s links", opts, k)
			}
		}
		if cross == 0 || anchors == 0 {
			t.Errorf("%+v: %d links into shared orgs, %d with anchors; want some of each", opts, cross, anchors)
		}
		for _, typ := range []string{"configurations", "contacts", "locations", "passwords", "domains", "ssl-certificates", "documents", "checklists", "assets/backup", "assets/email"} {
			if !types[typ] {
				t.Errorf("%+v: no items of type %s", opts, typ)
			}
		}
	}
}

// TestWriteIsDeterministic: the same options write the same bytes; another
// seed writes another site.
func TestWriteIsDeterministic(t *testing.T) {
	opts := testsite.Options{Items: 300, Orgs: 4, Seed: 42}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := testsite.Write(dir, opts); err != nil {
			t.Fatal(err)
		}
	}
	opts.Seed = 43
	if err := testsite.Write(c, opts); err != nil {
		t.Fatal(err)
	}
	ta, tb, tc := tree(t, a), tree(t, b), tree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("same seed: %d files, then %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if tb[name] != data {
			t.Errorf("same seed, different %s", name)
		}
	}
	same := 0
	for name, data := range ta {
		if tc[name] == data {
			same++
		}
	}
	if same == len(ta) {
		t.Error("seeds 42 and 43 wrote the same site")
	}
}

func TestWriteRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := testsite.Write(dir, testsite.Options{Items: 1}); !errors.Is(err, testsite.ErrNotEmpty) {
		t.Fatalf("err = %v, want ErrNotEmpty", err)
	}
}

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"cairn.toml": "title = \"t\"\n", "content/a/documents/deep/x.md": "body\n"}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	// A path below an existing file cannot be written: the error names it.
	if err := testsite.WriteFiles(dir, map[string]string{"cairn.toml/x": ""}); err == nil || !strings.Contains(err.Error(), "cairn.toml/x") {
		t.Errorf("writing below a file: %v", err)
	}
}

// TestWritePortals: Options.Portals declares that many portals (internal
// first, then helpdesk, then one per client), the site still checks
// clean, and asking for more than the organizations allow is an error.
func TestWritePortals(t *testing.T) {
	for _, c := range []struct {
		opts testsite.Options
		want int
	}{
		{testsite.Options{Items: 40, Orgs: 9, Seed: 1}, 7},
		{testsite.Options{Items: 40, Orgs: 9, Seed: 1, Portals: 1}, 1},
		{testsite.Options{Items: 40, Orgs: 9, Seed: 1, Portals: 2}, 2},
		{testsite.Options{Items: 40, Orgs: 9, Seed: 1, Portals: 9}, 9},
		{testsite.Options{Items: 40, Orgs: 1, Seed: 1, Portals: 1}, 1},
	} {
		dir := t.TempDir()
		if err := testsite.Write(dir, c.opts); err != nil {
			t.Fatal(err)
		}
		res, err := site.Open(context.Background(), dir, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Diags.Sorted() {
			t.Errorf("%+v: %s", c.opts, d)
		}
		names := access.Portals(res.Site)
		p := res.Site.Access.Portals
		if len(names) != c.want || p["internal"] == nil || (c.want > 1) != (p["helpdesk"] != nil) {
			t.Errorf("%+v: portals %v, want %d: internal, then helpdesk, then clients", c.opts, names, c.want)
		}
	}
	err := testsite.Write(t.TempDir(), testsite.Options{Items: 40, Orgs: 9, Seed: 1, Portals: 10})
	if want := "testsite: 10 portals asked for, but 9 organizations give at most 9 (internal, helpdesk and one per client)"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if err := testsite.Write(t.TempDir(), testsite.Options{Items: 1, Portals: -1}); err == nil || err.Error() != "testsite: Portals must be 0 or more, got -1" {
		t.Errorf("err = %v, want the negative Portals error", err)
	}
}
