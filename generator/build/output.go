package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// ErrOutput is wrapped by every error that refuses an output folder or a
// portal folder in it: the folder is not one cairn build may write to.
var ErrOutput = errors.New("unsafe output folder")

// MarkerFile is the file every portal folder written by cairn build holds,
// with MarkerContent. Build replaces a portal's folder as a whole only
// when it holds this file (or is empty), so it never deletes a folder it
// did not write.
const MarkerFile = ".cairn-portal"

// MarkerContent is the fixed content of MarkerFile.
const MarkerContent = "This folder was written by cairn build, which replaces it as a whole on every build.\n"

// CheckOutput decides whether output may hold the portals of the site in
// root, and returns it as an absolute path with symbolic links resolved.
// It refuses, wrapping ErrOutput:
//
//   - the site's folder itself, and any folder that contains the site;
//   - a folder that is, contains or lies inside one of the site's sources
//     (content/, schemas/, themes/, checklists/, access.toml, cairn.toml,
//     .git, .sops.yaml, .cairn/), also when a symbolic link leads there;
//   - a folder outside the site, unless outside is true: a site's own
//     cairn.toml may not direct a build elsewhere, only the person running
//     it (cairn build --output).
//
// Folders that do not exist yet are resolved through their nearest
// existing parent.
func CheckOutput(root, output string, outside bool) (string, error) {
	site, err := realPath(root)
	if err != nil {
		return "", fmt.Errorf("site folder %s: %w", root, err)
	}
	out, err := realPath(output)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", output, err)
	}
	switch {
	case out == site:
		return "", fmt.Errorf("%w: %s is the site's own folder, and building there would replace its sources: use a folder inside it, such as %q", ErrOutput, out, "public")
	case within(site, out):
		return "", fmt.Errorf("%w: %s contains the site %s: use a folder inside the site, such as %q, or one beside it", ErrOutput, out, site, "public")
	}
	for _, name := range sitefs.SourceNames() {
		src := filepath.Join(site, name)
		paths := []string{src}
		if _, err := os.Lstat(src); err == nil {
			if r, err := filepath.EvalSymlinks(src); err == nil && r != src {
				paths = append(paths, r)
			}
		}
		for _, p := range paths {
			if within(out, p) || within(p, out) {
				return "", fmt.Errorf("%w: %s overlaps the site's %s: use a folder that holds no sources, such as %q", ErrOutput, out, name, "public")
			}
		}
	}
	if !within(out, site) && !outside {
		return "", fmt.Errorf("%w: %s is outside the site %s: the site's cairn.toml may only name a folder inside it; to write elsewhere, pass --output", ErrOutput, out, site)
	}
	return out, nil
}

// within reports whether p is dir or below it. Both are clean absolute
// paths.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// realPath returns p as a clean absolute path with every symbolic link
// resolved; the part that does not exist yet is appended as it is.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; {
		r, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{r}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}

// checkReplaceable refuses, wrapping ErrOutput, to let a build replace
// dir unless it does not exist, is an empty folder, or is a folder a
// previous build wrote (it holds MarkerFile with MarkerContent).
func checkReplaceable(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("portal folder %s: %w", dir, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%w: %s is a symbolic link, and cairn build replaces portal folders as a whole: remove the link, or choose another output folder", ErrOutput, dir)
	case !fi.IsDir():
		return fmt.Errorf("%w: %s is a file where the portal's folder belongs: move it away, or choose another output folder", ErrOutput, dir)
	}
	if hasMarker(dir) {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("portal folder %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s was not written by cairn build (it has no %s file), and a build replaces a portal's folder as a whole: move it away (or delete it, if it is an old build), or choose another output folder", ErrOutput, dir, MarkerFile)
}

// hasMarker reports whether dir holds MarkerFile with MarkerContent as a
// regular file (never following a link: a marker linked to /dev/zero must
// not be read).
func hasMarker(dir string) bool {
	p := filepath.Join(dir, MarkerFile)
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(MarkerContent)) {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && string(b) == MarkerContent
}

// writeMarker marks a portal folder as written by cairn build.
func writeMarker(dir string) error {
	return atomicfile.WriteFile(filepath.Join(dir, MarkerFile), []byte(MarkerContent), 0o644)
}
