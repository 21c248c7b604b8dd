package runbook

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// typeSection is one item type: a summary table, then every item.
func (b *book) typeSection(t string) error {
	s := b.v.Schemas().Get(t)
	b.sectionTitle(keyTypeOf+t, b.typeName(t))
	if s != nil && s.Description != "" {
		b.text(s.Description, 0, colMuted, 9)
		b.gap(2)
	}
	b.summary(t, s)
	for _, it := range b.byType[t] {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		b.item(it)
	}
	return nil
}

// summary is the table of a type's items: title, the schema's
// show_in_list fields, and the page of each item's details.
func (b *book) summary(t string, s *schema.Schema) {
	var fields []*schema.Field
	titled := 0
	if s != nil {
		titled = len(s.TitleFields())
		for _, f := range s.ListFields() {
			if (f.UseForTitle && titled == 1) || f.Kind == schema.Header || f.Kind == schema.Group || f.Kind == schema.Textbox || f.Kind == schema.Password {
				continue
			}
			fields = append(fields, f)
		}
	}
	cols := []column{{title: "Name"}}
	for _, f := range fields {
		cols = append(cols, column{title: f.DisplayLabel()})
	}
	if t == "checklists" {
		cols = append(cols, column{title: "Done"})
	}
	cols = append(cols, column{title: "Page", width: 11, right: true})
	var rows [][]cell
	for _, it := range b.byType[t] {
		name := b.sp(it.Title, bold, colLink)
		name.link = b.linkTo(it.ID)
		row := []cell{{name}}
		if it.Archived {
			row[0] = append(row[0], b.sp(" (archived)", italic, colMuted))
		}
		for _, f := range fields {
			row = append(row, b.fieldValue(it, f, b.valueOf(it, f), false))
		}
		if t == "checklists" {
			row = append(row, cell{b.sp(progress(it), 0, colText)})
		}
		row = append(row, cell{b.sp(b.pageOf(it.ID), 0, colMuted)})
		rows = append(rows, row)
	}
	b.table(table{header: true, size: 8.5, cols: cols}, rows)
}

// progress is a checklist's "done/total".
func progress(it *model.Item) string {
	p := checklist.Of(it.Tasks, time.Time{})
	return fmt.Sprintf("%d/%d", p.Done, p.Total)
}

// valueOf returns the item's value of a field, or the field's default.
func (b *book) valueOf(it *model.Item, f *schema.Field) *tomldoc.Value {
	if v := it.Value(f.Name); v != nil {
		return v
	}
	return f.Default
}

// item is one item's details: its fields by kind, notes, body, and what it
// links to and from.
func (b *book) item(it *model.Item) {
	b.at(it.File, max(1, it.FieldsLine))
	b.ensure(32)
	b.gap(3)
	b.rule(0.5, colText)
	b.gap(2)
	b.anchor(it.ID)
	b.bookmark(it.Title, 1)
	title := []span{b.sp(it.Title, bold, colText)}
	if it.Archived {
		title = append(title, b.sp("  archived", italic, colMuted))
	}
	b.flow(title, 0, textW, 13, 6, nil)
	sub := b.singular(it.Type) + " · " + it.ID
	if it.ManagedBy != "" {
		sub += " · managed by " + it.ManagedBy
	}
	b.flow([]span{b.sp(sub, 0, colMuted)}, 0, textW, 8, 4, nil)
	b.gap(1.5)

	if it.Schema != nil {
		b.fields(it)
	}
	if it.Type == "checklists" {
		b.gap(1)
		b.flow([]span{b.sp("Progress: ", bold, colText), b.sp(progress(it)+" tasks done", 0, colText)}, 0, textW, bodySize, lineH, nil)
	}
	if it.Notes != nil {
		b.subTitle("Notes", 8)
		b.markdown(it.Notes, it.ID, it.File)
	}
	if it.Body != nil {
		b.gap(2)
		b.markdownBody(it)
	}
	b.related(it)
}

// fields prints an item's fields in schema order: simple values as a
// two-column table, headers as small headings, groups as tables of their
// records, textboxes as Markdown.
func (b *book) fields(it *model.Item) {
	s := it.Schema
	titled := len(s.TitleFields())
	var kv [][]cell
	flush := func() {
		if len(kv) > 0 {
			b.table(table{cols: []column{{width: 44}, {}}, size: 9}, kv)
			kv = nil
		}
	}
	for i, f := range s.Fields {
		if f.UseForTitle && titled == 1 {
			continue
		}
		switch f.Kind {
		case schema.Header:
			if b.anyValue(it, s.Fields[i+1:]) {
				flush()
				b.subTitle(f.DisplayLabel(), 8)
			}
		case schema.Group:
			v := it.Value(f.Name)
			if v == nil {
				continue
			}
			flush()
			b.subTitle(f.DisplayLabel(), 8)
			b.group(it, f, v)
		case schema.Textbox:
			v := b.valueOf(it, f)
			if v == nil || v.Kind != tomldoc.KindString || strings.TrimSpace(v.Str) == "" {
				continue
			}
			flush()
			b.subTitle(f.DisplayLabel(), 8)
			p := it.Pos(v.Pos)
			b.markdown(b.textbox(it.ID+"\x00"+f.Name, v.Str, p.Line, p.Col), it.ID, it.File)
		case schema.Password:
			kv = append(kv, []cell{{b.sp(f.DisplayLabel(), bold, colMuted)}, b.password(it, f)})
		default:
			v := b.valueOf(it, f)
			if v == nil {
				continue
			}
			c := b.fieldValue(it, f, v, true)
			if len(c) == 0 {
				continue
			}
			kv = append(kv, []cell{{b.sp(f.DisplayLabel(), bold, colMuted)}, c})
		}
	}
	flush()
}

// anyValue reports whether any field before the next header has a value.
func (b *book) anyValue(it *model.Item, fields []*schema.Field) bool {
	for _, f := range fields {
		if f.Kind == schema.Header {
			return false
		}
		if f.Kind == schema.Password || b.valueOf(it, f) != nil {
			return true
		}
	}
	return false
}

// password prints a secret field: its value when the book carries secrets,
// otherwise where to find it.
func (b *book) password(it *model.Item, f *schema.Field) cell {
	if b.opts.Secrets != nil {
		if v, ok := b.secrets[it.ID][f.Name]; ok && v != "" {
			return cell{b.sp(v, mono, colText)}
		}
		return cell{b.sp("(not set)", italic, colMuted)}
	}
	if it.Secrets == "" {
		return cell{b.sp("(not set)", italic, colMuted)}
	}
	return cell{b.sp("not printed: ", italic, colMuted), b.sp("cairn secret get "+it.ID+" "+f.Name, mono, colMuted)}
}

// fieldValue formats one value of a field. detail adds how far off an
// expiry date is.
func (b *book) fieldValue(it *model.Item, f *schema.Field, v *tomldoc.Value, detail bool) cell {
	if v == nil {
		return nil
	}
	vals := v.Elements()
	var c cell
	for _, e := range vals {
		part := b.scalar(it, f, e, detail)
		if len(part) == 0 {
			continue
		}
		if len(c) > 0 {
			sep := ", "
			if f.Kind == schema.Tag || f.Kind == schema.Upload {
				c = append(c, span{brk: true})
				sep = ""
			}
			if sep != "" {
				c = append(c, b.sp(sep, 0, colText))
			}
		}
		c = append(c, part...)
	}
	return c
}

func (b *book) scalar(it *model.Item, f *schema.Field, v *tomldoc.Value, detail bool) cell {
	switch f.Kind {
	case schema.Tag:
		if v.Kind != tomldoc.KindString {
			return nil
		}
		t, ok := b.v.Resolve(it.ID, model.RefID, strings.TrimSpace(v.Str))
		if !ok {
			return nil
		}
		return b.ref(t.ID)
	case schema.Date:
		d, ok := schema.DateOf(v)
		if !ok {
			return nil
		}
		c := cell{b.sp(d.Format("2006-01-02"), 0, colText)}
		if f.Expires {
			if expiry.Within(b.asOf, d, b.v.Config().ExpiryWindowDays) {
				due, col := dueText(b.daysUntil(d))
				c = append(c, b.sp("  "+due, bold, col))
			}
		}
		return c
	case schema.Checkbox:
		if v.Kind != tomldoc.KindBool {
			return nil
		}
		if v.Bool {
			return cell{b.sp("Yes", 0, colText)}
		}
		return cell{b.sp("No", 0, colText)}
	case schema.Number, schema.Percent:
		s := v.Raw
		if v.Kind == tomldoc.KindInteger {
			s = strconv.FormatInt(v.Int, 10)
		} else if f.Decimals != nil {
			s = strconv.FormatFloat(v.Float, 'f', *f.Decimals, 64)
		} else if v.Kind == tomldoc.KindFloat {
			s = strconv.FormatFloat(v.Float, 'f', -1, 64)
		}
		if f.Kind == schema.Percent {
			s += "%"
		}
		return cell{b.sp(s, 0, colText)}
	case schema.URL:
		if v.Kind != tomldoc.KindString {
			return nil
		}
		sp := b.sp(v.Str, 0, colLink)
		if strings.HasPrefix(v.Str, "http://") || strings.HasPrefix(v.Str, "https://") {
			sp.url = v.Str
		}
		return cell{sp}
	case schema.IP, schema.CIDR:
		if v.Kind != tomldoc.KindString {
			return nil
		}
		return cell{b.sp(v.Str, mono, colText)}
	case schema.Upload:
		if v.Kind != tomldoc.KindString {
			return nil
		}
		if !b.v.CanSeeFile(it.Org + "/files/" + path.Clean(v.Str)) {
			return nil // not carried by the portal: not named either
		}
		return cell{b.sp("files/"+path.Clean(v.Str), mono, colText)}
	case schema.Textbox:
		if v.Kind != tomldoc.KindString {
			return nil
		}
		return cell{b.sp(strings.Join(strings.Fields(v.Str), " "), 0, colText)}
	}
	switch v.Kind {
	case tomldoc.KindString:
		if v.Str == "" {
			return nil
		}
		return cell{b.sp(v.Str, 0, colText)}
	case tomldoc.KindBool:
		return cell{b.sp(strconv.FormatBool(v.Bool), 0, colText)}
	case tomldoc.KindTable, tomldoc.KindArray:
		return nil
	}
	return cell{b.sp(strings.Trim(v.Raw, `"'`), 0, colText)}
}

// group prints the records of a group field (interfaces, emails, phones)
// as a table: one column per sub-field that any record sets.
func (b *book) group(it *model.Item, f *schema.Field, v *tomldoc.Value) {
	recs := v.Elements()
	var subs []*schema.Field
	for _, sf := range f.Fields {
		if sf.Kind == schema.Header {
			continue
		}
		for _, r := range recs {
			if r.Kind == tomldoc.KindTable && (r.Table.Get(sf.Name) != nil || sf.Default != nil) {
				subs = append(subs, sf)
				break
			}
		}
	}
	if len(subs) == 0 {
		return
	}
	var cols []column
	for _, sf := range subs {
		cols = append(cols, column{title: sf.DisplayLabel()})
	}
	var rows [][]cell
	for _, r := range recs {
		if r.Kind != tomldoc.KindTable {
			continue
		}
		var row []cell
		for _, sf := range subs {
			sv := r.Table.Get(sf.Name)
			if sv == nil {
				sv = sf.Default
			}
			if sf.Kind == schema.Password {
				row = append(row, cell{b.sp("(not printed)", italic, colMuted)})
				continue
			}
			row = append(row, b.fieldValue(it, sf, sv, true))
		}
		rows = append(rows, row)
	}
	b.table(table{header: true, size: 8.5, cols: cols, x0: 0}, rows)
}

// titleOf names an item or organization the view may see, with its
// organization when it is not the book's.
func (b *book) titleOf(id string) string {
	if it := b.v.Item(id); it != nil {
		if it.Org != b.org.Slug {
			if o := b.v.Org(it.Org); o != nil {
				return it.Title + " (" + o.Name + ")"
			}
		}
		return it.Title
	}
	if o := b.v.Org(id); o != nil {
		return o.Name
	}
	return id
}

// ref prints an item or organization the view may see by title, as a
// link when it is in the book; nothing when the view may not see it.
func (b *book) ref(id string) cell {
	if !b.v.CanSee(id) {
		return nil
	}
	sp := b.sp(b.titleOf(id), 0, colText)
	if l := b.linkTo(id); l != 0 {
		sp.link, sp.color = l, colLink
	}
	return cell{sp}
}

// related lists what the item links to and what links to it from its own
// organization, as far as the view may see.
func (b *book) related(it *model.Item) {
	const to, from = 1, 2
	dirs := map[string]int{}
	var ids []string
	add := func(id string, d int) {
		if id == it.ID {
			return
		}
		if dirs[id] == 0 {
			ids = append(ids, id)
		}
		dirs[id] |= d
	}
	for _, l := range b.v.Links(it.ID) {
		add(l.To, to)
	}
	for _, l := range b.v.Backlinks(it.ID) {
		// Only from this organization: a shared organization's book must
		// not list the clients that link to it.
		if src := b.v.Item(l.From); src != nil && src.Org == b.org.Slug {
			add(l.From, from)
		}
	}
	if len(ids) == 0 {
		return
	}
	label := map[int]string{to: "links to", from: "linked from", to | from: "both ways"}
	titles := make(map[string]string, len(ids))
	for _, id := range ids {
		titles[id] = strings.ToLower(b.titleOf(id))
	}
	sort.SliceStable(ids, func(i, j int) bool {
		if dirs[ids[i]] != dirs[ids[j]] {
			return dirs[ids[i]] < dirs[ids[j]]
		}
		a, c := titles[ids[i]], titles[ids[j]]
		if a != c {
			return a < c
		}
		return ids[i] < ids[j]
	})
	b.subTitle("Related items", 8)
	var rows [][]cell
	for _, id := range ids {
		typ := "Organization"
		if x := b.v.Item(id); x != nil {
			typ = b.singular(x.Type)
		}
		rows = append(rows, []cell{{b.sp(label[dirs[id]], 0, colMuted)}, b.ref(id), {b.sp(typ, 0, colText)}, {b.sp(b.pageOf(id), 0, colMuted)}})
	}
	b.table(table{header: true, size: 8.5, cols: []column{{title: "", width: 22}, {title: "Item"}, {title: "Type"}, {title: "Page", width: 11, right: true}}}, rows)
}

// markdownBody prints a document's or checklist's body, without a first
// heading that only repeats the title.
func (b *book) markdownBody(it *model.Item) {
	b.renderDoc(it.Body, it.ID, it.File, it.Title)
}

// markdown prints a Markdown text written in from (an item, or an
// organization's quick notes by its slug), in file.
func (b *book) markdown(d *markdown.Doc, from, file string) {
	b.renderDoc(d, from, file, "")
}
