package leaks

import "strings"

// keywordIndex finds every rule's keywords in a file in one pass: an
// Aho-Corasick automaton over all the keywords of a rule set, made into
// a full DFA over byte classes, so that each byte of a file costs one
// table lookup however many rules and keywords there are. It answers
// exactly what a loop of strings.Contains(lower, keyword) per rule (for
// the file) and per line (for the lines) would answer, where lower is
// strings.ToLower of the text: see hits. It is immutable once built and
// safe for concurrent use.
type keywordIndex struct {
	nrules int
	// always marks the rules that run on every line: no keywords, or
	// an empty one (which every line contains).
	always []bool
	// class maps a byte to its column in next; ASCII upper-case letters
	// share their lower-case letter's class, so ASCII text needs no
	// lower-casing. Class 0 is every byte in no keyword.
	class  [256]uint16
	nclass int
	// next is the DFA over states numbered by their offset in it
	// (state*nclass): next[offset+class] is the offset of the following
	// state, complemented (negative) when keywords end there.
	next []int32
	// out lists, per state, the keywords that end there (those of the
	// state and of its suffix links), deduplicated by rule and kind.
	out [][]kwOut
}

// kwOut is one rule whose keyword ends at a DFA state; multiline when the
// keyword holds a line feed, so it counts for the file but for no line.
type kwOut struct {
	rule      int32
	multiline bool
}

// keywordHits is what a file holds of each rule's keywords: file[r]
// when the file has one of rule r's keywords (or r has none), lines[r]
// the 0-based lines, ascending, that hold one (nil with all true when r
// runs on every line).
type keywordHits struct {
	file  []bool
	lines [][]int32
	all   []bool
}

// maxDFA bounds the entries of a keyword DFA (4 bytes each): a site's
// leaks.toml, which a pull request may change, could otherwise name
// megabytes of keywords and make a table of gigabytes.
const maxDFA = 1 << 22

// newKeywordIndex builds the index of the rules' keywords, which are
// lower case (parse lower-cases them); nil when its table would have more
// than maxDFA entries (see loopHits).
func newKeywordIndex(rules []*Rule) *keywordIndex {
	k := &keywordIndex{nrules: len(rules), always: make([]bool, len(rules))}
	// Byte classes: one per byte that occurs in a keyword.
	var used [256]bool
	states := 1 // at most: the root and one per keyword byte
	for ri, r := range rules {
		if len(r.Keywords) == 0 {
			k.always[ri] = true
		}
		for _, w := range r.Keywords {
			if w == "" {
				k.always[ri] = true
			}
			for i := 0; i < len(w); i++ {
				used[w[i]] = true
			}
			states += len(w)
		}
	}
	k.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			k.class[b] = uint16(k.nclass)
			k.nclass++
		}
	}
	if states > maxDFA/k.nclass {
		return nil
	}
	for b := 'A'; b <= 'Z'; b++ {
		k.class[b] = k.class[b+'a'-'A']
	}
	// The trie, with the keywords that end at each node.
	type node struct {
		child map[uint16]int32
		out   []kwOut
	}
	nodes := []node{{child: map[uint16]int32{}}}
	for ri, r := range rules {
		if k.always[ri] {
			continue
		}
		for _, w := range r.Keywords {
			cur := int32(0)
			for i := 0; i < len(w); i++ {
				c := k.class[w[i]]
				nx, ok := nodes[cur].child[c]
				if !ok {
					nx = int32(len(nodes))
					nodes = append(nodes, node{child: map[uint16]int32{}})
					nodes[cur].child[c] = nx
				}
				cur = nx
			}
			nodes[cur].out = appendOut(nodes[cur].out, kwOut{rule: int32(ri), multiline: strings.Contains(w, "\n")})
		}
	}
	// Breadth first: each node's suffix link is complete before its
	// children's, so its transitions and outputs can be copied.
	k.next = make([]int32, len(nodes)*k.nclass)
	k.out = make([][]kwOut, len(nodes))
	fail := make([]int32, len(nodes))
	queue := []int32{0}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		outs := append([]kwOut(nil), nodes[n].out...)
		if n != 0 {
			for _, o := range k.out[fail[n]] {
				outs = appendOut(outs, o)
			}
		}
		k.out[n] = outs
		for c := 0; c < k.nclass; c++ {
			child, ok := nodes[n].child[uint16(c)]
			switch {
			case ok:
				if n == 0 {
					fail[child] = 0
				} else {
					fail[child] = k.next[int(fail[n])*k.nclass+c]
				}
				k.next[int(n)*k.nclass+c] = child
				queue = append(queue, child)
			case n == 0:
				k.next[c] = 0
			default:
				k.next[int(n)*k.nclass+c] = k.next[int(fail[n])*k.nclass+c]
			}
		}
	}
	for i, t := range k.next {
		k.next[i] = t * int32(k.nclass)
		if len(k.out[t]) > 0 {
			k.next[i] = ^k.next[i]
		}
	}
	return k
}

// appendOut adds o to outs unless it is there already.
func appendOut(outs []kwOut, o kwOut) []kwOut {
	for _, x := range outs {
		if x == o {
			return outs
		}
	}
	return append(outs, o)
}

// loopHits is what hits returns, found by looking for every keyword of
// every rule in the lower-cased text and in each of its lines, as the
// scan did before the index. It serves when a rule set's index would be
// too large (newKeywordIndex returns nil), and tests hold the index to it.
func loopHits(rules []*Rule, text string) *keywordHits {
	lower := strings.ToLower(text)
	lines := strings.Split(lower, "\n")
	h := &keywordHits{file: make([]bool, len(rules)), lines: make([][]int32, len(rules)), all: make([]bool, len(rules))}
	for ri, r := range rules {
		h.file[ri] = hasKeyword(lower, r.Keywords)
		// A rule with no keyword or an empty one is on every line: the
		// index says so with all rather than a list.
		if len(r.Keywords) == 0 || hasKeyword("", r.Keywords) {
			h.all[ri] = true
			continue
		}
		for i, l := range lines {
			if hasKeyword(l, r.Keywords) {
				h.lines[ri] = append(h.lines[ri], int32(i))
			}
		}
	}
	return h
}

// hits returns where the rules' keywords are in text. For every rule r
// and every line, it is what hasKeyword(lower, r.Keywords) (for the file)
// and hasKeyword(lowerLine, r.Keywords) would say, with lower the
// strings.ToLower of text and lowerLine its lines (split at "\n"). ASCII
// text is matched as it is, upper case folded by the byte classes; text
// with any other byte is lower-cased with strings.ToLower first, as
// the rules' keywords may hold letters that only it folds ("Clé").
func (k *keywordIndex) hits(text string) *keywordHits {
	h := &keywordHits{file: make([]bool, k.nrules), lines: make([][]int32, k.nrules), all: k.always}
	for r, a := range k.always {
		h.file[r] = a
	}
	if !k.scan(text, h, true) {
		for r := range h.lines {
			h.file[r], h.lines[r] = k.always[r], nil
		}
		k.scan(strings.ToLower(text), h, false)
	}
	return h
}

// scan runs the DFA over text, recording hits in h. With asciiOnly it
// stops and returns false at the first byte that is not ASCII.
func (k *keywordIndex) scan(text string, h *keywordHits, asciiOnly bool) bool {
	st := int32(0)
	line := int32(0)
	nclass := int32(k.nclass)
	for i := 0; i < len(text); i++ {
		b := text[i]
		if asciiOnly && b >= 0x80 {
			return false
		}
		st = k.next[st+int32(k.class[b])]
		if st < 0 {
			st = ^st
			for _, o := range k.out[st/nclass] {
				h.file[o.rule] = true
				if o.multiline {
					continue
				}
				if l := h.lines[o.rule]; len(l) == 0 || l[len(l)-1] != line {
					h.lines[o.rule] = append(l, line)
				}
			}
		}
		if b == '\n' {
			line++
		}
	}
	return true
}

// onLines calls f with every line of n that holds one of rule r's
// keywords, in order.
func (h *keywordHits) onLines(r, n int, f func(i int)) {
	if h.all[r] {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	for _, i := range h.lines[r] {
		f(int(i))
	}
}
