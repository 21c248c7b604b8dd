package collab

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/cairn-it/cairn/generator/check"
	"github.com/cairn-it/cairn/generator/collab/tomledit"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Field is one input of a generated form.
type Field struct {
	Name     string // the form key
	Label    string
	Hint     string
	Kind     schema.Kind
	Required bool
	Editable bool
	Multiple bool
	// Value is the value as shown (and as submitted unchanged); Values for
	// multiple fields; Checked for checkboxes.
	Value   string
	Values  []string
	Checked bool
	Options []Option
	// Rows and New are a group field's records and the empty record to add.
	Rows []Row
	New  []*Field
	// Error is check's message for this field after a failed submit.
	Error string
	// Preview is a textbox rendered as Markdown, when asked for.
	Preview template.HTML
}

// Row is one record of a group field.
type Row struct {
	Index  int
	Remove string // the form key of its remove checkbox
	Fields []*Field
}

// Option is one choice of a select or tag picker.
type Option struct {
	Value, Label string
	Selected     bool
}

// ForbiddenError is a submission that names a field the user may not
// change (a forged form); the server answers 403 and commits nothing.
type ForbiddenError struct{ Key string }

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("the form names %q, which you may not change", e.Key)
}

// shown returns a value as a form shows it: strings as their text, other
// scalars as written.
func shown(v *tomldoc.Value) string {
	if v == nil {
		return ""
	}
	if v.Kind == tomldoc.KindString {
		return v.Str
	}
	return v.Raw
}

func shownAll(v *tomldoc.Value) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, e := range v.Elements() {
		out = append(out, shown(e))
	}
	return out
}

// formBuilder makes the fields of one item's form.
type formBuilder struct {
	site   *model.Site
	rights *Rights
	org    string
}

// Fields returns the form fields of an item of schema s with values t
// (nil for a new item): every schema field, editable where allowed.
func (b *formBuilder) fields(s *schema.Schema, t *tomldoc.Table, editable map[string]bool, rowsInPlace func(string) bool) []*Field {
	var out []*Field
	for _, f := range s.Fields {
		if f.Kind == schema.Password {
			continue // secret values are never shown or edited here
		}
		var v *tomldoc.Value
		if t != nil {
			v = t.Get(f.Name)
		}
		ff := b.field(f, "f."+f.Name, v, editable[f.Name])
		if f.Kind == schema.Group {
			ff.Editable = ff.Editable && rowsInPlace(f.Name)
			if v != nil {
				for i, e := range v.Elements() {
					if e.Kind != tomldoc.KindTable {
						continue
					}
					row := Row{Index: i, Remove: fmt.Sprintf("g.%s.%d.remove", f.Name, i)}
					for _, sub := range f.Fields {
						row.Fields = append(row.Fields, b.field(sub, fmt.Sprintf("g.%s.%d.%s", f.Name, i, sub.Name), e.Table.Get(sub.Name), ff.Editable))
					}
					ff.Rows = append(ff.Rows, row)
				}
			}
			if f.Multiple || len(ff.Rows) == 0 {
				for _, sub := range f.Fields {
					if sub.Kind != schema.Password {
						ff.New = append(ff.New, b.field(sub, fmt.Sprintf("g.%s.new.%s", f.Name, sub.Name), nil, ff.Editable))
					}
				}
			}
		}
		out = append(out, ff)
	}
	return out
}

func (b *formBuilder) field(f *schema.Field, name string, v *tomldoc.Value, editable bool) *Field {
	ff := &Field{Name: name, Label: f.DisplayLabel(), Hint: f.Hint, Kind: f.Kind, Required: f.Required,
		Editable: editable && f.Kind != schema.Upload && f.Kind != schema.Header, Multiple: f.Multiple}
	if f.Multiple {
		ff.Values = shownAll(v)
	} else {
		ff.Value = shown(v)
	}
	if f.Kind == schema.Checkbox && v != nil {
		ff.Checked = v.Kind == tomldoc.KindBool && v.Bool
	}
	current := ff.Values
	if !f.Multiple && ff.Value != "" {
		current = []string{ff.Value}
	}
	switch f.Kind {
	case schema.Select:
		ff.Options = options(f.Options, f.Options, current)
	case schema.Tag:
		var vals, labels []string
		for _, it := range b.site.Items {
			if !b.rights.Sees(it) || !check.TargetAllowed(it.Type, f.Targets) {
				continue
			}
			ref := it.ID
			if it.Org == b.org {
				ref = it.Type + "/" + it.Slug
			}
			vals = append(vals, ref)
			labels = append(labels, it.Title+" ("+ref+")")
		}
		ff.Options = options(vals, labels, current)
	}
	return ff
}

// options lists choices with the current values selected; a current value
// that is not a choice (written another way, or not visible) is kept as a
// choice of its own so that an unchanged form submits it unchanged.
func options(vals, labels, current []string) []Option {
	var out []Option
	seen := map[string]bool{}
	for i, v := range vals {
		sel := false
		for _, c := range current {
			sel = sel || c == v
		}
		seen[v] = true
		out = append(out, Option{Value: v, Label: labels[i], Selected: sel})
	}
	for _, c := range current {
		if !seen[c] {
			out = append([]Option{{Value: c, Label: c + " (as written)", Selected: true}}, out...)
		}
	}
	return out
}

var (
	dateRe   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	numberRe = regexp.MustCompile(`^[+-]?\d+(\.\d+)?$`)
)

// encode writes a submitted value of a field kind as TOML: dates and
// numbers bare when they are well formed, everything else as a string
// (which check then judges as it judges a hand-written file).
func encode(k schema.Kind, s string) tomledit.Value {
	switch {
	case k == schema.Date && dateRe.MatchString(s) && validDate(s):
		return tomledit.Raw(s)
	case (k == schema.Number || k == schema.Percent) && numberRe.MatchString(s):
		n := strings.TrimPrefix(s, "+")
		if _, err := strconv.ParseFloat(n, 64); err == nil {
			return tomledit.Raw(n)
		}
	case k == schema.Checkbox:
		return tomledit.Raw(strconv.FormatBool(s == "true"))
	}
	return tomledit.String(s)
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// submitted reads a field's submitted value(s) from the form, normalised
// as the form shows them.
func submitted(f *schema.Field, form url.Values, name string) (single string, multi []string) {
	if f.Kind == schema.Checkbox {
		if slices.Contains(form[name], "true") {
			return "true", nil
		}
		return "false", nil
	}
	if f.Multiple {
		for _, v := range form[name] {
			for _, line := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
				if s := strings.TrimSpace(line); s != "" {
					multi = append(multi, s)
				}
			}
		}
		return "", multi
	}
	v := strings.ReplaceAll(form.Get(name), "\r\n", "\n")
	if f.Kind != schema.Textbox {
		v = strings.TrimSpace(v)
	}
	return v, nil
}

// setter is where one field's value is written: the item's top level or a
// row of a group.
type setter struct {
	set func(key string, v tomledit.Value) error
	del func(key string) error
}

// applyField writes one field's submitted value when it differs from v;
// it reports whether it changed anything. A field the form does not carry
// is left alone (the forms carry an empty hidden input beside checkboxes
// and multiple selects, which browsers leave out when unticked).
func applyField(f *schema.Field, v *tomldoc.Value, form url.Values, name string, to setter) (bool, error) {
	if _, present := form[name]; !present {
		return false, nil
	}
	single, multi := submitted(f, form, name)
	if f.Multiple {
		if slices.Equal(multi, shownAll(v)) {
			return false, nil
		}
		if len(multi) == 0 {
			return true, to.del(f.Name)
		}
		return true, to.set(f.Name, tomledit.Strings(multi))
	}
	if f.Kind == schema.Checkbox {
		old := v != nil && v.Kind == tomldoc.KindBool && v.Bool
		if (single == "true") == old {
			return false, nil
		}
		return true, to.set(f.Name, encode(f.Kind, single))
	}
	// The form sends line breaks as LF (submitted), so a value written
	// with CRLF line breaks (a CRLF file's multi-line string) is compared
	// as LF: left alone in the form, it is no change.
	if single == strings.ReplaceAll(shown(v), "\r\n", "\n") {
		return false, nil
	}
	if single == "" {
		return true, to.del(f.Name)
	}
	return true, to.set(f.Name, encode(f.Kind, single))
}

// ConflictError is a submission that cannot be laid onto the latest
// version of the item (its rows changed since the form was made).
type ConflictError struct{ Field string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s changed since you opened the form: open it again and redo your change", e.Field)
}

// ApplyForm rewrites the latest TOML of an item with the changes of the
// submitted form: a field changed is one whose submitted value differs
// from its value in base (the version the form was made from), and only
// those are written into latest, so edits others made meanwhile survive.
// Only the fields in editable may change. It returns the new bytes and the
// labels of the fields changed (none: the form changed nothing). A form
// key naming any other field is a *ForbiddenError.
func ApplyForm(base, latest []byte, editable []*schema.Field, form url.Values) ([]byte, []string, error) {
	allowed := map[string]*schema.Field{}
	for _, f := range editable {
		allowed[f.Name] = f
	}
	if err := checkKeys(allowed, form); err != nil {
		return nil, nil, err
	}
	d, err := tomledit.Parse(latest)
	if err != nil {
		return nil, nil, err
	}
	bd, err := tomledit.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	root := bd.Root()
	var changed []string
	for _, f := range editable {
		v := root.Get(f.Name)
		if f.Kind == schema.Group {
			ch, err := applyGroup(d, bd, f, v, form)
			if err != nil {
				return nil, nil, err
			}
			if ch {
				changed = append(changed, f.DisplayLabel())
			}
			continue
		}
		ch, err := applyField(f, v, form, "f."+f.Name, setter{d.Set, d.Delete})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.DisplayLabel(), err)
		}
		if ch {
			changed = append(changed, f.DisplayLabel())
		}
	}
	if len(changed) == 0 {
		return latest, nil, nil
	}
	out, err := d.Bytes()
	return out, changed, err
}

// checkKeys refuses form keys other than the control keys and the inputs
// of editable fields.
func checkKeys(allowed map[string]*schema.Field, form url.Values) error {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case k == "csrf" || k == "action" || k == "base":
			continue
		case strings.HasPrefix(k, "f."):
			if f := allowed[k[2:]]; f != nil && f.Kind != schema.Group && oneValue(f, form[k]) {
				continue
			}
		case strings.HasPrefix(k, "g."):
			parts := strings.Split(k, ".")
			if len(parts) == 4 {
				if f := allowed[parts[1]]; f != nil && f.Kind == schema.Group {
					_, numErr := strconv.Atoi(parts[2])
					sub := f.Sub(parts[3])
					if (numErr == nil || parts[2] == "new") && (sub != nil && sub.Kind != schema.Password && oneValue(sub, form[k]) || parts[3] == "remove" && parts[2] != "new") {
						continue
					}
				}
			}
		}
		return &ForbiddenError{Key: k}
	}
	return nil
}

// oneValue reports whether a field's input was sent as a form sends it:
// one value, two for a checkbox (the hidden empty one and "true"), any
// number for a multiple field. A single field sent twice is forged (which
// value would count?).
func oneValue(f *schema.Field, vals []string) bool {
	switch {
	case f.Multiple:
		return true
	case f.Kind == schema.Checkbox:
		return len(vals) <= 2
	}
	return len(vals) <= 1
}

func applyGroup(d, bd *tomledit.Doc, f *schema.Field, v *tomldoc.Value, form url.Values) (bool, error) {
	n, inPlace := bd.Rows(f.Name)
	if ln, lInPlace := d.Rows(f.Name); !lInPlace || ln != n {
		for k := range form {
			if strings.HasPrefix(k, "g."+f.Name+".") && !strings.HasPrefix(k, "g."+f.Name+".new.") {
				return false, &ConflictError{Field: f.DisplayLabel()}
			}
		}
	}
	if !inPlace {
		for k := range form {
			if strings.HasPrefix(k, "g."+f.Name+".") {
				return false, &ForbiddenError{Key: k}
			}
		}
		return false, nil
	}
	// A key of a row the form could not show (past the last, written
	// another way, or any row of a new item) is forged.
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, "g."+f.Name+".")
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); idx != "new" && (err != nil || i < 0 || i >= n || strconv.Itoa(i) != idx) {
			return false, &ForbiddenError{Key: k}
		}
	}
	changed := false
	for i := 0; i < n; i++ {
		if form.Get(fmt.Sprintf("g.%s.%d.remove", f.Name, i)) != "" {
			if err := d.DeleteRow(f.Name, i); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		row := v.Array[i].Table
		i := i
		to := setter{
			set: func(k string, val tomledit.Value) error { return d.SetInRow(f.Name, i, k, val) },
			del: func(k string) error { return d.DeleteInRow(f.Name, i, k) },
		}
		for _, sub := range f.Fields {
			if sub.Kind == schema.Password || sub.Kind == schema.Upload || sub.Kind == schema.Header {
				continue
			}
			name := fmt.Sprintf("g.%s.%d.%s", f.Name, i, sub.Name)
			ch, err := applyField(sub, row.Get(sub.Name), form, name, to)
			if err != nil {
				return false, err
			}
			changed = changed || ch
		}
	}
	var kvs []tomledit.KV
	for _, sub := range f.Fields {
		if sub.Kind == schema.Password || sub.Kind == schema.Upload || sub.Kind == schema.Header {
			continue
		}
		single, multi := submitted(sub, form, fmt.Sprintf("g.%s.new.%s", f.Name, sub.Name))
		switch {
		case sub.Multiple && len(multi) > 0:
			kvs = append(kvs, tomledit.KV{Key: sub.Name, Value: tomledit.Strings(multi)})
		case sub.Kind == schema.Checkbox && single == "true", sub.Kind != schema.Checkbox && !sub.Multiple && single != "":
			kvs = append(kvs, tomledit.KV{Key: sub.Name, Value: encode(sub.Kind, single)})
		}
	}
	if len(kvs) > 0 {
		if err := d.AppendRow(f.Name, kvs); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

// preview renders Markdown for a textbox's preview, sanitized; links are
// shown as text.
func preview(p *markdown.Parser, src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.RenderHTML(&buf, p.Parse([]byte(src), 1, 1), noLinks{}); err != nil {
		return ""
	}
	return template.HTML(bluemonday.UGCPolicy().SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitized above
}

type noLinks struct{}

func (noLinks) Wiki(target, anchor string) (string, string, bool) { return "", target, false }
func (noLinks) Relative(dest string) string                       { return "#" }

// parseEdit parses an item's TOML for editing.
func parseEdit(src []byte) (*tomledit.Doc, error) { return tomledit.Parse(src) }
