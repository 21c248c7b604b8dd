package secrets

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/model"
)

// TestCheckSiteVerifiesFilesSOPSCannotList: a secrets file sound to the
// structural check whose metadata the SOPS library cannot read (its
// lastmodified is no time) gets no recipients finding, but with a key
// its MAC is still checked and fails, as before recipients were read
// from sopsfile's parse; files of many items are checked at once.
func TestCheckSiteVerifiesFilesSOPSCannotList(t *testing.T) {
	a := newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient})
	s := &model.Site{Root: root}
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		rel := "content/acme/passwords/" + name + ".sops.yaml"
		f := NewFile()
		f.Set("password", "Tr0ub4dor&3")
		if err := store(root, nil).Save(rel, f); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			path := filepath.Join(root, rel)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			i := strings.Index(string(data), "lastmodified: ")
			j := i + strings.Index(string(data[i:]), "\n")
			data = append(append(append([]byte{}, data[:i]...), "lastmodified: yesterday"...), data[j:]...)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s.Items = append(s.Items, &model.Item{ID: "acme/passwords/" + name, Secrets: rel})
	}
	var got []string
	for _, d := range CheckSite(context.Background(), s, a.keys(t)).Sorted() {
		got = append(got, d.Pos.File+": "+d.Code)
	}
	if want := "content/acme/passwords/c.sops.yaml: secrets-mac"; strings.Join(got, "\n") != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
