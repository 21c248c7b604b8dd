package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watched are the site's folders (watched recursively) and files whose
// changes trigger a rebuild.
var (
	WatchedDirs  = []string{"content", "schemas", "checklists", "themes"}
	WatchedFiles = []string{"cairn.toml", "access.toml"}
)

// DefaultDebounce is how long Watch waits after the last change before it
// rebuilds, so that an editor's write-rename-chmod burst is one rebuild.
const DefaultDebounce = 30 * time.Millisecond

// Watch watches the site's files and calls Rebuild after each burst of
// changes, until ctx is done. Folders created later are watched too.
// It returns nil when ctx ends, or the error that stopped the watcher.
// changed, when not nil, is called after each rebuild with its result.
func (s *Server) Watch(ctx context.Context, debounce time.Duration, changed func(Result)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching %s: %w", s.opts.Root, err)
	}
	defer w.Close()
	if err := w.Add(s.opts.Root); err != nil {
		return fmt.Errorf("watching %s: %w", s.opts.Root, err)
	}
	for _, d := range WatchedDirs {
		if err := addTree(w, filepath.Join(s.opts.Root, d)); err != nil {
			return err
		}
	}
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var burst []string // files changed since the last rebuild, relative to the root
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			return fmt.Errorf("watching %s: %w", s.opts.Root, err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !s.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					if err := addTree(w, ev.Name); err != nil {
						return err
					}
				}
			}
			if rel, err := filepath.Rel(s.opts.Root, ev.Name); err == nil {
				burst = append(burst, filepath.ToSlash(rel))
			}
			timer.Reset(debounce)
		case <-timer.C:
			res, err := s.RebuildFiles(ctx, burst)
			burst = nil
			if err != nil {
				return nil // cancelled
			}
			if changed != nil {
				changed(res)
			}
		}
	}
}

// relevant reports whether a changed path can change the site: under a
// watched folder, or a watched file at the root; never an editor's swap
// or backup file.
func (s *Server) relevant(name string) bool {
	rel, err := filepath.Rel(s.opts.Root, name)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	base := filepath.Base(name)
	if strings.HasSuffix(base, "~") || strings.HasPrefix(base, ".#") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") || base == "4913" {
		return false
	}
	for _, f := range WatchedFiles {
		if rel == f {
			return true
		}
	}
	for _, d := range WatchedDirs {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// addTree watches dir and every folder below it; a missing dir is fine
// (the root is watched, so its creation is seen).
func addTree(w *fsnotify.Watcher, dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
	if err != nil {
		return fmt.Errorf("watching %s: %w", dir, err)
	}
	return nil
}
