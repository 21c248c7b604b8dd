package expiry

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairn-it/cairn/generator/csvsafe"
)

// Report is what cairn expiring prints: the entries due within a window
// of the as-of date, and those of them that fail the job.
type Report struct {
	AsOf    time.Time
	Within  Duration
	Entries []Entry
	// Failing are the entries (of Entries) that fail the job: past, or
	// inside --fail-within.
	Failing []Entry
}

// Expired counts the entries already past.
func (r Report) Expired() int {
	n := 0
	for _, e := range r.Entries {
		if e.Expired() {
			n++
		}
	}
	return n
}

// DueText says how far off a number of days is: "expired 3 days ago",
// "expired yesterday", "today", "tomorrow", "in 12 days".
func DueText(days int) string {
	switch {
	case days < -1:
		return fmt.Sprintf("expired %d days ago", -days)
	case days == -1:
		return "expired yesterday"
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", days)
}

// WriteText writes one line per entry, in columns: date, days left,
// organization, item, what falls due.
func WriteText(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tDAYS LEFT\tORGANIZATION\tITEM\tWHAT")
	for _, e := range r.Entries {
		what := e.What
		if e.Assignee != "" {
			what += " @" + e.Assignee
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s (%s)\n", e.Date.Format(dateLayout), e.Days, e.Org, e.ID, oneLine(what), DueText(e.Days))
	}
	return tw.Flush()
}

// oneLine keeps a value on its line: control characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// jsonEntry is an entry in JSON, with stable names.
type jsonEntry struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Org      string `json:"org"`
	Type     string `json:"type"`
	Kind     Kind   `json:"kind"`
	What     string `json:"what"`
	Field    string `json:"field,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Date     string `json:"date"`
	DaysLeft int    `json:"days_left"`
	Fails    bool   `json:"fails"`
}

// WriteJSON writes the report as one JSON object: as_of, within, counts
// and the entries.
func WriteJSON(w io.Writer, r Report) error {
	fails := failSet(r)
	out := struct {
		AsOf    string      `json:"as_of"`
		Within  string      `json:"within"`
		Expired int         `json:"expired"`
		Failing int         `json:"failing"`
		Entries []jsonEntry `json:"entries"`
	}{r.AsOf.Format(dateLayout), r.Within.String(), r.Expired(), len(r.Failing), []jsonEntry{}}
	for _, e := range r.Entries {
		out.Entries = append(out.Entries, jsonEntry{e.ID, e.Title, e.Org, e.Type, e.Kind, e.What, e.Field, e.Assignee, e.Date.Format(dateLayout), e.Days, fails[entryKey(e)]})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func entryKey(e Entry) string {
	return e.ID + "\x00" + string(e.Kind) + "\x00" + e.Field + "\x00" + e.What + "\x00" + e.Date.Format(dateLayout)
}

func failSet(r Report) map[string]bool {
	m := map[string]bool{}
	for _, e := range r.Failing {
		m[entryKey(e)] = true
	}
	return m
}

// WriteCSV writes a header and one row per entry. Text cells that a
// spreadsheet would run as a formula (starting with =, +, -, @) get a
// leading apostrophe.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"date", "days_left", "org", "id", "title", "type", "kind", "what", "assignee"})
	for _, e := range r.Entries {
		_ = cw.Write([]string{e.Date.Format(dateLayout), strconv.Itoa(e.Days), csvsafe.Cell(e.Org), csvsafe.Cell(e.ID), csvsafe.Cell(e.Title), csvsafe.Cell(e.Type), string(e.Kind), csvsafe.Cell(e.What), csvsafe.Cell(e.Assignee)})
	}
	cw.Flush()
	return cw.Error()
}
