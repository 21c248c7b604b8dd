// Package search builds a portal's client-side search index from an
// access.View: item titles, field values, organization names and the text
// of documents and checklists, and nothing the view hides. search.js (in
// the default theme) loads it and answers queries in the browser.
//
// # Index format
//
// Build writes one file, search/index.js, which assigns the index to
// window.cairnSearchIndex; pages load it with a <script> tag, which (unlike
// fetch) works when a portal is opened from disk. The index is a JSON
// object:
//
//	v      format version (1)
//	types  type names ("Configuration", "Organization")
//	orgs   organization names
//	docs   one entry per page: [url, title, type index, org index, summary]
//	       url is relative to the portal root; summary is a short text
//	       shown under the title (list-field values, a document's summary)
//	terms  every index term, sorted by UTF-16 code units, joined by " "
//	post   each term's postings, in the same order, joined by " "
//
// A term's postings are the documents it occurs in, ascending, each coded
// as n = (document number - previous document number) << 2 | class, where
// class is 2 for the title, 1 for a field value and 0 for body text (the
// best place the term occurs in that document). Each n is written in base
// 32, most significant digit first: digits but the last from
// "ghijklmnopqrstuvwxyz0123456789-_", the last from
// "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef". A term list sorted once serves every
// prefix query by binary search; the shared dictionary and small deltas
// keep a 10,000-item index well under 1 MB compressed.
package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/generator/urls"
)

// IndexFile is the index's path relative to the portal root.
const IndexFile = "search/index.js"

// Global is the JavaScript global the index file assigns.
const Global = "cairnSearchIndex"

// Version is the index format version, the "v" key.
const Version = 1

// Term classes: where in a document a term occurs. Higher ranks first.
const (
	classBody  = 0
	classField = 1
	classTitle = 2
)

// summaryLen is the longest summary, in runes.
const summaryLen = 120

// Index is the decoded index: what Build writes, for tests and tools.
type Index struct {
	V     int      `json:"v"`
	Types []string `json:"types"`
	Orgs  []string `json:"orgs"`
	Docs  []Doc    `json:"docs"`
	Terms string   `json:"terms"`
	Post  string   `json:"post"`
}

// Doc is one searchable page. It is written as a JSON array to keep the
// index small: [url, title, type, org, summary].
type Doc struct {
	URL     string
	Title   string
	Type    int
	Org     int
	Summary string
}

// MarshalJSON writes the doc as an array.
func (d Doc) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{d.URL, d.Title, d.Type, d.Org, d.Summary})
}

// UnmarshalJSON reads the array form.
func (d *Doc) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 5 {
		return fmt.Errorf("search doc: want 5 elements, got %d", len(a))
	}
	for i, dst := range []any{&d.URL, &d.Title, &d.Type, &d.Org, &d.Summary} {
		if err := json.Unmarshal(a[i], dst); err != nil {
			return fmt.Errorf("search doc element %d: %w", i, err)
		}
	}
	return nil
}

// Build returns the files of the portal's search index, keyed by path
// relative to the portal root (IndexFile). It reads the site only through
// v, so the index holds nothing the portal may not see: no hidden item or
// organization, no link target the view hides, and never the value of a
// password-kind field. The output is deterministic. Build may be called
// from many goroutines at once, for different or the same views.
func Build(v *access.View) (map[string][]byte, error) {
	idx := NewIndex(v)
	var buf bytes.Buffer
	buf.WriteString("window." + Global + "=")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(idx); err != nil {
		return nil, fmt.Errorf("search index of portal %s: %w", v.Portal.Name, err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	buf.WriteString(";\n")
	return map[string][]byte{IndexFile: buf.Bytes()}, nil
}

// NewIndex builds the index of a view.
func NewIndex(v *access.View) *Index {
	b := &builder{v: v, md: markdown.NewParser(), types: map[string]int{}, postings: map[string][]uint32{}}
	orgIndex := map[string]int{}
	idx := &Index{V: Version}
	for _, o := range v.Orgs() {
		orgIndex[o.Slug] = len(idx.Orgs)
		idx.Orgs = append(idx.Orgs, orgName(o))
	}
	for _, o := range v.Orgs() {
		b.begin()
		b.text(o.Name, classTitle)
		b.text(o.ShortName, classTitle)
		b.text(o.Description, classField)
		if o.Notes != nil {
			b.text(b.plain(o.Slug, o.Notes), classBody)
		}
		for _, a := range o.Alerts {
			b.text(a.Message, classBody)
		}
		b.end(&idx.Docs, Doc{URL: urls.Org(o.Slug), Title: orgName(o), Type: b.typeIndex("Organization"), Org: orgIndex[o.Slug], Summary: clip(o.Description)})
		for _, it := range v.OrgItems(o.Slug) {
			b.begin()
			summary := b.item(it)
			b.end(&idx.Docs, Doc{URL: urls.Item(it), Title: it.Title, Type: b.typeIndex(typeName(it)), Org: orgIndex[o.Slug], Summary: clip(summary)})
		}
	}
	idx.Types = make([]string, len(b.types))
	for name, i := range b.types {
		idx.Types[i] = name
	}
	idx.Terms, idx.Post = b.encode()
	return idx
}

func orgName(o *model.Org) string {
	if o.Name != "" {
		return o.Name
	}
	return o.Slug
}

func typeName(it *model.Item) string {
	if it.Schema != nil {
		return it.Schema.DisplaySingular()
	}
	return it.Type
}

// builder collects the terms of one document at a time, then adds them
// to the postings.
type builder struct {
	v        *access.View
	md       *markdown.Parser // for textbox fields, which hold Markdown
	types    map[string]int
	postings map[string][]uint32 // term -> doc<<2|class, docs ascending
	cur      map[string]uint8
}

func (b *builder) typeIndex(name string) int {
	i, ok := b.types[name]
	if !ok {
		i = len(b.types)
		b.types[name] = i
	}
	return i
}

func (b *builder) begin() { b.cur = map[string]uint8{} }

// text adds the terms of s to the current document with a class.
func (b *builder) text(s string, class uint8) {
	if s == "" {
		return
	}
	Tokens(s, func(t string) {
		if c, ok := b.cur[t]; !ok || c < class {
			b.cur[t] = class
		}
	})
}

func (b *builder) end(docs *[]Doc, d Doc) {
	n := uint32(len(*docs))
	*docs = append(*docs, d)
	for t, c := range b.cur {
		b.postings[t] = append(b.postings[t], n<<2|uint32(c))
	}
	b.cur = nil
}

// item adds an item's title, fields and text, and returns its summary.
func (b *builder) item(it *model.Item) string {
	b.text(it.Title, classTitle)
	var summary []string
	if it.Schema != nil {
		for _, f := range it.Schema.Fields {
			vals := b.field(it, f, it.Fields.Get(f.Name))
			if f.ShowInList && !f.UseForTitle && f.Name != "name" {
				summary = append(summary, vals...)
			}
		}
	}
	if it.Notes != nil {
		b.text(b.plain(it.ID, it.Notes), classBody)
	}
	body := ""
	if it.Body != nil {
		body = b.plain(it.ID, it.Body)
		b.text(body, classBody)
	}
	if s := it.Fields.Get("summary"); s != nil && s.Kind == tomldoc.KindString && s.Str != "" {
		return s.Str
	}
	if len(summary) == 0 {
		return body
	}
	return strings.Join(summary, " · ")
}

// field indexes one field's value (nil when unset) and returns its
// display strings, for the summary.
func (b *builder) field(it *model.Item, f *schema.Field, v *tomldoc.Value) []string {
	if v == nil {
		return nil
	}
	switch f.Kind {
	case schema.Password, schema.Header:
		return nil // secrets never enter an index; headers hold no value
	case schema.Group:
		var out []string
		for _, e := range v.Elements() {
			if e.Kind != tomldoc.KindTable {
				continue
			}
			for _, sub := range f.Fields {
				out = append(out, b.field(it, sub, e.Table.Get(sub.Name))...)
			}
		}
		return out
	}
	var out []string
	for _, e := range v.Elements() {
		s := b.scalar(it, f, e)
		if s != "" {
			b.text(s, classField)
			out = append(out, s)
		}
	}
	return out
}

// scalar returns the searchable text of one value: a tag's target title
// when the portal may see the target (else nothing), the rendered text of
// a textbox's Markdown (not its HTML comments or link targets, which the
// page does not show), the text of other values.
func (b *builder) scalar(it *model.Item, f *schema.Field, e *tomldoc.Value) string {
	switch e.Kind {
	case tomldoc.KindString:
		if f.Kind == schema.Textbox {
			return b.plain(it.ID, b.md.Parse([]byte(e.Str), 1, 1))
		}
		if f.Kind != schema.Tag {
			return e.Str
		}
		t, ok := b.v.Resolve(it.ID, model.RefID, strings.TrimSpace(e.Str))
		switch {
		case !ok:
			return "" // broken, or a target the portal may not see
		case t.Org:
			return orgName(b.v.Org(t.ID))
		}
		return b.v.Item(t.ID).Title
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
func (b *builder) plain(from string, d *markdown.Doc) string {
	return d.PlainTextWiki(d.Root(), func(l *markdown.WikiLink) string {
		if _, ok := b.v.Resolve(from, model.RefID, l.Target); l.Label == "" && !ok {
			return ""
		}
		return l.DisplayLabel()
	})
}

// clip shortens s to summaryLen runes at a word boundary, with an ellipsis.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= summaryLen {
		return s
	}
	cut := string(r[:summaryLen])
	if i := strings.LastIndexByte(cut, ' '); i > summaryLen/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

const (
	lastDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
	moreDigits = "ghijklmnopqrstuvwxyz0123456789-_"
)

// encode returns the sorted term list and the postings, both joined by
// spaces.
func (b *builder) encode() (string, string) {
	terms := make([]string, 0, len(b.postings))
	for t := range b.postings {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool { return lessUTF16(terms[i], terms[j]) })
	var post strings.Builder
	var digits [8]byte
	for i, t := range terms {
		if i > 0 {
			post.WriteByte(' ')
		}
		prev := uint32(0)
		for _, p := range b.postings[t] {
			doc, class := p>>2, p&3
			n := (doc-prev)<<2 | class
			prev = doc
			k := len(digits)
			k--
			digits[k] = lastDigits[n&31]
			for n >>= 5; n > 0; n >>= 5 {
				k--
				digits[k] = moreDigits[n&31]
			}
			post.Write(digits[k:])
		}
	}
	return strings.Join(terms, " "), post.String()
}

// Postings decodes one term's postings: document numbers and classes.
func Postings(s string) (docs []int, classes []int, err error) {
	n, prev, pending := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if d := strings.IndexByte(moreDigits, c); d >= 0 {
			n = n*32 + d
			pending = true
			continue
		}
		d := strings.IndexByte(lastDigits, c)
		if d < 0 {
			return nil, nil, fmt.Errorf("postings: bad digit %q at %d", c, i)
		}
		n = n*32 + d
		prev += n >> 2
		docs = append(docs, prev)
		classes = append(classes, n&3)
		n, pending = 0, false
	}
	if pending {
		return nil, nil, fmt.Errorf("postings: truncated number at end")
	}
	return docs, classes, nil
}
