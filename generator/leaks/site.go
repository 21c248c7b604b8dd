package leaks

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/generator/workers"
)

// ThemeDir is the folder of a site's theme files, which are published as
// they are (static/) or into every page (templates/).
const ThemeDir = "themes/default"

// CheckSite scans every text file of a site that can reach a portal with
// the built-in rules and the site's leaks.toml: cairn.toml, access.toml,
// organizations, items, documents, checklists, checklist templates, the
// flexible type schemas, the attachments under content/<org>/files/ and
// the theme's files. Binary files (see Text) are not read past
// MaxScanBytes and only the rules that report files by name apply to
// them; every text file is scanned up to MaxScanBytes.
//
// files is the site's folder (os.DirFS(site.Root)); items are scanned from
// the bytes the loader read (sources, by path relative to the site root)
// when it has them, so no item file is read twice. A missing
// leaks.toml is no problem. CheckSite only reads; it may run beside the
// checker.
func CheckSite(site *model.Site, files fs.FS, sources map[string][]byte) *diag.List {
	l := &diag.List{}
	rs := loadSiteRules(files, l)
	if rs == nil {
		return l
	}
	c := &siteCheck{rs: rs, files: files, l: l}
	c.file("cairn.toml", nil, siteWide, nil)
	c.file("access.toml", nil, siteWide, nil)
	for _, o := range site.Orgs {
		c.file(o.File, nil, noSecretFields, nil)
	}
	for _, it := range site.Items {
		h, keys := itemScan(it)
		c.file(it.File, sources[it.File], h, keys)
	}
	for _, t := range site.Templates {
		c.file(t.File, nil, siteWide, nil)
	}
	if site.Schemas != nil {
		for _, typ := range site.Schemas.Types() {
			if s := site.Schemas.Get(typ); s != nil && !s.Core && s.File != "" {
				c.file(s.File, nil, siteWide, nil)
			}
		}
	}
	for _, f := range site.Files {
		c.file("content/"+f, nil, attachmentHint, nil)
	}
	// No theme folder of the site's own, or a link (the theme refuses
	// it): no theme files to scan.
	if st, err := fs.Lstat(files, ThemeDir); err == nil && st.IsDir() {
		err := fs.WalkDir(files, ThemeDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// The theme follows a link that stays inside the site and
				// publishes its target: scan that. A link out of the site,
				// to a folder or to a file over the theme's limit is the
				// theme's error (portal.LoadTheme), and is not read here.
				data, err := sitefs.ReadFile(site.Root, p, sitefs.MaxThemeFile)
				if err == nil {
					c.file(p, data, themeHint, nil)
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil // special files are not published as themes' files
			}
			c.file(p, nil, themeHint, nil)
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			l.Errorf(diag.Pos{File: ThemeDir}, "read", "cannot read: %v", err)
		}
	}
	c.run()
	return l
}

// loadSiteRules reads the site's leaks.toml (at most MaxScanBytes; a
// missing file means the built-in rules alone) and returns the rules,
// reporting its problems to l; nil when the file cannot be used.
func loadSiteRules(files fs.FS, l *diag.List) *Rules {
	var conf []byte
	if data, _, err := readCapped(files, ConfigFile, MaxScanBytes); err == nil {
		conf = data
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.Errorf(diag.Pos{File: ConfigFile}, "leaks-config", "cannot read: %v", err)
	}
	rs, probs := Load(conf, ConfigFile)
	for _, d := range probs {
		l.Add(d)
	}
	return rs
}

// siteCheck scans the files of one site: file queues each, run scans
// them all with one worker per CPU (findings land in a diag.List, which
// is safe for concurrent use and sorted when printed).
type siteCheck struct {
	rs    *Rules
	files fs.FS
	l     *diag.List
	jobs  []scanJob
	// missing makes a queued file that does not exist an error: it was
	// named (CheckFiles), not found by walking the site.
	missing bool
}

type scanJob struct {
	name string
	src  []byte
	hint hinter
	keys []string
}

// file queues one file for run: its bytes src when the loader kept them,
// else read from the site (at most MaxScanBytes). keys are the TOML keys
// the checker reports itself (see ScanKeys).
func (c *siteCheck) file(name string, src []byte, hint hinter, keys []string) {
	c.jobs = append(c.jobs, scanJob{name, src, hint, keys})
}

// run scans every queued file.
func (c *siteCheck) run() {
	workers.Each(len(c.jobs), nil, func(i int) {
		j := c.jobs[i]
		c.scan(j.name, j.src, j.hint, j.keys)
	})
}

// A hinter returns the advice for a finding in a file.
type hinter func(file string, byName bool) string

// scan scans one file (see file).
func (c *siteCheck) scan(name string, src []byte, hint hinter, keys []string) {
	if c.rs.Skip(name) {
		return
	}
	data, more := src, false
	if data == nil {
		var err error
		data, more, err = readCapped(c.files, name, MaxScanBytes)
		if errors.Is(err, fs.ErrNotExist) {
			if c.missing {
				c.l.ErrorHint(diag.Pos{File: name}, "read", "name only files that exist (a pre-commit hook passes the staged ones)", "no such file to scan")
			}
			return
		}
		if err != nil {
			c.l.Errorf(diag.Pos{File: name}, "read", "cannot read: %v", err)
			return
		}
	} else if len(data) > MaxScanBytes {
		data, more = data[:MaxScanBytes], true
	}
	text, ok := Text(data)
	if !ok {
		text, more = nil, false
	}
	found := c.rs.ScanKeys(name, text, keys)
	if text != nil && strings.HasSuffix(name, ".toml") && bytes.IndexByte(text, '\\') >= 0 {
		found = append(found, c.decodedStrings(name, text, found)...)
	}
	for _, f := range found {
		c.l.Add(diag.Diagnostic{Pos: diag.Pos{File: name, Line: f.Line, Col: f.Col}, Severity: diag.Error, Code: "secret-leak",
			Message: f.Message(), Hint: hint(name, f.Line == 0)})
	}
	if more {
		c.l.Add(diag.Diagnostic{Pos: diag.Pos{File: name}, Severity: diag.Warning, Code: "leaks-limit",
			Message: fmt.Sprintf("only the first %d MiB of this file were scanned for secrets", MaxScanBytes>>20),
			Hint:    "keep large text (logs, exports) out of the site, or split it into smaller files"})
	}
}

// decodedStrings scans the TOML strings of a file that are written with
// escapes or line continuations ("P\u0061sswort: x", "Pass\<newline>word:
// x") as they decode, which is how a portal shows them: the bytes alone
// hide such a secret's words. Each finding is reported at the value's
// start, unless the scan of the bytes (raw) already found as many of
// that rule on the value's lines. A file that does not parse is left to
// the checker, which reports it.
func (c *siteCheck) decodedStrings(name string, text []byte, raw []Finding) []Finding {
	root, err := tomldoc.Parse(text)
	if err != nil {
		return nil
	}
	var out []Finding
	var walkTable func(t *tomldoc.Table)
	var walk func(v *tomldoc.Value)
	walk = func(v *tomldoc.Value) {
		switch v.Kind {
		case tomldoc.KindTable:
			walkTable(v.Table)
		case tomldoc.KindArray:
			for _, e := range v.Array {
				walk(e)
			}
		case tomldoc.KindString:
			if !strings.Contains(v.Raw, "\\") {
				return // as written: the scan of the bytes saw it
			}
			first, last := v.Pos.Line, v.Pos.Line+strings.Count(v.Raw, "\n")
			seen := map[string]int{}
			for _, f := range raw {
				if f.Line >= first && f.Line <= last {
					seen[f.RuleID]++
				}
			}
			for _, f := range c.rs.ScanKeys(name, []byte(v.Str), nil) {
				if seen[f.RuleID] > 0 {
					seen[f.RuleID]--
					continue
				}
				f.Line, f.Col = v.Pos.Line, v.Pos.Col
				out = append(out, f)
			}
		}
	}
	walkTable = func(t *tomldoc.Table) {
		for _, k := range t.Keys() {
			walk(t.Get(k))
		}
	}
	walkTable(root)
	return out
}

const (
	rotate    = "rotate it, since git history keeps the plain text"
	notSecret = "; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line"
	byName    = "; if it is no key, add its path to the [allowlist] paths of leaks.toml"
)

// orgOf returns the organization of a file under content/, or "ORG".
func orgOf(file string) string {
	if p := strings.Split(file, "/"); len(p) > 2 && p[0] == "content" {
		return p[1]
	}
	return "ORG"
}

// newItem is the advice to keep a secret in a password item of org.
func newItem(org string) string {
	return fmt.Sprintf("keep it in a password item instead: cairn new passwords %s SLUG, then cairn secret set %s/passwords/SLUG password", org, org)
}

// itemScan returns the advice for a finding in an item's file and the
// keys the checker reports itself.
func itemScan(it *model.Item) (hinter, []string) {
	fields := sopsfile.SecretFields(it.Schema)
	h := noSecretFields
	if len(fields) > 0 {
		h = itemHint(it.ID, fields)
	}
	return h, append(append([]string{}, OwnedKeys...), fields...)
}

// itemHint is the advice for an item whose type has password fields:
// store the value in its own secrets file.
func itemHint(id string, fields []string) hinter {
	field := fields[0]
	for _, f := range fields {
		if f == "password" {
			field = f
		}
	}
	others := ""
	if len(fields) > 1 {
		others = fmt.Sprintf(" (its password fields: %s)", strings.Join(fields, ", "))
	}
	return func(string, bool) string {
		return fmt.Sprintf("move the value into the item's secrets file with cairn secret set %s %s%s, which asks for it; then delete it here and %s%s", id, field, others, rotate, notSecret)
	}
}

// noSecretFields is the advice for an organization, a document or an
// item whose type keeps no secrets: a password item does.
func noSecretFields(file string, _ bool) string {
	org := orgOf(file)
	return fmt.Sprintf("%s, and link it from here as [[passwords/SLUG]]; delete it here and %s%s", newItem(org), rotate, notSecret)
}

// siteWide is the advice for settings, schemas and checklist templates,
// which belong to no organization.
func siteWide(string, bool) string {
	return fmt.Sprintf("delete it here and %s; %s%s", rotate, newItem("ORG"), notSecret)
}

// attachmentHint is the advice for a file under content/<org>/files/,
// which is published as it is and never encrypted.
func attachmentHint(file string, name bool) string {
	org := orgOf(file)
	tail := notSecret
	if name {
		tail = byName
	}
	return fmt.Sprintf("remove the file from the site (attachments are published as they are, never encrypted) and %s; keep the secret in a password item: cairn new passwords %s SLUG, then cairn secret set %s/passwords/SLUG password < %s%s", rotate, org, org, shellQuote(file), tail)
}

// shellQuote returns s as one shell word: as it is when it holds only
// safe characters, else in single quotes.
func shellQuote(s string) string {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._/-+@", c)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// themeHint is the advice for a theme file, published to every portal.
func themeHint(_ string, name bool) string {
	tail := notSecret
	if name {
		tail = byName
	}
	return fmt.Sprintf("remove it from the theme (its files are published to every portal) and %s%s", rotate, tail)
}
