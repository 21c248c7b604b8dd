// Package checklist is the workflow side of checklists: a run's progress
// and overdue tasks, the open runs of a site, and a new run written from a
// template (checklists/<template>.md) with its tasks, relative due dates
// turned into dates, and links to the template and the SOP it follows.
// It reads the model only; it writes nothing itself.
package checklist

import (
	"sort"
	"time"

	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Type is the type folder of checklists.
const Type = expiry.RunType

// Progress is how far a checklist run is.
type Progress struct {
	Done, Total int
	// Percent is Done*100/Total rounded down, 0 for no tasks.
	Percent int
	// Overdue are the open tasks whose due date is before today, in order.
	Overdue []markdown.Task
}

// Of returns the progress of a checklist's tasks as of today (only the
// date of today counts). Tasks without a valid due date are never overdue.
func Of(tasks []markdown.Task, today time.Time) Progress {
	p := Progress{Total: len(tasks)}
	day := today.Format(time.DateOnly)
	for _, t := range tasks {
		if t.Done {
			p.Done++
			continue
		}
		if d, err := time.Parse(time.DateOnly, t.Due); err == nil && d.Format(time.DateOnly) < day {
			p.Overdue = append(p.Overdue, t)
		}
	}
	if p.Total > 0 {
		p.Percent = p.Done * 100 / p.Total
	}
	return p
}

// Status returns a checklist's status field, or its schema default
// ("Not started") when it has none.
func Status(it *model.Item) string { return expiry.RunStatus(it) }

// IsOpen reports whether a checklist run is still to be worked on: a
// checklist, not archived, whose status is neither Done nor Cancelled.
func IsOpen(it *model.Item) bool {
	if it.Type != Type || it.Archived {
		return false
	}
	return !expiry.RunClosed(it)
}

// Run is one open checklist with its progress.
type Run struct {
	Item     *model.Item
	Progress Progress
	// Due is the run's due date (YYYY-MM-DD), "" when it has none.
	Due      string
	Assignee string
	Status   string
	// Template is the template's slug, "" when it names none.
	Template string
}

// Open returns the open checklists among items (of org, or every
// organization when org is ""), sorted by due date (runs without one
// last), then id.
func Open(items []*model.Item, org string, today time.Time) []Run {
	var out []Run
	for _, it := range items {
		if (org != "" && it.Org != org) || !IsOpen(it) {
			continue
		}
		r := Run{Item: it, Progress: Of(it.Tasks, today), Status: Status(it),
			Assignee: str(it, "assignee"), Template: str(it, "template")}
		if v := it.Value("due"); v != nil {
			if d, ok := schema.DateOf(v); ok {
				r.Due = d.Format(time.DateOnly)
			}
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Due == "") != (b.Due == "") {
			return a.Due != ""
		}
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		return a.Item.ID < b.Item.ID
	})
	return out
}

func str(it *model.Item, key string) string {
	if v := it.Value(key); v != nil && v.Kind == tomldoc.KindString {
		return v.Str
	}
	return ""
}

// Titled returns runs with each overdue task's text showing linked items
// as the portal shows them: a [[wiki link]] without a label by its
// target's title (or organization's name) instead of the last segment of
// its id. Links the graph of s did not resolve are left as written.
func Titled(s *model.Site, runs []Run) []Run {
	out := make([]Run, len(runs))
	for i, r := range runs {
		out[i] = r
		if r.Item.Body == nil || len(r.Progress.Overdue) == 0 {
			continue
		}
		tasks := make([]markdown.Task, len(r.Progress.Overdue))
		for j, t := range r.Progress.Overdue {
			t.Text = expiry.TaskText(expiry.SiteSource(s), r.Item, t)
			tasks[j] = t
		}
		out[i].Progress.Overdue = tasks
	}
	return out
}
