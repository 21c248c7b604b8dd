package checklist

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// TemplateKeys are the keys a template's front matter may have: sop names
// the procedure a run follows, an id read in the organization of the run
// ("documents/sops/new-starter").
var TemplateKeys = []string{"title", "summary", "category", "sop"}

// maxOffsetDays bounds a relative due date (about 27 years either way).
const maxOffsetDays = 10000

// offsetRe is a relative due date: +3d, -2w, +0d.
var offsetRe = regexp.MustCompile(`^([+-])([0-9]{1,5})([dw])$`)

// ParseOffset reads a relative due date of a template task ("+3d", "-1w")
// as a number of days; ok is false for anything else.
func ParseOffset(s string) (days int, ok bool) {
	m := offsetRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[2])
	if m[3] == "w" {
		n *= 7
	}
	if n > maxOffsetDays {
		return 0, false
	}
	if m[1] == "-" {
		n = -n
	}
	return n, true
}

// dueTokenRe finds due:VALUE in a task's line.
var dueTokenRe = regexp.MustCompile(`(^|\s)due:([+-][0-9]+[dw])`)

// StartOptions say how to start a run of a template.
type StartOptions struct {
	// Org and Slug place the run: content/<Org>/checklists/<Slug>.md.
	// Slug "" gives "<template>-<anchor date>".
	Org, Slug string
	// Title "" gives "<template title> (<anchor date>)".
	Title    string
	Assignee string
	// Due is the run's due date, YYYY-MM-DD, or "".
	Due string
	// Today is the start date: relative due dates count from Due when it
	// is given, else from Today.
	Today time.Time
	// Set are other front matter values, as TOML literals, written over
	// those Start fills (cairn new checklists ... --set FIELD=VALUE). A due
	// date set here counts as Due when Due is "".
	Set scaffold.Values
}

// Started is a run ready to be written.
type Started struct {
	// ID is the run's item id; File its path relative to the site root.
	ID, File string
	// Text is the whole file.
	Text []byte
	// SOP is the id of the procedure linked in related, "" when the
	// template names none; Notes say what was left out and why.
	SOP   string
	Notes []string
}

// Start makes a new run of the template in an organization of the site:
// the template's Markdown body with each task's relative due date
// (due:+3d, due:-1w) turned into a date, and front matter linking the
// template and, when the template names one (sop = "...") and it exists
// for the organization, the SOP. It writes nothing.
func Start(s *model.Site, templateSlug string, opts StartOptions) (*Started, error) {
	t := s.Template(templateSlug)
	if t == nil {
		var names []string
		for _, t := range s.Templates {
			names = append(names, t.Slug)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("no checklist template %q: the site has no templates (write checklists/%s.md)", templateSlug, templateSlug)
		}
		return nil, fmt.Errorf("no checklist template %q: templates are %s", templateSlug, strings.Join(names, ", "))
	}
	if t.Broken {
		return nil, fmt.Errorf("%s cannot be read: run cairn check and fix it first", t.File)
	}
	if s.Org(opts.Org) == nil {
		return nil, fmt.Errorf("no organization %q: create it first with cairn new org %s", opts.Org, opts.Org)
	}
	sch := s.Schemas.Get(Type)
	if sch == nil {
		return nil, fmt.Errorf("the site has no %s type", Type)
	}
	anchor := opts.Today
	if v, ok := opts.Set["due"]; ok && opts.Due == "" {
		opts.Due = v
	}
	if opts.Due != "" {
		d, err := time.Parse(time.DateOnly, opts.Due)
		if err != nil {
			return nil, fmt.Errorf("due date %q is not a date: write YYYY-MM-DD", opts.Due)
		}
		anchor = d
	}
	date := anchor.Format(time.DateOnly)
	slug := opts.Slug
	if slug == "" {
		slug = templateSlug + "-" + date
	}
	if !schema.IsSlug(slug) {
		return nil, fmt.Errorf("%q is not a valid slug: use lower-case letters, digits and single hyphens", slug)
	}
	for _, f := range []struct{ flag, value string }{{"title", opts.Title}, {"assignee", opts.Assignee}} {
		if strings.ContainsAny(f.value, "\r\n") {
			return nil, fmt.Errorf("--%s %q has a line break: a checklist's %s is one line", f.flag, f.value, f.flag)
		}
	}
	title := opts.Title
	if title == "" {
		title = t.Title + " (" + date + ")"
	}
	values := scaffold.Values{"title": tomldoc.Quote(title), "template": tomldoc.Quote(templateSlug), "status": tomldoc.Quote("Not started")}
	if opts.Assignee != "" {
		values["assignee"] = tomldoc.Quote(opts.Assignee)
	}
	if opts.Due != "" {
		values["due"] = opts.Due
	}
	for k, v := range opts.Set {
		values[k] = v
	}
	st := &Started{ID: opts.Org + "/" + Type + "/" + slug, File: "content/" + opts.Org + "/" + Type + "/" + slug + ".md"}
	if v := t.Fields.Get("sop"); v != nil && v.Kind == tomldoc.KindString && v.Str != "" {
		target, le := resolve.New(s).ID(opts.Org, v.Str)
		switch {
		case le != nil:
			st.Notes = append(st.Notes, fmt.Sprintf("the run is not linked to the template's sop %q: %s in %s", v.Str, le.Msg, opts.Org))
		case target.Org:
			st.Notes = append(st.Notes, fmt.Sprintf("the run is not linked to the template's sop %q: it is an organization, not a document", v.Str))
		default:
			st.SOP = target.ID
			values["related"] = "[" + tomldoc.Quote(v.Str) + "]"
		}
	}
	body, err := Body(t, anchor)
	if err != nil {
		return nil, err
	}
	st.Text = scaffold.ItemWithBody(sch, st.ID, values, body)
	return st, nil
}

// Body returns a template's Markdown body with every task's relative due
// date made a date, counted from anchor. A due date written as a date is
// kept. It fails, naming the template's file and line, when a task's due
// date is neither.
func Body(t *model.Template, anchor time.Time) ([]byte, error) {
	if t.Body == nil {
		return nil, nil
	}
	lines := bytes.SplitAfter(t.Body.Source, []byte("\n"))
	for _, task := range t.Body.Tasks {
		i := task.Line - t.Body.Line
		if task.Due == "" || i < 0 || i >= len(lines) {
			continue
		}
		if _, err := time.Parse(time.DateOnly, task.Due); err == nil {
			continue
		}
		days, ok := ParseOffset(task.Due)
		if !ok {
			return nil, fmt.Errorf("%s:%d: task due date %q is neither a date nor an offset: write due:YYYY-MM-DD or due:+3d, due:-1w", t.File, task.Line, task.Due)
		}
		if y := anchor.AddDate(0, 0, days).Year(); y < 1 || y > 9999 {
			return nil, fmt.Errorf("%s:%d: task due date %q from %s falls outside the years 1 to 9999", t.File, task.Line, task.Due, anchor.Format(time.DateOnly))
		}
		lines[i] = dueTokenRe.ReplaceAllFunc(lines[i], func(m []byte) []byte {
			sub := dueTokenRe.FindSubmatch(m)
			days, _ := ParseOffset(string(sub[2]))
			return append(append([]byte{}, sub[1]...), "due:"+anchor.AddDate(0, 0, days).Format(time.DateOnly)...)
		})
	}
	out := bytes.TrimLeft(bytes.Join(lines, nil), "\n")
	// Every task of the run must now have a date or none: one whose
	// offset was not on its first line would be left relative.
	doc := markdown.NewParser().Parse(out, t.Body.Line, 1)
	for _, task := range doc.Tasks {
		if task.Due == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, task.Due); err != nil {
			return nil, fmt.Errorf("%s:%d: task due date %q could not be made a date: put due:... on the task's first line", t.File, task.Line, task.Due)
		}
	}
	return out, nil
}
