// Package tomledit rewrites values of one TOML document in place, as a
// minimal diff: keys, comments, blank lines and order that an edit does not
// touch stay byte for byte as they were, and a changed value is replaced
// only where it is written (a trailing comment after it survives). It edits
// top-level keys and the keys of array-of-tables rows ([[group]]), adds and
// removes such keys and rows, and refuses what it cannot rewrite in place
// (dotted keys, values inside [table] sections) with an error rather than
// reformatting the document.
package tomledit

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Value is a TOML value as it will be written, like `"text"`, `42`,
// `2026-12-01` or `["a", "b"]`. Build one with String, Raw or Strings.
type Value struct{ text string }

// String is a basic string; one with line breaks is written as a
// multi-line string, so Markdown stays readable in the file.
func String(s string) Value {
	if !strings.Contains(s, "\n") {
		return Value{tomldoc.Quote(s)}
	}
	return Value{multiline(s)}
}

// Raw is a value already written as TOML: a number, a date, true or false.
// The caller guarantees it is one valid TOML value.
func Raw(text string) Value { return Value{text} }

// Strings is an array of basic strings on one line.
func Strings(ss []string) Value {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = tomldoc.Quote(s)
	}
	return Value{"[" + strings.Join(parts, ", ") + "]"}
}

// Text returns the value as written.
func (v Value) Text() string { return v.text }

// KV is one key and its value, for a new row.
type KV struct {
	Key   string
	Value Value
}

// multiline writes s as a multi-line basic string: backslashes and runs of
// quotes escaped, control characters other than tab and newline as \u.
func multiline(s string) string {
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"' && (i+1 == len(rs) || rs[i+1] == '"'):
			b.WriteString(`\"`)
		case r == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
			// CRLF from a browser's textarea is written as LF
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(`"""`)
	return b.String()
}

// ErrNotInPlace is wrapped by errors for edits the package will not make
// without reformatting the document.
var ErrNotInPlace = errors.New("cannot be rewritten in place")

// Doc is one TOML document being edited. Edits are recorded and applied by
// Bytes; a Doc is not safe for concurrent use.
type Doc struct {
	src    []byte
	root   *tomldoc.Table
	starts []int // byte offset of each line
	edits  []splice
	// crlf is true for a document whose lines end in CRLF: what an edit
	// writes ends its lines the same way.
	crlf bool
}

// splice replaces src[start:end] with text.
type splice struct {
	start, end int
	text       string
	// row is true for an appended row, which goes after keys inserted at
	// the same place (a key written after a [[row]] header would join
	// the row).
	row bool
}

// Parse reads a document for editing.
func Parse(src []byte) (*Doc, error) {
	root, err := tomldoc.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parsing TOML: %w", err)
	}
	// tomldoc counts the first line's columns after a byte-order mark
	// (which Windows editors write); so does the first line here, and
	// the mark stays where it is.
	first := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		first = 3
	}
	d := &Doc{src: src, root: root, starts: []int{first}}
	for i, c := range src {
		if c == '\n' {
			if len(d.starts) == 1 {
				d.crlf = i > 0 && src[i-1] == '\r'
			}
			d.starts = append(d.starts, i+1)
		}
	}
	return d, nil
}

// Root returns the parsed document as it was before any edit.
func (d *Doc) Root() *tomldoc.Table { return d.root }

func (d *Doc) offset(p tomldoc.Pos) int {
	if p.Line < 1 || p.Line > len(d.starts) {
		return len(d.src)
	}
	o := d.starts[p.Line-1] + p.Col - 1
	if o > len(d.src) {
		return len(d.src)
	}
	return o
}

// Set gives a top-level key a value: in place when the key exists, else as
// a new line after the last top-level key.
func (d *Doc) Set(key string, v Value) error {
	return d.setIn(d.root, d.rootEnd(), key, v)
}

// Delete removes a top-level key and its line; deleting an absent key does
// nothing.
func (d *Doc) Delete(key string) error { return d.deleteIn(d.root, key) }

// SetInRow gives key a value in row (0-based) of the array of tables
// group.
func (d *Doc) SetInRow(group string, row int, key string, v Value) error {
	t, err := d.row(group, row)
	if err != nil {
		return err
	}
	return d.setIn(t, d.rowEnd(t), key, v)
}

// DeleteInRow removes key from row of the array of tables group.
func (d *Doc) DeleteInRow(group string, row int, key string) error {
	t, err := d.row(group, row)
	if err != nil {
		return err
	}
	return d.deleteIn(t, key)
}

// DeleteRow removes row of the array of tables group: its header and every
// line up to the next header or the end of the document.
func (d *Doc) DeleteRow(group string, row int) error {
	t, err := d.row(group, row)
	if err != nil {
		return err
	}
	return d.add(splice{start: d.headerStart(t.Pos.Line), end: d.rowEnd(t)})
}

// AppendRow adds a row to the array of tables group, after its last row
// (or at the end of the document when it has none).
func (d *Doc) AppendRow(group string, kvs []KV) error {
	var b strings.Builder
	b.WriteString("[[" + group + "]]\n")
	for _, kv := range kvs {
		b.WriteString(keyText(kv.Key) + " = " + kv.Value.text + "\n")
	}
	at := len(d.src)
	v := d.root.Get(group)
	if v != nil {
		if !d.isTableArray(v) {
			return fmt.Errorf("%q is not written as [[%s]] rows: %w", group, group, ErrNotInPlace)
		}
		at = d.rowEnd(v.Array[len(v.Array)-1].Table)
	}
	prefix := "\n"
	if at > 0 && d.src[at-1] != '\n' {
		prefix = "\n\n"
	}
	if at < len(d.src) {
		b.WriteString("\n")
		prefix = ""
		if at > 0 && d.src[at-1] != '\n' {
			prefix = "\n"
		}
	}
	return d.add(splice{at, at, prefix + b.String(), true})
}

// Rows returns the number of rows of the array of tables group (0 when
// absent) and whether it is written as [[group]] rows (true when absent).
func (d *Doc) Rows(group string) (int, bool) {
	v := d.root.Get(group)
	if v == nil {
		return 0, true
	}
	if !d.isTableArray(v) {
		return 0, false
	}
	return len(v.Array), true
}

func (d *Doc) isTableArray(v *tomldoc.Value) bool {
	if v.Kind != tomldoc.KindArray || len(v.Array) == 0 {
		return false
	}
	for _, e := range v.Array {
		if e.Kind != tomldoc.KindTable {
			return false
		}
		o := d.starts[e.Table.Pos.Line-1]
		if !strings.HasPrefix(strings.TrimLeft(string(d.src[o:min(o+200, len(d.src))]), " \t"), "[[") {
			return false
		}
	}
	return true
}

func (d *Doc) row(group string, row int) (*tomldoc.Table, error) {
	v := d.root.Get(group)
	if v == nil || !d.isTableArray(v) {
		return nil, fmt.Errorf("%q has no [[%s]] rows: %w", group, group, ErrNotInPlace)
	}
	if row < 0 || row >= len(v.Array) {
		return nil, fmt.Errorf("%q has no row %d", group, row+1)
	}
	return v.Array[row].Table, nil
}

// rootEnd is where a new top-level key goes: after the line of the last
// top-level key/value, else before the first table header, else at the end.
func (d *Doc) rootEnd() int {
	end := -1
	for _, k := range d.root.Keys() {
		v := d.root.Get(k)
		if d.isTableArray(v) || v.Kind == tomldoc.KindTable && d.isHeader(v.Table) {
			continue
		}
		if e, err := d.valueEnd(v); err == nil && e > end {
			end = e
		}
	}
	if end < 0 {
		return d.firstHeader()
	}
	return d.lineEnd(end)
}

// isHeader reports whether a table was opened by a [header] line.
func (d *Doc) isHeader(t *tomldoc.Table) bool {
	o := d.starts[t.Pos.Line-1]
	return strings.HasPrefix(strings.TrimLeft(string(d.src[o:min(o+200, len(d.src))]), " \t"), "[")
}

func (d *Doc) firstHeader() int {
	for _, st := range d.starts {
		line := strings.TrimLeft(string(d.src[st:d.lineEnd(st)]), " \t")
		if strings.HasPrefix(line, "[") {
			return st
		}
	}
	return len(d.src)
}

// rowEnd is the end of a [[group]] row: where the next header begins
// (with the comment lines right above it), or the end of the document.
func (d *Doc) rowEnd(t *tomldoc.Table) int {
	for i := t.Pos.Line; i < len(d.starts); i++ {
		st := d.starts[i]
		line := strings.TrimLeft(string(d.src[st:d.lineEnd(st)]), " \t")
		if strings.HasPrefix(line, "[") {
			return d.headerStart(i + 1)
		}
	}
	return len(d.src)
}

// headerStart is the start of the header on line (1-based), or of the
// comment lines written right above it, which belong to it.
func (d *Doc) headerStart(line int) int {
	i := line - 1
	for i > 0 {
		st := d.starts[i-1]
		if !strings.HasPrefix(strings.TrimLeft(string(d.src[st:d.lineEnd(st)]), " \t"), "#") {
			break
		}
		i--
	}
	return d.starts[i]
}

// lineEnd returns the offset just past the newline ending the line that
// holds offset o (or the end of the document).
func (d *Doc) lineEnd(o int) int {
	for o < len(d.src) && d.src[o] != '\n' {
		o++
	}
	if o < len(d.src) {
		o++
	}
	return o
}

// span returns where the value of key (parsed as v) starts and ends.
func (d *Doc) span(v *tomldoc.Value, key string) (start, end int, err error) {
	start, err = d.valueStart(v, key)
	if err != nil {
		return 0, 0, err
	}
	end, err = d.scanValue(start)
	return start, end, err
}

func (d *Doc) setIn(t *tomldoc.Table, insertAt int, key string, v Value) error {
	if old := t.Get(key); old != nil {
		start, end, err := d.span(old, key)
		if err != nil {
			return err
		}
		if string(d.src[start:end]) == v.text || d.crlf && string(d.src[start:end]) == strings.ReplaceAll(v.text, "\n", "\r\n") {
			return nil
		}
		return d.add(splice{start: start, end: end, text: v.text})
	}
	text := keyText(key) + " = " + v.text + "\n"
	if insertAt > 0 && d.src[insertAt-1] != '\n' {
		text = "\n" + text
	}
	return d.add(splice{start: insertAt, end: insertAt, text: text})
}

func (d *Doc) deleteIn(t *tomldoc.Table, key string) error {
	old := t.Get(key)
	if old == nil {
		return nil
	}
	_, end, err := d.span(old, key)
	if err != nil {
		return err
	}
	ks := d.offset(old.KeyPos)
	ls := d.starts[old.KeyPos.Line-1]
	if strings.TrimSpace(string(d.src[ls:ks])) != "" {
		return fmt.Errorf("%q shares its line with another key: %w", key, ErrNotInPlace)
	}
	le := d.lineEnd(end)
	if rest := strings.TrimSpace(string(d.src[end:le])); rest != "" && !strings.HasPrefix(rest, "#") {
		return fmt.Errorf("%q shares its line with another key: %w", key, ErrNotInPlace)
	}
	return d.add(splice{start: ls, end: le})
}

// add records a splice, refusing one that overlaps an earlier edit.
// Insertions at one place are kept in the order they were made. The
// splice's line breaks are written as the document writes its own.
func (d *Doc) add(s splice) error {
	if d.crlf {
		s.text = strings.ReplaceAll(s.text, "\n", "\r\n")
	}
	for _, e := range d.edits {
		overlap := s.start < e.end && e.start < s.end
		inside := s.start == s.end && e.start < s.start && s.start < e.end ||
			e.start == e.end && s.start < e.start && e.start < s.end
		same := s.start == e.start && s.end == e.end && s.start != s.end
		if overlap || inside || same {
			return fmt.Errorf("two edits of the same place: %w", ErrNotInPlace)
		}
	}
	d.edits = append(d.edits, s)
	return nil
}

// Bytes returns the document with every edit applied, and checks that the
// result is still valid TOML.
func (d *Doc) Bytes() ([]byte, error) {
	edits := append([]splice(nil), d.edits...)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return !edits[i].row && edits[j].row
	})
	var out []byte
	last := 0
	for _, e := range edits {
		out = append(out, d.src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	out = append(out, d.src[last:]...)
	if _, err := tomldoc.Parse(out); err != nil {
		return nil, fmt.Errorf("the edited document is not valid TOML (%v): %w", err, ErrNotInPlace)
	}
	return out, nil
}

// keyText writes a key bare when it can be, else quoted.
func keyText(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return tomldoc.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}
