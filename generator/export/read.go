package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"

	"github.com/cairn-it/cairn/generator/schema"
)

// ReadCSV reads a type's CSV from an export back into records, reading
// each cell by its field's kind in the schema sc (nil reads every cell as
// text). An empty cell is a key the item does not set. Errors name the
// line and column.
func ReadCSV(sc *schema.Schema, data []byte) ([]Record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no header line")
	}
	head := rows[0]
	if len(head) < len(fixedColumns) {
		return nil, fmt.Errorf("line 1: the header must begin with %v", fixedColumns)
	}
	for i, c := range fixedColumns {
		if head[i] != c {
			return nil, fmt.Errorf("line 1: column %d is %q, want %q", i+1, head[i], c)
		}
	}
	out := make([]Record, 0, len(rows)-1)
	for n, row := range rows[1:] {
		rec := Record{ID: row[0], Org: row[1], File: row[2], Fields: map[string]any{}}
		for i := len(fixedColumns); i < len(head); i++ {
			k, multiple := kindOf(sc, head[i])
			v, ok, err := readCell(row[i], k, multiple)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %q: %w", n+2, head[i], err)
			}
			if ok {
				rec.Fields[head[i]] = v
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// ReadJSON reads a type's JSON from an export back into records.
func ReadJSON(data []byte) ([]Record, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var out []Record
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadOrgs reads organizations.csv or organizations.json back into one
// map per organization: its slug and org.toml's keys.
func ReadOrgs(data []byte, format string) ([]map[string]any, error) {
	if format == "json" {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var out []map[string]any
		err := d.Decode(&out)
		return out, err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no header line")
	}
	var out []map[string]any
	for n, row := range rows[1:] {
		m := map[string]any{}
		for i, c := range rows[0] {
			v, ok, err := readCell(row[i], orgKinds[c], false)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %q: %w", n+2, c, err)
			}
			if ok {
				m[c] = v
			}
		}
		out = append(out, m)
	}
	return out, nil
}
