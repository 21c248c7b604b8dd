package expiry

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// RotatedKey is the date field a password item's age counts from
// (last_rotated in the core passwords type); without it, its file's last
// change in git.
const RotatedKey = "last_rotated"

// Kind says what a dated entry is.
type Kind string

// The kinds of entries Collect finds.
const (
	// KindExpires is a date field marked expires in its schema: SSL
	// certificates, domains, warranties, licences, support contracts.
	KindExpires Kind = "expires"
	// KindRotation is a password item due for rotation under [rotation].
	KindRotation Kind = "rotation"
	// KindReview is a document due for review (review_every, [review]).
	KindReview Kind = "review"
	// KindTask is an open checklist task with a due date.
	KindTask Kind = "task"
)

// Entry is one date something falls due on.
type Entry struct {
	// ID, Title, Org and Type name the item ("acme/ssl-certificates/www").
	ID, Title, Org, Type string
	Kind                 Kind
	// What says what falls due: "Expires on" (the field's label),
	// "rotate (every 365d, last 2025-01-10 in git)", "review (every 6mo,
	// last 2026-01-05 in git)", or a task's text.
	What string
	// Field is the field of a KindExpires entry; Assignee the assignee of
	// a task ("" when none).
	Field, Assignee string
	// Label names a KindExpires entry's date within its item, for a list
	// that shows the item's type beside it: What without the type
	// ("Warranty expires", "Licences ABC123 renewal").
	Label string
	// Date is the day it falls due; Days how many days from the as-of date
	// (negative when past).
	Date time.Time
	Days int
}

// Expired reports whether the date is past.
func (e Entry) Expired() bool { return e.Days < 0 }

// Changes tells when a file of the site (by its path relative to the
// site root) last changed in git. A nil Changes means the site is not in
// git.
type Changes interface {
	LastChanged(file string) (time.Time, bool)
}

// ChangesFunc adapts a function to Changes.
type ChangesFunc func(file string) (time.Time, bool)

// LastChanged calls f.
func (f ChangesFunc) LastChanged(file string) (time.Time, bool) { return f(file) }

// FromHistory returns the Changes of a git history index: each file's
// last commit time, as its calendar date in UTC. It returns nil for a nil
// index (outside git), so callers may pass history.Load's result as is.
func FromHistory(ix *history.Index) Changes {
	if ix == nil {
		return nil
	}
	return ChangesFunc(func(file string) (time.Time, bool) {
		c, ok := ix.LastChange(file)
		if !ok {
			return time.Time{}, false
		}
		return dateOf(c.When.UTC()), true
	})
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// live reads the source's policy and returns it with the items that are
// neither archived nor broken (a file that could not be read, which check
// reports).
func live(src Source) (Policy, []*model.Item) {
	pol, _ := NewPolicy(src.Config())
	var out []*model.Item
	for _, it := range src.Items() {
		if !it.Archived && !it.Broken {
			out = append(out, it)
		}
	}
	return pol, out
}

// Incomplete marks Changes that miss part of the history (a shallow
// clone): a file they do not know may be old rather than new, so a
// document they do not date has an unknown last review instead of
// counting as being written now.
func Incomplete(c Changes) Changes {
	if c == nil {
		return nil
	}
	return incomplete{c}
}

type incomplete struct{ Changes }

// Source is what Collect reads: the items of a site or of one portal's
// view (access.View is one), the site's settings, and how links resolve
// there (a task's [[link]] is shown by the title of what it names, when
// the source may see it).
type Source interface {
	Items() []*model.Item
	Config() model.Config
	Item(id string) *model.Item
	Org(slug string) *model.Org
	Resolve(from string, kind model.RefKind, text string) (model.Target, bool)
}

// Collect returns every dated entry of the source's items that are not
// archived, in date order (then organization, item, what): expiry fields,
// rotations, reviews and open tasks, however far off. DueWithin, OfOrg
// and Failing narrow it. Problems in the policy are ignored here (check
// reports them).
func Collect(src Source, changes Changes, asOf time.Time) []Entry {
	pol, items := live(src)
	var out []Entry
	for _, it := range items {
		base := Entry{ID: it.ID, Title: it.Title, Org: it.Org, Type: it.Type}
		if it.Schema != nil && it.Fields != nil {
			out = expiryFields(out, base, it.Schema.Fields, it.Fields, "", it.Schema.DisplaySingular(), "")
		}
		if maxAge, ok := pol.MaxAge(it.Org, it.Type); ok {
			if last, from, ok := rotatedOn(it, changes); ok {
				x := base
				x.Kind, x.Date = KindRotation, maxAge.After(last)
				x.What = "rotate (every " + maxAge.String() + ", last " + last.Format(dateLayout) + " " + from + ")"
				out = append(out, x)
			}
		}
		if r, ok := ReviewOf(it, pol, changes, asOf); ok && r.Known {
			x := base
			x.Kind, x.Date = KindReview, r.Due
			x.What = "review (every " + r.Every.String() + ", last " + r.Last.Format(dateLayout) + " " + r.LastFrom + ")"
			out = append(out, x)
		}
		for _, t := range it.Tasks {
			if t.Done || t.Due == "" || it.Type != RunType || RunClosed(it) {
				continue
			}
			d, ok := schema.DateOf(&tomldoc.Value{Kind: tomldoc.KindString, Str: t.Due})
			if !ok {
				continue // check reports it
			}
			x := base
			x.Kind, x.What, x.Assignee, x.Date = KindTask, strings.TrimSpace(TaskText(src, it, t)), t.Assignee, dateOf(d)
			out = append(out, x)
		}
	}
	for i := range out {
		out[i].Days = Days(asOf, out[i].Date)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case !a.Date.Equal(b.Date):
			return a.Date.Before(b.Date)
		case a.Org != b.Org:
			return a.Org < b.Org
		case a.ID != b.ID:
			return a.ID < b.ID
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		}
		return a.What < b.What
	})
	return out
}

const dateLayout = "2006-01-02"

// expiryFields appends an entry for every date of a field marked expires
// among fields, read from t, and of the sub-fields of group fields, record
// by record (field "licences[1].renewal"). singular is the type's
// ("SSL Certificate"); label names the group records that hold them
// ("licences ABC123"), "" at the top.
func expiryFields(out []Entry, base Entry, fields []*schema.Field, t *tomldoc.Table, path, singular, label string) []Entry {
	for _, f := range fields {
		v := t.Get(f.Name)
		if v == nil {
			continue
		}
		name := f.Name
		if path != "" {
			name = path + "." + f.Name
		}
		if f.Kind == schema.Group {
			for i, rec := range v.Elements() {
				if rec.Kind == tomldoc.KindTable {
					out = expiryFields(out, base, f.Fields, rec.Table, fmt.Sprintf("%s[%d]", name, i), singular, joinLabel(label, lowerFirst(f.DisplayLabel())+" "+recordName(f.Fields, rec.Table, i)))
				}
			}
			continue
		}
		if !f.Expires {
			continue
		}
		for _, e := range v.Elements() {
			if d, ok := schema.DateOf(e); ok {
				x := base
				l := joinLabel(label, lowerFirst(f.DisplayLabel()))
				x.Kind, x.Field, x.What, x.Label, x.Date = KindExpires, name, singular+" "+l, upperFirst(l), dateOf(d)
				out = append(out, x)
			}
		}
	}
	return out
}

// recordName names the i-th record of a group field, so that two records'
// dates tell apart: its first text value ("ABC123"), else its number
// ("#2"), cut to 60 characters on one line.
func recordName(fields []*schema.Field, t *tomldoc.Table, i int) string {
	for _, f := range fields {
		if f.Kind != schema.Text {
			continue
		}
		if v := t.Get(f.Name); v != nil && v.Kind == tomldoc.KindString {
			if s := strings.Join(strings.Fields(v.Str), " "); s != "" {
				if r := []rune(s); len(r) > 60 {
					s = string(r[:59]) + "…"
				}
				return s
			}
		}
	}
	return fmt.Sprintf("#%d", i+1)
}

// joinLabel appends part to a label, with a space between when both are
// set.
func joinLabel(label, part string) string {
	if label == "" {
		return part
	}
	return label + " " + part
}

// upperFirst raises a label's first letter: "licences ABC123 renewal"
// becomes "Licences ABC123 renewal", to stand on its own.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lowerFirst lowers a label's first letter: "Warranty expires" becomes
// "warranty expires", to follow a type's name.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// lastDate returns the later of an item's date field and its file's last
// change in git, and says which it is ("in git", "by <key>"). A file git
// does not know yet (not committed) is being changed now: it has no date.
func lastDate(it *model.Item, key string, changes Changes) (time.Time, string, bool) {
	var last time.Time
	from := ""
	if v := it.Value(key); v != nil {
		if d, ok := schema.DateOf(v); ok {
			last, from = dateOf(d), "by "+key
		}
	}
	if changes != nil {
		if d, ok := changes.LastChanged(it.File); ok && d.After(last) {
			last, from = d, "in git"
		}
	}
	return last, from, from != ""
}

// rotatedOn returns when a password item was last rotated: its
// last_rotated date when it has one, else the later of the last changes in
// git of its file and of its secrets file (a new value is a new SOPS
// file), and says which ("by last_rotated", "in git").
func rotatedOn(it *model.Item, changes Changes) (time.Time, string, bool) {
	if v := it.Value(RotatedKey); v != nil {
		if d, ok := schema.DateOf(v); ok {
			return dateOf(d), "by " + RotatedKey, true
		}
	}
	if changes == nil {
		return time.Time{}, "", false
	}
	var last time.Time
	for _, f := range []string{it.File, it.Secrets} {
		if f == "" {
			continue
		}
		if d, ok := changes.LastChanged(f); ok && d.After(last) {
			last = d
		}
	}
	return last, "in git", !last.IsZero()
}

// DueWithin returns the entries due within the window of asOf: already past,
// today, or at most window after asOf.
func DueWithin(entries []Entry, asOf time.Time, window Duration) []Entry {
	end := window.After(asOf)
	var out []Entry
	for _, e := range entries {
		if !e.Date.After(end) {
			out = append(out, e)
		}
	}
	return out
}

// Expiring returns the KindExpires entries due within window days of
// the as-of date Collect measured from, or already past: what a portal's
// "Expiring soon" panels and a runbook's "Expiring soon and expired"
// section list (expiry_window_days; a negative window counts as 0).
func Expiring(entries []Entry, window int) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Kind == KindExpires && e.Days <= max(window, 0) {
			out = append(out, e)
		}
	}
	return out
}

// OfOrg returns the entries of one organization.
func OfOrg(entries []Entry, org string) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Org == org {
			out = append(out, e)
		}
	}
	return out
}

// Failing returns the entries that fail a scheduled job: those already
// past, and, when failWithin is not nil, those due within it of asOf
// (today included).
func Failing(entries []Entry, asOf time.Time, failWithin *Duration) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Expired() || failWithin != nil && !e.Date.After(failWithin.After(asOf)) {
			out = append(out, e)
		}
	}
	return out
}

// TaskText returns a task's text showing linked items as the portal
// shows them: a [[wiki link]] without a label by its target's title (or
// organization's name) instead of the last segment of its id, when src
// may see the target. Other links are left as written.
func TaskText(src Source, it *model.Item, t markdown.Task) string {
	text, from := t.Text, 0
	if it.Body == nil {
		return text
	}
	for _, l := range it.Body.Links {
		if !l.Wiki || l.Label != "" || l.Line != t.Line {
			continue
		}
		target, ok := src.Resolve(it.ID, model.RefID, l.Target)
		if !ok {
			continue
		}
		title := ""
		if target.Org {
			if o := src.Org(target.ID); o != nil {
				title = o.Name
			}
		} else if x := src.Item(target.ID); x != nil {
			title = x.Title
		}
		label := path.Base(l.Target)
		i := strings.Index(text[from:], label)
		if title == "" || i < 0 {
			continue
		}
		i += from
		text = text[:i] + title + text[i+len(label):]
		from = i + len(title)
	}
	return text
}
