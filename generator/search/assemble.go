package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Assemble returns the bytes of the index file (IndexFile) made of parts,
// in Pages order: each organization's part followed by its items' parts.
// It merges the parts' terms without reading the site or tokenizing
// again, and writes exactly the bytes Build writes for the view the parts
// were made from. It is pure and safe for concurrent use; the parts are
// not modified.
func Assemble(parts []*Part) ([]byte, error) { return new(assembler).assemble(parts) }

// assembler merges parts into an index. It remembers, between calls, the
// terms it has numbered (sorted once, then merged with new ones), the
// term numbers of the parts it has seen, and each term's postings, raw
// and encoded. Assembling again the same pages in the same order with a
// few parts replaced (an edit) then costs the replaced parts' terms only;
// other calls number what is new and lay every posting out again. An
// assembler serves one goroutine at a time.
type assembler struct {
	ids   map[string]int32  // term -> number
	dict  []string          // number -> term
	json  []string          // number -> the term as a JSON string's text
	order []int32           // every number, its terms sorted by compareUTF16
	memo  map[*Part][]int32 // the numbers of each part's terms, as they occur

	// What the last call assembled, for the next: its parts, and each
	// term's postings (doc << 2 | class, docs ascending; empty for a term
	// no part uses) and their encoding.
	last  []*Part
	lists [][]uint32
	enc   [][]byte
}

// deadTerms is how many numbered terms no part uses an assembler keeps,
// as a multiple of those in use, before it numbers them afresh.
const deadTerms = 1

func (a *assembler) assemble(parts []*Part) ([]byte, error) {
	var (
		orgs      []string
		types     []string
		typeIndex = map[string]int{}
		docTypes  = make([]int, len(parts))
		docOrgs   = make([]int, len(parts))
	)
	for i, p := range parts {
		if p == nil {
			return nil, fmt.Errorf("search part %d is nil", i)
		}
		if p.org {
			orgs = append(orgs, p.name)
		} else if len(orgs) == 0 {
			return nil, errors.New("search parts: an item's part comes before any organization's")
		}
		docOrgs[i] = len(orgs) - 1
		t, ok := typeIndex[p.typ]
		if !ok {
			t = len(types)
			typeIndex[p.typ] = t
			types = append(types, p.typ)
		}
		docTypes[i] = t
	}
	if a.ids == nil {
		a.ids = map[string]int32{}
	}
	if !a.update(parts) {
		a.full(parts)
	}
	live, textLen, postLen := 0, 0, 0
	for _, id := range a.order {
		if len(a.lists[id]) > 0 {
			live++
			textLen += len(a.json[id]) + 1
			postLen += len(a.enc[id]) + 1
		}
	}
	if len(a.dict)-live > deadTerms*live+1024 || len(a.memo) > 2*len(parts)+1024 {
		*a = assembler{} // too many terms or parts nothing uses: start afresh
		return a.assemble(parts)
	}
	a.last = slices.Clone(parts)

	// Write what encoding/json wrote for an Index: a nil orgs or docs
	// list is null, the types list is never nil.
	b := make([]byte, 0, 64+textLen+postLen+len(parts)*160)
	b = append(b, "window."+Global+"={\"v\":"...)
	b = strconv.AppendInt(b, Version, 10)
	b = append(b, `,"types":[`...)
	for i, t := range types {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSON(b, t, false)
	}
	b = append(b, `],"orgs":`...)
	b = appendList(b, orgs, func(b []byte, i int) []byte { return appendJSON(b, orgs[i], false) })
	b = append(b, `,"docs":`...)
	b = appendList(b, parts, func(b []byte, i int) []byte {
		b = append(b, parts[i].head...)
		b = strconv.AppendInt(b, int64(docTypes[i]), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(docOrgs[i]), 10)
		return append(b, parts[i].tail...)
	})
	for k, field := range []string{`,"terms":"`, `","post":"`} {
		b = append(b, field...)
		first := true
		for _, id := range a.order {
			if len(a.lists[id]) == 0 {
				continue
			}
			if !first {
				b = append(b, ' ')
			}
			first = false
			if k == 0 {
				b = append(b, a.json[id]...)
			} else {
				b = append(b, a.enc[id]...)
			}
		}
	}
	b = append(b, "\"};\n"...)
	return b, nil
}

// number returns the numbers of a part's terms, as they occur, numbering
// the terms not seen before (and adding them to fresh).
func (a *assembler) number(p *Part, fresh *[]int32) []int32 {
	if ns, ok := a.memo[p]; ok {
		return ns
	}
	ns := make([]int32, len(p.terms))
	start := uint32(0)
	for j, e := range p.terms {
		t := p.text[start : e>>2]
		start = e >> 2
		id, ok := a.ids[t]
		if !ok {
			id = int32(len(a.dict))
			a.ids[t] = id
			a.dict = append(a.dict, t)
			a.json = append(a.json, jsonText(t))
			*fresh = append(*fresh, id)
		}
		ns[j] = id
	}
	a.memo[p] = ns
	return ns
}

// full lays out every term's postings from all the parts.
func (a *assembler) full(parts []*Part) {
	memo := a.memo
	a.memo = make(map[*Part][]int32, len(parts))
	nums := make([][]int32, len(parts))
	var fresh []int32
	npost := 0
	for i, p := range parts {
		if ns, ok := memo[p]; ok {
			a.memo[p] = ns
		}
		nums[i] = a.number(p, &fresh)
		npost += len(nums[i])
	}
	if len(fresh) > 0 {
		a.merge(fresh)
	}
	count := make([]int32, len(a.dict))
	for _, ns := range nums {
		for _, id := range ns {
			count[id]++
		}
	}
	// Lay the postings out term by term, in term order; documents are
	// visited in order, so each term's postings come out ascending.
	next := make([]int32, len(a.dict)) // term number -> next free slot in post
	at := int32(0)
	for _, id := range a.order {
		next[id] = at
		at += count[id]
	}
	post := make([]uint32, npost)
	for n, p := range parts {
		for j, id := range nums[n] {
			post[next[id]] = uint32(n)<<2 | p.terms[j]&3
			next[id]++
		}
	}
	a.lists = make([][]uint32, len(a.dict))
	a.enc = make([][]byte, len(a.dict))
	var buf []byte
	at = 0
	for _, id := range a.order {
		c := count[id]
		if c == 0 {
			continue
		}
		a.lists[id] = post[at : at+c : at+c] // full: an update copies before it grows
		at += c
		start := len(buf)
		buf = appendPostings(buf, a.lists[id])
		a.enc[id] = buf[start:len(buf):len(buf)]
	}
}

// update assembles parts as the last call's parts with some replaced:
// the same pages (by address) in the same order. It changes only the
// postings of the replaced parts' terms, and reports false, changing
// nothing, when parts are not such a replacement or too many changed.
func (a *assembler) update(parts []*Part) bool {
	if a.last == nil || len(parts) != len(a.last) {
		return false
	}
	var changed []int
	for i, p := range parts {
		if q := a.last[i]; p != q {
			if p.url != q.url || len(changed) >= len(parts)/8 {
				return false
			}
			changed = append(changed, i)
		}
	}
	var fresh []int32
	touched := map[int32]bool{}
	for _, i := range changed {
		doc := uint32(i)
		old, ok := a.memo[a.last[i]] // numbered when it was assembled
		if !ok {
			*a = assembler{ids: map[string]int32{}} // cannot happen; start afresh
			return false
		}
		for _, id := range old {
			l := a.lists[id]
			k, found := slices.BinarySearchFunc(l, doc, func(e, d uint32) int { return cmp.Compare(e>>2, d) })
			if !found {
				*a = assembler{ids: map[string]int32{}} // cannot happen; start afresh
				return false
			}
			a.lists[id] = slices.Delete(l, k, k+1)
			touched[id] = true
		}
		p := parts[i]
		for j, id := range a.number(p, &fresh) {
			if int(id) >= len(a.lists) {
				a.lists = append(a.lists, make([][]uint32, int(id)+1-len(a.lists))...)
				a.enc = append(a.enc, make([][]byte, int(id)+1-len(a.enc))...)
			}
			l := a.lists[id]
			k, _ := slices.BinarySearchFunc(l, doc, func(e, d uint32) int { return cmp.Compare(e>>2, d) })
			a.lists[id] = slices.Insert(l, k, doc<<2|p.terms[j]&3)
			touched[id] = true
		}
	}
	if len(fresh) > 0 {
		a.merge(fresh)
	}
	for id := range touched {
		a.enc[id] = appendPostings(nil, a.lists[id])
	}
	return true
}

// merge adds newly numbered terms to the sorted order.
func (a *assembler) merge(fresh []int32) {
	cmpTerms := func(x, y int32) int { return compareUTF16(a.dict[x], a.dict[y]) }
	slices.SortFunc(fresh, cmpTerms)
	if len(a.order) == 0 {
		a.order = fresh
		return
	}
	merged := make([]int32, 0, len(a.order)+len(fresh))
	i, j := 0, 0
	for i < len(a.order) && j < len(fresh) {
		if cmpTerms(fresh[j], a.order[i]) < 0 {
			merged = append(merged, fresh[j])
			j++
		} else {
			merged = append(merged, a.order[i])
			i++
		}
	}
	merged = append(append(merged, a.order[i:]...), fresh[j:]...)
	a.order = merged
}

// appendList appends a JSON array of n elements, or null when n is 0.
func appendList[T any](b []byte, list []T, elem func(b []byte, i int) []byte) []byte {
	if len(list) == 0 {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, i)
	}
	return append(b, ']')
}

const (
	lastDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
	moreDigits = "ghijklmnopqrstuvwxyz0123456789-_"
)

// appendPostings appends one term's postings (doc << 2 | class, docs
// ascending) in the index's base-32 delta code.
func appendPostings(b []byte, post []uint32) []byte {
	var digits [8]byte
	prev := uint32(0)
	for _, p := range post {
		doc, class := p>>2, p&3
		n := (doc-prev)<<2 | class
		prev = doc
		k := len(digits) - 1
		digits[k] = lastDigits[n&31]
		for n >>= 5; n > 0; n >>= 5 {
			k--
			digits[k] = moreDigits[n&31]
		}
		b = append(b, digits[k:]...)
	}
	return b
}

// appendJSON appends s as encoding/json writes a string: with <, > and &
// escaped when html is true (json.Marshal), as they are not when it is
// false (an Encoder with SetEscapeHTML(false)).
func appendJSON(b []byte, s string, html bool) []byte {
	b = append(b, '"')
	b = appendJSONText(b, s, html)
	return append(b, '"')
}

// appendJSONText appends s as appendJSON does, without the quotes.
func appendJSONText(b []byte, s string, html bool) []byte {
	if plainJSON(s, html) {
		return append(b, s...)
	}
	return append(b, jsonString(s, html)...)
}

// jsonText returns s as a JSON string's text, as appendJSONText writes
// it: s itself when it needs no escape.
func jsonText(s string) string {
	if plainJSON(s, false) {
		return s
	}
	return string(jsonString(s, false))
}

// plainJSON reports whether encoding/json writes s as it is (between
// quotes): printable ASCII but for the quote and the backslash, and <, >
// and & when html is true. Anything else is left to encoding/json, so the
// bytes are always encoding/json's.
func plainJSON(s string, html bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || html && (c == '<' || c == '>' || c == '&') {
			return false
		}
	}
	return true
}

// jsonString returns encoding/json's encoding of s without its quotes.
func jsonString(s string, html bool) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s) // a string always encodes
	out := buf.Bytes()
	return out[1 : len(out)-2] // the quotes and Encode's newline
}
