package build

import (
	"bytes"
	"context"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/generator/urls"
)

// TestItemFilesMatchPortalFiles: for every portal of a generated site
// (an internal one that sees everything, client portals that see one
// organization), ItemFiles gives the pages of exactly the items the
// portal lists among PortalFiles, with the same bytes, and nothing for
// items it may not see or that do not exist.
func TestItemFilesMatchPortalFiles(t *testing.T) {
	root := t.TempDir()
	if err := testsite.Write(root, testsite.Options{Items: 60, Orgs: 4, Seed: 3, Portals: 3}); err != nil {
		t.Fatal(err)
	}
	s := openSite(t, root)
	theme, err := portal.LoadTheme(root)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"no-such-org/configurations/x"}
	for _, it := range s.Items {
		ids = append(ids, it.ID)
	}
	ctx := context.Background()
	for _, name := range access.Portals(s) {
		v, err := access.NewView(s, name)
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{Today: asOf}
		all, err := PortalFiles(v, theme, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]File{}
		for _, f := range all {
			want[f.Path] = f
		}
		got := ItemFiles(v, theme, opts, ids)
		hidden := 0
		for _, id := range ids {
			if _, ok := want[urls.ItemID(id)]; !ok {
				hidden++
			}
		}
		if len(got) != len(ids)-hidden || hidden == 0 {
			t.Errorf("portal %s: %d item pages of %d ids (%d not in the portal)", name, len(got), len(ids), hidden)
		}
		for _, f := range got {
			w, ok := want[f.Path]
			if !ok || !f.Page {
				t.Errorf("portal %s: ItemFiles gave %s (page %v), which PortalFiles does not list as a page", name, f.Path, f.Page)
				continue
			}
			a, err := f.Make(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b, err := w.Make(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("portal %s: %s differs from PortalFiles' page", name, f.Path)
			}
		}
	}
}
