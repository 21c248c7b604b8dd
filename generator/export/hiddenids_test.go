package export_test

import (
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/export"
)

// TestPortalExportNamesNoHiddenItem exports the demo for each portal, in
// both formats, and searches every file of the export for the id and the
// source path (content/<org>/...) of every item the portal may not see: a
// field, related key or Markdown link to a hidden item must not spell out
// the hidden item's id in an export handed to that audience.
func TestPortalExportNamesNoHiddenItem(t *testing.T) {
	s := openSite(t, demoRoot)
	for _, portal := range access.Portals(s) {
		v, err := access.NewView(s, portal)
		if err != nil {
			t.Fatal(err)
		}
		var hidden []string
		for _, it := range s.Items {
			if !v.CanSee(it.ID) {
				hidden = append(hidden, it.ID, it.File)
			}
		}
		if len(hidden) == 0 {
			continue
		}
		for _, format := range export.Formats {
			m := run(t, s, export.Options{Format: format, Scope: v})
			found := map[string]string{}
			for name, data := range m.files {
				for _, h := range hidden {
					if _, seen := found[h]; !seen && (strings.Contains(string(data), h) || strings.Contains(name, h)) {
						found[h] = name
					}
				}
			}
			for h, name := range found {
				t.Errorf("portal %s, %s export: %s names hidden %s", portal, format, name, h)
			}
		}
	}
}
