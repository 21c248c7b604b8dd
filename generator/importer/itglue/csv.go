package itglue

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// table is one CSV file: its header (normalised: lower case, spaces and
// hyphens as underscores) and its rows with the line each starts on.
type table struct {
	file   string
	header []string
	labels []string // the header as written
	rows   []row
}

// row is one record of a table.
type row struct {
	t      *table
	line   int
	fields []string
}

// normHeader normalises a column name for matching: "Organization Name"
// and "organization_name" are the same column.
func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
	return h
}

// parseCSV reads a CSV file as IT Glue writes it: UTF-8 with or without a
// byte-order mark, CRLF or LF, quoted multi-line cells, rows of any
// length. An empty file is a table with no rows. A file that is not
// UTF-8 (one saved again by Excel on Windows) is read as Windows-1252,
// whose every byte is a character, so no value (a password least of
// all) loses a letter; enc is then "Windows-1252", for the caller to
// report, else "".
func parseCSV(file string, data []byte) (t *table, enc string, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		enc = "Windows-1252"
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			return nil, "", fmt.Errorf("%s: reading it as Windows-1252: %w", file, err)
		}
	}
	t = &table{file: file}
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, enc, fmt.Errorf("%s:%d: %v: fix the file or export it again", file, pe.Line, pe.Err)
			}
			return nil, enc, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			for _, h := range rec {
				t.labels = append(t.labels, strings.TrimSpace(h))
				t.header = append(t.header, normHeader(h))
			}
			continue
		}
		empty := true
		for i := range rec {
			rec[i] = strings.ReplaceAll(rec[i], "\r\n", "\n")
			if strings.TrimSpace(rec[i]) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		t.rows = append(t.rows, row{t: t, line: line, fields: rec})
	}
	return t, enc, nil
}

// col returns the index of the first column named one of names, or -1.
func (t *table) col(names ...string) int {
	for _, n := range names {
		for i, h := range t.header {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// get returns the trimmed value of the first present column of names.
func (r row) get(names ...string) string {
	i := r.t.col(names...)
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// at returns the trimmed value of column i, "" when the row is short.
func (r row) at(i int) string {
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// where names the row for messages: file:line.
func (r row) where() Note { return Note{File: r.t.file, Line: r.line} }
