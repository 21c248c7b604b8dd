package docs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestEveryPageIsATopicWithItsExactText(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	topics := map[string]Topic{}
	for _, tp := range Topics() {
		topics[tp.Name] = tp
	}
	n := 0
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || name == "README" {
			continue
		}
		n++
		want, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Page(name)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("Page(%q) is not %s (found %v)", name, e.Name(), ok)
		}
		tp, ok := topics[name]
		if !ok {
			t.Errorf("%s is not among the topics", e.Name())
			continue
		}
		// Every page has its row in README.md, the index of the docs.
		if !strings.Contains(string(mustRead(t, "README.md")), "| ["+e.Name()+"]("+e.Name()+") | "+tp.Summary+" |") {
			t.Errorf("README.md has no row for %s (summary %q)", e.Name(), tp.Summary)
		}
	}
	if n != len(topics) || n < 12 {
		t.Errorf("%d pages on disk, %d topics", n, len(topics))
	}
}

func TestPageRefusesWhatIsNotATopic(t *testing.T) {
	for _, name := range []string{"", "README", "../go", "format.md", "nope", "./format"} {
		if _, ok := Page(name); ok {
			t.Errorf("Page(%q) found a page", name)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
