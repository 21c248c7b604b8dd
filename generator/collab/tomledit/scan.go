package tomledit

import (
	"bytes"
	"fmt"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// valueStart finds where the value of key starts, reading from the key's
// position: the key as written (bare or quoted, not dotted), spaces, "=",
// spaces. Anything else (a dotted key) is refused.
func (d *Doc) valueStart(v *tomldoc.Value, key string) (int, error) {
	o := d.offset(v.KeyPos)
	end, name, ok := d.scanKey(o)
	if !ok || name != key {
		return 0, fmt.Errorf("key %q is not written as a plain key: %w", key, ErrNotInPlace)
	}
	o = skipSpace(d.src, end)
	if o >= len(d.src) || d.src[o] != '=' {
		return 0, fmt.Errorf("key %q is dotted: %w", key, ErrNotInPlace)
	}
	return skipSpace(d.src, o+1), nil
}

func skipSpace(b []byte, o int) int {
	for o < len(b) && (b[o] == ' ' || b[o] == '\t') {
		o++
	}
	return o
}

// scanKey reads one bare or quoted key at o.
func (d *Doc) scanKey(o int) (end int, name string, ok bool) {
	b := d.src
	if o >= len(b) {
		return o, "", false
	}
	switch b[o] {
	case '"', '\'':
		e, err := scanString(b, o)
		if err != nil {
			return o, "", false
		}
		t, err := tomldoc.Parse(append(append([]byte(nil), b[o:e]...), " = 0"...))
		if err != nil || len(t.Keys()) != 1 {
			return o, "", false
		}
		return e, t.Keys()[0], true
	}
	s := o
	for o < len(b) && isBare(b[o]) {
		o++
	}
	return o, string(b[s:o]), o > s
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// valueEnd is the end offset of a value of the parsed document, found
// from its key.
func (d *Doc) valueEnd(v *tomldoc.Value) (int, error) {
	end, name, ok := d.scanKey(d.offset(v.KeyPos))
	if !ok {
		return 0, fmt.Errorf("unreadable key: %w", ErrNotInPlace)
	}
	start, err := d.valueStart(v, name)
	if err != nil {
		return end, err
	}
	return d.scanValue(start)
}

// scanValue returns the end offset of the TOML value starting at o. The
// document is valid TOML, so the scan only needs to find the end; every
// loop advances by at least one byte.
func (d *Doc) scanValue(o int) (int, error) {
	b := d.src
	if o >= len(b) {
		return o, fmt.Errorf("no value at the end of the document: %w", ErrNotInPlace)
	}
	switch b[o] {
	case '"', '\'':
		return scanString(b, o)
	case '[', '{':
		return scanNested(b, o)
	}
	e := o
	for e < len(b) && !bytes.ContainsRune([]byte(" \t\r\n#,]}"), rune(b[e])) {
		e++
	}
	// A date-time may separate date and time with a space.
	if e-o == 10 && e+1 < len(b) && b[e] == ' ' && b[e+1] >= '0' && b[e+1] <= '9' && b[o+4] == '-' {
		e++
		for e < len(b) && !bytes.ContainsRune([]byte(" \t\r\n#,]}"), rune(b[e])) {
			e++
		}
	}
	return e, nil
}

// scanString returns the end of the string starting at o (basic, literal,
// or either multi-line form).
func scanString(b []byte, o int) (int, error) {
	q := b[o]
	triple := bytes.HasPrefix(b[o:], []byte{q, q, q})
	i := o + 1
	if triple {
		i = o + 3
	}
	for i < len(b) {
		c := b[i]
		switch {
		case c == '\\' && q == '"':
			i += 2
			continue
		case c == q && !triple:
			return i + 1, nil
		case c == q && bytes.HasPrefix(b[i:], []byte{q, q, q}):
			e := i + 3
			for n := 0; n < 2 && e < len(b) && b[e] == q; n++ {
				e++
			}
			return e, nil
		case c == '\n' && !triple:
			return 0, fmt.Errorf("unterminated string: %w", ErrNotInPlace)
		}
		i++
	}
	return 0, fmt.Errorf("unterminated string: %w", ErrNotInPlace)
}

// scanNested returns the end of the array or inline table starting at o,
// skipping strings and comments inside it.
func scanNested(b []byte, o int) (int, error) {
	depth := 0
	i := o
	for i < len(b) {
		switch c := b[i]; c {
		case '"', '\'':
			e, err := scanString(b, i)
			if err != nil {
				return 0, err
			}
			i = e
			continue
		case '#':
			for i < len(b) && b[i] != '\n' {
				i++
			}
			continue
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
		i++
	}
	return 0, fmt.Errorf("unterminated array: %w", ErrNotInPlace)
}
