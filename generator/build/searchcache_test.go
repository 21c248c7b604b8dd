package build

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/search"
)

// TestSearchCacheSameIndex: with Options.SearchCache, one cache shared by
// every portal of the demo and filled by each in turn, every portal's
// search index is byte for byte the one cairn build wrote without it: a
// part cached for one portal never carries what another may not see
// into its index (TestPortalsNameNoHiddenItem checks the build's).
func TestSearchCacheSameIndex(t *testing.T) {
	site, out := demoBuild(t)
	theme, err := portal.LoadTheme(site.Root)
	if err != nil {
		t.Fatal(err)
	}
	cache := &search.Cache{}
	for round := range 2 { // the second round reuses every part
		for _, name := range access.Portals(site) {
			v, err := access.NewView(site, name)
			if err != nil {
				t.Fatal(err)
			}
			files, err := PortalFiles(v, theme, Options{Today: asOf, SearchCache: cache})
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			for _, f := range files {
				if f.Path == search.IndexFile {
					if got, err = f.Make(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := readTree(t, filepath.Join(out, name))[search.IndexFile]
			if want == nil || !bytes.Equal(got, want) {
				t.Errorf("round %d, portal %s: the index made through the search cache differs from cairn build's", round, name)
			}
		}
	}
}
