package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
)

// TestPortalsNameNoHiddenItem builds the demo and searches every file of
// each portal for the id of every item that portal may not see: a field
// that links to a hidden item, or a wiki link to one without a label of
// its own, must not spell out the hidden item's id (its organization,
// type and file name) for the audience.
func TestPortalsNameNoHiddenItem(t *testing.T) {
	site, out := demoBuild(t)
	for _, portal := range access.Portals(site) {
		v, err := access.NewView(site, portal)
		if err != nil {
			t.Fatal(err)
		}
		var hidden []string
		for _, it := range site.Items {
			if v.Item(it.ID) == nil {
				hidden = append(hidden, it.ID)
			}
		}
		if len(hidden) == 0 {
			continue
		}
		found := map[string]string{}
		err = filepath.WalkDir(filepath.Join(out, portal), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, id := range hidden {
				if _, seen := found[id]; !seen && strings.Contains(string(data), id) {
					rel, _ := filepath.Rel(out, p)
					found[id] = filepath.ToSlash(rel)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for id, file := range found {
			t.Errorf("portal %s names hidden item %s in %s", portal, id, file)
		}
	}
}
