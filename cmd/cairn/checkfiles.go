package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/leaks"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// filesSummary is the summary of cairn check --files, as JSON and text.
type filesSummary struct {
	Scanned  int `json:"files_scanned"`
	Skipped  int `json:"files_skipped"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// checkFilesRun scans only opts.Paths for plaintext secrets: the site's
// cairn.toml is looked at (is this a site?) and its leaks.toml read, and
// nothing else but the named files.
func checkFilesRun(opts *CheckOptions) error {
	root := opts.Global.Site
	names, err := siteRelative(root, opts.Paths)
	if err != nil {
		return err
	}
	if _, err := sitefs.Stat(root, "cairn.toml"); errors.Is(err, fs.ErrNotExist) {
		return load.ErrNotSite
	} else if err != nil {
		return err
	}
	l, scanned, skipped := leaks.CheckFiles(sitefs.FS(root, ".", sitefs.MaxAttachment), names)
	errs, warns := l.Count()
	sum := filesSummary{Scanned: scanned, Skipped: len(skipped), Errors: errs, Warnings: warns}
	return report(opts, l.Sorted(), nil, sum, func(w io.Writer) error {
		skip := ""
		if sum.Skipped > 0 {
			skip = fmt.Sprintf(" (%d skipped: published by no portal)", sum.Skipped)
		}
		_, err := fmt.Fprintf(w, "scanned %s for plaintext secrets%s: %s, %s\n",
			plural(sum.Scanned, "file"), skip, plural(errs, "error"), plural(warns, "warning"))
		return err
	})
}

// siteRelative returns each path (relative to the current folder, or
// absolute) as a slash-separated path relative to the site root, and a
// usage error naming the first path that is not inside the site. Paths
// are compared as written, after cleaning; links are not followed here
// (reading through sitefs refuses links out of the site).
func siteRelative(root string, paths []string) ([]string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("the site folder %s: %w", root, err)
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			return nil, &usageError{fmt.Errorf("--files: %q is not a file inside the site %s (pass --site to name the site's folder)", p, root)}
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}
