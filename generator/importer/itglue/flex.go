package itglue

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
)

// Inference bounds: a column is a select when it has at most maxOptions
// distinct values, each short, and values repeat.
const (
	// maxFlexFields leaves room below schema.MaxFields for the password
	// fields embedded passwords add.
	maxFlexFields = schema.MaxFields - 2
	maxOptions    = 12
	maxOptionLen  = 80
)

// secretLabel says a column holds secrets: its values go to SOPS files.
var secretLabel = regexp.MustCompile(`(?i)(password|passphrase|passcode|secret|\bpin\b|pre-?shared|\bpsk\b|otp)`)

// inferFlexible makes a schema for every flexible CSV: a field per column,
// its kind inferred from the column's values.
func (im *importer) inferFlexible() error {
	for _, f := range im.flex {
		used := map[string]bool{}
		for _, r := range schema.Reserved {
			used[r] = true
		}
		used["import_id"] = true
		for i, h := range f.t.header {
			if metaColumn(h) {
				continue
			}
			if len(f.fields) == maxFlexFields {
				im.rep.Warnings = append(im.rep.Warnings, Note{File: f.file, Line: 1, Message: fmt.Sprintf("more than %d columns: the rest are kept in each item's notes, not as fields (a schema holds at most %d)", maxFlexFields, schema.MaxFields)})
				break
			}
			label := f.t.labels[i]
			if label == "" {
				label = fmt.Sprintf("Column %d", i+1)
			}
			name := fieldName(label)
			if i == f.titleCol && name == "name" {
				used["name"] = false
			}
			base := name
			for n := 2; used[name]; n++ {
				name = fmt.Sprintf("%s_%d", base, n)
			}
			used[name] = true
			ff := &flexField{col: i, name: name, label: label}
			im.inferKind(f, ff)
			f.fields = append(f.fields, ff)
		}
		for _, p := range []*string{&f.pwField, &f.otpField} {
			if *p == "" {
				continue
			}
			base := *p
			for n := 2; used[*p]; n++ {
				*p = fmt.Sprintf("itglue_%s_%d", base, n)
			}
			used[*p] = true
		}
	}
	return nil
}

func (im *importer) inferKind(f *flexType, ff *flexField) {
	var vals []string
	var rows []row
	for _, r := range f.t.rows {
		if v := r.at(ff.col); v != "" {
			vals = append(vals, v)
			rows = append(rows, r)
		}
	}
	all := func(ok func(string) bool) bool {
		for _, v := range vals {
			if !ok(v) {
				return false
			}
		}
		return len(vals) > 0
	}
	probe := func(k schema.Kind) func(string) bool {
		return func(v string) bool { return scalarOK(&schema.Field{Name: "x", Kind: k}, v) }
	}
	switch {
	case ff.col == f.titleCol && !secretLabel.MatchString(ff.label):
		ff.kind = schema.Text // the title: text, whatever it looks like
	case secretLabel.MatchString(ff.label):
		ff.kind = schema.Password
	case len(vals) == 0:
		ff.kind = schema.Text
	case all(func(v string) bool { _, ok := parseBool(v); return ok }) && all(func(v string) bool { _, ok := parseNumber(v); return !ok }):
		ff.kind = schema.Checkbox
	case all(func(v string) bool { _, ok := parseDate(v); return ok }):
		ff.kind = schema.Date
	case all(func(v string) bool { _, ok := parseNumber(v); return ok }):
		ff.kind = schema.Number
	case all(func(v string) bool { _, err := netip.ParseAddr(v); return err == nil }):
		ff.kind = schema.IP
	case all(func(v string) bool { _, err := netip.ParsePrefix(v); return err == nil }):
		ff.kind = schema.CIDR
	case all(func(v string) bool { return strings.Contains(v, "://") && probe(schema.URL)(v) }):
		ff.kind = schema.URL
	case all(probe(schema.Email)):
		ff.kind = schema.Email
	case all(looksHTML) || (all(func(v string) bool { return true }) && anyOf(vals, func(v string) bool { return strings.Contains(v, "\n") || looksHTML(v) })):
		ff.kind = schema.Textbox
	default:
		if targets := im.tagTargets(rows, ff.col); targets != "" {
			ff.kind, ff.targets, ff.multiple = schema.Tag, []string{targets}, true
			return
		}
		distinct := map[string]bool{}
		short := true
		for _, v := range vals {
			distinct[v] = true
			short = short && len(v) <= maxOptionLen && !strings.ContainsAny(v, "\n,")
		}
		if short && len(distinct) <= maxOptions && len(vals) >= 3 && len(distinct) < len(vals) {
			ff.kind = schema.Select
			for v := range distinct {
				ff.options = append(ff.options, v)
			}
			sort.Strings(ff.options)
			return
		}
		ff.kind = schema.Text
	}
}

func anyOf(vals []string, ok func(string) bool) bool {
	for _, v := range vals {
		if ok(v) {
			return true
		}
	}
	return false
}

// tagTargets returns the one type whose items most of a column's names
// (split on commas) name, in each row's organization, or "".
func (im *importer) tagTargets(rows []row, col int) string {
	hits := map[string]int{}
	parts := 0
	for _, r := range rows {
		o := im.orgByKey[orgKey(r.get("organization", "organization_name"))]
		if o == nil {
			continue
		}
		for _, name := range splitList(r.at(col)) {
			parts++
			for _, typ := range o.typesNamed(name) {
				hits[typ]++
			}
		}
	}
	best, n := "", 0
	for _, typ := range sortedKeys(hits) {
		if hits[typ] > n {
			best, n = typ, hits[typ]
		}
	}
	if n == 0 || n*2 < parts {
		return ""
	}
	return best
}

// mapFlexible maps a flexible asset's row onto its generated fields.
func (im *importer) mapFlexible(it *item) {
	f := im.flexOf(it.typ)
	m := im.newMapper(it, f.schema)
	for _, ff := range f.fields {
		v, col := it.row.at(ff.col), ff.col
		m.used[col] = true
		if v == "" {
			continue
		}
		if !m.value(f.schema.Field(ff.name), v, col) {
			m.keep(col, v, fmt.Sprintf("not a valid %s for %q", ff.kind, ff.name))
		}
	}
	m.rest()
}

func (im *importer) flexOf(typ string) *flexType {
	for _, f := range im.flex {
		if "assets/"+f.slug == typ {
			return f
		}
	}
	return nil
}

// schemaText writes a flexible type's schema file; embedded passwords add
// password fields.
func (f *flexType) schemaText(name string) string {
	var t tomlBuf
	t.line("# Generated by cairn import itglue from " + f.file + ": one field per column,")
	t.line("# kinds inferred from the values. Edit freely: a later import leaves a changed")
	t.line("# schema alone and says so.")
	t.str("name", name)
	t.str("slug", f.slug)
	t.str("description", "Imported from IT Glue ("+f.file+").")
	for _, ff := range f.fields {
		t.line("")
		t.line("[[fields]]")
		t.str("name", ff.name)
		t.str("label", truncate(ff.label, 200))
		t.str("kind", string(ff.kind))
		if ff.col == f.titleCol && ff.kind == schema.Text {
			t.boolean("use_for_title", true)
			t.boolean("show_in_list", true)
		}
		if len(ff.options) > 0 {
			t.strs("options", ff.options)
		}
		if len(ff.targets) > 0 {
			t.strs("targets", ff.targets)
		}
		if ff.multiple {
			t.boolean("multiple", true)
		}
	}
	for _, extra := range []struct{ name, label string }{{f.pwField, "Password"}, {f.otpField, "One-time password secret"}} {
		if extra.name == "" {
			continue
		}
		t.line("")
		t.line("[[fields]]")
		t.str("name", extra.name)
		t.str("label", extra.label)
		t.str("kind", "password")
		t.str("hint", "From the IT Glue password embedded in this asset; kept in <slug>.sops.yaml.")
	}
	return t.String()
}

func truncate(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n])
	}
	return string(r)
}

// parseSchemas parses every generated schema, so that items map onto it.
func (im *importer) parseSchemas() error {
	for _, f := range im.flex {
		name := titleOf(f.slug)
		s, probs := schema.Parse("schemas/"+f.slug+".toml", []byte(f.schemaText(name)), f.slug, false)
		if len(probs) > 0 {
			return fmt.Errorf("%s: the schema made from it is invalid: %s (please report this)", f.file, probs[0].Msg)
		}
		f.schema = s
	}
	return nil
}

// titleOf makes a display name of a slug: "active-directory" is "Active Directory".
func titleOf(slug string) string {
	w := strings.Split(slug, "-")
	for i, s := range w {
		if s != "" {
			w[i] = strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return strings.Join(w, " ")
}
