// Package itglue imports an IT Glue export (the .zip as downloaded, or its
// unpacked folder) into a cairn site: organizations, core items, flexible
// assets with generated schemas, documents, attachments and passwords (into
// SOPS files only). Reading the export is bounded (entry count, sizes,
// zip bombs, names that would leave the site, links); writing is confined
// to the site and atomic per file; importing the same export again writes
// nothing.
package itglue

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Limits on what an export may make an import read. Real exports stay far
// below them; each is an error or a skipped file naming the entry.
const (
	// MaxEntries is the most files an export may hold.
	MaxEntries = 200_000
	// MaxTextFile bounds one CSV or HTML file.
	MaxTextFile = 256 << 20
	// MaxAttachment bounds one attachment or image (sitefs.MaxAttachment,
	// the most a portal carries).
	MaxAttachment = 256 << 20
	// MaxTotal bounds the bytes an import reads from the export in all.
	MaxTotal = 8 << 30
)

// Export is an opened export: its files by slash-separated path below the
// export's root (the folder holding organizations.csv). It is not safe for
// concurrent use.
type Export struct {
	// Name is the export as given, for messages.
	Name    string
	entries map[string]entry
	// skipped are entries refused while opening (links, unsafe names).
	skipped []Note
	read    int64
	closer  io.Closer
}

type entry struct {
	zf   *zip.File
	abs  string // for a folder export
	size int64
}

// Open opens an export: a .zip file or a folder. Entries whose names would
// leave the export (absolute, "..", drive letters), links and special files
// are not opened; they are listed as skipped.
func Open(name string) (*Export, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("opening the export: %w", err)
	}
	e := &Export{Name: name, entries: map[string]entry{}}
	if fi.IsDir() {
		err = e.openDir(name)
	} else {
		err = e.openZip(name)
	}
	if err != nil {
		e.Close()
		return nil, err
	}
	e.reroot()
	return e, nil
}

// Close releases the zip file, if any. It may be called twice.
func (e *Export) Close() error {
	if e.closer == nil {
		return nil
	}
	err := e.closer.Close()
	e.closer = nil
	return err
}

// cleanName turns an entry name into a clean relative slash path, or ""
// when it is not one (absolute, "..", a drive letter, NUL).
func cleanName(n string) string {
	n = strings.ReplaceAll(n, `\`, "/")
	if n == "" || strings.HasPrefix(n, "/") || strings.ContainsRune(n, 0) ||
		(len(n) >= 2 && n[1] == ':') {
		return ""
	}
	c := path.Clean(n)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return ""
	}
	return c
}

func (e *Export) add(name string, en entry) error {
	if len(e.entries) >= MaxEntries {
		return fmt.Errorf("%s holds more than %d files: split the export by organization", e.Name, MaxEntries)
	}
	e.entries[name] = en
	return nil
}

func (e *Export) openZip(name string) error {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return fmt.Errorf("%s is neither a folder nor a zip file: %w", name, err)
	}
	e.closer = zr
	if len(zr.File) > MaxEntries {
		return fmt.Errorf("%s holds %d entries, more than %d: split the export by organization", name, len(zr.File), MaxEntries)
	}
	for _, f := range zr.File {
		mode := f.Mode()
		if mode.IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		c := cleanName(f.Name)
		switch {
		case c == "":
			e.skipped = append(e.skipped, Note{File: f.Name, Message: "name leads outside the export; not read"})
			continue
		case mode&fs.ModeSymlink != 0:
			e.skipped = append(e.skipped, Note{File: c, Message: "a symbolic link; not followed"})
			continue
		case !mode.IsRegular():
			e.skipped = append(e.skipped, Note{File: c, Message: "not a regular file; not read"})
			continue
		}
		if _, dup := e.entries[c]; dup {
			e.skipped = append(e.skipped, Note{File: c, Message: "appears twice in the zip; the first is used"})
			continue
		}
		if err := e.add(c, entry{zf: f, size: int64(f.UncompressedSize64)}); err != nil {
			return err
		}
	}
	return nil
}

func (e *Export) openDir(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading the export: %w", err)
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil || rel == "." {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			e.skipped = append(e.skipped, Note{File: rel, Message: "a symbolic link; not followed"})
			return nil
		case d.IsDir():
			return nil
		case !t.IsRegular():
			e.skipped = append(e.skipped, Note{File: rel, Message: "not a regular file; not read"})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return e.add(rel, entry{abs: p, size: info.Size()})
	})
}

// reroot strips a common leading folder when the export's files sit one
// folder down (a zip of the folder rather than of its contents).
func (e *Export) reroot() {
	best := ""
	found := false
	for _, known := range []bool{true, false} {
		for n := range e.entries {
			_, core := coreFiles[strings.ToLower(path.Base(n))]
			if (known && !core) || !strings.EqualFold(path.Ext(n), ".csv") {
				continue
			}
			d := path.Dir(n)
			if !found || strings.Count(d, "/") < strings.Count(best, "/") || (strings.Count(d, "/") == strings.Count(best, "/") && d < best) {
				best, found = d, true
			}
		}
		if found {
			break
		}
	}
	if !found || best == "." {
		return
	}
	prefix := best + "/"
	out := map[string]entry{}
	for n, en := range e.entries {
		if strings.HasPrefix(n, prefix) {
			out[strings.TrimPrefix(n, prefix)] = en
		} else {
			e.skipped = append(e.skipped, Note{File: n, Message: "outside the export's folder (" + best + "); not read"})
		}
	}
	e.entries = out
}

// Names returns the export's file names, sorted.
func (e *Export) Names() []string {
	out := make([]string, 0, len(e.entries))
	for n := range e.entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Find returns the name of the file whose name equals want ignoring case,
// or "".
func (e *Export) Find(want string) string {
	if _, ok := e.entries[want]; ok {
		return want
	}
	best := ""
	for n := range e.entries {
		if strings.EqualFold(n, want) && (best == "" || n < best) {
			best = n
		}
	}
	return best
}

// Size returns the size a file of the export says it has.
func (e *Export) Size(name string) int64 { return e.entries[name].size }

// ErrTooLarge is returned (wrapped) for a file over its limit.
var ErrTooLarge = errors.New("too large")

// ReadFile reads one file of the export, at most limit bytes: a file that
// says or turns out to be larger (a zip bomb's header may lie) is an
// error wrapping ErrTooLarge, as is going over MaxTotal in all.
func (e *Export) ReadFile(name string, limit int64) ([]byte, error) {
	en, ok := e.entries[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	if en.size > limit {
		return nil, fmt.Errorf("%s is %d bytes: %w (the limit is %d)", name, en.size, ErrTooLarge, limit)
	}
	var r io.ReadCloser
	var err error
	if en.zf != nil {
		r, err = en.zf.Open()
	} else {
		r, err = os.Open(en.abs)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s unpacks to more than %d bytes: %w", name, limit, ErrTooLarge)
	}
	e.read += int64(len(data))
	if e.read > MaxTotal {
		return nil, fmt.Errorf("the export unpacks to more than %d bytes in all: %w", int64(MaxTotal), ErrTooLarge)
	}
	return data, nil
}
