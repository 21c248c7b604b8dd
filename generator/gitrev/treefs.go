package gitrev

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/sitefs"
)

// ErrUnsafeName is the error of a tree entry whose name no checkout could
// write as one file of its folder: empty, ".", "..", ".git" (in any
// case), or holding a slash, a backslash or a NUL. A hostile commit can
// hold such trees; a walk that joined ".." to its folder would walk the
// folder again, forever.
var ErrUnsafeName = errors.New("unsafe name in the git tree")

// safeName reports whether name is safe as one entry of a folder.
func safeName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.EqualFold(name, ".git") &&
		!strings.ContainsAny(name, "/\\\x00")
}

// TreeFS is a git tree as an fs.FS. Stat describes an entry without
// following it (a symbolic link has fs.ModeSymlink, a submodule is
// irregular), and Open refuses symbolic links and submodules: nothing is
// ever read through a link, so no revision can make cairn read outside
// it. A folder holding an entry with an unsafe name (ErrUnsafeName) cannot
// be listed, and no path through such a name can be opened. Files are read from the object store as they are opened; the
// blob larger than the FS's limit is refused before it is read, with a
// *sitefs.Error. Modification times are zero. It is safe for concurrent
// use: go-git's objects are not, so every access to the repository is
// serialised, and a file's bytes are read whole when it is opened.
type TreeFS struct {
	mu    sync.Mutex
	repo  *git.Repository
	root  *object.Tree // nil: an empty folder
	limit int64
}

// entry finds name (fs.ValidPath) in the tree: its mode and hash, and for
// the root, the root tree.
func (t *TreeFS) entry(op, name string) (*object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &object.TreeEntry{Name: ".", Mode: filemode.Dir}, nil
	}
	for _, seg := range strings.Split(name, "/") {
		if !safeName(seg) {
			return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%w: %q", ErrUnsafeName, seg)}
		}
	}
	if t.root == nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	e, err := t.root.FindEntry(name)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return e, nil
}

// Stat describes name without following a symbolic link.
func (t *TreeFS) Stat(name string) (fs.FileInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, err := t.entry("stat", name)
	if err != nil {
		return nil, err
	}
	return t.info(path.Base(name), e)
}

func (t *TreeFS) info(name string, e *object.TreeEntry) (fs.FileInfo, error) {
	fi := fileInfo{name: name, mode: modeOf(e.Mode)}
	if fi.mode.IsRegular() {
		b, err := t.repo.BlobObject(e.Hash)
		if err != nil {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
		}
		fi.size = b.Size
	}
	return fi, nil
}

func modeOf(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o755
	case filemode.Regular, filemode.Deprecated:
		return 0o644
	case filemode.Executable:
		return 0o755
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	}
	return fs.ModeIrregular // submodules
}

// ReadDir lists a folder, sorted by name.
func (t *TreeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.readDir(name)
}

func (t *TreeFS) readDir(name string) ([]fs.DirEntry, error) {
	dir, err := t.dir("readdir", name)
	if err != nil {
		return nil, err
	}
	if dir == nil {
		return nil, nil
	}
	out := make([]fs.DirEntry, 0, len(dir.Entries))
	for i := range dir.Entries {
		if !safeName(dir.Entries[i].Name) {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: fmt.Errorf("%w: %q", ErrUnsafeName, dir.Entries[i].Name)}
		}
		out = append(out, dirEntry{t: t, e: &dir.Entries[i]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

func (t *TreeFS) dir(op, name string) (*object.Tree, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return t.root, nil
	}
	e, err := t.entry(op, name)
	if err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: op, Path: name, Err: errors.New("not a folder")}
	}
	d, err := t.repo.TreeObject(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return d, nil
}

// Open opens a file or folder; it refuses symbolic links and submodules.
func (t *TreeFS) Open(name string) (fs.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, err := t.entry("open", name)
	if err != nil {
		return nil, err
	}
	mode := modeOf(e.Mode)
	switch {
	case mode.IsDir():
		entries, err := t.readDir(name)
		if err != nil {
			return nil, err
		}
		return &dirFile{fi: fileInfo{name: path.Base(name), mode: mode}, entries: entries}, nil
	case mode&fs.ModeSymlink != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: sitefs.ErrSymlink}
	case !mode.IsRegular():
		return nil, &fs.PathError{Op: "open", Path: name, Err: sitefs.ErrNotRegular}
	}
	b, err := t.repo.BlobObject(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if b.Size > t.limit {
		return nil, &sitefs.Error{File: name, Err: sitefs.ErrTooLarge, Limit: t.limit}
	}
	rc, err := b.Reader()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, t.limit+1))
	if err == nil && int64(len(data)) != b.Size {
		err = fmt.Errorf("the object has %d bytes, not the %d its header says", len(data), b.Size)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &blobFile{fi: fileInfo{name: path.Base(name), mode: mode, size: b.Size}, r: bytes.NewReader(data)}, nil
}

type fileInfo struct {
	name string
	mode fs.FileMode
	size int64
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

type dirEntry struct {
	t *TreeFS
	e *object.TreeEntry
}

func (d dirEntry) Name() string      { return d.e.Name }
func (d dirEntry) IsDir() bool       { return d.e.Mode == filemode.Dir }
func (d dirEntry) Type() fs.FileMode { return modeOf(d.e.Mode).Type() }
func (d dirEntry) Info() (fs.FileInfo, error) {
	d.t.mu.Lock()
	defer d.t.mu.Unlock()
	return d.t.info(d.e.Name, d.e)
}

type blobFile struct {
	fi fileInfo
	r  *bytes.Reader
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return f.fi, nil }
func (f *blobFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *blobFile) Close() error               { return nil }

type dirFile struct {
	fi      fileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.fi, nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.fi.name, Err: errors.New("is a folder")}
}
func (d *dirFile) Close() error { return nil }

// ReadDir reads the folder's entries as fs.ReadDirFile does.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.off += n
	return rest[:n], nil
}
