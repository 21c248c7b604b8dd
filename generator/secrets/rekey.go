package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileSuffix ends the name of every secrets file.
const FileSuffix = ".sops.yaml"

// ErrOutsideSite is what Files's error wraps when the folder it is given
// is not inside the site (after resolving symbolic links).
var ErrOutsideSite = errors.New("outside the site")

// Files returns the secrets files (*.sops.yaml) under a folder of the
// site, slash-separated and relative to s.Root, sorted. under is relative
// to s.Root, or absolute; it must be inside the site once symbolic links
// are resolved, or Files fails with an error wrapping ErrOutsideSite.
// Files and folders whose names start with a dot (.sops.yaml itself)
// are skipped. A secrets file that is
// a symbolic link is an error: rekeying it would read a file from wherever
// it points and write it into the site.
func (s *Store) Files(under string) ([]string, error) {
	root, err := filepath.EvalSymlinks(s.Root)
	if err != nil {
		return nil, fmt.Errorf("resolving the site folder: %w", err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	base := filepath.FromSlash(under)
	if !filepath.IsAbs(base) {
		base = filepath.Join(s.Root, base)
	}
	resolved, err := filepath.EvalSymlinks(base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", under, err)
	}
	resolved, err = filepath.Abs(resolved)
	if err != nil {
		return nil, err
	}
	relBase, err := filepath.Rel(root, resolved)
	if err != nil || relBase == ".." || strings.HasPrefix(relBase, ".."+string(filepath.Separator)) {
		what := under
		if abs, _ := filepath.Abs(base); abs != resolved {
			what = fmt.Sprintf("%s (which resolves to %s)", under, resolved)
		}
		return nil, keyError(ErrOutsideSite, "%s is outside the site (%s): give a folder inside it, such as content or content/acme; nothing was rekeyed", what, root)
	}
	var files, links []string
	err = filepath.WalkDir(resolved, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != resolved {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), FileSuffix) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if d.Type()&os.ModeSymlink != 0 {
			links = append(links, filepath.ToSlash(rel))
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing secrets files under %s: %w", under, err)
	}
	if len(links) > 0 {
		sort.Strings(links)
		return nil, fmt.Errorf("%s: a secrets file is a symbolic link: replace it with the file itself (nothing was rekeyed)", strings.Join(links, ", "))
	}
	sort.Strings(files)
	return files, nil
}

// RekeyResult is what Store.RekeyAll did to one file.
type RekeyResult struct {
	// File is the secrets file, relative to the site root.
	File string
	// Recipients is how many master keys it is encrypted for now.
	Recipients int
	// Err is why it was not rekeyed, or nil.
	Err error
}

// RekeyAll rekeys (see Rekey) every secrets file under a folder of the
// site (see Files), in path order, and calls report after each. A file
// that fails does not stop the others; the error returned is only for
// the folder itself (outside the site, unreadable) or a cancelled ctx.
func (s *Store) RekeyAll(ctx context.Context, under string, report func(RekeyResult)) error {
	files, err := s.Files(under)
	if err != nil {
		return err
	}
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := RekeyResult{File: rel, Err: s.Rekey(rel)}
		if r.Err == nil {
			recs, _ := s.Recipients(rel)
			r.Recipients = len(recs)
		}
		report(r)
	}
	return nil
}
