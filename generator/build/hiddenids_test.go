package build

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/internal/testtool"
)

// TestPortalsNameNoHiddenItem builds the demo and searches every file of
// each portal (pages, search indexes, expiring.ics feeds, sitemaps, and
// the text of its PDF runbooks, which are compressed and read through
// pdftotext) for the id and the source path (content/<org>/...) of every
// item that portal may not see: a field that links to a hidden item, or
// a wiki link to one without a label of its own, must not spell out the
// hidden item's id (its organization, type and file name) for the
// audience. Titles are not searched: a hidden item's title may rightly
// be the same words as visible text.
func TestPortalsNameNoHiddenItem(t *testing.T) {
	site, out := demoBuild(t)
	pdftotext := testtool.Find(t, "poppler-utils", "pdftotext")
	pdfs := 0
	for _, portal := range access.Portals(site) {
		v, err := access.NewView(site, portal)
		if err != nil {
			t.Fatal(err)
		}
		var hidden []string
		for _, it := range site.Items {
			if v.Item(it.ID) == nil {
				hidden = append(hidden, it.ID, it.File)
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
			var data []byte
			if strings.HasSuffix(p, ".pdf") {
				pdfs++
				// A PDF's text may break a long id over two lines.
				text, err := exec.Command(pdftotext, "-enc", "UTF-8", "-nopgbrk", p, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext %s: %v", p, err)
				}
				data = []byte(strings.Join(strings.Fields(string(text)), ""))
			} else if data, err = os.ReadFile(p); err != nil {
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
			t.Errorf("portal %s names hidden %s in %s", portal, id, file)
		}
	}
	if pdfs == 0 {
		t.Error("the demo build has no runbook PDF to search")
	}
}
