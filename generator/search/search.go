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
//
// # Parts
//
// The index is assembled from one Part per page (Pages, NewPart): what
// the index holds of that page, tokenized. Assemble merges parts without
// reading the site or tokenizing again, and Build is Assemble of fresh
// parts. PartKey is a digest of everything a part is made from (equal
// keys, equal parts), so parts can be cached between builds and shared
// between portals; Cache does that for callers that build again and
// again (cairn serve), and IndexKey is the key of a whole index.
package search

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
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
// password-kind field. The output is deterministic, and the same bytes as
// Assemble of the parts of Pages(v). Build may be called from many
// goroutines at once, for different or the same views.
func Build(v *access.View) (map[string][]byte, error) {
	pages := Pages(v)
	parts := make([]*Part, len(pages))
	makeParts(v, pages, parts)
	b, err := Assemble(parts)
	if err != nil {
		return nil, fmt.Errorf("search index of portal %s: %w", v.Portal.Name, err)
	}
	return map[string][]byte{IndexFile: b}, nil
}

// makeParts makes the part of each page whose part is nil, on as many
// goroutines as GOMAXPROCS allows when there are many: parts are
// independent of each other.
func makeParts(v *access.View, pages []Page, parts []*Part) {
	const batch = 64 // pages a goroutine takes at a time
	workers := min(runtime.GOMAXPROCS(0), (len(pages)+batch-1)/batch)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			m := newMaker(v)
			for {
				end := int(next.Add(batch))
				start := end - batch
				if start >= len(pages) {
					return
				}
				for i := start; i < min(end, len(pages)); i++ {
					if parts[i] == nil {
						parts[i] = m.part(pages[i])
					}
				}
			}
		})
	}
	wg.Wait()
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
