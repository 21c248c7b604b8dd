package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// secretKeys are keys whose values are secrets wherever they appear.
var secretKeys = map[string]bool{"password": true, "otp_secret": true}

// itemCheck checks one item; it is used by one goroutine.
type itemCheck struct {
	c  *checker
	it *model.Item
	r  *Unit
}

func (ic *itemCheck) pos(p tomldoc.Pos) diag.Pos { return ic.it.Pos(p) }

func (ic *itemCheck) top() diag.Pos {
	return diag.Pos{File: ic.it.File, Line: ic.it.FieldsLine, Col: 1}
}

func (c *checker) item(it *model.Item) Unit {
	var r Unit
	if it.Schema == nil {
		return r // the folder was reported by the loader
	}
	ic := &itemCheck{c: c, it: it, r: &r}
	if !it.Broken {
		ic.fields()
		ic.required()
	}
	if it.Body != nil {
		r.Checked += c.markdownLinks(&r.Links, it.Org, it.ID, it.File, it.Body, it)
		if it.Type == "checklists" {
			ic.checklist()
		}
	}
	if it.Type == "documents" && !it.Broken {
		ic.reviewEvery()
	}
	if it.Notes != nil {
		r.Checked += c.markdownLinks(&r.Links, it.Org, it.ID, it.File, it.Notes, nil)
	}
	return r
}

func (ic *itemCheck) fields() {
	s := ic.it.Schema
	for _, key := range ic.it.Fields.Keys() {
		v := ic.it.Fields.Get(key)
		if f := s.Field(key); f != nil {
			ic.field(f, v, key)
			continue
		}
		if schema.IsReserved(key) {
			ic.reserved(key, v)
			continue
		}
		if secretKeys[key] && hasValue(v) {
			ic.plaintextSecret(key, v)
			continue
		}
		ic.unknown(key, v, knownKeys(s), s.Name)
	}
}

// knownKeys are the keys an item of s may have: its fields, then the
// reserved keys it does not define itself, each once.
func knownKeys(s *schema.Schema) []string {
	names := s.FieldNames()
	for _, r := range schema.Reserved {
		if s.Field(r) == nil {
			names = append(names, r)
		}
	}
	return names
}

func hasValue(v *tomldoc.Value) bool {
	return !(v.Kind == tomldoc.KindString && v.Str == "")
}

// plaintextSecret reports a secret under a key the item's type has no
// password field for: it cannot go into the item's own secrets file, so
// the hint makes a password item to hold it.
func (ic *itemCheck) plaintextSecret(key string, v *tomldoc.Value) {
	slug := path.Base(ic.it.Slug)
	ic.c.diags.ErrorHint(ic.pos(v.Pos), "plaintext-secret",
		fmt.Sprintf("remove the value from the TOML and keep it in a password item (%s has no password field %q): cairn new passwords %s %s && cairn secret set %s/passwords/%s %s; then rotate it, since git history keeps the plain text",
			ic.it.Type, key, ic.it.Org, slug, ic.it.Org, slug, key),
		"%q holds a secret in plain text", key)
}

func (ic *itemCheck) unknown(key string, v *tomldoc.Value, known []string, typeName string) {
	hint := ""
	if s := diag.Suggest(key, known); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	} else {
		hint = fmt.Sprintf("fields of %s: %s", typeName, strings.Join(known, ", "))
	}
	ic.c.diags.ErrorHint(ic.pos(v.KeyPos), "unknown-field", hint, "unknown field %q for %s", key, typeName)
}

func (ic *itemCheck) invalid(f *schema.Field, p *schema.ValueProblem) {
	code := "invalid-value"
	if f.Kind == schema.Password {
		code = "plaintext-secret"
		p.Hint = fmt.Sprintf("remove the value from the TOML and store it encrypted: cairn secret set %s %s", ic.it.ID, f.Name)
	}
	ic.c.diags.Add(diag.Diagnostic{Pos: ic.pos(p.Pos), Severity: diag.Error, Code: code, Message: p.Msg, Hint: p.Hint})
}

// field checks one value of a schema field (and, for groups, its records).
func (ic *itemCheck) field(f *schema.Field, v *tomldoc.Value, path string) {
	if f.Kind == schema.Group {
		ic.group(f, v, path)
		return
	}
	if p := schema.CheckValue(f, v); p != nil {
		ic.invalid(f, p)
		return
	}
	values := v.Elements()
	for _, e := range values {
		switch f.Kind {
		case schema.Tag:
			ic.r.Checked++
			ic.ref(e, model.LinkTag, f.Name, f.Targets)
		case schema.Upload:
			ic.upload(f, e)
		case schema.Date:
			if f.Expires {
				ic.expiry(f, e)
			}
		case schema.Textbox:
			if le := markdown.Check([]byte(e.Str), e.StrPos.Line+ic.it.FieldsLine-1, e.StrPos.Col); le != nil {
				ic.c.diags.ErrorHint(diag.Pos{File: ic.it.File, Line: le.Line, Col: le.Col}, "markdown", le.Hint, "%s", le.Msg)
			} else if strings.Contains(e.Str, "[") {
				doc := ic.parser().Parse([]byte(e.Str), e.StrPos.Line+ic.it.FieldsLine-1, e.StrPos.Col)
				ic.r.Checked += ic.c.markdownLinks(&ic.r.Links, ic.it.Org, ic.it.ID, ic.it.File, doc, nil)
			}
		}
	}
}

func (ic *itemCheck) parser() *markdown.Parser { return ic.c.md }

func (ic *itemCheck) group(f *schema.Field, v *tomldoc.Value, path string) {
	var records []*tomldoc.Value
	switch {
	case v.Kind == tomldoc.KindTable && !f.Multiple:
		records = []*tomldoc.Value{v}
	case v.Kind == tomldoc.KindArray:
		if !f.Multiple && len(v.Array) > 1 {
			ic.c.diags.ErrorHint(ic.pos(v.Pos), "invalid-value", "keep one record, or set multiple = true on the field", "%q takes one record, got %d", path, len(v.Array))
		}
		records = v.Array
	default:
		ic.c.diags.ErrorHint(ic.pos(v.Pos), "invalid-value", fmt.Sprintf("write each record as a [[%s]] table", f.Name), "%q must be a list of records, got %s", path, tomldoc.Describe(v))
		return
	}
	names := make([]string, 0, len(f.Fields))
	for _, sf := range f.Fields {
		names = append(names, sf.Name)
	}
	for i, rec := range records {
		if rec.Kind != tomldoc.KindTable {
			ic.c.diags.ErrorHint(ic.pos(rec.Pos), "invalid-value", fmt.Sprintf("write each record as a [[%s]] table", f.Name), "%s[%d] must be a table, got %s", path, i, tomldoc.Describe(rec))
			continue
		}
		for _, key := range rec.Table.Keys() {
			sv := rec.Table.Get(key)
			if sf := f.Sub(key); sf != nil {
				ic.field(sf, sv, path+"."+key)
				continue
			}
			if secretKeys[key] && hasValue(sv) {
				ic.plaintextSecret(key, sv)
				continue
			}
			ic.unknown(key, sv, names, fmt.Sprintf("%s records", f.Name))
		}
		for _, sf := range f.Fields {
			if sv := rec.Table.Get(sf.Name); sv != nil && sf.Required && emptyValue(sf, sv) {
				ic.c.diags.ErrorHint(ic.pos(sv.Pos), "missing-field", "fill it in, or remove the record",
					"%s record: required field %q is empty", f.Name, sf.Name)
			}
			if sf.Required && rec.Table.Get(sf.Name) == nil && sf.Default == nil {
				ic.c.diags.ErrorHint(ic.pos(rec.Pos), "missing-field", fmt.Sprintf("add %s = ... to this [[%s]] record", sf.Name, f.Name),
					"%s record is missing required field %q", f.Name, sf.Name)
			}
		}
	}
}

func (ic *itemCheck) required() {
	s := ic.it.Schema
	for _, f := range s.Fields {
		if !f.Required || f.Kind == schema.Header || f.Kind == schema.Password || f.Default != nil {
			continue
		}
		if v := ic.it.Fields.Get(f.Name); v != nil {
			if emptyValue(f, v) {
				code := "missing-field"
				if f.Name == "title" && ic.it.IsMarkdown() {
					code = "missing-title"
				}
				ic.c.diags.ErrorHint(ic.pos(v.Pos), code, "fill it in, or remove the item if it is not needed yet",
					"required field %q (%s) is empty", f.Name, f.DisplayLabel())
			}
			continue
		}
		if f.Name == "title" && ic.it.IsMarkdown() {
			ic.c.diags.ErrorHint(ic.top(), "missing-title", `add title = "..." to the front matter`, "%s has no title", strings.ToLower(s.DisplaySingular()))
			continue
		}
		ic.c.diags.ErrorHint(ic.top(), "missing-field", fmt.Sprintf("add %s = %s", f.Name, example(f)),
			"missing required field %q (%s)", f.Name, f.DisplayLabel())
	}
	if len(s.TitleFields()) == 0 {
		switch v := ic.it.Fields.Get("name"); {
		case v == nil:
			ic.c.diags.ErrorHint(ic.top(), "missing-field", `add name = "..."`, "%s has no name", strings.ToLower(s.DisplaySingular()))
		case v.Kind == tomldoc.KindString && strings.TrimSpace(v.Str) == "":
			ic.c.diags.ErrorHint(ic.pos(v.Pos), "missing-field", "fill it in: it is the item's title", "name is empty")
		}
	}
}

// emptyValue reports whether a required field's value is empty where the
// kind check would not say so: blank text, or an array with no elements.
// (An empty select, url, ip or tag value already fails its kind check.)
func emptyValue(f *schema.Field, v *tomldoc.Value) bool {
	switch {
	case v.Kind == tomldoc.KindArray:
		return len(v.Array) == 0
	case v.Kind == tomldoc.KindString && (f.Kind == schema.Text || f.Kind == schema.Textbox):
		return strings.TrimSpace(v.Str) == ""
	}
	return false
}

// example returns a placeholder value for a field, for hints and
// scaffolding.
func example(f *schema.Field) string {
	switch f.Kind {
	case schema.Number, schema.Percent:
		return "0"
	case schema.Date:
		return "2026-01-31"
	case schema.Checkbox:
		return "false"
	case schema.Select:
		if len(f.Options) > 0 {
			return fmt.Sprintf("%q", f.Options[0])
		}
	case schema.Tag:
		if len(f.Targets) > 0 {
			return fmt.Sprintf("%q", f.Targets[0]+"/<slug>")
		}
		return `"<type>/<slug>"`
	}
	if f.Multiple {
		return `["..."]`
	}
	return `"..."`
}

// Example returns a placeholder TOML value for a field, as `cairn new`
// writes it.
func Example(f *schema.Field) string { return example(f) }

func (ic *itemCheck) reserved(key string, v *tomldoc.Value) {
	wrong := func(want string) {
		ic.c.diags.Errorf(ic.pos(v.Pos), "invalid-value", "%q must be %s, got %s", key, want, tomldoc.Describe(v))
	}
	switch key {
	case "name":
		if v.Kind != tomldoc.KindString {
			wrong("a string")
		} else if tf := ic.it.Schema.TitleFields(); len(tf) > 0 {
			ic.c.diags.ErrorHint(ic.pos(v.KeyPos), "unknown-field", fmt.Sprintf("set %s instead", tf[0].Name),
				"%s take their title from %s, not from name", ic.it.Schema.Name, titleNames(tf))
		}
	case "managed_by", "notes", "import_id":
		if v.Kind != tomldoc.KindString {
			wrong("a string")
		}
	case "archived":
		if v.Kind != tomldoc.KindBool {
			wrong("true or false")
		}
	case "related":
		if v.Kind != tomldoc.KindArray {
			ic.c.diags.ErrorHint(ic.pos(v.Pos), "invalid-value", `write related = ["configurations/sv1", ...]`, "%q must be an array of ids, got %s", key, tomldoc.Describe(v))
			return
		}
		for _, e := range v.Array {
			ic.r.Checked++
			if e.Kind != tomldoc.KindString {
				ic.c.diags.ErrorHint(ic.pos(e.Pos), "invalid-value", `write related = ["configurations/sv1", ...]`, "%q entries must be id strings, got %s", key, tomldoc.Describe(e))
				continue
			}
			ic.ref(e, model.LinkRelated, "", nil)
		}
	case "access":
		if v.Kind != tomldoc.KindArray {
			ic.c.diags.ErrorHint(ic.pos(v.Pos), "invalid-value", `write access = ["staff"]`, "%q must be an array of group names, got %s", key, tomldoc.Describe(v))
			return
		}
		if len(v.Array) == 0 {
			// An empty array has no position of its own: point at the key.
			ic.c.diags.ErrorHint(ic.pos(v.KeyPos), "access", "remove the key to use the organization's groups, or name the groups that may see it", "access = [] would hide the item from every portal")
			return
		}
		for _, e := range v.Array {
			if e.Kind != tomldoc.KindString {
				ic.c.diags.Errorf(ic.pos(e.Pos), "invalid-value", "%q entries must be group names, got %s", key, tomldoc.Describe(e))
				continue
			}
			if ic.c.site.Access.Groups[e.Str] == nil {
				var groups []string
				for g := range ic.c.site.Access.Groups {
					groups = append(groups, g)
				}
				ic.c.diags.ErrorHint(ic.pos(e.Pos), "access", diag.SuggestHint(e.Str, groups, "groups are defined in access.toml"), "unknown group %q", e.Str)
			}
		}
	}
}

func titleNames(fs []*schema.Field) string {
	n := make([]string, len(fs))
	for i, f := range fs {
		n[i] = f.Name
	}
	return strings.Join(n, " and ")
}

func (ic *itemCheck) upload(f *schema.Field, v *tomldoc.Value) {
	target, le := ic.c.resolver.Upload(ic.it.Org, f.Name, v.Str)
	if le != nil {
		ic.c.diags.ErrorHint(ic.pos(v.Pos), le.Code, le.Hint, "%s", le.Msg)
		return
	}
	ic.r.Links = append(ic.r.Links, model.Link{From: ic.it.ID, To: target.File, Kind: model.LinkUpload, Field: f.Name, Text: v.Str, Pos: ic.pos(v.Pos)})
}

func (ic *itemCheck) expiry(f *schema.Field, v *tomldoc.Value) {
	d, ok := schema.DateOf(v)
	if !ok || ic.c.today.IsZero() {
		return
	}
	days := expiry.Days(ic.c.today, d)
	switch {
	case days < 0:
		ic.r.Expired++
		if !ic.it.Archived {
			ic.c.diags.Add(diag.Diagnostic{Pos: ic.pos(v.Pos), Severity: diag.Warning, Code: "expired",
				Message: fmt.Sprintf("%s %s has passed (%s ago)", f.DisplayLabel(), d.Format("2006-01-02"), plural(-days, "day")),
				Hint:    "renew it and update the date, or set archived = true if it is no longer used"})
		}
	case days <= ic.c.window:
		ic.r.Expiring++
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (ic *itemCheck) checklist() {
	it := ic.it
	if v := it.Fields.Get("template"); v != nil && v.Kind == tomldoc.KindString && v.Str != "" {
		if ic.c.site.Template(v.Str) == nil {
			var names []string
			for _, t := range ic.c.site.Templates {
				names = append(names, t.Slug)
			}
			ic.c.diags.ErrorHint(ic.pos(v.Pos), "broken-link", diag.SuggestHint(v.Str, names, "templates live in checklists/<template>.md at the site root"),
				"checklist template %q does not exist", v.Str)
		}
	}
	for _, t := range it.Tasks {
		if t.Due == "" {
			continue
		}
		if _, ok := schema.DateOf(&tomldoc.Value{Kind: tomldoc.KindString, Str: t.Due}); !ok {
			ic.c.diags.ErrorHint(diag.Pos{File: it.File, Line: t.Line, Col: t.Col}, "invalid-value", "write due:YYYY-MM-DD, like due:2026-12-01",
				"task due date %q is not a date", t.Due)
		}
	}
}

// reviewEvery checks a document's review cadence: a duration cairn stale
// and cairn expiring can read.
func (ic *itemCheck) reviewEvery() {
	v := ic.it.Value(expiry.ReviewEveryKey)
	if v == nil || v.Kind != tomldoc.KindString {
		return // a non-string is reported with the field's kind
	}
	if _, err := expiry.ParseCadence(v.Str); err != nil {
		what, hint := expiry.CadenceProblem(err)
		ic.c.diags.ErrorHint(ic.pos(v.Pos), "invalid-value", hint, "%s %q %s", expiry.ReviewEveryKey, v.Str, what)
	}
}
