package itglue

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
)

// mapper maps the columns of one row onto the fields of a schema, keeping
// every column it does not map as an extra.
type mapper struct {
	im   *importer
	it   *item
	s    *schema.Schema
	used map[int]bool
	tb   tomlBuf
	grp  tomlBuf
	set  map[string]bool
}

func (im *importer) newMapper(it *item, s *schema.Schema) *mapper {
	m := &mapper{im: im, it: it, s: s, used: map[int]bool{}, set: map[string]bool{}}
	for _, c := range []string{"id", "organization", "organization_name", "organization_id", "archived"} {
		if i := it.row.t.col(c); i >= 0 {
			m.used[i] = true
		}
	}
	return m
}

// take returns the value of the first present column of cols and marks
// it mapped.
func (m *mapper) take(cols ...string) (string, int) {
	first := -1
	for _, c := range cols {
		i := m.it.row.t.col(c)
		if i < 0 || m.used[i] {
			continue
		}
		if v := m.it.row.at(i); v != "" {
			m.used[i] = true
			return v, i
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		m.used[first] = true // empty: nothing to keep
	}
	return "", first
}

// keep adds a column's value to the item's extras (the notes), saying
// why it has no field when why is not "".
func (m *mapper) keep(col int, value, why string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	label := m.it.row.t.labels[col]
	if looksHTML(value) {
		if md, err := toMarkdown(m.im.conv, value, m.im.cellLink(m.it), nil); err == nil {
			value = md
		}
	}
	m.it.extras = append(m.it.extras, extra{label: label, value: value})
	if why != "" {
		m.im.rep.Warnings = append(m.im.rep.Warnings, note(m.it.row, fmt.Sprintf("%s: %s; kept in the notes", label, why)))
	}
}

// field maps the columns cols onto the schema field key, converting the
// value to the field's kind; a value the kind does not take is kept in the
// notes and reported.
func (m *mapper) field(key string, cols ...string) {
	v, col := m.take(cols...)
	if col < 0 || v == "" {
		return
	}
	f := m.s.Field(key)
	if f == nil {
		m.keep(col, v, "")
		return
	}
	if !m.value(f, v, col) {
		m.keep(col, v, fmt.Sprintf("not a valid %s for %q", f.Kind, key))
	}
}

// value writes one converted value of field f, or returns false.
func (m *mapper) value(f *schema.Field, v string, col int) bool {
	if m.set[f.Name] {
		return false
	}
	ok := true
	switch f.Kind {
	case schema.Text, schema.URL, schema.Email, schema.Phone, schema.IP, schema.CIDR:
		if f.Multiple {
			var vals []string
			for _, p := range splitList(v) {
				if !scalarOK(f, p) {
					return false
				}
				vals = append(vals, p)
			}
			if len(vals) == 0 {
				return false
			}
			m.tb.strs(f.Name, vals)
			break
		}
		if !scalarOK(f, v) {
			return false
		}
		m.tb.str(f.Name, v)
	case schema.Textbox:
		md, err := toMarkdown(m.im.conv, v, m.im.cellLink(m.it), nil)
		if err != nil || md == "" {
			return false
		}
		m.tb.str(f.Name, md)
	case schema.Date:
		d, good := parseDate(v)
		if !good {
			return false
		}
		m.tb.raw(f.Name, d)
	case schema.Checkbox:
		b, good := parseBool(v)
		if !good {
			return false
		}
		m.tb.boolean(f.Name, b)
	case schema.Number, schema.Percent:
		n, good := parseNumber(v)
		if !good {
			return false
		}
		m.tb.raw(f.Name, n)
	case schema.Select:
		o, good := matchOption(f.Options, v)
		if !good {
			return false
		}
		if f.Multiple {
			m.tb.strs(f.Name, []string{o})
		} else {
			m.tb.str(f.Name, o)
		}
	case schema.Tag:
		ids := m.tags(f, v, col)
		if len(ids) == 0 {
			return true // reported and kept by tags
		}
		if f.Multiple {
			m.tb.strs(f.Name, ids)
		} else {
			m.tb.str(f.Name, ids[0])
			if len(ids) > 1 {
				m.keep(col, v, "names more than one item, the field takes one")
			}
		}
	case schema.Password:
		if m.it.secrets == nil {
			m.it.secrets = map[string]string{}
		}
		m.it.secrets[f.Name] = m.it.row.fields[col] // untrimmed: spaces may be part of a password
	default:
		ok = false
	}
	if ok {
		m.set[f.Name] = true
	}
	return ok
}

// splitList splits a cell that lists values: by newline, else by comma.
func splitList(v string) []string {
	sep := ","
	if strings.Contains(v, "\n") {
		sep = "\n"
	}
	var out []string
	for _, p := range strings.Split(v, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// tags resolves the names of a tag cell to ids of the field's target types
// in the item's organization. Names that match no item, or more than one,
// are reported with the row and kept as text in the notes.
func (m *mapper) tags(f *schema.Field, v string, col int) []string {
	var ids, unresolved []string
	for _, name := range splitList(v) {
		var found []*item
		for _, typ := range f.Targets {
			found = append(found, m.it.org.lookup(typ, name)...)
		}
		switch len(found) {
		case 1:
			if found[0] != m.it {
				ids = append(ids, found[0].ref())
			}
		case 0:
			unresolved = append(unresolved, name)
			m.im.rep.Ambiguous = append(m.im.rep.Ambiguous, note(m.it.row, fmt.Sprintf("%s: no %s named %q in %s; kept as text", m.it.row.t.labels[col], strings.Join(f.Targets, " or "), name, m.it.org.name)))
		default:
			unresolved = append(unresolved, name)
			var cands []string
			for _, c := range found {
				cands = append(cands, c.ref())
			}
			m.im.rep.Ambiguous = append(m.im.rep.Ambiguous, note(m.it.row, fmt.Sprintf("%s: %q names %d items (%s); kept as text", m.it.row.t.labels[col], name, len(found), strings.Join(cands, ", "))))
		}
	}
	if len(unresolved) > 0 {
		m.it.extras = append(m.it.extras, extra{label: m.it.row.t.labels[col] + " (not linked)", value: strings.Join(unresolved, ", ")})
	}
	return ids
}

// selectOr writes a select field, falling back to def (and keeping the
// value in the notes) when the value is not one of its options.
func (m *mapper) selectOr(key, def string, cols ...string) {
	v, col := m.take(cols...)
	f := m.s.Field(key)
	if v != "" {
		if o, ok := matchOption(f.Options, v); ok {
			m.tb.str(key, o)
			m.set[key] = true
			return
		}
		for _, o := range f.Options {
			if strings.Contains(strings.ToLower(v), strings.ToLower(o)) {
				m.tb.str(key, o)
				m.set[key] = true
				m.keep(col, v, "")
				return
			}
		}
		m.keep(col, v, "")
	}
	if def != "" {
		m.tb.str(key, def)
		m.set[key] = true
	}
}

// rest keeps every column not mapped, and the notes column, in the notes.
func (m *mapper) rest() {
	if col := m.it.row.t.col("notes", "note", "quick_notes"); col >= 0 && !m.used[col] && m.it.row.at(col) != "" {
		m.used[col] = true
		v := m.it.row.at(col)
		md, err := toMarkdown(m.im.conv, v, m.im.cellLink(m.it), nil)
		if err != nil {
			md = v
		}
		m.it.notes = md
	}
	for i := range m.it.row.t.header {
		if !m.used[i] {
			m.keep(i, m.it.row.at(i), "")
		}
	}
	m.it.body = m.tb.String()
	m.it.groups = m.grp.String()
}

// group writes [[key]] tables from a JSON array cell (emails, phones,
// interfaces): each record's keys mapped by conv onto sub-fields.
func (m *mapper) group(key string, conv map[string][]string, cols ...string) {
	v, col := m.take(cols...)
	if v == "" {
		return
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(v), &recs); err != nil {
		m.keep(col, v, "not a JSON list of records")
		return
	}
	f := m.s.Field(key)
	for _, rec := range recs {
		var tb tomlBuf
		left := map[string]any{}
		for k, x := range rec {
			if x != nil && strings.TrimSpace(fmt.Sprint(x)) != "" {
				left[k] = x
			}
		}
		for _, sub := range f.Fields {
			var raw any
			var key string
			for _, k := range conv[sub.Name] {
				if x, ok := rec[k]; ok && x != nil {
					raw, key = x, k
					delete(left, k)
					break
				}
			}
			s := strings.TrimSpace(fmt.Sprint(raw))
			if raw == nil || s == "" {
				if sub.Required {
					tb = tomlBuf{}
					break
				}
				continue
			}
			switch sub.Kind {
			case schema.Checkbox:
				if b, ok := raw.(bool); ok {
					tb.boolean(sub.Name, b)
				} else if b, ok := parseBool(s); ok {
					tb.boolean(sub.Name, b)
				}
			case schema.Select:
				if o, ok := matchOption(sub.Options, s); ok {
					tb.str(sub.Name, o)
				} else {
					tb.str(sub.Name, "Other")
					left[conv[sub.Name][0]] = raw
				}
			default:
				if scalarOK(sub, s) {
					tb.str(sub.Name, s)
				} else if sub.Required {
					tb = tomlBuf{}
				} else {
					left[key] = raw // not a valid value of the sub-field: kept in the notes
				}
			}
			if tb.String() == "" && sub.Required {
				break
			}
		}
		if tb.String() == "" {
			b, _ := json.Marshal(rec)
			m.it.extras = append(m.it.extras, extra{label: m.it.row.t.labels[col], value: string(b)})
			continue
		}
		m.grp.line("")
		m.grp.line("[[" + key + "]]")
		m.grp.b.WriteString(tb.String())
		if len(left) > 0 {
			// what the record holds beyond the sub-fields: kept in the notes
			b, _ := json.Marshal(left)
			m.it.extras = append(m.it.extras, extra{label: m.it.row.t.labels[col] + " (more)", value: string(b)})
		}
	}
}
