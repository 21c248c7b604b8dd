package portal

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	expirydays "github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/generator/urls"
)

// sections renders an item's fields in schema order, split at headers.
// Title fields are left out: they are the page's heading.
func (r *Renderer) sections(ctx context.Context, from string, it *model.Item) ([]Section, error) {
	if it.Schema == nil {
		return nil, nil
	}
	secs := []Section{{}}
	for _, f := range it.Schema.Fields {
		if f.Kind == schema.Header {
			secs = append(secs, Section{Title: f.DisplayLabel()})
			continue
		}
		if f.UseForTitle {
			continue
		}
		fv, ok := r.fieldView(ctx, from, it, f)
		if !ok {
			continue
		}
		if f.Kind == schema.Password {
			if err := r.seal(ctx, it, &fv); err != nil {
				return nil, err
			}
		}
		secs[len(secs)-1].Fields = append(secs[len(secs)-1].Fields, fv)
	}
	out := secs[:0]
	for _, s := range secs {
		if len(s.Fields) > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// seal adds the sealed value of a password field when the portal carries
// sealed secrets and a sealer is configured.
func (r *Renderer) seal(ctx context.Context, it *model.Item, fv *FieldView) error {
	if r.opts.Sealer == nil || r.v.Portal.Secrets != "sealed" {
		return nil
	}
	sealed, ok, err := r.opts.Sealer.Seal(ctx, it, fv.Name)
	if err != nil {
		return fmt.Errorf("sealing %s of %s: %w", fv.Name, it.ID, err)
	}
	if ok {
		fv.Secret.Sealed = sealed
	}
	return nil
}

// fieldView renders one field of an item; ok is false when the item has
// no value for it (and no default).
func (r *Renderer) fieldView(ctx context.Context, from string, it *model.Item, f *schema.Field) (FieldView, bool) {
	fv := FieldView{Name: f.Name, Label: f.DisplayLabel(), Kind: string(f.Kind)}
	if f.Kind == schema.Password {
		if it.Secrets == "" {
			return fv, false
		}
		fv.Secret = &Secret{Field: f.Name}
		return fv, true
	}
	v := it.Value(f.Name)
	if v == nil {
		v = f.Default
	}
	if v == nil {
		return fv, false
	}
	switch f.Kind {
	case schema.Group:
		fv.Group = r.groupTable(from, it, f, v)
		return fv, fv.Group != nil
	case schema.Textbox:
		if v.Kind != tomldoc.KindString || strings.TrimSpace(v.Str) == "" {
			return fv, false
		}
		pos := v.StrPos
		if pos.Line == 0 {
			pos = v.Pos
		}
		doc := r.md.Parse([]byte(v.Str), pos.Line, pos.Col)
		h, err := r.renderMarkdown(doc, from, it.ID)
		if err != nil {
			// RenderHTML fails only on write errors to a buffer, which do
			// not happen; show the text rather than nothing.
			fv.Values = []Value{{Text: v.Str}}
			return fv, true
		}
		fv.HTML = h
		return fv, true
	}
	for _, e := range v.Elements() {
		fv.Values = append(fv.Values, r.scalar(from, it, f, e))
	}
	return fv, len(fv.Values) > 0
}

// records returns the records of a group field's value.
func records(v *tomldoc.Value) []*tomldoc.Table {
	var out []*tomldoc.Table
	for _, e := range v.Elements() {
		if e.Kind == tomldoc.KindTable && e.Table != nil {
			out = append(out, e.Table)
		}
	}
	return out
}

func (r *Renderer) groupTable(from string, it *model.Item, f *schema.Field, v *tomldoc.Value) *GroupTable {
	recs := records(v)
	if len(recs) == 0 {
		return nil
	}
	var cols []*schema.Field
	for _, sub := range f.Fields {
		if sub.Kind == schema.Header || sub.Kind == schema.Password || sub.Kind == schema.Group {
			continue
		}
		for _, rec := range recs {
			if rec.Get(sub.Name) != nil {
				cols = append(cols, sub)
				break
			}
		}
	}
	g := &GroupTable{}
	for _, c := range cols {
		g.Columns = append(g.Columns, c.DisplayLabel())
	}
	for _, rec := range recs {
		row := make([][]Value, len(cols))
		for i, c := range cols {
			e := rec.Get(c.Name)
			if e == nil {
				continue
			}
			if c.Kind == schema.Textbox {
				row[i] = []Value{{Text: e.Str}}
				continue
			}
			for _, x := range e.Elements() {
				row[i] = append(row[i], r.scalar(from, it, c, x))
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// scalar renders one value of a field by its kind.
func (r *Renderer) scalar(from string, it *model.Item, f *schema.Field, e *tomldoc.Value) Value {
	str := e.Str
	if e.Kind != tomldoc.KindString {
		str = strings.Trim(e.Raw, `"'`)
	}
	switch f.Kind {
	case schema.Number, schema.Percent:
		s := strconv.FormatFloat(e.Float, 'f', -1, 64)
		if f.Decimals != nil {
			s = strconv.FormatFloat(e.Float, 'f', *f.Decimals, 64)
		}
		if f.Kind == schema.Percent {
			s += " %"
		}
		return Value{Text: s}
	case schema.Checkbox:
		if e.Kind == tomldoc.KindBool && e.Bool {
			return Value{Text: "Yes"}
		}
		return Value{Text: "No"}
	case schema.Date:
		d, ok := schema.DateOf(e)
		if !ok {
			return Value{Text: str}
		}
		v := Value{Text: d.Format("2 Jan 2006"), Date: d.Format("2006-01-02")}
		if f.Expires {
			b := r.badge(d)
			v.Badge = &b
		}
		return v
	case schema.URL:
		u, err := url.Parse(str)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return Value{Text: str, Href: template.URL(u.String()), External: true}
		}
		return Value{Text: str}
	case schema.Email:
		if strings.ContainsAny(str, " <>\"'\\") || !strings.Contains(str, "@") {
			return Value{Text: str}
		}
		return Value{Text: str, Href: template.URL("mailto:" + url.PathEscape(str))}
	case schema.Phone:
		tel := telDigits(str)
		if tel == "" {
			return Value{Text: str}
		}
		return Value{Text: str, Href: template.URL("tel:" + tel)}
	case schema.Tag:
		t, ok := r.v.Resolve(it.ID, model.RefID, strings.TrimSpace(str))
		switch {
		case !ok:
			return Value{Text: access.HiddenText, Hidden: true}
		case t.Org:
			return Value{Text: r.v.Org(t.ID).Name, Href: r.rel(from, urls.Org(t.ID))}
		}
		target := r.v.Item(t.ID)
		return Value{Text: titleOf(target), Href: r.rel(from, urls.Item(target))}
	case schema.Upload:
		if t, ok := r.v.Resolve(it.ID, model.RefUpload, str); ok {
			return Value{Text: path.Base(t.File), Href: r.rel(from, urls.File(t.File)), Download: download(t.File)}
		}
		return Value{Text: path.Base(str)}
	}
	return Value{Text: str}
}

// telDigits keeps the characters a tel: URL may carry: a leading + and
// digits. An extension ("x 12") is dropped.
func telDigits(s string) string {
	if i := strings.IndexAny(strings.ToLower(s), "xe"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	for i, c := range strings.TrimSpace(s) {
		if c >= '0' && c <= '9' || (c == '+' && i == 0) {
			b.WriteRune(c)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}

// badge measures a date against the as-of date and the expiry window.
func (r *Renderer) badge(d time.Time) Badge {
	w := r.v.Config().ExpiryWindowDays
	days := expirydays.Days(r.today, d)
	b := Badge{Date: d.Format("2006-01-02"), Days: days, Window: w, Class: "ok"}
	switch {
	case days < -1:
		b.Class, b.Text = "expired", fmt.Sprintf("Expired %d days ago", -days)
	case days == -1:
		b.Class, b.Text = "expired", "Expired yesterday"
	case days == 0:
		b.Class, b.Text = "soon", "Expires today"
	case days == 1:
		b.Class, b.Text = "soon", "Expires tomorrow"
	case days <= w:
		b.Class, b.Text = "soon", fmt.Sprintf("Expires in %d days", days)
	}
	return b
}
