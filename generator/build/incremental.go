package build

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/fastio"
	"github.com/cairn-it/cairn/generator/portal"
)

// sha256Sum hashes an output file's bytes, for the manifest.
func sha256Sum(data []byte) portal.Key { return sha256.Sum256(data) }

// writeJob puts one file into the staging folder at dst. When the
// previous build made it under the same key and its file is intact, that
// file is hard-linked without making the file again; otherwise the file is
// made, and still linked when its bytes are what the previous file holds,
// so no file with the same bytes is rewritten. wrote says whether it was
// written anew, made whether it was made.
//
// When the staging folder holds a file at dst already (j.spare, a
// recycled spare's), it is kept if it was made under the same key and is
// intact; otherwise it is removed first (it may share its inode with the
// current folder's file, which must not change).
func writeJob(ctx context.Context, j job, dst string) (e entry, size int64, made, wrote bool, err error) {
	if s := j.spare; s != nil {
		if !j.Key.IsZero() && s.Key == j.Key {
			if ok, fi := s.intact(dst); ok {
				return entry{Key: j.Key, Hash: s.Hash, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}, fi.Size(), false, false, nil
			}
		}
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return entry{}, 0, false, false, err
		}
	}
	if j.prev != nil && !j.Key.IsZero() && j.prev.Key == j.Key {
		switch e, ok, err := j.prev.keep(j.cur, dst, j.Key); {
		case err != nil:
			return entry{}, 0, false, false, err
		case ok:
			return e, e.Size, false, false, nil
		}
	}
	data, err := j.Make(ctx)
	if err != nil {
		return entry{}, 0, true, false, err
	}
	sum := sha256Sum(data)
	if j.prev != nil && j.prev.Hash == sum {
		switch e, ok, err := j.prev.keep(j.cur, dst, j.Key); {
		case err != nil:
			return entry{}, 0, true, false, err
		case ok:
			return e, e.Size, true, false, nil
		}
	}
	if err := fastio.WriteFile(dst, data, 0o644); err != nil {
		return entry{}, 0, true, false, err
	}
	e, err = stamp(dst, j.Key, sum)
	return e, e.Size, true, true, err
}

// keep puts the previous build's file cur, when it still holds what e
// recorded, into the staging folder at dst under key: a hard link, made
// first and checked through its own stat (one system call less than
// checking cur first), or, across file systems, a copy. ok is false, and
// dst left absent, when cur is missing or changed.
func (e entry) keep(cur, dst string, key portal.Key) (_ entry, ok bool, err error) {
	lerr := os.Link(cur, dst)
	if lerr == nil {
		fi, err := os.Lstat(dst)
		if err != nil {
			return entry{}, false, err
		}
		if fi.Mode().IsRegular() && fi.Size() == e.Size && (fi.ModTime().UnixNano() == e.MTime || e.sameBytes(dst)) {
			return entry{Key: key, Hash: e.Hash, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}, true, nil
		}
		return entry{}, false, os.Remove(dst)
	}
	if errors.Is(lerr, fs.ErrNotExist) {
		return entry{}, false, nil
	}
	if ok, _ := e.intact(cur); !ok {
		return entry{}, false, nil
	}
	data, err := readNoFollow(cur, e.Size)
	if err != nil {
		return entry{}, false, fmt.Errorf("keeping %s: %w", cur, err)
	}
	if err := fastio.WriteFile(dst, data, 0o644); err != nil {
		return entry{}, false, err
	}
	out, err := stamp(dst, key, e.Hash)
	return out, err == nil, err
}

// sameBytes reports whether the regular file at p holds the bytes e
// recorded (never following a link).
func (e entry) sameBytes(p string) bool {
	data, err := readNoFollow(p, e.Size)
	return err == nil && sha256Sum(data) == e.Hash
}

// stamp returns the manifest entry of a staged file.
func stamp(p string, key, sum portal.Key) (entry, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return entry{}, err
	}
	return entry{Key: key, Hash: sum, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}, nil
}

// saveManifests writes the manifest of every portal built, and for a
// build of every portal the list of their names.
func saveManifests(out string, names, built []string, entries []map[string]entry, fp portal.Key, mode Mode, opts Options) error {
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	for _, n := range built {
		m := &manifest{Portal: n, Fingerprint: fp, Files: entries[index[n]]}
		for _, e := range m.Files {
			if e.Key.IsZero() {
				m.Volatile = true
				break
			}
		}
		if err := m.write(out, mode); err != nil {
			return fmt.Errorf("portal %s: writing its manifest: %w", n, err)
		}
	}
	if len(opts.Portals) == 0 {
		if err := writePortalList(out, fp, mode, names); err != nil {
			return fmt.Errorf("writing the list of portals: %w", err)
		}
	}
	return nil
}

// readNoFollow reads a file of the output folder of at most limit bytes,
// never following a symbolic link.
func readNoFollow(p string, limit int64) ([]byte, error) {
	var buf []byte
	return fastio.ReadFileLimit(p, limit, &buf)
}

// stageMarker marks a staged portal folder, linking the current folder's
// marker when it has one, so that an unchanged portal keeps every file.
func stageMarker(cur, staged string) error {
	if hasMarker(cur) && os.Link(filepath.Join(cur, MarkerFile), filepath.Join(staged, MarkerFile)) == nil {
		return nil
	}
	return writeMarker(staged)
}

// makeDirs creates folders (a portal has one per page), shallow ones
// first and each depth on workers: one mkdir each, without MkdirAll's
// stat, falling back to MkdirAll for a parent not in the list.
func makeDirs(ctx context.Context, dirs []string, workers int) error {
	byDepth := map[int][]string{}
	var depths []int
	for _, d := range dirs {
		n := strings.Count(d, string(filepath.Separator))
		if byDepth[n] == nil {
			depths = append(depths, n)
		}
		byDepth[n] = append(byDepth[n], d)
	}
	sort.Ints(depths)
	for _, n := range depths {
		level := byDepth[n]
		err := forEach(ctx, len(level), workers, func(_ context.Context, i int) error {
			d := level[i]
			if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				if err := os.MkdirAll(d, 0o755); err != nil {
					return fmt.Errorf("creating %s: %w", d, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// removeTree removes a staging folder, its portals' subfolders on
// GOMAXPROCS workers (after a swap it holds a whole previous portal).
// Errors are ignored, as os.RemoveAll's were: the next build removes
// what is left (removeStale).
func removeTree(dir string) {
	var subs []string
	portals, _ := os.ReadDir(dir)
	for _, p := range portals {
		if !p.IsDir() {
			continue
		}
		inner, _ := os.ReadDir(filepath.Join(dir, p.Name()))
		for _, e := range inner {
			subs = append(subs, filepath.Join(dir, p.Name(), e.Name()))
		}
	}
	_ = forEach(context.Background(), len(subs), 0, func(_ context.Context, i int) error {
		_ = os.RemoveAll(subs[i])
		return nil
	})
	_ = os.RemoveAll(dir)
}
