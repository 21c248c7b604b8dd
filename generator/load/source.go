package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/cairn-it/cairn/generator/sitefs"
)

// source is where the loader reads a site's files: a folder on disk
// (through sitefs) or any fs.FS, such as a git revision's tree. Paths are
// slash-separated and relative to the site root; refusals are
// *sitefs.Error naming the file.
type source interface {
	// readFile reads rel, refusing links, non-regular files and files
	// over limit bytes. buf may be reused between calls of one goroutine.
	readFile(rel string, limit int64, buf *[]byte) ([]byte, error)
	// readDir lists a folder sorted by name, not following its entries.
	readDir(rel string) ([]fs.DirEntry, error)
	// lstat describes rel without following a link in its last place.
	lstat(rel string) (fs.FileInfo, error)
	// walk walks the folder rel as fs.WalkDir does, passing paths
	// relative to the site root, never following links.
	walk(rel string, fn fs.WalkDirFunc) error
}

// diskSource reads a folder through sitefs.
type diskSource struct{ root string }

func (d diskSource) readFile(rel string, limit int64, buf *[]byte) ([]byte, error) {
	if buf != nil {
		// Called for files a walk found: the fast path.
		return sitefs.ReadWalked(d.root, rel, limit, buf)
	}
	return sitefs.ReadFile(d.root, rel, limit)
}

func (d diskSource) readDir(rel string) ([]fs.DirEntry, error) { return sitefs.ReadDir(d.root, rel) }

func (d diskSource) lstat(rel string) (fs.FileInfo, error) {
	return os.Lstat(filepath.Join(d.root, filepath.FromSlash(rel)))
}

func (d diskSource) walk(rel string, fn fs.WalkDirFunc) error {
	top := filepath.Join(d.root, filepath.FromSlash(rel))
	return filepath.WalkDir(top, func(p string, e fs.DirEntry, err error) error {
		r, rerr := filepath.Rel(d.root, p)
		if rerr != nil {
			return rerr
		}
		return fn(filepath.ToSlash(r), e, err)
	})
}

// fsSource reads an fs.FS whose Stat does not follow symbolic links (it
// reports them with fs.ModeSymlink), like a git tree. Every link is
// refused: nothing is read through one.
type fsSource struct{ fsys fs.FS }

func (s fsSource) readFile(rel string, limit int64, _ *[]byte) ([]byte, error) {
	if !fs.ValidPath(rel) {
		return nil, &sitefs.Error{File: rel, Err: fs.ErrInvalid}
	}
	fi, err := s.lstat(rel)
	if err != nil {
		return nil, fsError(rel, err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, &sitefs.Error{File: rel, Err: sitefs.ErrSymlink}
	case fi.IsDir():
		return nil, &sitefs.Error{File: rel, Err: fmt.Errorf("is a folder: %w", sitefs.ErrNotRegular)}
	case !fi.Mode().IsRegular():
		return nil, &sitefs.Error{File: rel, Err: sitefs.ErrNotRegular}
	case fi.Size() > limit:
		return nil, &sitefs.Error{File: rel, Err: sitefs.ErrTooLarge, Limit: limit}
	}
	return sitefs.ReadFS(s.fsys, rel, limit)
}

func fsError(rel string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &sitefs.Error{File: rel, Err: err}
}

func (s fsSource) readDir(rel string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(s.fsys, rel)
	if err != nil {
		return nil, fsError(rel, err)
	}
	return entries, nil
}

func (s fsSource) lstat(rel string) (fs.FileInfo, error) { return fs.Stat(s.fsys, rel) }

func (s fsSource) walk(rel string, fn fs.WalkDirFunc) error {
	return fs.WalkDir(s.fsys, path.Clean(rel), fn)
}
