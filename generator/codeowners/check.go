package codeowners

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// maxFile bounds how much of a CODEOWNERS file is read: GitHub ignores
// files over 3 MB, so a larger one was not written by cairn.
const maxFile = sitefs.MaxSourceFile

// Locations returns the places forges read CODEOWNERS from, relative to
// the repository root (the site root): the root itself, .github/
// (GitHub), .gitlab/ (GitLab), .gitea/ (Gitea) and docs/ (all three).
// It returns a new slice on every call.
func Locations() []string {
	return []string{"CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS", "docs/CODEOWNERS"}
}

// Generated reports whether data is a file cairn codeowners wrote: one
// whose first line is Header.
func Generated(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return string(bytes.TrimSuffix(first, []byte("\r"))) == Header
}

// DefaultPath returns where cairn codeowners writes when not told,
// relative to root with slashes: the first of Locations that holds a file
// cairn wrote, else .github/CODEOWNERS when .github is a folder, else
// CODEOWNERS. It reads through sitefs, so a .github that leads outside
// the site is an error, never a place to write.
func DefaultPath(root string) (string, error) {
	for _, loc := range Locations() {
		data, err := sitefs.ReadFile(root, loc, maxFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if Generated(data) {
			return loc, nil
		}
	}
	fi, err := sitefs.Stat(root, ".github")
	switch {
	case err == nil && fi.IsDir():
		return ".github/CODEOWNERS", nil
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return "CODEOWNERS", nil
	}
	return "", err
}

// Check warns (code codeowners-stale) about every CODEOWNERS file in
// Locations that cairn wrote and that differs from what Generate gives
// for it now, at its first differing line. A missing file, or one written
// by hand (without Header), gives no warning; one that cannot be read
// (a link out of the site, too large) gives a warning saying why. It
// reads the files through sitefs and nothing else.
func Check(site *model.Site, root string) *diag.List {
	ds := &diag.List{}
	def, _ := DefaultPath(root)
	for _, loc := range Locations() {
		data, err := sitefs.ReadFile(root, loc, maxFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			reason, hint := err.Error(), ""
			var se *sitefs.Error
			if errors.As(err, &se) {
				reason, hint = se.Reason(), se.Hint()
			}
			ds.Add(diag.Diagnostic{Pos: diag.Pos{File: loc}, Severity: diag.Warning, Code: "codeowners-stale",
				Message: "CODEOWNERS " + reason + ", so cairn cannot tell whether it is up to date", Hint: hint})
			continue
		}
		if !Generated(data) {
			continue
		}
		want := Generate(site, loc)
		if bytes.Equal(data, want) {
			continue
		}
		hint := "run cairn codeowners and commit the result"
		if loc != def {
			hint = fmt.Sprintf("run cairn codeowners --output %s and commit the result", loc)
		}
		ds.Add(diag.Diagnostic{Pos: diag.Pos{File: loc, Line: firstDiff(data, want)}, Severity: diag.Warning, Code: "codeowners-stale",
			Message: "CODEOWNERS is out of date: access.toml now gives other owners", Hint: hint})
	}
	return ds
}

// firstDiff returns the 1-based line of have where it first differs from
// want, at most the line after have's last.
func firstDiff(have, want []byte) int {
	h := bytes.SplitAfter(have, []byte("\n"))
	w := bytes.SplitAfter(want, []byte("\n"))
	for i := range h {
		if i >= len(w) || !bytes.Equal(h[i], w[i]) {
			return i + 1
		}
	}
	return len(h) + 1
}
