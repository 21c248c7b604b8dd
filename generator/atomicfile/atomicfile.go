// Package atomicfile writes files whole or not at all.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned (wrapped) by WriteNew when path exists.
var ErrExists = errors.New("already exists")

// WriteFile writes data to path atomically: it writes a temporary file in
// path's folder, syncs it to disk, gives it perm and renames it over path,
// so a reader (or a crash, or a full disk) sees either the old file or
// the whole new one, never a part. On any failure the temporary file is
// removed and an existing file at path is left as it was. It may be
// called concurrently for different paths.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, os.Rename)
}

// WriteNew is WriteFile for a file that must not exist yet: the whole
// file appears at path, or nothing does, and an existing path is never
// replaced (the error then wraps ErrExists and fs.ErrExist). It hard-links
// the synced temporary file to path, which fails when path exists, so two
// writers racing for one path cannot both succeed. On a file system
// without hard links it claims path with an empty file created
// exclusively and renames the temporary file over it.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, func(tmp, path string) error {
		err := os.Link(tmp, path)
		if err == nil {
			os.Remove(tmp)
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			var f *os.File
			if f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm); err == nil {
				f.Close()
				if err = os.Rename(tmp, path); err != nil {
					os.Remove(path)
				}
				return err
			}
		}
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: refusing to overwrite it (%w)", ErrExists, fs.ErrExist)
		}
		return err
	})
}

// write writes a synced temporary file beside path and hands it to place;
// the temporary file is removed whenever place fails.
func write(path string, data []byte, perm os.FileMode, place func(tmp, path string) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := place(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Make the rename itself durable; a folder that cannot be synced
	// (some file systems refuse) still holds the whole file.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
