package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoSuggestLinks checks that the demo's Ferrum portal links a
// workstation's page to cairn collab (Ferrum's staff may edit its
// contact) and that a page they may not edit, and every page of a portal
// without edit rights, does not.
func TestDemoSuggestLinks(t *testing.T) {
	_, out := demoBuild(t)
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const link = `<a class="suggest-link" href="http://127.0.0.1:8089/item/ferrum/configurations/fr-qc-pc01"`
	if p := read("ferrum/ferrum/configurations/fr-qc-pc01/index.html"); !strings.Contains(p, link) {
		t.Errorf("the Ferrum portal's workstation page lacks %s", link)
	}
	if p := read("ferrum/ferrum/contacts/ana-souza/index.html"); strings.Contains(p, "suggest-link") {
		t.Error("the Ferrum portal offers to suggest changes to a contact, which its group may not edit")
	}
	if p := read("internal/ferrum/configurations/fr-qc-pc01/index.html"); strings.Contains(p, "suggest-link") {
		t.Error("the internal portal links to cairn collab, though its group has no edit rights")
	}
}
