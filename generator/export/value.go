package export

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/csvsafe"
	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Plain returns a TOML value as export data: a string, a json.Number
// (integers and floats in decimal), a bool, a date as "YYYY-MM-DD" (a
// date-time or time as TOML writes it), []any, or map[string]any. It is
// the JSON value editors validate (jsonschema.Value), what both export
// formats carry, and what reading an export back gives.
func Plain(v *tomldoc.Value) any { return jsonschema.Value(v) }

// PlainTable returns every key of a table as export data.
func PlainTable(t *tomldoc.Table) map[string]any {
	if t == nil {
		return map[string]any{}
	}
	return jsonschema.Table(t)
}

// cellKind says how a CSV cell is read back.
type cellKind uint8

const (
	cellString cellKind = iota
	cellNumber
	cellBool
	cellJSON // arrays, tables, group fields, multiple-valued fields
)

// reservedKinds are the cell kinds of the keys every item may have.
var reservedKinds = map[string]cellKind{"related": cellJSON, "access": cellJSON, "suppress": cellJSON, "archived": cellBool}

// kindOf returns how the column of key is read in a CSV of type s.
func kindOf(s *schema.Schema, key string) (k cellKind, multiple bool) {
	if k, ok := reservedKinds[key]; ok {
		return k, false
	}
	var f *schema.Field
	if s != nil {
		f = s.Field(key)
	}
	if f == nil {
		return cellString, false
	}
	switch f.Kind {
	case schema.Group:
		return cellJSON, false
	case schema.Number, schema.Percent:
		k = cellNumber
	case schema.Checkbox:
		k = cellBool
	}
	return k, f.Multiple
}

// cell writes export data as one CSV cell of a column of kind k: strings
// as they are, numbers and bools as JSON scalars, arrays and tables
// (group fields) as JSON. A string that could be read as something else
// (empty, starting with a double quote, starting with '[' in a column of
// several values, or in a JSON column) is written as a JSON string, so every cell reads back
// to what was written and an empty cell always means "no value". So is a
// string a spreadsheet would run as a formula (starting with =, +, -, @,
// a tab or a carriage return: a hostile "=HYPERLINK(...)" from a pull
// request): a spreadsheet shows "=..." with its quotes, as text.
func cell(v any, k cellKind, multiple bool) (string, error) {
	if s, ok := v.(string); ok && k != cellJSON && s != "" && s[0] != '"' && !csvsafe.Risky(s) && (!multiple || s[0] != '[') {
		return s, nil
	}
	b, err := jsonText(v, "")
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}

// readCell reads a cell of a column of kind k back into export data. An
// empty cell is no value (ok false).
func readCell(text string, k cellKind, multiple bool) (v any, ok bool, err error) {
	if text == "" {
		return nil, false, nil
	}
	switch {
	case text[0] == '"':
		var s string
		if err := json.Unmarshal([]byte(text), &s); err != nil {
			return nil, false, fmt.Errorf("%s is not a JSON string: %w", text, err)
		}
		return s, true, nil
	case multiple && text[0] == '[':
		k = cellJSON
	}
	switch k {
	case cellNumber:
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return nil, false, fmt.Errorf("%q is not a number", text)
		}
		return json.Number(text), true, nil
	case cellBool:
		b, err := strconv.ParseBool(text)
		if err != nil || (text != "true" && text != "false") {
			return nil, false, fmt.Errorf("%q is not true or false", text)
		}
		return b, true, nil
	case cellJSON:
		v, err := decodeJSON([]byte(text))
		if err != nil {
			return nil, false, err
		}
		return v, true, nil
	}
	return text, true, nil
}

// decodeJSON decodes one JSON value with numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if d.More() {
		return nil, fmt.Errorf("not one JSON value")
	}
	return v, nil
}
