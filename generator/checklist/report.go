package checklist

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/expiry"
)

// RunJSON is one open run in `cairn checklist --format json`.
type RunJSON struct {
	ID       string        `json:"id"`
	Org      string        `json:"org"`
	Title    string        `json:"title"`
	File     string        `json:"file"`
	Template string        `json:"template,omitempty"`
	Assignee string        `json:"assignee,omitempty"`
	Due      string        `json:"due,omitempty"`
	Status   string        `json:"status"`
	Done     int           `json:"done"`
	Total    int           `json:"total"`
	Percent  int           `json:"percent"`
	Overdue  []OverdueJSON `json:"overdue"`
}

// OverdueJSON is one overdue task: where it is and what it says.
type OverdueJSON struct {
	Text     string `json:"text"`
	Assignee string `json:"assignee,omitempty"`
	Due      string `json:"due"`
	Line     int    `json:"line"`
}

// JSON returns runs as written by --format json.
func JSON(runs []Run) []RunJSON {
	out := make([]RunJSON, 0, len(runs))
	for _, r := range runs {
		j := RunJSON{ID: r.Item.ID, Org: r.Item.Org, Title: r.Item.Title, File: r.Item.File, Template: r.Template,
			Assignee: r.Assignee, Due: r.Due, Status: r.Status, Done: r.Progress.Done, Total: r.Progress.Total,
			Percent: r.Progress.Percent, Overdue: []OverdueJSON{}}
		for _, t := range r.Progress.Overdue {
			j.Overdue = append(j.Overdue, OverdueJSON{Text: t.Text, Assignee: t.Assignee, Due: t.Due, Line: t.Line})
		}
		out = append(out, j)
	}
	return out
}

// WriteJSON writes runs as an indented JSON array.
func WriteJSON(w io.Writer, runs []Run) error {
	b, err := json.MarshalIndent(JSON(runs), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Bar draws progress as ten cells: "[###-------]".
func Bar(p Progress) string {
	n := 0
	if p.Total > 0 {
		n = p.Done * 10 / p.Total
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", 10-n) + "]"
}

// WriteText writes one block per run: id, title, bar, done/total, due,
// assignee, status, then each overdue task with its file and line.
func WriteText(w io.Writer, runs []Run, today time.Time) error {
	if len(runs) == 0 {
		_, err := fmt.Fprintln(w, "no open checklists")
		return err
	}
	for _, r := range runs {
		line := fmt.Sprintf("%s  %s  %s %d/%d", r.Item.ID, r.Item.Title, Bar(r.Progress), r.Progress.Done, r.Progress.Total)
		if r.Due != "" {
			line += "  due " + r.Due
		}
		if r.Assignee != "" {
			line += "  @" + r.Assignee
		}
		line += "  " + r.Status
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
		for _, t := range r.Progress.Overdue {
			d, _ := time.Parse(time.DateOnly, t.Due)
			days := -expiry.Days(today, d)
			who := ""
			if t.Assignee != "" {
				who = " @" + t.Assignee
			}
			if _, err := fmt.Fprintf(w, "  %s:%d: overdue since %s (%s): %s%s\n", r.Item.File, t.Line, t.Due, plural(days, "day"), t.Text, who); err != nil {
				return err
			}
		}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
