package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "book.pdf")
	if err := WriteFile(p, []byte("one"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("file holds %q, %v", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want the file only", len(entries))
	}
}

// TestFailureLeavesOldFile makes the rename fail (path is a folder that is
// not empty): the folder is untouched and no temporary file is left.
func TestFailureLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(p, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), 0o644); err == nil {
		t.Fatal("no error renaming over a folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "out" || !entries[0].IsDir() {
		t.Errorf("folder holds %v, want only the untouched out/", entries)
	}
}

func TestMissingFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "no", "such", "file")
	if err := WriteFile(p, []byte("x"), 0o644); err == nil {
		t.Fatal("no error")
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "run.md")
	if err := WriteNew(p, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteNew(p, []byte("two"), 0o644)
	if !errors.Is(err, ErrExists) || !errors.Is(err, fs.ErrExist) || err.Error() != "writing "+p+": already exists: refusing to overwrite it (file already exists)" {
		t.Fatalf("second write: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Errorf("file holds %q, want the first write", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want the file only", len(entries))
	}
}
