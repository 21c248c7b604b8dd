// Package tomldoc parses TOML into a tree of values that remember where they
// were written, so every later check can say file:line:col.
//
// It uses the go-toml/v2 parser (the only TOML parser in cairn) and builds
// its own tree on top, enforcing the semantic rules the parser leaves to its
// caller: no key defined twice, no table redefined, inline tables closed.
package tomldoc

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Kind is the TOML type of a value.
type Kind uint8

// The kinds of TOML values.
const (
	KindString Kind = iota + 1
	KindInteger
	KindFloat
	KindBool
	KindDate          // a local date: 2026-11-23
	KindDateTime      // an offset date-time: 2026-11-23T10:00:00Z
	KindLocalDateTime // 2026-11-23T10:00:00
	KindLocalTime     // 10:00:00
	KindArray
	KindTable
)

// String names the kind as a user would: "a string", "an integer", ...
func (k Kind) String() string {
	switch k {
	case KindString:
		return "a string"
	case KindInteger:
		return "an integer"
	case KindFloat:
		return "a float"
	case KindBool:
		return "a boolean"
	case KindDate:
		return "a date"
	case KindDateTime, KindLocalDateTime:
		return "a date-time"
	case KindLocalTime:
		return "a time"
	case KindArray:
		return "an array"
	case KindTable:
		return "a table"
	}
	return "nothing"
}

// Pos is a 1-based line and column (in bytes) in the document.
type Pos struct {
	Line, Col int
}

// Value is one TOML value and where it was written.
type Value struct {
	// Pos is where the value starts; KeyPos where its key starts (the same
	// as Pos for array elements).
	Pos    Pos
	KeyPos Pos
	// Raw is the value as written, for scalars (quotes included for
	// strings); useful in messages.
	Raw string

	Str   string    // String
	Int   int64     // Integer
	Float float64   // Float (and Integer, converted)
	Time  time.Time // Date (UTC midnight), DateTime, LocalDateTime
	// StrPos locates the first character of Str.
	StrPos Pos

	Array []*Value // Array
	Table *Table   // Table

	// Kind and the flags come last, together, so that a Value takes 160
	// bytes rather than 184: a site of 100,000 items holds a million.

	Kind Kind
	Bool bool // Bool
	// Multiline is true for strings written with triple quotes.
	Multiline bool

	tableArray bool // an array of tables ([[x]])
}

// Table is a TOML table: keys in the order they were written.
type Table struct {
	Pos  Pos // the header, or the first key for implicit and root tables
	keys []string
	vals []*Value // vals[i] is the value of keys[i]
	// m indexes large tables; small ones (almost every item) are scanned,
	// which costs less than a map's memory on a site of 100,000 items.
	m map[string]*Value

	explicit bool // defined by a [header] or as a value
	closed   bool // inline table, or an array-of-tables element written as value
	dotted   bool // created by a dotted key in a key/value
}

// Keys returns the keys in the order they were first written.
func (t *Table) Keys() []string {
	if t == nil {
		return nil
	}
	return t.keys
}

// Get returns the value for key, or nil.
func (t *Table) Get(key string) *Value {
	if t == nil {
		return nil
	}
	if t.m != nil {
		return t.m[key]
	}
	for i, k := range t.keys {
		if k == key {
			return t.vals[i]
		}
	}
	return nil
}

// Len returns the number of keys.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.keys)
}

// SortedKeys returns the keys in byte order.
func (t *Table) SortedKeys() []string {
	ks := append([]string(nil), t.Keys()...)
	sort.Strings(ks)
	return ks
}

func newTable(pos Pos) *Table { return &Table{Pos: pos} }

// indexFrom is the size from which a table keeps a map of its keys.
const indexFrom = 24

func (t *Table) set(key string, v *Value) {
	t.keys = append(t.keys, key)
	t.vals = append(t.vals, v)
	switch {
	case t.m != nil:
		t.m[key] = v
	case len(t.keys) == indexFrom:
		t.m = make(map[string]*Value, 2*indexFrom)
		for i, k := range t.keys {
			t.m[k] = t.vals[i]
		}
	}
}

// SyntaxError is a TOML document that cannot be read: bad syntax, or a key
// or table defined twice.
type SyntaxError struct {
	Pos Pos
	Msg string
	// Hint is set for errors that are not TOML syntax but a limit of
	// cairn's (MaxValue), and says what to do instead.
	Hint string
}

// MaxValue is the longest string value, in bytes: 1 MiB. Longer text
// belongs in a document or an attachment (docs/format.md, "Limits").
const MaxValue = 1 << 20

// bom is the UTF-8 byte-order mark some editors write at the start of a
// file. Parse skips it: positions on line 1 count from after it, as the
// editor shows them.
var bom = []byte("\xef\xbb\xbf")

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// Parse reads a TOML document. On failure the error is a *SyntaxError.
// Parse never panics, whatever the input.
func Parse(data []byte) (root *Table, err error) {
	data = bytes.TrimPrefix(data, bom)
	d := decoders.Get().(*decoder)
	d.lines = lineStarts(d.lines[:0], data)
	defer decoders.Put(d)
	defer func() {
		// The parser is fuzzed upstream, but a panic here must never take
		// down a whole check run: turn it into a positioned error.
		if r := recover(); r != nil {
			root, err = nil, &SyntaxError{Pos: Pos{1, 1}, Msg: fmt.Sprintf("cannot parse TOML: %v", r)}
		}
	}()
	return d.parse(data)
}

type decoder struct {
	p     unstable.Parser
	lines []int
}

// decoders reuse parsers: a parser's node arena is most of what parsing a
// small file allocates. The tree Parse returns shares nothing with it.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

func lineStarts(starts []int, data []byte) []int {
	starts = append(starts, 0)
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (d *decoder) pos(offset int) Pos {
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > offset }) - 1
	if i < 0 {
		i = 0
	}
	return Pos{Line: i + 1, Col: offset - d.lines[i] + 1}
}

func (d *decoder) nodePos(n *unstable.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	if n.Raw.Length > 0 || n.Kind == unstable.String {
		return d.pos(int(n.Raw.Offset))
	}
	// Arrays carry no range: use their first element, if any.
	if c := n.Child(); c != nil {
		return d.nodePos(c)
	}
	return Pos{}
}

func (d *decoder) errAt(pos Pos, format string, args ...any) error {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) parse(data []byte) (*Table, error) {
	if !utf8Valid(data) {
		return nil, d.errAt(d.pos(firstInvalidUTF8(data)), "the file is not valid UTF-8")
	}
	d.p.Reset(data)
	root := newTable(Pos{1, 1})
	root.explicit = true
	current := root
	for d.p.NextExpression() {
		expr := d.p.Expression()
		var err error
		switch expr.Kind {
		case unstable.KeyValue:
			err = d.keyValue(current, expr)
		case unstable.Table:
			current, err = d.tableHeader(root, expr)
		case unstable.ArrayTable:
			current, err = d.arrayTableHeader(root, expr)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.p.Error(); err != nil {
		var perr *unstable.ParserError
		if errors.As(err, &perr) {
			off := 0
			if perr.Highlight != nil {
				off = cap(data) - cap(perr.Highlight)
				if off < 0 || off > len(data) {
					off = 0
				}
			}
			return nil, d.errAt(d.pos(off), "%s", perr.Message)
		}
		return nil, d.errAt(Pos{1, 1}, "%v", err)
	}
	return root, nil
}

type keyPart struct {
	name string
	pos  Pos
}

func (d *decoder) keyParts(it unstable.Iterator) []keyPart {
	var parts []keyPart
	for it.Next() {
		n := it.Node()
		parts = append(parts, keyPart{name: string(n.Data), pos: d.nodePos(n)})
	}
	return parts
}

func dotted(parts []keyPart) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.name
		if strings.ContainsAny(p.name, ". \"'") || p.name == "" {
			names[i] = strconv.Quote(p.name)
		}
	}
	return strings.Join(names, ".")
}

// descend walks from t along parts, creating implicit tables as needed, and
// returns the table that should hold the last step.
func (d *decoder) descend(t *Table, parts []keyPart, forKeyValue bool) (*Table, error) {
	for i, part := range parts {
		v := t.Get(part.name)
		if v == nil {
			nt := newTable(part.pos)
			nt.dotted = forKeyValue
			t.set(part.name, &Value{Kind: KindTable, Pos: part.pos, KeyPos: part.pos, Table: nt})
			t = nt
			continue
		}
		switch {
		case v.Kind == KindTable && !v.Table.closed:
			if forKeyValue && v.Table.explicit && !v.Table.dotted {
				return nil, d.errAt(part.pos, "cannot add to table %q with a dotted key: it is defined with a [header] at line %d", dotted(parts[:i+1]), v.Table.Pos.Line)
			}
			t = v.Table
		case v.Kind == KindArray && v.tableArray && !forKeyValue:
			t = v.Array[len(v.Array)-1].Table
		default:
			return nil, d.errAt(part.pos, "key %q is already defined at line %d", dotted(parts[:i+1]), v.KeyPos.Line)
		}
	}
	return t, nil
}

func (d *decoder) keyValue(t *Table, expr *unstable.Node) error {
	parts := d.keyParts(expr.Key())
	parent, err := d.descend(t, parts[:len(parts)-1], true)
	if err != nil {
		return err
	}
	last := parts[len(parts)-1]
	if prev := parent.Get(last.name); prev != nil {
		return d.errAt(last.pos, "key %q is already defined at line %d", dotted(parts), prev.KeyPos.Line)
	}
	v, err := d.value(expr.Value())
	if err != nil {
		return err
	}
	v.KeyPos = parts[0].pos
	parent.set(last.name, v)
	return nil
}

func (d *decoder) tableHeader(root *Table, expr *unstable.Node) (*Table, error) {
	parts := d.keyParts(expr.Key())
	parent, err := d.descend(root, parts[:len(parts)-1], false)
	if err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	if v := parent.Get(last.name); v != nil {
		if v.Kind != KindTable || v.Table.explicit || v.Table.closed || v.Table.dotted {
			return nil, d.errAt(last.pos, "table [%s] is already defined at line %d", dotted(parts), v.KeyPos.Line)
		}
		v.Table.explicit = true
		return v.Table, nil
	}
	nt := newTable(parts[0].pos)
	nt.explicit = true
	parent.set(last.name, &Value{Kind: KindTable, Pos: parts[0].pos, KeyPos: parts[0].pos, Table: nt})
	return nt, nil
}

func (d *decoder) arrayTableHeader(root *Table, expr *unstable.Node) (*Table, error) {
	parts := d.keyParts(expr.Key())
	parent, err := d.descend(root, parts[:len(parts)-1], false)
	if err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	nt := newTable(parts[0].pos)
	nt.explicit = true
	elem := &Value{Kind: KindTable, Pos: parts[0].pos, KeyPos: parts[0].pos, Table: nt}
	if v := parent.Get(last.name); v != nil {
		if v.Kind != KindArray || !v.tableArray {
			return nil, d.errAt(last.pos, "key %q is already defined at line %d and is not an array of tables", dotted(parts), v.KeyPos.Line)
		}
		v.Array = append(v.Array, elem)
		return nt, nil
	}
	parent.set(last.name, &Value{Kind: KindArray, Pos: parts[0].pos, KeyPos: parts[0].pos, Array: []*Value{elem}, tableArray: true})
	return nt, nil
}

// unquoted returns data, a string value's text, as a string: the part
// of raw (the value as written) inside its quotes when that is the same
// text, so the two share memory, else a copy.
func unquoted(raw string, data []byte) string {
	for _, q := range []int{1, 3} {
		if len(raw) >= 2*q && raw[q:len(raw)-q] == string(data) {
			return raw[q : len(raw)-q]
		}
	}
	return string(data)
}

func (d *decoder) value(n *unstable.Node) (*Value, error) {
	pos := d.nodePos(n)
	v := &Value{Pos: pos, KeyPos: pos}
	raw := ""
	if n.Raw.Length > 0 {
		raw = string(d.p.Raw(n.Raw))
	}
	v.Raw = raw
	switch n.Kind {
	case unstable.String:
		if len(n.Data) > MaxValue {
			return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("the string is %d bytes long; the limit for one value is 1 MiB (%d bytes)", len(n.Data), MaxValue),
				Hint: "move long text into a document (documents/<slug>.md) or an attachment (files/)"}
		}
		v.Kind = KindString
		v.Str = unquoted(raw, n.Data)
		v.StrPos = Pos{pos.Line, pos.Col + 1}
		if strings.HasPrefix(raw, `"""`) || strings.HasPrefix(raw, `'''`) {
			v.Multiline = true
			v.StrPos = Pos{pos.Line, pos.Col + 3}
			rest := raw[3:]
			if strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") {
				v.StrPos = Pos{pos.Line + 1, 1}
			}
		}
	case unstable.Bool:
		v.Kind = KindBool
		v.Bool = raw == "true"
	case unstable.Integer:
		i, err := parseInt(raw)
		if err != nil {
			return nil, d.errAt(pos, "%s", err)
		}
		v.Kind, v.Int, v.Float = KindInteger, i, float64(i)
	case unstable.Float:
		f, err := parseFloat(raw)
		if err != nil {
			return nil, d.errAt(pos, "%s", err)
		}
		v.Kind, v.Float = KindFloat, f
	case unstable.LocalDate:
		t, err := time.Parse("2006-01-02", raw)
		if err != nil {
			return nil, d.errAt(pos, "%s is not a calendar date", raw)
		}
		v.Kind, v.Time = KindDate, t
	case unstable.LocalDateTime:
		t, err := parseDateTime(raw, false)
		if err != nil {
			return nil, d.errAt(pos, "%s is not a valid date-time", raw)
		}
		v.Kind, v.Time = KindLocalDateTime, t
	case unstable.DateTime:
		t, err := parseDateTime(raw, true)
		if err != nil {
			return nil, d.errAt(pos, "%s is not a valid date-time", raw)
		}
		v.Kind, v.Time = KindDateTime, t
	case unstable.LocalTime:
		v.Kind = KindLocalTime
	case unstable.Array:
		v.Kind = KindArray
		for it := n.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			ev, err := d.value(c)
			if err != nil {
				return nil, err
			}
			v.Array = append(v.Array, ev)
		}
	case unstable.InlineTable:
		v.Kind = KindTable
		t := newTable(pos)
		t.explicit, t.closed = true, true
		for it := n.Children(); it.Next(); {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			if err := d.keyValue(t, c); err != nil {
				return nil, err
			}
		}
		// Tables created by dotted keys inside an inline table are closed too.
		closeAll(t)
		v.Table = t
	default:
		return nil, d.errAt(pos, "unexpected %s", n.Kind)
	}
	return v, nil
}

func closeAll(t *Table) {
	t.closed = true
	for _, v := range t.vals {
		if v.Kind == KindTable {
			closeAll(v.Table)
		}
	}
}

func parseInt(raw string) (int64, error) {
	s := strings.ReplaceAll(raw, "_", "")
	base := 10
	switch {
	case strings.HasPrefix(s, "0x"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0o"):
		base, s = 8, s[2:]
	case strings.HasPrefix(s, "0b"):
		base, s = 2, s[2:]
	}
	i, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a 64-bit integer", raw)
	}
	return i, nil
}

func parseFloat(raw string) (float64, error) {
	s := strings.ReplaceAll(raw, "_", "")
	switch strings.TrimLeft(s, "+-") {
	case "inf":
		if strings.HasPrefix(s, "-") {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a valid float", raw)
	}
	return f, nil
}

func parseDateTime(raw string, offset bool) (time.Time, error) {
	s := strings.Replace(raw, " ", "T", 1)
	s = strings.Replace(s, "t", "T", 1)
	if offset {
		s = strings.Replace(s, "z", "Z", 1)
		return time.Parse(time.RFC3339Nano, s)
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

func utf8Valid(b []byte) bool { return firstInvalidUTF8(b) < 0 }

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := decodeRune(b[i:])
		if r < 0 {
			return i
		}
		i += size
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return bytes.IndexByte(b, 0)
	}
	return -1
}

// Elements returns the elements of an array, or the value itself for any
// other kind: the values of a field that may hold one value or several.
func (v *Value) Elements() []*Value {
	if v.Kind == KindArray {
		return v.Array
	}
	return []*Value{v}
}
