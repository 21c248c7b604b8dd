package search

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/generator/urls"
)

// Page is one page of a portal's index: an organization's home page
// (Item nil) or the page of one of its items (Org is the item's
// organization).
type Page struct {
	Org  *model.Org
	Item *model.Item
}

// ID returns the page's id: the item's id, or the organization's slug.
func (p Page) ID() string {
	if p.Item != nil {
		return p.Item.ID
	}
	return p.Org.Slug
}

// Pages lists the pages of a portal's index in index order: every
// organization the view shows, in v.Orgs order, each followed by its
// visible items in v.OrgItems order. Assemble wants the parts in this
// order.
func Pages(v *access.View) []Page {
	pages := make([]Page, 0, len(v.Orgs())+len(v.Items()))
	for _, o := range v.Orgs() {
		pages = append(pages, Page{Org: o})
		for _, it := range v.OrgItems(o.Slug) {
			pages = append(pages, Page{Org: o, Item: it})
		}
	}
	return pages
}

// Key is a SHA-256 of what a part, or a whole index, is made from: equal
// keys mean equal parts (or equal index bytes).
type Key [sha256.Size]byte

// partFormat names the rules NewPart follows; change it whenever NewPart
// reads something new or makes different parts, so that keys computed by
// an older cairn (kept in a build manifest) no longer match.
const partFormat = "cairn search part 1"

// PartKey returns the key of the part NewPart(v, p) makes, without making
// it (no tokenizing, no Markdown): a SHA-256 of
//
//   - for an item: its id, type, title and file digest (model.Item.Digest,
//     which the loader sets; its fields, notes and body are read from
//     that file), and its schema's name and the kind, list and title
//     flags of its fields (schema.Schema: what decides which values are
//     indexed, and the type's display name);
//   - for an organization: its slug and the org.toml values the index
//     holds (name, short name, description, quick notes, alert messages);
//   - for both, every item and organization the page links to by id (tag
//     fields, related, wiki links) that the view shows, with its title:
//     which of its tag values and wiki links resolve in this portal, and
//     what a tag shows.
//
// Equal keys mean equal parts, whatever the portal or site: a part may be
// cached by its key and shared between portals. PartKey is pure and safe
// for concurrent use.
func PartKey(v *access.View, p Page) Key { return newKeyer(v).key(p) }

// IndexKey returns the key of a portal's whole index: equal keys mean
// equal bytes of Build(v). It costs a PartKey per page, no tokenizing.
func IndexKey(v *access.View) Key {
	k := newKeyer(v)
	all := []byte(partFormat + "\x00index")
	for _, p := range Pages(v) {
		pk := k.key(p)
		all = append(all, pk[:]...)
	}
	return sha256.Sum256(all)
}

// keyer computes part keys, reusing its buffer and each schema's digest
// from one to the next. One keyer serves one goroutine.
type keyer struct {
	v       *access.View
	b       []byte
	schemas map[*schema.Schema]Key
}

func newKeyer(v *access.View) *keyer { return &keyer{v: v, schemas: map[*schema.Schema]Key{}} }

func (k *keyer) key(p Page) Key {
	k.b = k.b[:0]
	k.str(partFormat)
	if it := p.Item; it != nil {
		k.str("item")
		k.str(it.ID)
		k.str(it.Type)
		k.str(it.Title)
		k.b = append(k.b, it.Digest[:]...)
		sk, ok := k.schemas[it.Schema]
		if !ok {
			sk = schemaKey(it.Schema)
			k.schemas[it.Schema] = sk
		}
		k.b = append(k.b, sk[:]...)
	} else {
		o := p.Org
		k.str("org")
		k.str(o.Slug)
		k.str(o.Name)
		k.str(o.ShortName)
		k.str(o.Description)
		k.str(o.QuickNotes)
		k.num(len(o.Alerts))
		for _, a := range o.Alerts {
			k.str(a.Message)
		}
	}
	// A reference by id resolves to one canonical id whatever way it is
	// written, and in this portal exactly when that target is among the
	// visible links from the page: the targets and their titles decide
	// every Resolve NewPart makes.
	k.str("links")
	prev := ""
	for l := range k.v.LinksSeq(p.ID()) {
		if l.Kind.RefKind() != model.RefID || l.To == prev {
			continue
		}
		prev = l.To
		k.str(l.To)
		if o := k.v.Org(l.To); o != nil && strings.IndexByte(l.To, '/') < 0 { // an organization's slug
			k.str(orgName(o))
		} else if it := k.v.Item(l.To); it != nil {
			k.str(it.Title)
		}
	}
	return sha256.Sum256(k.b)
}

// schemaKey returns a digest of what NewPart reads of an item's type: its
// display name and its fields' names, kinds and list and title flags.
func schemaKey(s *schema.Schema) Key {
	k := &keyer{}
	if s == nil {
		k.str("no schema")
	} else {
		k.str(s.DisplaySingular())
		k.fields(s.Fields)
	}
	return sha256.Sum256(k.b)
}

func (k *keyer) num(n int) { k.b = binary.AppendUvarint(k.b, uint64(n)) }

func (k *keyer) str(s string) {
	k.num(len(s))
	k.b = append(k.b, s...)
}

func (k *keyer) flag(b bool) {
	if b {
		k.b = append(k.b, 1)
	} else {
		k.b = append(k.b, 0)
	}
}

func (k *keyer) fields(fs []*schema.Field) {
	k.num(len(fs))
	for _, f := range fs {
		k.str(f.Name)
		k.str(string(f.Kind))
		k.flag(f.ShowInList)
		k.flag(f.UseForTitle)
		k.fields(f.Fields)
	}
}

// Part is what a portal's index holds of one page, tokenized: the page's
// entry of "docs" (but for its type's and organization's numbers, which
// depend on the pages before it) and its terms with their classes.
// Assemble merges parts into an index without reading the site again. A
// part is immutable and safe to share between goroutines and portals.
type Part struct {
	org  bool   // an organization's home page
	name string // the "orgs" entry, for an organization's page
	typ  string // the type's display name
	// url, title and summary (clipped) are the doc's strings; head and
	// tail their JSON: ["url","title", before the type's number and
	// ,"summary"] after the organization's.
	url, title, summary string
	head, tail          []byte
	// text holds the page's distinct terms one after another, in the order
	// they first occur; terms[i] is the end of term i in text << 2 | the
	// best class it occurs in.
	text  string
	terms []uint32
}

// NewPart returns the part of page p in view v: what the index holds of
// it. It reads the site only through v and is pure: the same key
// (PartKey) gives an equal part. It is safe for concurrent use.
func NewPart(v *access.View, p Page) *Part { return newMaker(v).part(p) }

// maker makes parts, reusing its scratch space from one to the next. One
// maker serves one goroutine.
type maker struct {
	v     *access.View
	md    *markdown.Parser // for textbox fields, made when one is met
	cur   map[string]uint8 // term -> best class, of the current page
	order []string         // the current page's terms, as first met
}

func newMaker(v *access.View) *maker {
	return &maker{v: v, cur: map[string]uint8{}}
}

func (m *maker) part(p Page) *Part {
	clear(m.cur)
	m.order = m.order[:0]
	var url, title, typ, summary string
	if it := p.Item; it != nil {
		summary = m.item(it)
		url, title, typ = urls.Item(it), it.Title, typeName(it)
	} else {
		o := p.Org
		m.text(o.Name, classTitle)
		m.text(o.ShortName, classTitle)
		m.text(o.Description, classField)
		if o.Notes != nil {
			m.text(m.plain(o.Slug, o.Notes), classBody)
		}
		for _, a := range o.Alerts {
			m.text(a.Message, classBody)
		}
		url, title, typ, summary = urls.Org(o.Slug), orgName(o), "Organization", o.Description
	}
	part := &Part{org: p.Item == nil, typ: typ, terms: make([]uint32, len(m.order))}
	if part.org {
		part.name = title
	}
	part.setDoc(url, title, clip(summary))
	n := 0
	for _, t := range m.order {
		n += len(t)
	}
	var text strings.Builder
	text.Grow(n)
	for i, t := range m.order {
		text.WriteString(t)
		part.terms[i] = uint32(text.Len())<<2 | uint32(m.cur[t])
	}
	part.text = text.String()
	return part
}

// setDoc sets the part's doc strings and their JSON, as json.Marshal
// wrote them in the first index format (with <, > and & escaped).
func (p *Part) setDoc(url, title, summary string) {
	p.url, p.title, p.summary = url, title, summary
	p.head = append(appendJSON(append(appendJSON([]byte{'['}, url, true), ','), title, true), ',')
	p.tail = append(appendJSON([]byte{','}, summary, true), ']')
}

// text adds the terms of s to the current page with a class.
func (m *maker) text(s string, class uint8) {
	if s == "" {
		return
	}
	Tokens(s, func(t string) {
		c, ok := m.cur[t]
		if !ok {
			m.order = append(m.order, t)
		}
		if !ok || c < class {
			m.cur[t] = class
		}
	})
}

// item adds an item's title, fields and text, and returns its summary.
func (m *maker) item(it *model.Item) string {
	m.text(it.Title, classTitle)
	var summary []string
	if it.Schema != nil {
		for _, f := range it.Schema.Fields {
			var vals *[]string // where the summary's values go, if it shows this field's
			if f.ShowInList && !f.UseForTitle && f.Name != "name" {
				vals = &summary
			}
			m.field(it, f, it.Fields.Get(f.Name), vals)
		}
	}
	if it.Notes != nil {
		m.text(m.plain(it.ID, it.Notes), classBody)
	}
	body := ""
	if it.Body != nil {
		body = m.plain(it.ID, it.Body)
		m.text(body, classBody)
	}
	if s := it.Fields.Get("summary"); s != nil && s.Kind == tomldoc.KindString && s.Str != "" {
		return s.Str
	}
	if len(summary) == 0 {
		return body
	}
	return strings.Join(summary, " · ")
}

// field indexes one field's value (nil when unset) and, when out is not
// nil, appends its display strings to it, for the summary.
func (m *maker) field(it *model.Item, f *schema.Field, v *tomldoc.Value, out *[]string) {
	if v == nil {
		return
	}
	switch f.Kind {
	case schema.Password, schema.Header:
		return // secrets never enter an index; headers hold no value
	case schema.Group:
		for _, e := range v.Elements() {
			if e.Kind != tomldoc.KindTable {
				continue
			}
			for _, sub := range f.Fields {
				m.field(it, sub, e.Table.Get(sub.Name), out)
			}
		}
		return
	}
	for _, e := range v.Elements() {
		s := m.scalar(it, f, e)
		if s != "" {
			m.text(s, classField)
			if out != nil {
				*out = append(*out, s)
			}
		}
	}
}

// scalar returns the searchable text of one value: a tag's target title
// when the portal may see the target (else nothing), the rendered text of
// a textbox's Markdown (not its HTML comments or link targets, which the
// page does not show), the text of other values.
func (m *maker) scalar(it *model.Item, f *schema.Field, e *tomldoc.Value) string {
	switch e.Kind {
	case tomldoc.KindString:
		if f.Kind == schema.Textbox {
			if m.md == nil {
				m.md = markdown.NewParser()
			}
			return m.plain(it.ID, m.md.Parse([]byte(e.Str), 1, 1))
		}
		if f.Kind != schema.Tag {
			return e.Str
		}
		t, ok := m.v.Resolve(it.ID, model.RefID, strings.TrimSpace(e.Str))
		switch {
		case !ok:
			return "" // broken, or a target the portal may not see
		case t.Org:
			return orgName(m.v.Org(t.ID))
		}
		return m.v.Item(t.ID).Title
	case tomldoc.KindInteger, tomldoc.KindFloat, tomldoc.KindDate, tomldoc.KindDateTime, tomldoc.KindLocalDateTime:
		return e.Raw
	}
	return ""
}

// plain returns the text of Markdown written in from (an item's id, or
// an organization's slug for its notes): a wiki link reads as its label,
// or, without one, as the last segment of its target when the portal may
// see the target and as nothing when it may not, whose id would name a
// hidden item.
func (m *maker) plain(from string, d *markdown.Doc) string {
	return d.PlainTextWiki(d.Root(), func(l *markdown.WikiLink) string {
		if l.Label != "" {
			return l.Label
		}
		if _, ok := m.v.Resolve(from, model.RefID, l.Target); !ok {
			return ""
		}
		return l.DisplayLabel()
	})
}
