package leaks

import (
	"errors"
	"io/fs"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// Hint is the advice attached to every finding.
const Hint = "move the value into the item's secrets file (cairn secret set ID FIELD) and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line"

// CheckSite scans every TOML and Markdown file of a site (cairn.toml,
// access.toml, organizations, items, documents, checklists and checklist
// templates) with the built-in rules and the site's leaks.toml. read reads
// a file relative to the site root; a missing leaks.toml is no problem.
func CheckSite(site *model.Site, read func(rel string) ([]byte, error)) *diag.List {
	l := &diag.List{}
	var conf []byte
	if data, err := read(ConfigFile); err == nil {
		conf = data
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.Errorf(diag.Pos{File: ConfigFile}, "leaks-config", "cannot read: %v", err)
	}
	rs, probs := Load(conf, ConfigFile)
	for _, d := range probs {
		l.Add(d)
	}
	if rs == nil {
		return l
	}
	files := []string{"cairn.toml", "access.toml"}
	for _, o := range site.Orgs {
		files = append(files, o.File)
	}
	for _, it := range site.Items {
		files = append(files, it.File)
	}
	for _, t := range site.Templates {
		files = append(files, t.File)
	}
	for _, f := range files {
		data, err := read(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			l.Errorf(diag.Pos{File: f}, "read", "cannot read: %v", err)
			continue
		}
		for _, fd := range rs.Scan(f, data) {
			l.Add(diag.Diagnostic{Pos: diag.Pos{File: f, Line: fd.Line, Col: fd.Col}, Severity: diag.Error, Code: "secret-leak", Message: fd.Message(), Hint: Hint})
		}
	}
	return l
}
