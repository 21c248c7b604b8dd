package export

import (
	"archive/zip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Output is a Sink that becomes visible whole, on Commit, or not at all.
// Abort removes what was written; after Commit it does nothing. Neither
// is safe for concurrent use.
type Output interface {
	Sink
	Commit() error
	Abort()
}

// zipTime is every zip entry's modification time, so that the same export
// gives the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// checkName refuses a name that is not a clean relative path.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return fmt.Errorf("refusing to write %q: not a clean relative path", name)
	}
	return nil
}

type zipOutput struct {
	path string
	tmp  *os.File
	zw   *zip.Writer
	done bool
}

// NewZip returns an Output writing a zip file at path: a temporary file
// beside it until Commit renames it over path. Entries have a fixed time
// and mode, so the same files give the same bytes.
func NewZip(path string) (Output, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &zipOutput{path: path, tmp: tmp, zw: zip.NewWriter(tmp)}, nil
}

func (z *zipOutput) Add(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime}
	h.SetMode(0o644)
	w, err := z.zw.CreateHeader(h)
	if err != nil {
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	return nil
}

func (z *zipOutput) Commit() error {
	if err := z.zw.Close(); err != nil {
		z.Abort()
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	if err := z.tmp.Sync(); err != nil {
		z.Abort()
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	if err := z.tmp.Close(); err != nil {
		z.Abort()
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	if err := os.Rename(z.tmp.Name(), z.path); err != nil {
		z.Abort()
		return fmt.Errorf("writing %s: %w", z.path, err)
	}
	z.done = true
	return nil
}

func (z *zipOutput) Abort() {
	if z.done {
		return
	}
	z.done = true
	z.tmp.Close()
	os.Remove(z.tmp.Name())
}

type dirOutput struct {
	path, tmp string
	done      bool
}

// NewDir returns an Output writing a folder at path, which must not exist
// or be empty: a temporary folder beside it until Commit renames it into
// place.
func NewDir(path string) (Output, error) {
	if entries, err := os.ReadDir(path); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: export into a new or empty folder", path)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &dirOutput{path: path, tmp: tmp}, nil
}

func (d *dirOutput) Add(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	p := filepath.Join(d.tmp, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", d.path, err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", d.path, err)
	}
	return nil
}

func (d *dirOutput) Commit() error {
	// An empty folder at path (checked in NewDir) gives way to the export.
	if err := os.Remove(d.path); err != nil && !os.IsNotExist(err) {
		d.Abort()
		return fmt.Errorf("writing %s: %w", d.path, err)
	}
	if err := os.Rename(d.tmp, d.path); err != nil {
		d.Abort()
		return fmt.Errorf("writing %s: %w", d.path, err)
	}
	d.done = true
	return nil
}

func (d *dirOutput) Abort() {
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.tmp)
}
