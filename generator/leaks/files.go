package leaks

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
)

// Scanned reports whether CheckSite scans the file at name (slash-separated,
// relative to the site root) when it is present: the settings, everything
// under content/ but secrets files (*.sops.yaml, which have checks of their
// own), checklist templates, flexible type schemas and theme files. Hidden
// names (".git", editor files ending in "~") are never scanned: the loader
// skips them, so they reach no portal.
func Scanned(name string) bool {
	if name != path.Clean(name) || path.IsAbs(name) || name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasSuffix(seg, "~") {
			return false
		}
	}
	dir, base := path.Split(name)
	switch {
	case name == "cairn.toml", name == "access.toml":
		return true
	case strings.HasPrefix(name, "content/"):
		return !strings.HasSuffix(base, ".sops.yaml")
	case dir == "checklists/":
		return strings.HasSuffix(base, ".md")
	case dir == "schemas/":
		return strings.HasSuffix(base, ".toml")
	case strings.HasPrefix(name, ThemeDir+"/"):
		return true
	}
	return false
}

// CheckFiles scans the named files of a site alone, with the built-in
// rules and the site's leaks.toml, reading nothing else: the fast check of
// a pre-commit hook. names are slash-separated paths relative to the site
// root (files is the site's folder, as for CheckSite), each scanned once
// however often it is named; scanned counts them. A name that CheckSite
// would not scan (see Scanned) is returned in skipped, unread. A
// named file that is missing or no regular file is a "read" error, so no
// file passes unseen.
//
// Unlike CheckSite, a TOML line that sets a password key (password =
// "...") is reported too: no checker runs beside this scan to report it as
// plaintext-secret. Hints name the organization from the path; they do
// not read the item's schema.
func CheckFiles(files fs.FS, names []string) (l *diag.List, scanned int, skipped []string) {
	l = &diag.List{}
	rs := loadSiteRules(files, l)
	if rs == nil {
		return l, 0, nil
	}
	c := &siteCheck{rs: rs, files: files, l: l, missing: true}
	seen := map[string]bool{}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, name := range sorted {
		if seen[name] {
			continue
		}
		seen[name] = true
		if !Scanned(name) {
			skipped = append(skipped, name)
			continue
		}
		c.file(name, nil, fileHint(name), nil)
	}
	c.run()
	return l, len(c.jobs), skipped
}

// fileHint is the advice for a finding in name, judged from its path.
func fileHint(name string) hinter {
	segs := strings.Split(name, "/")
	switch {
	case strings.HasPrefix(name, ThemeDir+"/"):
		return themeHint
	case len(segs) > 3 && segs[0] == "content" && segs[2] == "files":
		return attachmentHint
	case strings.HasPrefix(name, "content/"):
		return noSecretFields
	}
	return siteWide
}
