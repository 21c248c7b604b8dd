// Package load reads a site from disk into the site model: cairn.toml,
// access.toml, schemas, checklist templates and every file under content/,
// concurrently. It reports what it cannot read as positioned diagnostics
// and never stops at the first problem.
package load

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// ErrNotSite is returned when the folder has no cairn.toml.
var ErrNotSite = errors.New("not a cairn site: no cairn.toml here (run cairn init DIR to make one, or pass --site DIR)")

// Load reads the site in root. The returned site has no link graph yet:
// that is the checker's job. err is set only when the site cannot be read
// at all (no cairn.toml, an unreadable folder, a cancelled context);
// everything wrong inside files is in the diagnostics.
func Load(ctx context.Context, root string) (*model.Site, *diag.List, error) {
	s, _, d, err := LoadWithSources(ctx, root)
	return s, d, err
}

// Sources are the bytes of the item files the loader read, by path
// relative to the site root, for the checks that scan whole files (secret
// leaks, SOPS soundness) without reading them again. They are kept apart
// from the site model, which holds parsed values only, so the caller
// decides how long the bytes live.
type Sources map[string][]byte

// LoadWithSources is Load that also returns the bytes of every item file
// it read.
func LoadWithSources(ctx context.Context, root string) (*model.Site, Sources, *diag.List, error) {
	return loadFrom(ctx, root, diskSource{root})
}

// LoadFS is LoadWithSources reading the site from fsys instead of a
// folder: a git revision's tree (generator/gitrev), for comparing two
// revisions without writing either to disk. fsys's Stat must not follow
// symbolic links (report them with fs.ModeSymlink); the loader refuses
// every link, and reads files with the same size limits as from disk.
// root is recorded as the site's Root, for messages only.
func LoadFS(ctx context.Context, fsys fs.FS, root string) (*model.Site, Sources, *diag.List, error) {
	return loadFrom(ctx, root, fsSource{fsys})
}

func loadFrom(ctx context.Context, root string, src source) (*model.Site, Sources, *diag.List, error) {
	p, err := newLoader(root, src).parts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return p.site, p.sources, p.Diags(), nil
}

func newLoader(root string, src source) *loader {
	return &loader{root: root, src: src, diags: &diag.List{}, md: markdown.NewParser()}
}

// loader reads one site. Its diags are the problems of what it read
// last: parts gives each file, and the walk of content/, a loader of
// their own (a copy with another list), so that Parts can keep them
// apart.
type loader struct {
	root  string
	src   source
	diags *diag.List
	md    *markdown.Parser
	reg   *schema.Registry
}

// readFile reads a TOML or Markdown file of the site, refusing symbolic
// links that leave it, non-regular files and files over the size limit.
func (l *loader) readFile(rel string) ([]byte, error) {
	return l.src.readFile(rel, sitefs.MaxSourceFile, nil)
}

// readError reports a file the loader may not or cannot read. It returns
// false for errors that are no fault of the file (the caller stops).
func (l *loader) readError(rel string, err error) bool {
	var se *sitefs.Error
	if !errors.As(err, &se) || se.File != rel {
		return false
	}
	code := "read"
	if errors.Is(err, sitefs.ErrTooLarge) {
		code = "too-large"
	}
	l.diags.ErrorHint(diag.Pos{File: rel}, code, se.Hint(), "%s", se.Reason())
	return true
}

// front reads cairn.toml, access.toml, the schemas and the checklist
// templates: what gives every file under content/ its meaning.
func (l *loader) front() (model.Config, model.Access, []*model.Template, error) {
	cfgData, err := l.readFile("cairn.toml")
	if errors.Is(err, fs.ErrNotExist) {
		return model.Config{}, model.Access{}, nil, ErrNotSite
	}
	if err != nil {
		return model.Config{}, model.Access{}, nil, err
	}
	cfg := l.config(cfgData)
	acc := l.access()
	core, err := schema.LoadCore()
	if err != nil {
		return model.Config{}, model.Access{}, nil, err
	}
	flex, err := l.schemas()
	if err != nil {
		return model.Config{}, model.Access{}, nil, err
	}
	l.reg = schema.NewRegistry(core, flex)
	for _, s := range flex {
		for _, p := range l.reg.CheckTargets(s) {
			l.diags.Add(diag.Diagnostic{Pos: diag.Pos{File: s.File, Line: p.Pos.Line, Col: p.Pos.Col}, Code: "schema", Message: p.Msg, Hint: p.Hint})
		}
	}
	templates, err := l.templates()
	if err != nil {
		return model.Config{}, model.Access{}, nil, err
	}
	return cfg, acc, templates, nil
}

func (l *loader) syntaxError(file string, line int, err error) {
	var se *tomldoc.SyntaxError
	if errors.As(err, &se) && se.Hint != "" {
		l.diags.ErrorHint(diag.Pos{File: file, Line: se.Pos.Line + line - 1, Col: se.Pos.Col}, "too-large", se.Hint, "%s", se.Msg)
		return
	}
	if errors.As(err, &se) {
		l.diags.ErrorHint(diag.Pos{File: file, Line: se.Pos.Line + line - 1, Col: se.Pos.Col}, "toml-syntax",
			"fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax", "TOML syntax: %s", se.Msg)
		return
	}
	l.diags.Errorf(diag.Pos{File: file}, "toml-syntax", "%v", err)
}

// decodeFile parses a TOML config file and decodes it into dst, reporting
// every problem. It returns the parsed table, or nil on a syntax error.
func (l *loader) decodeFile(file string, data []byte, dst any) *tomldoc.Table {
	root, err := tomldoc.Parse(data)
	if err != nil {
		l.syntaxError(file, 1, err)
		return nil
	}
	l.decodeErrors(file, 1, tomldoc.Decode(root, dst))
	return root
}

func (l *loader) decodeErrors(file string, line int, errs []tomldoc.DecodeError) {
	for _, e := range errs {
		code := "wrong-type"
		if e.Unknown {
			code = "unknown-field"
		}
		l.diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: e.Pos.Line + line - 1, Col: e.Pos.Col}, Code: code, Message: e.Msg, Hint: e.Hint})
	}
}

func (l *loader) config(data []byte) model.Config {
	cfg := model.Config{Output: "public", ExpiryWindowDays: 30}
	l.decodeFile("cairn.toml", data, &cfg)
	if cfg.Title == "" {
		cfg.Title = "Documentation"
	}
	return cfg
}

func (l *loader) access() model.Access {
	var acc model.Access
	data, err := l.readFile("access.toml")
	if errors.Is(err, fs.ErrNotExist) {
		return acc
	}
	if err != nil {
		if !l.readError("access.toml", err) {
			l.diags.Errorf(diag.Pos{File: "access.toml"}, "read", "cannot read: %v", err)
		}
		return acc
	}
	l.decodeFile("access.toml", data, &acc)
	for name, p := range acc.Portals {
		if p != nil {
			p.Name = name
		}
	}
	return acc
}

func (l *loader) schemas() ([]*schema.Schema, error) {
	entries, err := l.src.readDir("schemas")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if l.readError("schemas", err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading schemas/: %w", err)
	}
	var out []*schema.Schema
	for _, e := range entries {
		name := e.Name()
		if hidden(name) {
			continue
		}
		file := "schemas/" + name
		if e.IsDir() || !strings.HasSuffix(name, ".toml") {
			// cairn's own repository is a site too: its schemas/ also holds
			// the built-in core types (core/) and the Go file that embeds
			// them. Both are documented as ignored.
			if (e.IsDir() && name == "core") || (!e.IsDir() && strings.HasSuffix(name, ".go")) {
				continue
			}
			l.diags.ErrorHint(diag.Pos{File: file}, "stray-file", "schemas/ holds one <type>.toml per flexible asset type", "unexpected %s in schemas/", kindOf(e))
			continue
		}
		data, err := l.readFile(file)
		if err != nil {
			if l.readError(file, err) {
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		slug := strings.TrimSuffix(name, ".toml")
		s, probs := schema.Parse(file, data, slug, false)
		for _, p := range probs {
			l.diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: p.Pos.Line, Col: p.Pos.Col}, Code: "schema", Message: p.Msg, Hint: p.Hint})
		}
		if s != nil && schema.IsSlug(slug) {
			out = append(out, s)
		}
	}
	return out, nil
}

func kindOf(e fs.DirEntry) string {
	if e.IsDir() {
		return "folder " + e.Name()
	}
	return "file " + e.Name()
}

func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")
}

func (l *loader) templates() ([]*model.Template, error) {
	entries, err := l.src.readDir("checklists")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if l.readError("checklists", err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading checklists/: %w", err)
	}
	var out []*model.Template
	for _, e := range entries {
		name := e.Name()
		if hidden(name) {
			continue
		}
		file := "checklists/" + name
		slug := strings.TrimSuffix(name, ".md")
		if e.IsDir() || !strings.HasSuffix(name, ".md") {
			l.diags.ErrorHint(diag.Pos{File: file}, "stray-file", "checklists/ holds one <template>.md per checklist template", "unexpected %s in checklists/", kindOf(e))
			continue
		}
		if !schema.IsSlug(slug) {
			l.badSlug(file, slug)
			continue
		}
		data, err := l.readFile(file)
		if err != nil {
			if l.readError(file, err) {
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		fields, fieldsLine, body, ok := l.markdownFile(file, data)
		t := &model.Template{Slug: slug, File: file, Body: body, Fields: fields, FieldsLine: fieldsLine, Broken: !ok, Digest: model.DigestOf(data)}
		if v := fields.Get("title"); v != nil && v.Kind == tomldoc.KindString {
			t.Title = v.Str
		}
		out = append(out, t)
	}
	return out, nil
}

// markdownFile splits and parses a Markdown file with front matter. On a
// front matter problem it reports it and returns an empty table and
// ok = false, so the file's links are still checked but its values are not.
func (l *loader) markdownFile(file string, data []byte) (fields *tomldoc.Table, fieldsLine int, doc *markdown.Doc, ok bool) {
	front, frontLine, body, bodyLine, err := markdown.SplitFrontMatter(data)
	switch {
	case errors.Is(err, markdown.ErrNoFrontMatter):
		l.diags.ErrorHint(diag.Pos{File: file, Line: 1, Col: 1}, "front-matter", "start the file with:\n    +++\n    title = \"...\"\n    +++", "%v", err)
		frontLine = 1
	case err != nil:
		l.diags.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "front-matter", "%v", err)
		body, bodyLine, frontLine = data, 1, 1
	default:
		fields, err = tomldoc.Parse(front)
		if err != nil {
			l.syntaxError(file, frontLine, err)
			fields = nil
		}
	}
	ok = fields != nil
	if fields == nil {
		fields, _ = tomldoc.Parse(nil)
	}
	return fields, frontLine, l.parseMarkdown(file, body, bodyLine, 1), ok
}

// parseMarkdown parses Markdown that starts at line, col of file and
// reports text that was left unparsed (invalid UTF-8, a limit exceeded).
func (l *loader) parseMarkdown(file string, src []byte, line, col int) *markdown.Doc {
	d := l.md.Parse(src, line, col)
	if e := d.Err; e != nil {
		l.diags.ErrorHint(diag.Pos{File: file, Line: e.Line, Col: e.Col}, "markdown", e.Hint, "%s", e.Msg)
	}
	return d
}

func (l *loader) badSlug(file, slug string) {
	l.diags.ErrorHint(diag.Pos{File: file}, "bad-slug", "rename it: lower-case letters, digits and single hyphens, like "+suggestSlug(slug),
		"%q is not a valid slug", slug)
}

// suggestSlug turns a name into a slug, for hints.
func suggestSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "my-item"
	}
	return b.String()
}

// file is one file under content/ and what it is.
type file struct {
	rel  string // relative to the site root
	kind fileKind
	org  string
	typ  string // type folder
	slug string
}

type fileKind int

const (
	kOrg fileKind = iota
	kItem
	kMarkdown
	kSecrets
	kAttachment
)

// walkPart is the walk of one entry of content/ (an organization's
// folder, or a stray file): its files in walk order, and the problems
// found on the way.
type walkPart struct {
	name  string
	files []file
	diags *diag.List
}

// walkContent lists every file under content/ and classifies it,
// reporting files that are no known kind: one part per entry of content/,
// in name order. An entry that reuse returns is not walked again (Update
// passes the parts of entries where nothing changed). The problems of
// content/ itself go to l.diags.
func (l *loader) walkContent(reuse func(name string) (walkPart, bool)) ([]walkPart, error) {
	if fi, err := l.src.lstat("content"); err == nil && !fi.IsDir() {
		// A walk does not enter a linked folder: without this, a linked
		// content/ would check as "0 errors" and build empty portals.
		what := "is not a folder"
		if fi.Mode()&fs.ModeSymlink != 0 {
			what = "is a symbolic link; symbolic links are not followed in content/"
		}
		l.diags.ErrorHint(diag.Pos{File: "content"}, "read", "make content/ a folder of the site holding one folder per organization", "content/ %s", what)
		return nil, nil
	}
	entries, err := l.src.readDir("content")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading content/: %w", err)
	}
	parts := make([]walkPart, 0, len(entries))
	for _, e := range entries {
		if reuse != nil {
			if p, ok := reuse(e.Name()); ok {
				parts = append(parts, p)
				continue
			}
		}
		wl := *l
		wl.diags = &diag.List{}
		files, err := wl.walkEntry("content/"+e.Name(), e)
		if err != nil {
			return nil, err
		}
		parts = append(parts, walkPart{name: e.Name(), files: files, diags: wl.diags})
	}
	return parts, nil
}

// walkEntry walks one entry of content/ (rel is content/<name>).
func (l *loader) walkEntry(rel string, entry fs.DirEntry) ([]file, error) {
	var files []file
	orgsWithFile := map[string]bool{}
	var orgDirs []string
	fn := func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		relc := strings.TrimPrefix(rel, "content/")
		if hidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		parts := strings.Split(relc, "/")
		if d.Type()&fs.ModeSymlink != 0 {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "replace the link with the file itself", "symbolic links are not followed: they could point outside the site")
			return nil
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "replace it with a regular file", "%s", sitefs.ErrNotRegular)
			return nil
		}
		if d.IsDir() {
			if len(parts) == 1 {
				if !schema.IsSlug(parts[0]) {
					l.badSlug(rel, parts[0])
					return fs.SkipDir
				}
				if why := schema.ReservedOrgSlug(parts[0]); why != "" {
					l.diags.ErrorHint(diag.Pos{File: rel}, "bad-slug", "rename the folder: "+why, "organization slug %q is reserved", parts[0])
					return fs.SkipDir
				}
				orgDirs = append(orgDirs, parts[0])
			}
			return l.checkDir(rel, parts)
		}
		f, ok := l.classify(rel, parts)
		if ok && f.kind == kAttachment {
			if info, err := d.Info(); err == nil && info.Size() > sitefs.MaxAttachment {
				l.diags.ErrorHint(diag.Pos{File: rel}, "too-large", "keep large files elsewhere and link to them, or split the file",
					"attachment is %s; the limit is %s", sitefs.Size(info.Size()), sitefs.Size(sitefs.MaxAttachment))
				return nil
			}
		}
		if ok {
			if f.kind == kOrg {
				orgsWithFile[f.org] = true
			}
			files = append(files, f)
		}
		return nil
	}
	var err error
	if entry.IsDir() {
		err = l.src.walk(rel, fn)
	} else {
		err = fn(rel, entry, nil)
	}
	if err != nil && !errors.Is(err, fs.SkipDir) {
		return nil, fmt.Errorf("reading content/: %w", err)
	}
	for _, o := range orgDirs {
		if !orgsWithFile[o] {
			l.diags.ErrorHint(diag.Pos{File: "content/" + o}, "missing-org", "add content/"+o+"/org.toml with at least name = \"...\" (cairn new org "+o+")", "folder content/%s has no org.toml", o)
		}
	}
	return files, nil
}

// checkDir decides whether to descend into a folder below an org.
func (l *loader) checkDir(rel string, parts []string) error {
	if len(parts) < 2 {
		return nil
	}
	typ := parts[1]
	switch {
	case typ == "files":
		return nil // attachments: any names
	case typ == "documents":
		if len(parts) > 2 && !schema.IsSlug(parts[len(parts)-1]) {
			l.badSlug(rel, parts[len(parts)-1])
			return fs.SkipDir
		}
		return nil
	case typ == "assets":
		if len(parts) == 3 {
			if l.reg.Get("assets/"+parts[2]) == nil {
				hint := "flexible types are defined in schemas/<type>.toml"
				if s := diag.Suggest("assets/"+parts[2], l.flexTypes()); s != "" {
					hint = fmt.Sprintf("did you mean %s? %s", s, hint)
				}
				l.diags.ErrorHint(diag.Pos{File: rel}, "unknown-type", hint, "no flexible asset type %q: there is no schemas/%s.toml", parts[2], parts[2])
				return fs.SkipDir
			}
		}
		if len(parts) > 3 {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "flexible assets live directly in assets/<type>/", "unexpected folder")
			return fs.SkipDir
		}
		return nil
	case len(parts) == 2 && l.reg.Get(typ) != nil:
		return nil
	case len(parts) == 2:
		l.unknownType(rel, typ)
		return fs.SkipDir
	default:
		l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "only documents/ and files/ may have sub-folders", "unexpected folder %s", parts[len(parts)-1])
		return fs.SkipDir
	}
}

func (l *loader) flexTypes() []string {
	var out []string
	for _, t := range l.reg.Types() {
		if strings.HasPrefix(t, "assets/") {
			out = append(out, t)
		}
	}
	return out
}

func (l *loader) unknownType(rel, typ string) {
	types := append(l.reg.Types(), "assets", "files")
	hint := "type folders: " + strings.Join(schema.CoreTypes, ", ") + ", assets/<type>, files"
	if s := diag.Suggest(typ, types); s != "" {
		hint = fmt.Sprintf("did you mean %s/? %s", s, hint)
	}
	l.diags.ErrorHint(diag.Pos{File: rel}, "unknown-type", hint, "%q is not a known type folder", typ)
}

// classify decides what a file under content/ is.
func (l *loader) classify(rel string, parts []string) (file, bool) {
	org := parts[0]
	name := parts[len(parts)-1]
	if len(parts) == 1 {
		l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "content/ holds one folder per organization", "unexpected file in content/")
		return file{}, false
	}
	if len(parts) == 2 {
		if name == "org.toml" {
			return file{rel: rel, kind: kOrg, org: org}, true
		}
		l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "an organization folder holds org.toml and type folders", "unexpected file %s", name)
		return file{}, false
	}
	typ := parts[1]
	switch typ {
	case "files":
		return file{rel: rel, kind: kAttachment, org: org}, true
	case "documents":
		slug := strings.Join(parts[2:], "/")
		if !strings.HasSuffix(name, ".md") {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "put attachments in content/"+org+"/files/ and link them", "documents/ holds Markdown (.md) files only")
			return file{}, false
		}
		base := strings.TrimSuffix(name, ".md")
		if !schema.IsSlug(base) {
			l.badSlug(rel, base)
			return file{}, false
		}
		slug = strings.TrimSuffix(slug, ".md")
		if base == "index" {
			slug = strings.TrimSuffix(strings.TrimSuffix(slug, "index"), "/")
			if slug == "" {
				slug = "index"
			}
		}
		return file{rel: rel, kind: kMarkdown, org: org, typ: "documents", slug: slug}, true
	case "checklists":
		if len(parts) != 3 || !strings.HasSuffix(name, ".md") {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "checklists/ holds one <slug>.md per checklist", "unexpected file in checklists/")
			return file{}, false
		}
		base := strings.TrimSuffix(name, ".md")
		if !schema.IsSlug(base) {
			l.badSlug(rel, base)
			return file{}, false
		}
		return file{rel: rel, kind: kMarkdown, org: org, typ: "checklists", slug: base}, true
	}
	if typ == "assets" {
		if len(parts) != 4 {
			l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "flexible assets live in assets/<type>/<slug>.toml", "unexpected file in assets/")
			return file{}, false
		}
		typ = "assets/" + parts[2]
	}
	var base string
	kind := kItem
	switch {
	case strings.HasSuffix(name, ".sops.yaml"):
		base, kind = strings.TrimSuffix(name, ".sops.yaml"), kSecrets
	case strings.HasSuffix(name, ".toml"):
		base = strings.TrimSuffix(name, ".toml")
	default:
		l.diags.ErrorHint(diag.Pos{File: rel}, "stray-file", "items are <slug>.toml, their secrets <slug>.sops.yaml; attachments go in files/", "unexpected file %s in %s/", name, typ)
		return file{}, false
	}
	if !schema.IsSlug(base) {
		l.badSlug(rel, base)
		return file{}, false
	}
	return file{rel: rel, kind: kind, org: org, typ: typ, slug: base}, true
}

type result struct {
	org    *model.Org
	item   *model.Item
	source []byte            // an item file's bytes
	diags  []diag.Diagnostic // the file's problems, sorted; nil for none
	// owned is set when the org or item was made for the Parts being
	// assembled, not shared with an earlier one: assemble may set its
	// fields.
	owned bool
}

// parseAll parses the org and item files among files[i] for i in idx
// (every file when idx is nil) with one worker per CPU, into results
// (indexed like files), so that the outcome does not depend on
// scheduling.
func (l *loader) parseAll(ctx context.Context, files []file, idx []int, results []result) error {
	n := len(files)
	if idx != nil {
		n = len(idx)
	}
	var next atomic.Int64 // the index of the next file to parse
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte // reused for every read of this worker
			for {
				j := int(next.Add(1)) - 1
				if j >= n || ctx.Err() != nil {
					return
				}
				i := j
				if idx != nil {
					i = idx[j]
				}
				if files[i].kind == kAttachment || files[i].kind == kSecrets {
					continue
				}
				r, err := l.parseFile(files[i], &buf)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					continue
				}
				results[i] = r
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return firstErr
}

// assembly is a site's organizations, items and attachments put together
// from its parsed files, with the problems that only show across files.
type assembly struct {
	orgs        []*model.Org
	items       []*model.Item
	attachments []string
	sources     Sources
	diags       *diag.List
}

// assemble puts parsed files together in file order: the first item of
// an id wins (later ones are duplicate-id errors), secrets files are
// attached to their items or reported as orphans. An item whose secrets
// file changed and that is not owned is copied, never modified: an
// earlier Parts may be in use.
func assemble(files []file, results []result) assembly {
	a := assembly{sources: Sources{}, diags: &diag.List{}}
	byID := map[string]int{} // id -> index in files of the item that has it
	for i, f := range files {
		switch f.kind {
		case kAttachment:
			a.attachments = append(a.attachments, strings.TrimPrefix(f.rel, "content/"))
		case kOrg:
			if results[i].org != nil {
				a.orgs = append(a.orgs, results[i].org)
			}
		case kItem, kMarkdown:
			it := results[i].item
			if it == nil {
				continue
			}
			if results[i].source != nil {
				a.sources[it.File] = results[i].source
			}
			if prev, ok := byID[it.ID]; ok {
				a.diags.ErrorHint(diag.Pos{File: it.File, Line: 1, Col: 1}, "duplicate-id",
					"rename or merge one of them", "duplicate id %s: %s has the same id", it.ID, results[prev].item.File)
				continue
			}
			byID[it.ID] = i
		}
	}
	// Secrets files: attach to their item, or report them as orphans.
	secrets := map[int]string{}
	for _, f := range files {
		if f.kind != kSecrets {
			continue
		}
		id := f.org + "/" + f.typ + "/" + f.slug
		i, ok := byID[id]
		if !ok {
			a.diags.ErrorHint(diag.Pos{File: f.rel}, "orphan-secrets", "create "+path.Join(path.Dir(f.rel), f.slug+".toml")+" or delete the secrets file",
				"secrets file has no item: there is no %s.toml beside it", f.slug)
			continue
		}
		secrets[i] = f.rel
	}
	for i, f := range files {
		if (f.kind != kItem && f.kind != kMarkdown) || results[i].item == nil {
			continue
		}
		it := results[i].item
		if j, ok := byID[it.ID]; !ok || j != i {
			continue
		}
		if want := secrets[i]; it.Secrets != want {
			if !results[i].owned {
				c := *it
				it = &c
				results[i].item, results[i].owned = it, true
			}
			it.Secrets = want
		}
		a.items = append(a.items, it)
	}
	sort.Strings(a.attachments)
	return a
}

// parseFile reads and parses one org or item file, with a loader of its
// own whose diagnostics the result keeps.
func (l *loader) parseFile(f file, buf *[]byte) (result, error) {
	fl := *l
	fl.diags = &diag.List{}
	r := result{owned: true}
	data, err := fl.src.readFile(f.rel, sitefs.MaxSourceFile, buf)
	switch {
	case err != nil && !fl.readError(f.rel, err):
		return result{}, fmt.Errorf("reading %s: %w", f.rel, err)
	case err != nil:
	case f.kind == kOrg:
		r.org = fl.org(f, data)
	default:
		r.item, r.source = fl.item(f, data), data
	}
	r.diags = fl.diags.Sorted()
	return r, nil
}

func (l *loader) org(f file, data []byte) *model.Org {
	o := &model.Org{Slug: f.org, File: f.rel}
	root := l.decodeFile(f.rel, data, o)
	if root == nil {
		root, _ = tomldoc.Parse(nil)
		o.Broken = true
	}
	o.Slug, o.File, o.Fields, o.Digest = f.org, f.rel, root, model.DigestOf(data)
	if v := root.Get("quick_notes"); v != nil && v.Kind == tomldoc.KindString {
		o.Notes = l.parseMarkdown(f.rel, []byte(v.Str), v.StrPos.Line, v.StrPos.Col)
	}
	return o
}

func (l *loader) item(f file, data []byte) *model.Item {
	it := &model.Item{
		ID:     f.org + "/" + f.typ + "/" + f.slug,
		Org:    f.org,
		Type:   f.typ,
		Slug:   f.slug,
		File:   f.rel,
		Schema: l.reg.Get(f.typ),
		Digest: model.DigestOf(data),
	}
	it.FieldsLine = 1
	if f.kind == kMarkdown {
		var ok bool
		it.Fields, it.FieldsLine, it.Body, ok = l.markdownFile(f.rel, data)
		it.Tasks = it.Body.Tasks
		it.Broken = !ok
	} else {
		root, err := tomldoc.Parse(data)
		if err != nil {
			l.syntaxError(f.rel, 1, err)
			root, _ = tomldoc.Parse(nil)
			it.Broken = true
		}
		it.Fields = root
	}
	l.fillReserved(it)
	return it
}

// fillReserved sets the item's title and reserved-key fields from its
// values, leaving type errors to the checker.
func (l *loader) fillReserved(it *model.Item) {
	t := it.Fields
	str := func(key string) string {
		if v := t.Get(key); v != nil && v.Kind == tomldoc.KindString {
			return v.Str
		}
		return ""
	}
	var parts []string
	if it.Schema != nil {
		for _, f := range it.Schema.TitleFields() {
			if s := str(f.Name); s != "" {
				parts = append(parts, s)
			}
		}
	}
	it.Title = strings.Join(parts, " ")
	if it.Title == "" {
		it.Title = str("name")
	}
	if it.Title == "" {
		it.Title = it.Slug
	}
	if v := t.Get("archived"); v != nil && v.Kind == tomldoc.KindBool {
		it.Archived = v.Bool
	}
	it.ManagedBy = str("managed_by")
	if v := t.Get("access"); v != nil {
		// Present but naming no group (access = [], or a value of the
		// wrong kind, both errors in check) must hide the item, not show
		// it to everyone: keep Access non-nil.
		it.Access = []string{}
		if v.Kind == tomldoc.KindArray {
			for _, e := range v.Array {
				if e.Kind == tomldoc.KindString {
					it.Access = append(it.Access, e.Str)
				}
			}
		}
	}
	if v := t.Get("notes"); v != nil && v.Kind == tomldoc.KindString {
		line, col := v.StrPos.Line+it.FieldsLine-1, v.StrPos.Col
		it.Notes = l.parseMarkdown(it.File, []byte(v.Str), line, col)
	}
}
