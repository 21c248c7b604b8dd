package semdiff

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// FieldChange is one value that differs between the two sides. A field
// that was added has no Old, one that was removed no New. Diff holds a
// unified diff instead of Old and New for multi-line text.
type FieldChange struct {
	// Path names the value: "ip", "interfaces[eth0].mac", "tags[2]".
	Path string `json:"path"`
	Op   string `json:"op"` // "added", "removed" or "changed"
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	Diff string `json:"diff,omitempty"`
}

// hideValues replaces the values of the change with hiddenValue.
func (fc *FieldChange) hideValues() {
	fc.Diff = ""
	if fc.Op != "added" {
		fc.Old = hiddenValue
	}
	if fc.Op != "removed" {
		fc.New = hiddenValue
	}
}

// hiddenValue stands for a value the report must not print.
const hiddenValue = "(hidden)"

// fieldDiffer compares the fields of one item.
type fieldDiffer struct {
	schema *schema.Schema // nil for organizations and configuration files
	hide   func(key string) bool
	diffs  *budget
	out    []FieldChange
}

func (d *fieldDiffer) add(fc FieldChange, key string) {
	if d.hide != nil && d.hide(key) {
		fc.hideValues()
	}
	d.out = append(d.out, fc)
}

// tables compares two tables; top is the top-level key the values belong
// to ("" at the top), for hiding.
func (d *fieldDiffer) tables(prefix, top string, a, b *tomldoc.Table, group *schema.Field) {
	for _, k := range unionKeys(a, b) {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		t := top
		if t == "" {
			t = k
		}
		d.values(p, t, a.Get(k), b.Get(k), subField(group, d.schema, k, prefix == ""))
	}
}

// subField returns the schema field for key: a top-level field of the
// schema, or a sub-field of a group.
func subField(group *schema.Field, s *schema.Schema, key string, top bool) *schema.Field {
	if group != nil {
		for _, f := range group.Fields {
			if f.Name == key {
				return f
			}
		}
		return nil
	}
	if top && s != nil {
		return s.Field(key)
	}
	return nil
}

// unionKeys returns b's keys in order, then a's keys b does not have.
func unionKeys(a, b *tomldoc.Table) []string {
	keys := append([]string(nil), b.Keys()...)
	for _, k := range a.Keys() {
		if b.Get(k) == nil {
			keys = append(keys, k)
		}
	}
	return keys
}

func (d *fieldDiffer) values(path, top string, a, b *tomldoc.Value, f *schema.Field) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		d.add(FieldChange{Path: path, Op: "added", New: display(b)}, top)
		return
	case b == nil:
		d.add(FieldChange{Path: path, Op: "removed", Old: display(a)}, top)
		return
	}
	if a.Kind == tomldoc.KindTable && b.Kind == tomldoc.KindTable {
		d.tables(path, top, a.Table, b.Table, nil)
		return
	}
	if rowsOf(a) != nil && rowsOf(b) != nil {
		d.rows(path, top, rowsOf(a), rowsOf(b), f)
		return
	}
	if a.Kind == tomldoc.KindArray && b.Kind == tomldoc.KindArray {
		d.elements(path, top, a.Array, b.Array)
		return
	}
	if a.Kind == tomldoc.KindString && b.Kind == tomldoc.KindString && (strings.Contains(a.Str, "\n") || strings.Contains(b.Str, "\n")) {
		if a.Str != b.Str {
			d.add(FieldChange{Path: path, Op: "changed", Diff: d.diffs.unified(a.Str, b.Str, 1, 1)}, top)
		}
		return
	}
	if da, db := display(a), display(b); da != db {
		d.add(FieldChange{Path: path, Op: "changed", Old: da, New: db}, top)
	}
}

// elements compares two arrays of values as lists of members: each
// element added or removed is one change ("tags[]: added \"vpn\""); the
// same members in another order are one change of the whole array.
func (d *fieldDiffer) elements(path, top string, a, b []*tomldoc.Value) {
	count := map[string]int{}
	for _, v := range a {
		count[display(v)]++
	}
	var added []string
	for _, v := range b {
		s := display(v)
		if count[s] > 0 {
			count[s]--
			continue
		}
		added = append(added, s)
	}
	var removed []string
	for _, v := range a {
		s := display(v)
		if count[s] > 0 {
			count[s]--
			removed = append(removed, s)
		}
	}
	for _, s := range added {
		d.add(FieldChange{Path: path + "[]", Op: "added", New: s}, top)
	}
	for _, s := range removed {
		d.add(FieldChange{Path: path + "[]", Op: "removed", Old: s}, top)
	}
	if len(added)+len(removed) == 0 {
		whole := func(vs []*tomldoc.Value) string { return display(&tomldoc.Value{Kind: tomldoc.KindArray, Array: vs}) }
		if wa, wb := whole(a), whole(b); wa != wb {
			d.add(FieldChange{Path: path, Op: "changed", Old: wa, New: wb}, top)
		}
	}
}

// rowsOf returns the tables of an array of tables (a group's rows), or
// nil for any other value. An empty array is no rows.
func rowsOf(v *tomldoc.Value) []*tomldoc.Table {
	if v.Kind != tomldoc.KindArray {
		return nil
	}
	rows := []*tomldoc.Table{}
	for _, e := range v.Array {
		if e.Kind != tomldoc.KindTable {
			return nil
		}
		rows = append(rows, e.Table)
	}
	return rows
}

// rows compares the rows of a group. Rows are matched, in this order:
// identical rows; rows with the same value of the group's key field (its
// title field, else its first field); and, when as many rows of each side
// are left, the rest by position (rows edited in place). Rows left over
// are added or removed.
func (d *fieldDiffer) rows(path, top string, a, b []*tomldoc.Table, f *schema.Field) {
	key := rowKey(f, a, b)
	matchA := make([]int, len(a)) // index in b + 1, 0 when unmatched
	matchB := make([]int, len(b))
	pair := func(same func(x, y *tomldoc.Table) bool) {
		for i := range a {
			if matchA[i] != 0 {
				continue
			}
			for j := range b {
				if matchB[j] == 0 && same(a[i], b[j]) {
					matchA[i], matchB[j] = j+1, i+1
					break
				}
			}
		}
	}
	pair(func(x, y *tomldoc.Table) bool {
		return display(&tomldoc.Value{Kind: tomldoc.KindTable, Table: x}) == display(&tomldoc.Value{Kind: tomldoc.KindTable, Table: y})
	})
	if key != "" {
		pair(func(x, y *tomldoc.Table) bool {
			vx, vy := x.Get(key), y.Get(key)
			return vx != nil && vy != nil && display(vx) == display(vy)
		})
	}
	var restA, restB []int
	for i := range a {
		if matchA[i] == 0 {
			restA = append(restA, i)
		}
	}
	for j := range b {
		if matchB[j] == 0 {
			restB = append(restB, j)
		}
	}
	if len(restA) == len(restB) {
		for k := range restA {
			matchA[restA[k]], matchB[restB[k]] = restB[k]+1, restA[k]+1
		}
	}
	label := func(t *tomldoc.Table, i int) string {
		if key != "" {
			if v := t.Get(key); v != nil && v.Kind == tomldoc.KindString && v.Str != "" && !strings.ContainsAny(v.Str, "[]\n") {
				return fmt.Sprintf("%s[%s]", path, v.Str)
			}
		}
		return fmt.Sprintf("%s[%d]", path, i+1)
	}
	// In the new order, then rows removed, in the old order.
	for j, t := range b {
		if matchB[j] == 0 {
			d.add(FieldChange{Path: label(t, j), Op: "added", New: display(&tomldoc.Value{Kind: tomldoc.KindTable, Table: t})}, top)
			continue
		}
		d.tables(label(t, j), top, a[matchB[j]-1], t, f)
	}
	for i, t := range a {
		if matchA[i] == 0 {
			d.add(FieldChange{Path: label(t, i), Op: "removed", Old: display(&tomldoc.Value{Kind: tomldoc.KindTable, Table: t})}, top)
		}
	}
}

// rowKey is the sub-field that names a group's rows: its first title
// field, else its first field, else the first key of the first row.
func rowKey(f *schema.Field, a, b []*tomldoc.Table) string {
	if f != nil && len(f.Fields) > 0 {
		for _, sf := range f.Fields {
			if sf.UseForTitle {
				return sf.Name
			}
		}
		return f.Fields[0].Name
	}
	for _, rows := range [][]*tomldoc.Table{b, a} {
		if len(rows) > 0 && rows[0].Len() > 0 {
			return rows[0].Keys()[0]
		}
	}
	return ""
}

// display writes a value as TOML, on one line.
func display(v *tomldoc.Value) string {
	switch v.Kind {
	case tomldoc.KindString:
		return strconv.Quote(v.Str)
	case tomldoc.KindArray:
		parts := make([]string, len(v.Array))
		for i, e := range v.Array {
			parts[i] = display(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case tomldoc.KindTable:
		var parts []string
		for _, k := range v.Table.Keys() {
			parts = append(parts, k+" = "+display(v.Table.Get(k)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.Raw
}
