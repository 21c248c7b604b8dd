// Package export writes a site's data out for other tools: one CSV (with a
// header of field names) or JSON file per type, the Markdown files of
// documents and checklists, the attachments, and, only when asked and only
// age-encrypted, the secrets. The output is deterministic (same site, same
// bytes; the encrypted secrets file excepted) and reads back, through
// ReadCSV and ReadJSON, to the data of the model (Plain).
package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// Formats are the table formats an export writes.
var Formats = []string{"csv", "json"}

// SecretsFile is the name of the encrypted secrets in an export.
const SecretsFile = "secrets.json.age"

// Fixed columns that begin every type's CSV, before the item's keys.
var fixedColumns = []string{"id", "org", "file"}

// SecretSource gives the decrypted secret values of an item (its
// password-kind fields); secrets.Store is one.
type SecretSource interface {
	Secrets(ctx context.Context, it *model.Item) (map[string]string, error)
}

// EncryptFunc encrypts plaintext to recipients; secrets.EncryptTo is one.
type EncryptFunc func(recipients []string, plain []byte) ([]byte, error)

// Scope limits an export to what one audience may see; access.View is
// one. A nil Scope exports everything.
type Scope interface {
	CanSee(id string) bool
	CanSeeOrg(slug string) bool
	CanSeeFile(path string) bool
}

// Options say what to export.
type Options struct {
	// Scope, when set, leaves out every item, organization and attachment
	// it does not see.
	Scope Scope
	// Org is one organization's slug, "" for every organization.
	Org string
	// Type is one type folder ("configurations", "assets/backup" or
	// "backup", "documents"), "" for every type.
	Type string
	// Format is "csv" or "json".
	Format string
	// Secrets, Encrypt and Recipients are all set to export secrets, which
	// are then written only as SecretsFile, encrypted to Recipients; with
	// Secrets nil no secret value is read.
	Secrets    SecretSource
	Encrypt    EncryptFunc
	Recipients []string
}

// Sink receives the files of an export, each once, in name order. Names
// are slash-separated and relative ("configurations.csv",
// "content/acme/files/lan.pdf").
type Sink interface {
	Add(name string, data []byte) error
}

// OptionError is an export asked for what the site does not have (an
// organization, a type) or in a way it cannot be done.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

func optionError(format string, args ...any) error {
	return &OptionError{Msg: fmt.Sprintf(format, args...)}
}

// Summary counts what an export wrote.
type Summary struct {
	Items, Types, Markdown, Attachments, Secrets int
}

// Export writes the export of s to out.
func Export(ctx context.Context, s *model.Site, opts Options, out Sink) (Summary, error) {
	var sum Summary
	if opts.Format != "csv" && opts.Format != "json" {
		return sum, optionError("format %q: want csv or json", opts.Format)
	}
	if opts.Org != "" && (s.Org(opts.Org) == nil || (opts.Scope != nil && !opts.Scope.CanSeeOrg(opts.Org))) {
		return sum, optionError("no organization %q", opts.Org)
	}
	if opts.Secrets != nil && (opts.Encrypt == nil || len(opts.Recipients) == 0) {
		return sum, optionError("secrets are exported only encrypted: give a recipient (age1...)")
	}
	typ, err := typeOf(s, opts.Type)
	if err != nil {
		return sum, err
	}
	// Tables are made here; Markdown files and attachments are read one
	// at a time as they are written, so an export holds one of them in
	// memory at once.
	files := map[string]func() ([]byte, error){}
	bytesOf := func(b []byte) func() ([]byte, error) { return func() ([]byte, error) { return b, nil } }
	byType := map[string][]*model.Item{}
	var types []string
	for _, it := range s.Items {
		if (opts.Org != "" && it.Org != opts.Org) || (typ != "" && it.Type != typ) || (opts.Scope != nil && !opts.Scope.CanSee(it.ID)) {
			continue
		}
		if byType[it.Type] == nil {
			types = append(types, it.Type)
		}
		byType[it.Type] = append(byType[it.Type], it)
		sum.Items++
	}
	sort.Strings(types)
	h := newHider(s, opts.Scope)
	for _, t := range types {
		items := byType[t]
		var data []byte
		if opts.Format == "csv" {
			data, err = typeCSV(s.Schemas.Get(t), items, h)
		} else {
			data, err = typeJSON(items, h)
		}
		if err != nil {
			return sum, fmt.Errorf("exporting %s: %w", t, err)
		}
		files[Name(t, opts.Format)] = bytesOf(data)
		sum.Types++
		for _, it := range items {
			if !it.IsMarkdown() {
				continue
			}
			files[it.File] = func() ([]byte, error) {
				b, err := sitefs.ReadFile(s.Root, it.File, sitefs.MaxSourceFile)
				if err != nil {
					return nil, fmt.Errorf("exporting %s: %w", it.ID, err)
				}
				return h.markdown(it, b), nil
			}
			sum.Markdown++
		}
	}
	// Checklist templates belong to no organization: a whole-site export
	// (of everything, or of checklists) carries them, as they are.
	if opts.Org == "" && opts.Scope == nil && (typ == "" || typ == "checklists") {
		for _, t := range s.Templates {
			files[t.File] = func() ([]byte, error) {
				b, err := sitefs.ReadFile(s.Root, t.File, sitefs.MaxSourceFile)
				if err != nil {
					return nil, fmt.Errorf("exporting template %s: %w", t.File, err)
				}
				return b, nil
			}
			sum.Markdown++
		}
	}
	if typ == "" {
		data, err := orgTable(s, opts.Org, opts.Scope, opts.Format, h)
		if err != nil {
			return sum, fmt.Errorf("exporting organizations: %w", err)
		}
		files["organizations."+opts.Format] = bytesOf(data)
	}
	for _, f := range attachments(s, opts.Org, typ, opts.Scope, byType) {
		files["content/"+f] = func() ([]byte, error) {
			b, err := sitefs.ReadFile(s.Root, "content/"+f, sitefs.MaxAttachment)
			if err != nil {
				return nil, fmt.Errorf("exporting attachment content/%s: %w", f, err)
			}
			return b, nil
		}
		sum.Attachments++
	}
	if opts.Secrets != nil {
		n, data, err := secretsFile(ctx, opts, types, byType)
		if err != nil {
			return sum, err
		}
		if n > 0 {
			files[SecretsFile] = bytesOf(data)
			sum.Secrets = n
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		data, err := files[n]()
		if err != nil {
			return sum, err
		}
		if err := out.Add(n, data); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// typeOf finds the type folder named by t: a type the site has, or a
// flexible type's slug without "assets/".
func typeOf(s *model.Site, t string) (string, error) {
	if t == "" {
		return "", nil
	}
	if s.Schemas.Get(t) != nil {
		return t, nil
	}
	if s.Schemas.Get("assets/"+t) != nil {
		return "assets/" + t, nil
	}
	return "", optionError("unknown type %q; types: %s", t, strings.Join(s.Schemas.Types(), ", "))
}

// attachments are the files under content/<org>/files/ of the exported
// organizations, or, for one type, those its items link to or upload;
// only those scope sees when it is set.
func attachments(s *model.Site, org, typ string, scope Scope, byType map[string][]*model.Item) []string {
	set := map[string]bool{}
	add := func(f string) {
		if scope == nil || scope.CanSeeFile(f) {
			set[f] = true
		}
	}
	if typ == "" {
		for _, f := range s.Files {
			if org == "" || strings.HasPrefix(f, org+"/") {
				add(f)
			}
		}
	} else {
		for _, it := range byType[typ] {
			for _, f := range s.Graph.Files(it.ID) {
				add(f)
			}
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// columns returns the keys of a type's CSV after the fixed ones: the
// schema's fields in order (headers and password fields have no value in
// the item), then every other key an item sets, sorted.
func columns(sc *schema.Schema, items []*model.Item) []string {
	seen := map[string]bool{}
	var cols []string
	if sc != nil {
		for _, f := range sc.Fields {
			if f.Kind == schema.Header || f.Kind == schema.Password || seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			cols = append(cols, f.Name)
		}
	}
	var extra []string
	for _, it := range items {
		for _, k := range it.Fields.Keys() {
			if !seen[k] {
				seen[k] = true
				extra = append(extra, k)
			}
		}
	}
	sort.Strings(extra)
	return append(cols, extra...)
}

func typeCSV(sc *schema.Schema, items []*model.Item, h *hider) ([]byte, error) {
	cols := columns(sc, items)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(append(append([]string{}, fixedColumns...), cols...)); err != nil {
		return nil, err
	}
	for _, it := range items {
		row := []string{it.ID, it.Org, it.File}
		for _, c := range cols {
			v := it.Value(c)
			if v == nil {
				row = append(row, "")
				continue
			}
			k, multiple := kindOf(sc, c)
			text, err := cell(h.cell(it, Plain(v)), k, multiple)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", it.File, c, err)
			}
			row = append(row, text)
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// Record is one item in a JSON export.
type Record struct {
	ID     string         `json:"id"`
	Org    string         `json:"org"`
	File   string         `json:"file"`
	Fields map[string]any `json:"fields"`
}

func typeJSON(items []*model.Item, h *hider) ([]byte, error) {
	recs := make([]Record, 0, len(items))
	for _, it := range items {
		recs = append(recs, Record{ID: it.ID, Org: it.Org, File: it.File, Fields: h.table(it.ID, it.Org, PlainTable(it.Fields))})
	}
	return marshal(recs)
}

// marshal writes indented JSON with a final newline; map keys are sorted
// by encoding/json, so the bytes depend on the data only.
func marshal(v any) ([]byte, error) { return jsonText(v, "  ") }

// jsonText writes v as JSON ending in a newline, indented by indent ("" for
// one line), with &, < and > as they are (not \u0026: an export is read
// by people and scripts, not embedded in HTML).
func jsonText(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// orgColumns are the columns of organizations.csv: every key org.toml
// may set (model.Org).
var orgColumns = []string{"slug", "name", "kind", "status", "shared", "short_name", "description", "quick_notes", "alerts", "import_id", "suppress"}

// orgRecord is an organization as export data, by orgColumns.
func orgRecord(o *model.Org) map[string]any {
	m := map[string]any{"slug": o.Slug}
	for k, v := range PlainTable(o.Fields) {
		m[k] = v
	}
	return m
}

func orgTable(s *model.Site, org string, scope Scope, format string, h *hider) ([]byte, error) {
	var recs []map[string]any
	for _, o := range s.Orgs {
		if (org == "" || o.Slug == org) && (scope == nil || scope.CanSeeOrg(o.Slug)) {
			recs = append(recs, h.table(o.Slug, o.Slug, orgRecord(o)))
		}
	}
	if format == "json" {
		return marshal(recs)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(orgColumns); err != nil {
		return nil, err
	}
	for _, r := range recs {
		row := make([]string, len(orgColumns))
		for i, c := range orgColumns {
			if v, ok := r[c]; ok {
				k := orgKinds[c]
				text, err := cell(v, k, false)
				if err != nil {
					return nil, err
				}
				row[i] = text
			}
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// orgKinds are how organizations.csv's cells read back.
var orgKinds = map[string]cellKind{"shared": cellBool, "alerts": cellJSON, "suppress": cellJSON}

// secretsFile reads the secrets of the exported items and encrypts them
// as one JSON object: item id → field → value. The plaintext exists only
// in memory, and only for the call.
func secretsFile(ctx context.Context, opts Options, types []string, byType map[string][]*model.Item) (int, []byte, error) {
	all := map[string]map[string]string{}
	n := 0
	for _, t := range types {
		for _, it := range byType[t] {
			if it.Secrets == "" {
				continue
			}
			vals, err := opts.Secrets.Secrets(ctx, it)
			if err != nil {
				return 0, nil, fmt.Errorf("exporting the secrets of %s: %w", it.ID, err)
			}
			if len(vals) > 0 {
				all[it.ID] = vals
				n += len(vals)
			}
		}
	}
	if n == 0 {
		return 0, nil, nil
	}
	plain, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return 0, nil, err
	}
	enc, err := opts.Encrypt(opts.Recipients, plain)
	clear(plain)
	if err != nil {
		return 0, nil, fmt.Errorf("encrypting the secrets: %w", err)
	}
	return n, enc, nil
}

// Name is where a type's table is in an export: "configurations.csv",
// "assets/backup.json".
func Name(typ, format string) string { return path.Clean(typ) + "." + format }
