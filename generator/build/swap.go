package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// errNoExchange means the platform or file system cannot swap two
// folders in one step.
var errNoExchange = errors.New("atomic exchange not supported")

// oldPrefix names, inside a staging folder, a previous portal folder moved
// aside by the two-rename fallback; removeStale puts it back when a build
// was killed before the new folder took its place.
const oldPrefix = ".old-"

// exchangeFunc swaps two folders atomically or returns errNoExchange.
type exchangeFunc func(a, b string) error

// swapIn puts the staged folder src in dst's place and returns a function
// that undoes it. With an atomic exchange, dst holds the old or the new
// folder at every instant, and src holds the old one afterwards (removed
// with the staging folder). Without one, the old folder is renamed aside
// to old first: between the two renames dst is missing, and a build
// killed right there leaves the old folder at old, which the next build
// puts back (removeStale).
func swapIn(src, dst, old string, xchg exchangeFunc) (undo func() error, err error) {
	if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return nil, err
		}
		return func() error { return os.Rename(dst, src) }, nil
	}
	switch err := xchg(src, dst); {
	case err == nil:
		return func() error { return xchg(src, dst) }, nil
	case !errors.Is(err, errNoExchange):
		return nil, err
	}
	if err := os.Rename(dst, old); err != nil {
		return nil, fmt.Errorf("moving the previous output aside: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return nil, err
	}
	return func() error {
		if err := os.Rename(dst, src); err != nil {
			return err
		}
		return os.Rename(old, dst)
	}, nil
}

// swapAll swaps every staged portal tmp/<name> into out/<name>. It does
// not look at any context: once begun, the swaps are finished (each is
// one or two renames). When one fails, those already done are undone, so
// the output is all old or all new.
func swapAll(tmp, out string, names []string, xchg exchangeFunc, progress func(Stage, string)) error {
	var undo []func() error
	for _, n := range names {
		u, err := swapIn(filepath.Join(tmp, n), filepath.Join(out, n), filepath.Join(tmp, oldPrefix+n), xchg)
		if err != nil {
			var failed []string
			for i := len(undo) - 1; i >= 0; i-- {
				if uerr := undo[i](); uerr != nil {
					failed = append(failed, uerr.Error())
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("portal %s: moving the new output into place: %w (and putting back the portals already swapped failed: %s)", n, err, strings.Join(failed, "; "))
			}
			return fmt.Errorf("portal %s: moving the new output into place: %w (no portal was changed)", n, err)
		}
		undo = append(undo, u)
		progress(StageSwapped, n)
	}
	return nil
}

// removeStale removes the staging folders that a build killed before it
// could clean up left in the output folder, first putting back any
// previous portal folder that the two-rename fallback had moved aside
// when its new folder never took its place. Two builds into the same
// output folder at once are not supported.
func removeStale(out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("reading the output folder: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tmpPrefix) {
			continue
		}
		tmp := filepath.Join(out, e.Name())
		inner, _ := os.ReadDir(tmp)
		for _, o := range inner {
			name, ok := strings.CutPrefix(o.Name(), oldPrefix)
			if !ok || !o.IsDir() {
				continue
			}
			dst := filepath.Join(out, name)
			if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
				if err := os.Rename(filepath.Join(tmp, o.Name()), dst); err != nil {
					return fmt.Errorf("putting back portal %s, which an interrupted build left in %s: %w", name, tmp, err)
				}
			}
		}
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("removing %s, left by an interrupted build: %w", tmp, err)
		}
	}
	return nil
}
