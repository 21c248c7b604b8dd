package accessreview

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/cairn-it/cairn/generator/csvsafe"
)

// Formats of the review's output.
const (
	FormatText = "text"
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// Formats are the values of --format.
var Formats = []string{FormatText, FormatCSV, FormatJSON}

// reviewHeader is the header of the review table, text and CSV alike.
var reviewHeader = []string{"kind", "name", "role", "groups", "portals", "orgs", "types", "withheld", "items", "restricted", "secrets", "sealed", "notes"}

// changeHeader is the header of the changes table.
var changeHeader = []string{"kind", "name", "change", "aspect", "value"}

// Write writes the review in a format (FormatText, FormatCSV or
// FormatJSON). Text is an aligned table that counts secrets; CSV has a
// header row and lists the secrets as ITEM#KEY, lists separated by ";";
// JSON is {"rows": [Row...]}.
func (r *Review) Write(w io.Writer, format string) error {
	switch format {
	case FormatJSON:
		return writeJSON(w, struct {
			Rows []Row `json:"rows"`
		}{r.Rows})
	case FormatCSV:
		rows := [][]string{reviewHeader}
		for _, row := range r.Rows {
			var secrets, sealed []string
			for _, s := range row.Secrets {
				secrets = append(secrets, s.String())
				if len(s.SealedIn) > 0 {
					sealed = append(sealed, s.String())
				}
			}
			rows = append(rows, []string{row.Kind, row.Name, row.Role, join(row.Groups, ";"), join(row.Portals, ";"), join(row.Orgs, ";"),
				join(row.Types, ";"), join(row.Withheld, ";"), strconv.Itoa(row.Items), join(row.Restricted, ";"), join(secrets, ";"), join(sealed, ";"), join(row.Notes, ";")})
		}
		return writeCSV(w, rows)
	case FormatText:
		rows := [][]string{upper(reviewHeader)}
		for _, row := range r.Rows {
			rows = append(rows, []string{row.Kind, dash(row.Name), dash(row.Role), list(row.Groups), list(row.Portals), r.all(row.Orgs, len(r.orgs)), r.all(row.Types, len(r.types)),
				list(row.Withheld), strconv.Itoa(row.Items), list(row.Restricted), strconv.Itoa(len(row.Secrets)), strconv.Itoa(row.SealedCount()), dash(strings.Join(row.Notes, "; "))})
		}
		return writeTable(w, rows)
	}
	return fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(Formats, ", "))
}

// WriteChanges writes what changed since rev in a format: text and CSV as
// a table of kind, name, change, aspect and value; JSON as {"since": rev,
// "changes": [Change...]}.
func WriteChanges(w io.Writer, format, rev string, changes []Change) error {
	if changes == nil {
		changes = []Change{}
	}
	switch format {
	case FormatJSON:
		return writeJSON(w, struct {
			Since   string   `json:"since"`
			Changes []Change `json:"changes"`
		}{rev, changes})
	case FormatCSV, FormatText:
		rows := [][]string{changeHeader}
		if format == FormatText {
			rows[0] = upper(changeHeader)
		}
		for _, c := range changes {
			v := c.Value
			if format == FormatText {
				v = dash(v)
			}
			rows = append(rows, []string{c.Kind, c.Name, c.Change, c.Aspect, v})
		}
		if format == FormatCSV {
			return writeCSV(w, rows)
		}
		return writeTable(w, rows)
	}
	return fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(Formats, ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCSV writes rows as CSV. A cell that a spreadsheet would take for
// a formula (it starts with =, +, -, @, a tab or a carriage return: a
// hostile group name such as "=HYPERLINK(...)") is written with a leading
// "'", which spreadsheets show as text.
func writeCSV(w io.Writer, rows [][]string) error {
	for _, r := range rows {
		for i, c := range r {
			r[i] = csvsafe.Cell(c)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

// writeTable writes rows aligned in columns, with every control character
// of a cell (a tab or line break in a hostile name, a terminal escape)
// shown as U+FFFD so one cell stays one cell.
func writeTable(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, clean(c))
		}
		fmt.Fprint(tw, "\n")
	}
	return tw.Flush()
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// all is a text cell of orgs or types: "* (N)" when the row has all N of
// the site's, else the list.
func (r *Review) all(l []string, n int) string {
	if n > 0 && len(l) == n {
		return fmt.Sprintf("* (%d)", n)
	}
	return list(l)
}

func join(l []string, sep string) string { return strings.Join(l, sep) }

// list joins a text cell's values with commas; "-" for none.
func list(l []string) string { return dash(strings.Join(l, ",")) }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func upper(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToUpper(s)
	}
	return out
}
