package load_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/cairn-it/cairn/generator/load"
)

// TestPartsUpdateChangesOnlyWhatChanged: Parts.Update reports exactly the
// organizations, items and attachments that changed, and keeps the
// others' values: a file written again with the same bytes changes
// nothing; an edit, an addition and a deletion change their own item
// only; an org.toml its organization; a new secrets file its item.
func TestPartsUpdateChangesOnlyWhatChanged(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"cairn.toml":                              "title = \"T\"\n",
		"content/acme/org.toml":                   "name = \"Acme\"\n",
		"content/acme/contacts/ann.toml":          "first_name = \"Ann\"\n",
		"content/acme/contacts/bob.toml":          "first_name = \"Bob\"\n",
		"content/acme/passwords/wifi.toml":        "name = \"Wifi\"\n",
		"content/other/org.toml":                  "name = \"Other\"\n",
		"content/other/documents/x.md":            "+++\ntitle = \"X\"\n+++\n",
		"content/other/files/lan.pdf":             "%PDF-",
		"content/other/configurations/sv1.toml":   "name = \"sv1\"\n",
		"content/other/configurations/sv2.toml":   "name = \"sv2\"\n",
		"content/other/configurations/sv3.toml":   "name = \"sv3\"\n",
		"content/other/contacts/carl.toml":        "first_name = \"Carl\"\n",
		"content/other/documents/folder/index.md": "+++\ntitle = \"F\"\n+++\n",
		"content/other/documents/folder/inner.md": "+++\ntitle = \"I\"\n+++\n",
		"content/other/checklists/onboarding.md":  "+++\ntitle = \"O\"\n+++\n",
		"content/other/locations/hq.toml":         "name = \"HQ\"\n",
		"content/other/domains/example-com.toml":  "name = \"example.com\"\n",
		"content/other/passwords/admin.toml":      "name = \"Admin\"\n",
		"content/other/passwords/admin.sops.yaml": "password: x\n",
		"content/other/ssl-certificates/www.toml": "name = \"www\"\n",
		"content/other/configurations/sv4.toml":   "name = \"sv4\"\n",
		"content/other/configurations/sv5.toml":   "name = \"sv5\"\n",
		"content/other/configurations/sv6.toml":   "name = \"sv6\"\n",
		"content/other/configurations/sv7.toml":   "name = \"sv7\"\n",
		"content/other/configurations/sv8.toml":   "name = \"sv8\"\n",
		"content/other/configurations/sv9.toml":   "name = \"sv9\"\n",
		"content/other/configurations/sv10.toml":  "name = \"sv10\"\n",
		"content/other/configurations/sv11.toml":  "name = \"sv11\"\n",
		"content/other/configurations/sv12.toml":  "name = \"sv12\"\n",
		"content/other/configurations/sv13.toml":  "name = \"sv13\"\n",
		"content/other/configurations/sv14.toml":  "name = \"sv14\"\n",
		"content/other/configurations/sv15.toml":  "name = \"sv15\"\n",
		"content/other/configurations/sv16.toml":  "name = \"sv16\"\n",
		"content/other/configurations/sv17.toml":  "name = \"sv17\"\n",
		"content/other/configurations/sv18.toml":  "name = \"sv18\"\n",
		"content/other/configurations/sv19.toml":  "name = \"sv19\"\n",
		"content/other/configurations/sv20.toml":  "name = \"sv20\"\n",
		"content/other/configurations/sv21.toml":  "name = \"sv21\"\n",
	})
	ctx := context.Background()
	p, err := load.LoadParts(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		change func()
		paths  []string
		want   load.Change
	}{
		{"same bytes", func() { write("content/acme/contacts/ann.toml", "first_name = \"Ann\"\n") },
			[]string{"content/acme/contacts/ann.toml"}, load.Change{Touched: []string{"content/acme/contacts/ann.toml"}}},
		{"edit", func() { write("content/acme/contacts/ann.toml", "first_name = \"Anne\"\n") },
			[]string{"content/acme/contacts/ann.toml"}, load.Change{Items: []string{"acme/contacts/ann"}, Touched: []string{"content/acme/contacts/ann.toml"}}},
		{"add", func() { write("content/acme/contacts/cy.toml", "first_name = \"Cy\"\n") },
			[]string{"content/acme/contacts/cy.toml"}, load.Change{Items: []string{"acme/contacts/cy"}, Touched: []string{"content/acme/contacts/cy.toml"}}},
		{"delete", func() { _ = os.Remove(filepath.Join(dir, "content/acme/contacts/bob.toml")) },
			[]string{"content/acme/contacts/bob.toml"}, load.Change{Items: []string{"acme/contacts/bob"}}},
		{"org", func() { write("content/other/org.toml", "name = \"Others\"\n") },
			[]string{"content/other/org.toml"}, load.Change{Orgs: []string{"other"}, Touched: []string{"content/other/org.toml"}}},
		{"secrets", func() { write("content/acme/passwords/wifi.sops.yaml", "password: x\n") },
			[]string{"content/acme/passwords/wifi.sops.yaml"}, load.Change{Items: []string{"acme/passwords/wifi"}, Touched: []string{"content/acme/passwords/wifi.sops.yaml"}}},
		{"attachment gone", func() { _ = os.Remove(filepath.Join(dir, "content/other/files/lan.pdf")) },
			[]string{"content/other/files/lan.pdf"}, load.Change{Files: []string{"other/files/lan.pdf"}}},
	} {
		c.change()
		n, ch, err := p.Update(ctx, c.paths)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(*ch, c.want) {
			t.Errorf("%s: change %+v, want %+v", c.name, *ch, c.want)
		}
		for _, it := range n.Site().Items {
			if old := p.Site().Item(it.ID); old != nil && !contains(ch.Items, it.ID) && old != it {
				t.Errorf("%s: %s was made again", c.name, it.ID)
			}
		}
		p = n
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
