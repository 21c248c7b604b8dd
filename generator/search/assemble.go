package search

import (
	"bytes"
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
func Assemble(parts []*Part) ([]byte, error) {
	var (
		orgs      []string
		types     []string
		typeIndex = map[string]int{}
		docTypes  = make([]int, len(parts))
		docOrgs   = make([]int, len(parts))
		nterms    = 0
		textLen   = 0
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
		nterms += len(p.terms)
		textLen += len(p.text)
	}

	// Number every distinct term, and note each posting's term.
	ids := make(map[string]int32, nterms/4)
	var dict []string                 // term id -> term
	var count []int32                 // term id -> documents it occurs in
	pterm := make([]int32, 0, nterms) // posting -> term id, postings in doc order
	for _, p := range parts {
		start := uint32(0)
		for _, e := range p.terms {
			t := p.text[start : e>>2]
			start = e >> 2
			id, ok := ids[t]
			if !ok {
				id = int32(len(dict))
				ids[t] = id
				dict = append(dict, t)
				count = append(count, 0)
			}
			count[id]++
			pterm = append(pterm, id)
		}
	}

	// Sort the terms as JavaScript compares strings, and lay the postings
	// out term by term; documents are visited in order, so each term's
	// postings come out ascending.
	order := make([]int32, len(dict))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareUTF16(dict[a], dict[b]) })
	next := make([]int32, len(dict)) // term id -> next free slot in post
	at := int32(0)
	for _, id := range order {
		next[id] = at
		at += count[id]
	}
	post := make([]uint32, len(pterm))
	k := 0
	for n, p := range parts {
		for _, e := range p.terms {
			id := pterm[k]
			k++
			post[next[id]] = uint32(n)<<2 | e&3
			next[id]++
		}
	}

	// Write what encoding/json wrote for an Index: a nil orgs or docs
	// list is null, the types list is never nil.
	b := make([]byte, 0, 64+textLen+len(dict)+3*len(post)+len(parts)*160)
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
	b = append(b, `,"terms":"`...)
	for i, id := range order {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendJSONText(b, dict[id], false)
	}
	b = append(b, `","post":"`...)
	at = 0
	for i, id := range order {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendPostings(b, post[at:at+count[id]])
		at += count[id]
	}
	b = append(b, "\"};\n"...)
	return b, nil
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
// Printable ASCII that needs no escape is copied; anything else is left
// to encoding/json, so the bytes are always encoding/json's.
func appendJSONText(b []byte, s string, html bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || html && (c == '<' || c == '>' || c == '&') {
			return append(b, jsonString(s, html)...)
		}
	}
	return append(b, s...)
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
