package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/search"
)

// A portal's spare is its folder of the build before last, which the swap
// of the last build moved out of the way: instead of removing it (a
// system call per file and folder), the build keeps it in ManifestDir
// with the manifest that describes it, and the next build stages into it.
// Most of its files are what the next build wants (hard links to the
// current folder's files); the staging then costs a stat per kept file
// and a folder read per folder, not a mkdir per folder, a link and a stat
// per file, and an unlink per file and rmdir per folder after the swap.
// Nothing of the spare is trusted beyond what the manifest of any
// previous folder is (entry.intact): a file it does not list, or not
// intact, is removed and made again, so the staged folder holds exactly
// what a staging from nothing would.

// sparePaths returns where portal name's spare folder for a mode and its
// manifest live, inside out's ManifestDir (never served).
func sparePaths(out, name string, mode Mode) (dir, man string) {
	base := filepath.Join(out, ManifestDir, "spare", name+"."+string(mode))
	return base, base + ".manifest"
}

// takeSpare moves portal name's spare folder to staged (which must not
// exist) and returns the files its manifest lists, or returns nil, with
// staged absent and any spare removed, when there is no spare with a
// readable manifest of that portal. The spare's manifest goes first: a
// spare folder without one is never used, so a build killed while the
// folder is being changed leaves nothing a later build could trust.
func takeSpare(out, name string, mode Mode, staged string) map[string]entry {
	dir, man := sparePaths(out, name, mode)
	m := readManifestAt(man, name)
	if err := os.Remove(man); err != nil && !errors.Is(err, fs.ErrNotExist) {
		m = nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil
	}
	if m == nil || !fi.IsDir() || os.Rename(dir, staged) != nil {
		_ = os.RemoveAll(dir)
		return nil
	}
	return m.Files
}

// keepSpare moves the previous folder of portal name, which the swap left
// in the staging folder tmp (at tmp/<name>, or tmp/.old-<name> after the
// two-rename fallback), to the portal's spare, under prev, the manifest
// that described it. Without a previous manifest or folder it does
// nothing. A failure is not an error: the folder then goes with the
// staging folder, and the next build stages from nothing.
//
// Every file whose bytes are not those of the new folder's file at the
// same path (cur, the new build's entries) is removed from the spare
// first, with the folders it leaves empty: an output folder published
// whole (.cairn/ included) must not keep serving a page or attachment
// the portal no longer shows. The spare then holds only bytes the portal
// shows now.
func keepSpare(out, tmp, name string, mode Mode, prev *manifest, cur map[string]entry) {
	if prev == nil {
		return
	}
	src := filepath.Join(tmp, name)
	if fi, err := os.Lstat(src); err != nil || !fi.IsDir() {
		src = filepath.Join(tmp, oldPrefix+name)
		if fi, err := os.Lstat(src); err != nil || !fi.IsDir() {
			return
		}
	}
	kept := &manifest{Portal: prev.Portal, Fingerprint: prev.Fingerprint, Files: map[string]entry{}}
	for p, e := range prev.Files {
		if c, ok := cur[p]; ok && c.Hash == e.Hash {
			kept.Files[p] = e
			continue
		}
		f := filepath.Join(src, filepath.FromSlash(p))
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			_ = os.RemoveAll(src)
			return
		}
		for d := filepath.Dir(f); d != src && os.Remove(d) == nil; d = filepath.Dir(d) {
		}
	}
	dir, man := sparePaths(out, name, mode)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return
	}
	if _, err := os.Lstat(dir); err == nil {
		_ = os.RemoveAll(dir)
	}
	if os.Rename(src, dir) != nil {
		return
	}
	if kept.writeAt(out, man) != nil {
		_ = os.RemoveAll(dir)
	}
}

// recycle readies a spare folder staged at root for a portal of the files
// want (slash-separated paths below root) in the folders dirs (their
// parents, "." for root): it removes every entry that is neither a wanted
// folder nor a wanted regular file that the spare's manifest lists, and
// returns the files left (each still to be checked against its entry
// before it is kept) and the folders present. Folders are read on
// workers, one subtree of root each.
func recycle(ctx context.Context, root string, spare map[string]entry, want, dirs map[string]bool, workers int) (kept, have map[string]bool, err error) {
	kept, have = map[string]bool{}, map[string]bool{".": true}
	var mu sync.Mutex
	var visit func(rel string, e fs.DirEntry) error
	// readDir reads the folder rel ("" for root).
	readDir := func(rel string) ([]fs.DirEntry, error) {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("reading the spare folder: %w", err)
		}
		return entries, nil
	}
	visit = func(rel string, e fs.DirEntry) error {
		p := path.Join(rel, e.Name())
		abs := filepath.Join(root, filepath.FromSlash(p))
		var err error
		switch _, listed := spare[p]; {
		case e.IsDir() && dirs[p]:
			mu.Lock()
			have[p] = true
			mu.Unlock()
			entries, err := readDir(p)
			if err != nil {
				return err
			}
			for _, c := range entries {
				if err := visit(p, c); err != nil {
					return err
				}
			}
			return nil
		case e.IsDir():
			err = os.RemoveAll(abs)
		case listed && want[p] && e.Type().IsRegular():
			mu.Lock()
			kept[p] = true
			mu.Unlock()
			return nil
		default:
			err = os.Remove(abs)
		}
		if err != nil {
			return fmt.Errorf("clearing the spare folder: %w", err)
		}
		return nil
	}
	top, err := readDir("")
	if err != nil {
		return nil, nil, err
	}
	if err := forEach(ctx, len(top), workers, func(_ context.Context, i int) error { return visit("", top[i]) }); err != nil {
		return nil, nil, err
	}
	return kept, have, nil
}

// stageSpares moves each portal's spare, when it has one, to its staging
// folder tmp/<name>, readies it for the portal's jobs (recycle) and marks
// each job whose file it holds already. It returns the folders that exist
// in the staging folders.
func stageSpares(ctx context.Context, out, tmp string, names []string, mode Mode, jobs []job, workers int) (map[string]bool, error) {
	have := map[string]bool{}
	for i, n := range names {
		staged := filepath.Join(tmp, n)
		spare := takeSpare(out, n, mode, staged)
		if spare == nil {
			continue
		}
		want, dirs := map[string]bool{}, map[string]bool{}
		for _, j := range jobs {
			if j.portal != i {
				continue
			}
			want[j.Path] = true
			for d := path.Dir(j.Path); d != "." && !dirs[d]; d = path.Dir(d) {
				dirs[d] = true
			}
		}
		kept, present, err := recycle(ctx, staged, spare, want, dirs, workers)
		if err != nil {
			return nil, fmt.Errorf("portal %s: %w", n, err)
		}
		for d := range present {
			have[filepath.Join(staged, filepath.FromSlash(d))] = true
		}
		for k := range jobs {
			if j := &jobs[k]; j.portal == i && kept[j.Path] {
				e := spare[j.Path]
				j.spare = &e
			}
		}
	}
	return have, nil
}

// searchCachePath is where the output folder keeps the search index's
// parts of one portal (search.Cache.SavePortal), beside its manifest:
// one file per portal, so no file holds another portal's pages.
func searchCachePath(out, name string, mode Mode) string {
	return filepath.Join(out, ManifestDir, name+"."+string(mode)+".search")
}

// loadSearchCaches gives c the saved parts of each portal whose search
// index this build makes again (its job's key is not the previous
// build's). A missing or unreadable file is no error: the index is then
// made from fresh parts.
func loadSearchCaches(c *search.Cache, out string, names []string, mode Mode, jobs []job) {
	for _, j := range jobs {
		if j.Path != search.IndexFile || (j.prev != nil && !j.Key.IsZero() && j.prev.Key == j.Key) {
			continue
		}
		name := names[j.portal]
		data, err := readNoFollow(searchCachePath(out, name, mode), search.MaxCacheBytes)
		if err != nil {
			continue
		}
		if loaded, err := search.LoadCache(bytes.NewReader(data)); err == nil {
			c.AddPortal(name, loaded)
		}
	}
}

// saveSearchCaches saves, for each portal built, the search index's parts
// the cache holds of it. A file that cannot be written is removed: the
// cache only saves work.
func saveSearchCaches(c *search.Cache, out string, built []string, mode Mode) {
	for _, n := range built {
		var b bytes.Buffer
		p := searchCachePath(out, n, mode)
		if ok, err := c.SavePortal(&b, n); !ok || err != nil {
			continue
		}
		if atomicfile.WriteFile(p, b.Bytes(), 0o644) != nil {
			_ = os.Remove(p)
		}
	}
}
