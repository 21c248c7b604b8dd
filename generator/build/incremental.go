package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"

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
func writeJob(ctx context.Context, j job, dst string) (e entry, size int64, made, wrote bool, err error) {
	if j.prev != nil && !j.Key.IsZero() && j.prev.Key == j.Key {
		if ok, _ := j.prev.intact(j.cur); ok {
			e, err := keep(j.cur, dst, j.Key, j.prev.Hash)
			return e, e.Size, false, false, err
		}
	}
	data, err := j.Make(ctx)
	if err != nil {
		return entry{}, 0, true, false, err
	}
	sum := sha256Sum(data)
	if j.prev != nil && j.prev.Hash == sum {
		if ok, _ := j.prev.intact(j.cur); ok {
			e, err := keep(j.cur, dst, j.Key, sum)
			return e, e.Size, true, false, err
		}
	}
	if err := fastio.WriteFile(dst, data, 0o644); err != nil {
		return entry{}, 0, true, false, err
	}
	e, err = stamp(dst, j.Key, sum)
	return e, e.Size, true, true, err
}

// keep links the previous build's file cur into the staging folder at
// dst, copying it when a link cannot be made (another file system).
func keep(cur, dst string, key, sum portal.Key) (entry, error) {
	if err := os.Link(cur, dst); err != nil {
		data, rerr := readNoFollow(cur, 1<<40)
		if rerr != nil {
			return entry{}, fmt.Errorf("keeping %s: %w", cur, rerr)
		}
		if werr := fastio.WriteFile(dst, data, 0o644); werr != nil {
			return entry{}, werr
		}
	}
	return stamp(dst, key, sum)
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
