package itglue

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2/converter"

	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/secrets"
)

// Options say where an export goes and how.
type Options struct {
	// Site is the site's folder (it must already be a site: cairn init).
	Site string
	// Recipients are age public keys the secrets are encrypted to; they
	// are added to the site's .sops.yaml. None: .sops.yaml's rules.
	Recipients []string
	// DryRun plans and reports, and writes nothing.
	DryRun bool
	// Keys, when available, let a second import compare the secrets it
	// would write with those in the site; without them an existing secrets
	// file is kept as it is.
	Keys *secrets.Keys
	// Now stamps secrets files (SOPS lastmodified); nil for time.Now.
	Now func() time.Time

	// maxAttachment bounds a copied file; 0 for MaxAttachment (tests set
	// it lower).
	maxAttachment int64
}

// The core CSV files of an export, by type folder.
var coreFiles = map[string]string{
	"organizations.csv":    "organizations",
	"locations.csv":        "locations",
	"contacts.csv":         "contacts",
	"configurations.csv":   "configurations",
	"passwords.csv":        "passwords",
	"domains.csv":          "domains",
	"ssl-certificates.csv": "ssl-certificates",
	"ssl_certificates.csv": "ssl-certificates",
	"documents.csv":        "documents",
}

// importer holds one import's state. It is used once.
type importer struct {
	ctx  context.Context
	exp  *Export
	opts Options
	rep  *Report
	conv *htmltomarkdown.Converter
	core map[string]*schema.Schema

	// the site as it is
	orgImport  map[string]string // import_id -> org slug
	itemImport map[string]string // import_id -> item file
	siteOrgs   map[string]bool   // org slugs in the site
	// pwTitles are the password titles taken per org slug (titleKey):
	// first those of hand-made passwords, then the imported ones.
	pwTitles map[string]map[string]bool

	tables   map[string]*table // core type -> table
	orgs     []*org
	orgByKey map[string]*org // lower-case name -> org
	items    []*item
	byID     map[string]*item // itgType/id -> item
	flex     []*flexType
	embeds   []embedded
	docFiles map[string]string // HTML file -> document id
	sluggers map[string]*slugger

	outs map[string]*output
	// sopsChanged: recipients were added to .sops.yaml.
	sopsChanged bool
}

// Import reads the export exp and writes it into the site (or, with
// DryRun, only reports what it would write). The returned report is
// complete when err is nil; err names the file and what to do.
func Import(ctx context.Context, exp *Export, opts Options) (*Report, error) {
	im := &importer{
		ctx: ctx, exp: exp, opts: opts, rep: newReport(), conv: newConverter(),
		core: map[string]*schema.Schema{}, orgImport: map[string]string{}, itemImport: map[string]string{},
		siteOrgs: map[string]bool{}, pwTitles: map[string]map[string]bool{}, tables: map[string]*table{}, orgByKey: map[string]*org{},
		byID: map[string]*item{}, sluggers: map[string]*slugger{}, outs: map[string]*output{},
	}
	im.rep.Export, im.rep.Site, im.rep.DryRun = exp.Name, opts.Site, opts.DryRun
	if im.opts.maxAttachment == 0 {
		im.opts.maxAttachment = MaxAttachment
	}
	im.rep.Skipped = append(im.rep.Skipped, exp.skipped...)
	cs, err := schema.LoadCore()
	if err != nil {
		return nil, err
	}
	for _, s := range cs {
		im.core[s.Slug] = s
	}
	steps := []func() error{im.scanSite, im.readTables, im.readOrgs, im.readItems, im.readDocuments,
		im.readPasswords, im.index, im.inferFlexible, im.parseSchemas, im.allocate, im.mapItems,
		im.mapPasswords, im.mapDocuments, im.mapAttachments, im.render}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(); err != nil {
			return nil, err
		}
	}
	if err := im.apply(); err != nil {
		return nil, err
	}
	im.rep.sort()
	return im.rep, nil
}

// scanSite reads what the site holds: organizations and items with an
// import_id, so that an import merges into them.
func (im *importer) scanSite() error {
	if _, err := os.Stat(path.Join(im.opts.Site, "cairn.toml")); err != nil {
		return fmt.Errorf("%s is not a cairn site (no cairn.toml): run cairn init %s first, or give the site with --into", im.opts.Site, im.opts.Site)
	}
	site, _, err := load.Load(im.ctx, im.opts.Site)
	if err != nil {
		return fmt.Errorf("reading the site: %w", err)
	}
	for _, o := range site.Orgs {
		im.siteOrgs[o.Slug] = true
		if o.ImportID != "" {
			im.orgImport[o.ImportID] = o.Slug
		}
	}
	for _, it := range site.Items {
		if it.Fields == nil {
			continue
		}
		if v := it.Fields.Get("import_id"); v != nil && v.Str != "" {
			im.itemImport[v.Str] = it.File
		} else if it.Type == "passwords" && !it.Archived {
			im.takeTitle(it.Org, it.Title)
		}
	}
	return nil
}

// readTables parses every top-level CSV: the core files by name, any other
// as a flexible asset type named by its slug.
func (im *importer) readTables() error {
	for _, n := range im.exp.Names() {
		if !strings.EqualFold(path.Ext(n), ".csv") {
			continue
		}
		if strings.Contains(n, "/") {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "a CSV file in a folder: the export keeps its CSV files at the top; not read"})
			continue
		}
		data, err := im.exp.ReadFile(n, MaxTextFile)
		if err != nil {
			return err
		}
		t, enc, err := parseCSV(n, data)
		if err != nil {
			return err
		}
		if enc != "" {
			im.rep.Warnings = append(im.rep.Warnings, Note{File: n, Message: "not valid UTF-8: read as " + enc + " (what Excel on Windows saves); check its accented letters"})
		}
		im.rep.Read[n] = len(t.rows)
		lower := strings.ToLower(n)
		if typ, ok := coreFiles[lower]; ok {
			if im.tables[typ] != nil {
				im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "a second file for " + typ + "; not read"})
				continue
			}
			im.tables[typ] = t
			continue
		}
		if len(t.header) == 0 {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "empty: no columns, so no type to make"})
			continue
		}
		slug := slugify(strings.TrimSuffix(n, path.Ext(n)), "")
		if slug == "" || schema.IsReserved(slug) || isCoreType(slug) {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "not a file of an IT Glue export, nor named as a flexible asset type; not read"})
			continue
		}
		for _, f := range im.flex {
			if f.slug == slug {
				im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "names the same type as " + f.file + "; not read"})
				slug = ""
			}
		}
		if slug != "" {
			f := &flexType{slug: slug, file: n, t: t, titleCol: -1}
			im.flexTarget(f)
			im.flex = append(im.flex, f)
		}
	}
	return nil
}

func isCoreType(s string) bool {
	for _, c := range schema.CoreTypes {
		if c == s {
			return true
		}
	}
	return false
}

func orgKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// readOrgs makes the organizations of organizations.csv.
func (im *importer) readOrgs() error {
	t := im.tables["organizations"]
	if t == nil {
		return nil
	}
	rows := append([]row(nil), t.rows...)
	sort.SliceStable(rows, func(i, j int) bool { return numericLess(rows[i].get("id"), rows[j].get("id")) })
	for i := range rows {
		r := rows[i]
		name := r.get("name", "organization_name")
		if name == "" {
			im.rep.Skipped = append(im.rep.Skipped, note(r, "an organization with no name; not imported"))
			continue
		}
		k := orgKey(name)
		if prev := im.orgByKey[k]; prev != nil {
			im.rep.Ambiguous = append(im.rep.Ambiguous, note(r, fmt.Sprintf("a second organization named %q: rows of other files naming it go to the first (id %s)", name, prev.id)))
		}
		o := &org{id: r.get("id"), name: name, row: &r, items: map[string]map[string][]*item{}}
		if o.id == "" {
			o.id = "name:" + slugify(name, "org")
		}
		im.orgs = append(im.orgs, o)
		if im.orgByKey[k] == nil {
			im.orgByKey[k] = o
		}
	}
	return nil
}

func note(r row, msg string) Note { n := r.where(); n.Message = msg; return n }

// orgOf returns the organization a row names, making one when the export
// names an organization organizations.csv lacks.
func (im *importer) orgOf(r row) *org {
	name := r.get("organization", "organization_name")
	if name == "" {
		return nil
	}
	if o := im.orgByKey[orgKey(name)]; o != nil {
		return o
	}
	o := &org{id: "name:" + slugify(name, "org"), name: name, items: map[string]map[string][]*item{}}
	im.orgs = append(im.orgs, o)
	im.orgByKey[orgKey(name)] = o
	im.rep.Warnings = append(im.rep.Warnings, note(r, fmt.Sprintf("organization %q is not in organizations.csv: made from its name", name)))
	return o
}

// newItem adds an item of a row, or reports why it is skipped.
func (im *importer) newItem(typ, itgType string, r row, name string) *item {
	o := im.orgOf(r)
	if o == nil {
		im.rep.Skipped = append(im.rep.Skipped, note(r, "no organization named; not imported"))
		return nil
	}
	id := r.get("id")
	if id == "" {
		id = fmt.Sprintf("row-%d", r.line)
		im.rep.Warnings = append(im.rep.Warnings, note(r, "no id: the item is matched by its row on a later import"))
	}
	key := itgType + "/" + id
	if im.byID[key] != nil {
		im.rep.Skipped = append(im.rep.Skipped, note(r, "id "+id+" appears twice in the file; the first row is kept"))
		return nil
	}
	arch, _ := parseBool(r.get("archived"))
	it := &item{typ: typ, itgType: itgType, id: id, name: strings.TrimSpace(name), org: o, row: r, archived: arch}
	im.byID[key] = it
	im.items = append(im.items, it)
	return it
}

// readItems makes the items of the core and flexible CSV files (their
// names first: tags resolve against them).
func (im *importer) readItems() error {
	for _, typ := range []string{"locations", "contacts", "configurations", "domains", "ssl-certificates"} {
		t := im.tables[typ]
		if t == nil {
			continue
		}
		for _, r := range t.rows {
			name := r.get("name", "common_name")
			if typ == "contacts" {
				name = strings.TrimSpace(r.get("first_name") + " " + r.get("last_name"))
				if name == "" {
					name = r.get("name")
				}
			}
			im.newItem(typ, typ, r, name)
		}
	}
	for _, f := range im.flex {
		f.titleCol = f.t.col("name", "title")
		for i, h := range f.t.header {
			if f.titleCol >= 0 {
				break
			}
			if !metaColumn(h) {
				f.titleCol = i
			}
		}
		for _, r := range f.t.rows {
			im.newItem("assets/"+f.slug, "flexible-assets", r, r.at(f.titleCol))
		}
	}
	return nil
}

// metaColumn reports whether a flexible CSV column describes the row rather
// than being one of the type's fields.
func metaColumn(h string) bool {
	switch h {
	case "id", "organization", "organization_name", "organization_id", "archived", "flexible_asset_type", "flexible_asset_type_name":
		return true
	}
	return false
}

// folderSlugger returns the slugger of one folder of the site, knowing the
// names already there (files without extension, folders).
func (im *importer) folderSlugger(dir string) *slugger {
	if s := im.sluggers[dir]; s != nil {
		return s
	}
	s := newSlugger()
	if entries, err := os.ReadDir(path.Join(im.opts.Site, dir)); err == nil {
		for _, e := range entries {
			n := e.Name()
			for _, ext := range []string{".sops.yaml", ".toml", ".md"} {
				n = strings.TrimSuffix(n, ext)
			}
			s.take(n)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		s.take("") // unreadable: still hand out slugs; writing reports the error
	}
	im.sluggers[dir] = s
	return s
}

// allocate gives every organization and item its slug: the one it has in
// the site when its import_id is there, else a new one from its name.
func (im *importer) allocate() error {
	orgs := append([]*org(nil), im.orgs...)
	sort.SliceStable(orgs, func(i, j int) bool {
		si, sj := slugify(orgs[i].name, "org"), slugify(orgs[j].name, "org")
		if si != sj {
			return si < sj
		}
		return numericLess(orgs[i].id, orgs[j].id)
	})
	taken := newSlugger()
	for s := range im.siteOrgs {
		taken.take(s)
	}
	// Anything else in content/ (a file, a link) is not a place for a new
	// organization either.
	for s := range im.folderSlugger("content").taken {
		taken.take(s)
	}
	for _, o := range orgs {
		if s, ok := im.orgImport["itglue/organizations/"+o.id]; ok {
			o.slug = s
			continue
		}
	}
	for _, o := range orgs {
		if o.slug != "" {
			continue
		}
		base := slugify(o.name, "org")
		if schema.ReservedOrgSlug(base) != "" {
			base += "-org"
		}
		o.slug = taken.next(base)
	}
	// items: merge by import_id first, then new slugs per folder.
	var fresh []*item
	for _, it := range im.items {
		if f, ok := im.itemImport[it.importID()]; ok && strings.HasPrefix(f, "content/"+it.org.slug+"/"+it.typ+"/") {
			rest := strings.TrimPrefix(f, "content/"+it.org.slug+"/"+it.typ+"/")
			it.slug = strings.TrimSuffix(strings.TrimSuffix(rest, ".toml"), ".md")
			if it.typ == "documents" {
				it.folders = nil
			}
			im.folderSlugger(path.Dir(it.rel())).take(path.Base(it.slug))
			continue
		}
		fresh = append(fresh, it)
	}
	sortItems(fresh, func(it *item) string {
		return it.org.slug + "/" + it.typ + "/" + strings.Join(it.folders, "/") + "/" + slugify(it.name, "item")
	})
	for _, it := range fresh {
		dir := "content/" + it.org.slug + "/" + it.typ
		prefix := ""
		if len(it.folders) > 0 {
			prefix = strings.Join(it.folders, "/") + "/"
			dir += "/" + strings.Join(it.folders, "/")
		}
		base := slugify(it.name, strings.TrimSuffix(path.Base(it.typ), "s"))
		if it.typ == "documents" && base == "index" {
			base = "index-doc"
		}
		it.slug = prefix + im.folderSlugger(dir).next(base)
	}
	return nil
}

// index files every item under its organization, type and name, for tags.
func (im *importer) index() error {
	for _, it := range im.items {
		m := it.org.items[it.typ]
		if m == nil {
			m = map[string][]*item{}
			it.org.items[it.typ] = m
		}
		k := orgKey(it.name)
		m[k] = append(m[k], it)
	}
	return nil
}

// lookup resolves a name to the items of one organization and type.
func (o *org) lookup(typ, name string) []*item { return o.items[typ][orgKey(name)] }

// typesNamed returns the type folders of an organization that hold an
// item named name.
func (o *org) typesNamed(name string) []string {
	var out []string
	k := orgKey(name)
	for typ, m := range o.items {
		if len(m[k]) > 0 {
			out = append(out, typ)
		}
	}
	sort.Strings(out)
	return out
}
