package runbook

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// cover is page 1: what the book is, for whom, from what, and how to keep it.
func (b *book) cover() error {
	b.newPage()
	b.pdf.SetY(48)
	b.text("RUNBOOK", bold, colMuted, 11)
	b.gap(2)
	b.flow([]span{b.sp(b.org.Name, bold, colText)}, 0, textW, 26, 11.5, nil)
	b.gap(2)
	var kind []string
	for _, s := range []string{b.org.ShortName, b.org.Kind, b.org.Status} {
		if s != "" {
			kind = append(kind, s)
		}
	}
	if len(kind) > 0 {
		b.text(strings.Join(kind, " · "), 0, colMuted, 12)
	}
	if b.org.Description != "" {
		b.gap(3)
		b.text(b.org.Description, 0, colText, 11)
	}
	b.gap(10)
	b.rule(0.4, colRule)
	b.gap(4)

	types := "every type this portal shows"
	if len(b.opts.Types) > 0 {
		types = strings.Join(b.opts.Types, ", ")
	}
	archived := "left out"
	if b.opts.IncludeArchived {
		archived = "included (marked archived)"
	}
	prov := b.provenance()
	portal := b.opts.Portal
	if t := b.portalTitle(); t != portal && portal != "" {
		portal = t + " (" + portal + ")"
	}
	rows := [][]cell{
		{{b.sp("Made for portal", bold, colMuted)}, {b.sp(portal, 0, colText)}},
		{{b.sp("As of", bold, colMuted)}, {b.sp(prov.AsOf.Format("2006-01-02"), 0, colText)}},
		{{b.sp("Generated from", bold, colMuted)}, {b.sp(prov.Label(), 0, colText)}},
		{{b.sp("Types", bold, colMuted)}, {b.sp(types, 0, colText)}},
		{{b.sp("Archived items", bold, colMuted)}, {b.sp(archived, 0, colText)}},
		{{b.sp("Items", bold, colMuted)}, {b.sp(fmt.Sprint(len(b.inBookItems())), 0, colText)}},
	}
	b.table(table{cols: []column{{width: 48}, {}}, size: 10.5, lh: 5.4}, rows)
	b.gap(12)

	b.box(colCritical, "CONFIDENTIAL",
		"This book describes "+b.org.Name+"'s systems, people and procedures. Keep it where only the people who may read the "+b.portalTitle()+" portal can reach it, and destroy old copies when you print a new one.")
	if b.opts.Secrets != nil {
		b.gap(4)
		b.box(colCritical, "CONTAINS SECRETS — store encrypted",
			"Passwords and other secret values are printed in this book in plain text. Keep the file encrypted (for example with age) or offline, and a printed copy in a safe.")
	}
	return nil
}

// box is a framed notice with a bold coloured title.
func (b *book) box(c rgb, title, body string) {
	spans := []span{b.sp(title, bold, c), {brk: true}, b.sp(body, 0, colText)}
	lines := b.m.wrap(spans, textW-10, 10)
	h := float64(len(lines))*5 + 6
	if h > bottom-marginT { // a giant organization name: no frame
		b.flow(spans, 5, textW-10, 10, 5, nil)
		return
	}
	b.ensure(h)
	y := b.y()
	b.pdf.SetDrawColor(c.r, c.g, c.b)
	b.pdf.SetLineWidth(0.8)
	b.pdf.Rect(marginL, y, textW, h, "D")
	b.pdf.SetY(y + 3)
	b.flow(spans, 5, textW-10, 10, 5, nil)
	b.pdf.SetY(y + h)
}

func (b *book) inBookItems() []*model.Item {
	var out []*model.Item
	for _, t := range b.types {
		out = append(out, b.byType[t]...)
	}
	return out
}

// contents lists the sections with their pages, each a link.
func (b *book) contents() error {
	b.sectionTitle(keyContents, "Contents")
	type entry struct{ key, title, note string }
	entries := []entry{
		{keyOverview, "Overview, alerts and quick notes", ""},
		{keyContacts, "Important contacts", ""},
		{keyExpiring, "Expiring soon and expired", ""},
	}
	for _, t := range b.types {
		entries = append(entries, entry{keyTypeOf + t, b.typeName(t), fmt.Sprintf("%d", len(b.byType[t]))})
	}
	const size, lh, pageCol = 11, 7.0, 14.0
	for _, e := range entries {
		link := b.linkTo(e.key)
		title := b.sp(e.title, 0, colText)
		title.link = link
		spans := []span{title}
		if e.note != "" {
			spans = append(spans, b.sp("  ("+e.note+")", 0, colMuted))
		}
		lines := b.m.wrap(spans, textW-pageCol-8, size)
		// Kept together when short; a title longer than a page (a hostile
		// schema name) breaks across pages like any text.
		b.ensure(float64(min(len(lines), 3)) * lh)
		y := b.y()
		for i, ln := range lines {
			if i > 0 {
				if y += lh; y+lh > bottom {
					b.newPage()
					y = b.y()
				}
			}
			b.drawLine(ln, marginL, y, size, lh)
		}
		// Dot leaders from the end of the title to the page number.
		last := lines[len(lines)-1]
		from := marginL + lineWidth(last) + 2
		to := pageW - marginR - pageCol
		dot := b.m.width(".", 0, size)
		if b.dry { // nothing drawn; the next line goes below
			b.pdf.SetXY(marginL, y+lh)
			continue
		}
		if n := int((to - from) / (dot * 2)); n > 0 {
			b.setFont(0, size)
			b.setColor(colRule)
			b.pdf.SetXY(to-float64(n)*dot*2, y)
			b.pdf.CellFormat(float64(n)*dot*2, lh, strings.Repeat(". ", n), "", 0, "L", false, link, "")
		}
		b.setFont(0, size)
		b.setColor(colText)
		b.pdf.SetXY(pageW-marginR-pageCol, y)
		b.pdf.CellFormat(pageCol, lh, b.pageOf(e.key), "", 0, "R", false, link, "")
		b.pdf.SetXY(marginL, y+lh)
	}
	return nil
}

func (b *book) typeName(t string) string {
	if s := b.v.Schemas().Get(t); s != nil && s.Name != "" {
		return s.Name
	}
	return t
}

// overview: the organization's details, its alerts and quick notes.
func (b *book) overview() error {
	b.sectionTitle(keyOverview, "Overview")
	o := b.org
	var rows [][]cell
	add := func(label, value string) {
		if value != "" {
			rows = append(rows, []cell{{b.sp(label, bold, colMuted)}, {b.sp(value, 0, colText)}})
		}
	}
	add("Name", o.Name)
	add("Short name", o.ShortName)
	add("Kind", o.Kind)
	add("Status", o.Status)
	add("Description", o.Description)
	b.table(table{cols: []column{{width: 40}, {}}, size: 9.5}, rows)

	if len(o.Alerts) > 0 {
		b.gap(3)
		b.subTitle("Alerts", 10)
		for _, a := range o.Alerts {
			b.alert(a)
		}
	}
	if o.Notes != nil {
		b.gap(3)
		b.subTitle("Quick notes", 10)
		b.markdown(o.Notes, o.Slug, o.File)
	}
	return nil
}

// alert is one alert: a coloured bar, the level and the message.
func (b *book) alert(a model.Alert) {
	c, label := colInfo, "INFO"
	switch a.Level {
	case "critical":
		c, label = colCritical, "CRITICAL"
	case "warning":
		c, label = colWarning, "WARNING"
	}
	spans := []span{b.sp(label+"  ", bold, c), b.sp(a.Message, 0, colText)}
	lines := b.m.wrap(spans, textW-6, bodySize)
	h := float64(len(lines)) * lineH
	if h <= bottom-marginT {
		b.ensure(h + 2)
	}
	y := b.y()
	if b.y()+h <= bottom {
		b.pdf.SetFillColor(c.r, c.g, c.b)
		b.pdf.Rect(marginL, y, 1.6, h, "F")
	}
	b.flow(spans, 5, textW-6, bodySize, lineH, nil)
	b.gap(2)
}

// contacts lists the contacts marked important, with how to reach them.
func (b *book) contacts() error {
	b.sectionTitle(keyContacts, "Important contacts")
	var rows [][]cell
	for _, it := range b.byType["contacts"] {
		if v := it.Value("important"); v == nil || v.Kind != tomldoc.KindBool || !v.Bool {
			continue
		}
		name := b.sp(it.Title, bold, colLink)
		name.link = b.linkTo(it.ID)
		role := cell{}
		for _, k := range []string{"title", "contact_type"} {
			if v := it.Value(k); v != nil && v.Kind == tomldoc.KindString && v.Str != "" {
				if len(role) > 0 {
					role = append(role, span{brk: true})
				}
				role = append(role, b.sp(v.Str, 0, colText))
			}
		}
		rows = append(rows, []cell{{name}, role, b.records(it, "emails"), b.records(it, "phones"), {b.sp(b.pageOf(it.ID), 0, colMuted)}})
	}
	if len(rows) == 0 {
		b.text("No contact is marked important (important = true).", italic, colMuted, bodySize)
		return nil
	}
	b.table(table{header: true, size: 9, cols: []column{{title: "Name"}, {title: "Role"}, {title: "Email"}, {title: "Phone"}, {title: "Page", width: 11, right: true}}}, rows)
	return nil
}

// records lists the values of a contact's emails or phones, one a line:
// "+1 555 0100 x12 (Mobile)".
func (b *book) records(it *model.Item, field string) cell {
	v := it.Value(field)
	if v == nil {
		return nil
	}
	recs := v.Elements()
	var c cell
	for _, r := range recs {
		if r.Kind != tomldoc.KindTable {
			continue
		}
		val := r.Table.Get("value")
		if val == nil || val.Kind != tomldoc.KindString {
			continue
		}
		s := val.Str
		if ext := r.Table.Get("extension"); ext != nil && ext.Kind == tomldoc.KindString && ext.Str != "" {
			s += " x" + ext.Str
		}
		if len(c) > 0 {
			c = append(c, span{brk: true})
		}
		c = append(c, b.sp(s, 0, colText))
		if l := r.Table.Get("label"); l != nil && l.Kind == tomldoc.KindString && l.Str != "" {
			c = append(c, b.sp(" ("+l.Str+")", 0, colMuted))
		}
	}
	return c
}

// collectExpiries returns what cairn expiring lists for the book's view
// and organization, cut to the expiry fields (every value, every group
// record) of the items in the book within the site's window of AsOf, or
// already past, by date. It reads only the book's own items
// (expiry.Collect's entries are per item, so they are those a collection
// over the whole view would give for them), and newBook calls it once:
// not once per layout pass over every item the portal sees.
func (b *book) collectExpiries() []expiry.Entry {
	src := bookItems{View: b.v, items: b.inBookItems()}
	return expiry.Expiring(expiry.OfOrg(expiry.Collect(src, nil, b.asOf), b.org.Slug), b.v.Config().ExpiryWindowDays)
}

// bookItems is the view with its items narrowed to the book's, for
// expiry.Collect.
type bookItems struct {
	*access.View
	items []*model.Item
}

// Items returns the book's items.
func (s bookItems) Items() []*model.Item { return s.items }

func (b *book) daysUntil(d time.Time) int { return expiry.Days(b.asOf, d) }

// dueText says how far off a date is: "expired 3 days ago", "in 12 days".
func dueText(days int) (string, rgb) {
	switch {
	case days < -1:
		return fmt.Sprintf("expired %d days ago", -days), colCritical
	case days == -1:
		return "expired yesterday", colCritical
	case days == 0:
		return "expires today", colCritical
	case days == 1:
		return "expires tomorrow", colWarning
	default:
		return fmt.Sprintf("in %d days", days), colWarning
	}
}

// expiring lists what has expired or expires within the window.
func (b *book) expiring() error {
	b.sectionTitle(keyExpiring, "Expiring soon and expired")
	window := b.v.Config().ExpiryWindowDays
	b.text(fmt.Sprintf("Dates within %d days of %s (the expiry_window_days of cairn.toml), and dates already past.", window, b.asOf.Format("2006-01-02")), 0, colMuted, 9)
	b.gap(3)
	var rows [][]cell
	for _, e := range b.expiringList {
		name := b.sp(e.Title, bold, colLink)
		name.link = b.linkTo(e.ID)
		due, c := dueText(e.Days)
		rows = append(rows, []cell{{name}, {b.sp(b.singular(e.Type), 0, colText)}, {b.sp(e.Label, 0, colText)},
			{b.sp(e.Date.Format("2006-01-02"), 0, colText)}, {b.sp(due, bold, c)}, {b.sp(b.pageOf(e.ID), 0, colMuted)}})
	}
	if len(rows) == 0 {
		b.text("Nothing has expired, and nothing expires within the window.", italic, colMuted, bodySize)
		return nil
	}
	b.table(table{header: true, size: 9, cols: []column{{title: "Item"}, {title: "Type"}, {title: "Field"}, {title: "Date"}, {title: "Status"}, {title: "Page", width: 11, right: true}}}, rows)
	return nil
}

func (b *book) singular(t string) string {
	if s := b.v.Schemas().Get(t); s != nil {
		return s.DisplaySingular()
	}
	return t
}
