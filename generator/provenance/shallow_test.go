package provenance

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/cairn-it/cairn/generator/testsite"
)

func TestShallow(t *testing.T) {
	src := t.TempDir()
	for i, day := range []int{1, 2} {
		files := map[string]string{"cairn.toml": "title = \"T\"\n", "content/a/org.toml": "name = \"A" + string(rune('0'+i)) + "\"\n"}
		if err := testsite.CommitFiles(src, "Ann", time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC), "commit", files); err != nil {
			t.Fatal(err)
		}
	}
	full := filepath.Join(t.TempDir(), "full")
	if _, err := git.PlainClone(full, false, &git.CloneOptions{URL: src}); err != nil {
		t.Fatal(err)
	}
	shallow := filepath.Join(t.TempDir(), "shallow")
	if _, err := git.PlainClone(shallow, false, &git.CloneOptions{URL: src, Depth: 1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, root string
		want       bool
	}{
		{"the repository itself", src, false},
		{"a full clone", full, false},
		{"a shallow clone", shallow, true},
		{"a folder inside a shallow clone", filepath.Join(shallow, "content"), true},
		{"outside git", t.TempDir(), false},
	} {
		if got := Shallow(c.root); got != c.want {
			t.Errorf("%s: Shallow = %v, want %v", c.name, got, c.want)
		}
	}
}
