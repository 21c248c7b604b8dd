package build

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/portal"
)

// ManifestDir is the folder of the output folder where builds keep their
// manifests and scan cache. It is never inside a portal's folder: it
// names files and hashes, and nothing of it is served.
const ManifestDir = ".cairn"

// manifestVersion changes whenever the manifest's meaning does: a
// manifest of another version is foreign (a full build).
const manifestVersion = "cairn-manifest 1"

// Mode says which files of a portal a build makes.
type Mode string

// The modes of a build. Pages and Runbooks split a full build in two
// parts whose outputs, merged, are the files of a full build
// (docs/ci.md): both link pages to runbooks.
const (
	// ModeAll makes every file.
	ModeAll Mode = "all"
	// ModePages makes every file but the runbooks (--no-runbooks).
	ModePages Mode = "pages"
	// ModeRunbooks makes the runbooks only (--runbooks-only).
	ModeRunbooks Mode = "runbooks"
)

// mode returns the build's mode from its options.
func (o Options) mode() Mode {
	switch {
	case o.RunbooksOnly:
		return ModeRunbooks
	case o.NoRunbooks:
		return ModePages
	}
	return ModeAll
}

// manifest is what a build of one portal wrote: for each file its input
// key and a hash, size and modification time of its bytes, plus the
// fingerprint of the build's inputs.
type manifest struct {
	Portal      string
	Fingerprint portal.Key
	// Volatile is true when some file had no key (sealed secrets): the
	// portal is never up to date without a build.
	Volatile bool
	Files    map[string]entry
}

// entry is one file of a manifest.
type entry struct {
	Key   portal.Key
	Hash  portal.Key
	Size  int64
	MTime int64
}

// manifestPath returns where the manifest of a portal built in a mode
// lives.
func manifestPath(out, name string, mode Mode) string {
	return filepath.Join(out, ManifestDir, name+"."+string(mode)+".manifest")
}

// readManifest reads a portal's manifest; a missing, unreadable or
// foreign one gives nil (a full build).
func readManifest(out, name string, mode Mode) *manifest {
	if !safePortalName(name) || checkManifestDir(out) != nil {
		return nil
	}
	return readManifestAt(manifestPath(out, name, mode), name)
}

// readManifestAt reads the manifest of portal name at p, without
// following a link; nil when it is missing, unreadable or foreign.
func readManifestAt(p, name string) *manifest {
	f, err := openNoFollow(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	m, err := parseManifest(io.LimitReader(f, maxManifest))
	if err != nil || m.Portal != name {
		return nil
	}
	return m
}

// maxManifest bounds the bytes of a manifest read back: a longer one is
// cut there, and so foreign.
const maxManifest = 1 << 30

// parseManifest reads a manifest as it streams in, stopping at its first
// line that is not one (a garbage file is told foreign without reading it
// whole).
func parseManifest(r io.Reader) (*manifest, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	m := &manifest{Files: map[string]entry{}}
	header := []string{manifestVersion, "portal ", "fingerprint ", "volatile "}
	for i, want := range header {
		if !sc.Scan() || !strings.HasPrefix(sc.Text(), want) {
			return nil, errors.New("not a manifest of this version")
		}
		rest := strings.TrimPrefix(sc.Text(), want)
		switch i {
		case 1:
			m.Portal = rest
		case 2:
			k, err := parseKey(rest)
			if err != nil {
				return nil, err
			}
			m.Fingerprint = k
		case 3:
			m.Volatile = rest == "1"
		}
	}
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), " ", 5)
		if len(f) != 5 {
			return nil, fmt.Errorf("bad manifest line %q", sc.Text())
		}
		var e entry
		var err error
		if e.Key, err = parseKey(f[0]); err != nil {
			return nil, err
		}
		if e.Hash, err = parseKey(f[1]); err != nil {
			return nil, err
		}
		if e.Size, err = strconv.ParseInt(f[2], 10, 64); err != nil {
			return nil, err
		}
		if e.MTime, err = strconv.ParseInt(f[3], 10, 64); err != nil {
			return nil, err
		}
		p, err := strconv.Unquote(f[4])
		if err != nil {
			return nil, err
		}
		m.Files[p] = e
	}
	return m, sc.Err()
}

func parseKey(s string) (portal.Key, error) {
	var k portal.Key
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(k) {
		return k, fmt.Errorf("bad key %q", s)
	}
	copy(k[:], b)
	return k, nil
}

// write saves the manifest atomically.
func (m *manifest) write(out string, mode Mode) error {
	return m.writeAt(out, manifestPath(out, m.Portal, mode))
}

// writeAt saves the manifest atomically at p, inside out's ManifestDir.
func (m *manifest) writeAt(out, p string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nportal %s\nfingerprint %s\nvolatile %d\n", manifestVersion, m.Portal, m.Fingerprint, btoi(m.Volatile))
	paths := make([]string, 0, len(m.Files))
	for p := range m.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		e := m.Files[p]
		fmt.Fprintf(&b, "%s %s %d %d %s\n", e.Key, e.Hash, e.Size, e.MTime, strconv.Quote(p))
	}
	if err := os.MkdirAll(filepath.Join(out, ManifestDir), 0o755); err != nil {
		return fmt.Errorf("creating the manifest folder: %w", err)
	}
	return atomicfile.WriteFile(p, b.Bytes(), 0o644)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// intact reports whether the file at p still holds what e recorded: same
// size and modification time, or, when only the time differs (an output
// folder restored from a CI cache), the same content hash. It never
// follows a symbolic link.
func (e entry) intact(p string) (bool, os.FileInfo) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != e.Size {
		return false, nil
	}
	if fi.ModTime().UnixNano() == e.MTime || e.sameBytes(p) {
		return true, fi
	}
	return false, nil
}

// upToDate reports whether the portal folder dir holds exactly the files
// m lists (and the marker), each intact.
func (m *manifest) upToDate(dir string) bool {
	if m.Volatile || !hasMarker(dir) {
		return false
	}
	seen := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == MarkerFile {
			return nil
		}
		e, ok := m.Files[rel]
		if !ok {
			return errors.New("extra file")
		}
		if ok, _ := e.intact(p); !ok {
			return errors.New("changed file")
		}
		seen++
		return nil
	})
	return err == nil && seen == len(m.Files)
}

// UpToDate reports whether the output folder out already holds, for the
// fingerprint fp (Inputs.Fingerprint) and mode, the portals names (every
// portal of the site's access.toml, as the last build of them recorded,
// when names is empty): each one's manifest has that fingerprint and its
// folder is intact. It returns how many files the portals hold. A build
// with the same fingerprint would write the same bytes, so cairn build
// then stops without loading the site.
func UpToDate(out string, names []string, fp portal.Key, mode Mode) (bool, int) {
	if len(names) == 0 {
		all, ok := readPortalList(out, fp, mode)
		if !ok {
			return false, 0
		}
		names = all
	}
	files := 0
	for _, n := range names {
		if !safePortalName(n) {
			return false, 0
		}
		m := readManifest(out, n, mode)
		if m == nil || m.Fingerprint != fp || !m.upToDate(filepath.Join(out, n)) {
			return false, 0
		}
		files += len(m.Files)
	}
	return true, files
}

// portalListPath is where a build of every portal records their names.
func portalListPath(out string, mode Mode) string {
	return filepath.Join(out, ManifestDir, "portals."+string(mode))
}

// writePortalList records, for a build of every portal, the portal names
// of access.toml under the build's fingerprint (which covers access.toml).
func writePortalList(out string, fp portal.Key, mode Mode, names []string) error {
	if err := os.MkdirAll(filepath.Join(out, ManifestDir), 0o755); err != nil {
		return fmt.Errorf("creating the manifest folder: %w", err)
	}
	data := fp.String() + "\n" + strings.Join(names, "\n") + "\n"
	return atomicfile.WriteFile(portalListPath(out, mode), []byte(data), 0o644)
}

func readPortalList(out string, fp portal.Key, mode Mode) ([]string, bool) {
	if checkManifestDir(out) != nil {
		return nil, false
	}
	data, err := readNoFollow(portalListPath(out, mode), 1<<20)
	if err != nil {
		return nil, false
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 2 || lines[0] != fp.String() {
		return nil, false
	}
	return lines[1:], true
}

// openNoFollow opens a regular file of the output folder for reading,
// refusing a symbolic link, a FIFO or a device, and a file swapped for
// another between the check and the open.
func openNoFollow(p string) (*os.File, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		f.Close()
		return nil, fmt.Errorf("%s changed while being opened", p)
	}
	return f, nil
}

// safePortalName reports whether name, read from the output folder (a
// hostile CI cache may have written it), names a folder directly inside
// the output folder: no separator, not empty, "." or "..".
func safePortalName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`+"\x00")
}

// checkManifestDir refuses, wrapping ErrOutput, an output folder whose
// ManifestDir is a symbolic link or not a folder: manifests are read and
// written only inside the output folder. A missing one is fine.
func checkManifestDir(out string) error {
	dir := filepath.Join(out, ManifestDir)
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("manifest folder %s: %w", dir, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%w: %s is a symbolic link, and cairn build keeps its manifests there: remove the link, or choose another output folder", ErrOutput, dir)
	case !fi.IsDir():
		return fmt.Errorf("%w: %s is not a folder, and cairn build keeps its manifests there: move it away, or choose another output folder", ErrOutput, dir)
	}
	return nil
}

// holdsLink reports whether the portal folder dir holds a symbolic link
// (or cannot be walked): the previous build wrote none, and keeping its
// files through a linked folder would read, and hard-link, files outside
// the output folder. Such a portal is built in full.
func holdsLink(dir string) bool {
	found := errors.New("link")
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return found
		}
		return nil
	})
	return err != nil && !errors.Is(err, fs.ErrNotExist)
}
