// Package sitefs reads the files of a site without ever leaving it: every
// read of cairn.toml, access.toml, schemas/, checklists/, themes/ and
// content/ goes through it. A path whose symbolic links lead outside the
// site, a file that is not a regular file (a FIFO, a device) and a file
// larger than the caller's limit are refused with an *Error naming the
// file relative to the site, and never its target.
package sitefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/fastio"
)

// MaxSourceFile is the largest TOML or Markdown file cairn reads: 4 MiB.
// It bounds the memory a hostile file can make a check take; the largest
// real files are a few hundred KB (docs/format.md, "Limits").
const MaxSourceFile = 4 << 20

// MaxAttachment is the largest attachment (a file under content/<org>/
// files/) a portal carries: 256 MiB. A build holds an attachment in
// memory while it writes it, so the bound is on what a build may take.
const MaxAttachment = 256 << 20

// MaxThemeFile is the largest file of a site's theme (templates, CSS,
// fonts, images): 16 MiB.
const MaxThemeFile = 16 << 20

// SourceNames are the entries of a site's root that hold its sources (or
// its history and secrets rules): what a build reads, so no output may
// overlap them, and a file in them that git does not hold makes output
// "with uncommitted changes". It returns a new slice on every call.
func SourceNames() []string {
	return []string{"content", "schemas", "themes", "checklists", "access.toml", "cairn.toml", ".git", ".sops.yaml", ".cairn"}
}

// Why a file was refused; match them with errors.Is.
var (
	// ErrOutside: the path, through a symbolic link, leads outside the site.
	ErrOutside = errors.New("is a symbolic link that leads outside the site")
	// ErrSymlink: a symbolic link where none is followed (content/).
	ErrSymlink = errors.New("is a symbolic link; symbolic links are not followed here")
	// ErrNotRegular: a FIFO, device or socket where a file was expected.
	ErrNotRegular = errors.New("is not a regular file")
	// ErrTooLarge: the file is larger than the limit for its kind.
	ErrTooLarge = errors.New("is too large")
)

// Error is a refused or failed read of one file of a site.
type Error struct {
	File  string // slash-separated, relative to the site root
	Err   error  // one of the Err values above, or the system's error
	Limit int64  // for ErrTooLarge: the limit in bytes
}

// Error says which file and why, with what to do about it.
func (e *Error) Error() string {
	if h := e.Hint(); h != "" {
		return e.File + " " + e.Reason() + ": " + h
	}
	return e.File + " " + e.Reason()
}

// Reason says what is wrong with the file, without naming it, for a
// diagnostic that carries the file in its position.
func (e *Error) Reason() string {
	switch {
	case errors.Is(e.Err, ErrTooLarge):
		return fmt.Sprintf("%v: the limit is %s", e.Err, Size(e.Limit))
	case errors.Is(e.Err, ErrOutside), errors.Is(e.Err, ErrSymlink), errors.Is(e.Err, ErrNotRegular):
		return e.Err.Error()
	}
	return fmt.Sprintf("cannot be read: %v", e.Err)
}

// Hint says how to fix the file, or "" when there is nothing to say.
func (e *Error) Hint() string {
	switch {
	case errors.Is(e.Err, ErrOutside), errors.Is(e.Err, ErrSymlink):
		return "replace the link with the file itself"
	case errors.Is(e.Err, ErrTooLarge):
		return "split the file, or move large data to an attachment in files/"
	case errors.Is(e.Err, ErrNotRegular):
		return "replace it with a regular file"
	}
	return ""
}

// Unwrap returns the reason, so errors.Is(err, fs.ErrNotExist) works.
func (e *Error) Unwrap() error { return e.Err }

// Size formats a byte count as the limits are documented and reported:
// "4 MiB", "4.5 MiB", "300 KiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// classify turns an error of os.Root into an *Error for rel.
func classify(rel string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	// os.Root's error for a path that escapes is not exported.
	if strings.Contains(err.Error(), "escapes from parent") {
		err = ErrOutside
	}
	return &Error{File: rel, Err: err}
}

// inRoot checks rel and runs fn with root opened as an *os.Root, closed
// afterwards (files fn opened stay open).
func inRoot(root, rel string, fn func(r *os.Root) error) error {
	if !fs.ValidPath(rel) {
		return &Error{File: rel, Err: fs.ErrInvalid}
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	return fn(r)
}

// Stat returns the file information of root/rel, following symbolic links
// that stay inside root and refusing those that leave it.
func Stat(root, rel string) (fi fs.FileInfo, err error) {
	err = inRoot(root, rel, func(r *os.Root) error {
		if fi, err = r.Stat(rel); err != nil {
			return classify(rel, err)
		}
		return nil
	})
	return fi, err
}

// ReadFile reads root/rel (slash-separated), following symbolic links only
// while they stay inside root. It refuses non-regular files and files over
// limit bytes before reading them. A missing file is an *Error wrapping
// fs.ErrNotExist.
func ReadFile(root, rel string, limit int64) (data []byte, err error) {
	err = inRoot(root, rel, func(r *os.Root) error {
		f, err := open(r, rel, limit)
		if err != nil {
			return err
		}
		defer f.Close()
		data, err = readAll(rel, f, limit)
		return err
	})
	return data, err
}

// open opens rel in r after checking that it is a regular file within
// limit (stat first, so that a FIFO is never opened and blocks).
func open(r *os.Root, rel string, limit int64) (*os.File, error) {
	fi, err := r.Stat(rel)
	if err != nil {
		return nil, classify(rel, err)
	}
	if fi.IsDir() {
		return nil, &Error{File: rel, Err: fmt.Errorf("is a folder: %w", ErrNotRegular)}
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{File: rel, Err: ErrNotRegular}
	}
	if fi.Size() > limit {
		return nil, &Error{File: rel, Err: ErrTooLarge, Limit: limit}
	}
	f, err := r.Open(rel)
	if err != nil {
		return nil, classify(rel, err)
	}
	return f, nil
}

// readAll reads at most limit bytes, so a file that grew after its stat
// is still bounded.
func readAll(rel string, f io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &Error{File: rel, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{File: rel, Err: ErrTooLarge, Limit: limit}
	}
	return data, nil
}

// ReadDir lists the folder root/rel, sorted by name, refusing a path
// whose symbolic links leave root. The entries are not followed: an
// entry that is a symbolic link reports it in its Type.
func ReadDir(root, rel string) (entries []fs.DirEntry, err error) {
	err = inRoot(root, rel, func(r *os.Root) error {
		if entries, err = fs.ReadDir(r.FS(), rel); err != nil {
			return classify(rel, err)
		}
		return nil
	})
	return entries, err
}

// ReadWalked reads root/rel, a file that a walk of the site (which does
// not follow symbolic links) found to be a regular file: the fast path for
// the many files under content/, one open, reads and a close. It still
// refuses a symbolic link in the last place, never blocks on a FIFO and
// stops at limit bytes. buf is reused between calls of one goroutine.
func ReadWalked(root, rel string, limit int64, buf *[]byte) ([]byte, error) {
	if !fs.ValidPath(rel) {
		return nil, &Error{File: rel, Err: fs.ErrInvalid}
	}
	data, err := fastio.ReadFileLimit(filepath.Join(root, filepath.FromSlash(rel)), limit, buf)
	switch {
	case errors.Is(err, fastio.ErrLimit):
		return nil, &Error{File: rel, Err: ErrTooLarge, Limit: limit}
	case errors.Is(err, fastio.ErrSymlink):
		return nil, &Error{File: rel, Err: ErrSymlink}
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: rel, Err: err}
	}
	return data, nil
}

// FS returns the folder root/dir as an fs.FS whose every open goes
// through the same checks as ReadFile: symbolic links that leave root and
// non-regular files are refused, and files over limit bytes are refused
// before they are opened. It holds no open descriptor between calls.
func FS(root, dir string, limit int64) fs.FS {
	return dirFS{root: root, dir: dir, limit: limit}
}

type dirFS struct {
	root, dir string
	limit     int64
}

func (d dirFS) rel(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return path.Join(d.dir, name), nil
}

// Open opens a file or folder of the FS.
func (d dirFS) Open(name string) (fs.File, error) {
	rel, err := d.rel("open", name)
	if err != nil {
		return nil, err
	}
	var f *os.File
	err = inRoot(d.root, rel, func(r *os.Root) error {
		fi, err := r.Stat(rel)
		if err != nil {
			return classify(rel, err)
		}
		if fi.IsDir() {
			if f, err = r.Open(rel); err != nil {
				return classify(rel, err)
			}
			return nil
		}
		f, err = open(r, rel, d.limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Stat returns a file's information, with the checks of Open.
func (d dirFS) Stat(name string) (fs.FileInfo, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// ReadFile reads a whole file, with the checks of Open.
func (d dirFS) ReadFile(name string) ([]byte, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rel, _ := d.rel("read", name)
	return readAll(rel, f, d.limit)
}

// ReadFS reads rel from files (any fs.FS, such as FS or a git tree),
// refusing a file over limit bytes before reading it (and one that grows
// past it while read) with an *Error naming rel.
func ReadFS(files fs.FS, rel string, limit int64) ([]byte, error) {
	// Stat first: an FS may read a file when it is opened (a git tree
	// does), and a file over the limit must not be read at all.
	if fi, err := fs.Stat(files, rel); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, &Error{File: rel, Err: ErrTooLarge, Limit: limit}
	}
	f, err := files.Open(rel)
	if err != nil {
		var se *Error
		if errors.As(err, &se) {
			return nil, err
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: rel, Err: err}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, &Error{File: rel, Err: ErrTooLarge, Limit: limit}
	}
	return readAll(rel, f, limit)
}
