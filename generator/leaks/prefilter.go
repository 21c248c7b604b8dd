package leaks

import (
	"math"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// A prefilter says, from text that every match of a regex must contain,
// that the regex cannot match a line, so the line is never run through
// it. It is derived from the regex's syntax tree, is sound only on
// ASCII lines, and is a conjunction of clauses: a line can match only if,
// for every clause, it holds (ASCII case-insensitively) one of the
// clause's lower-case strings. Lines with any other byte always run the
// regex: Unicode case folding (ſ, K) lets a non-ASCII letter match an
// ASCII one.
type prefilter [][]string

// maxClasses bounds how many single characters a character class may
// stand for in a clause, and maxClauses the clauses an alternation may
// expand to; beyond them the analysis says less, never something false.
const (
	maxClassChars    = 10
	maxClauses       = 64
	maxClauseStrings = 64
)

// analyse reads from a regex in Go's RE2 syntax (as regexp.Compile
// parses it) what lets a line be skipped without running it: its
// prefilter (nil when nothing is known), the fewest runes a match has
// (a line with fewer bytes cannot match: a rune is at least one byte)
// and its runs; all empty when expr does not parse.
func analyse(expr string) (p prefilter, least int, rs runs) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, 0, nil
	}
	if len(expr) <= maxAnalysed {
		p = required(re)
	}
	return p, minRunes(re), requiredRuns(re)
}

// maxAnalysed bounds the regexes whose required strings are worked out,
// so that a site's rule (a pull request may change it) cannot make the
// analysis slow; the longest built-in regex has under 1,000 characters.
const maxAnalysed = 2048

// required returns the clauses every match of re, in ASCII text, holds.
func required(re *syntax.Regexp) prefilter {
	if set, ok := exact(re); ok {
		if len(set) == 0 {
			// re matches no ASCII text at all: a clause no line meets.
			return prefilter{{}}
		}
		if containsString(set, "") {
			return nil
		}
		return simplify(prefilter{set})
	}
	switch re.Op {
	case syntax.OpLiteral:
		// The longest run of ASCII runes is in every match: in ASCII
		// text, a folded ASCII letter matches only its two cases.
		best, run := "", []rune{}
		for _, r := range append(append([]rune{}, re.Rune...), utf8.RuneError) {
			if r < utf8.RuneSelf {
				run = append(run, r)
				continue
			}
			if len(run) > len(best) {
				best = string(run)
			}
			run = run[:0]
		}
		if best == "" {
			return nil
		}
		return prefilter{{strings.ToLower(best)}}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		// Runs of parts whose exact strings are known make one clause
		// each (their products); the other parts add their own.
		var out prefilter
		var run []string
		flush := func() {
			if run != nil && !containsString(run, "") {
				out = append(out, run)
			}
			run = nil
		}
		for _, sub := range re.Sub {
			set, ok := exact(sub)
			if !ok {
				flush()
				out = append(out, required(sub)...)
				continue
			}
			if run == nil {
				run = set
				continue
			}
			if p := product(run, set); p != nil {
				run = p
				continue
			}
			flush()
			run = set
		}
		flush()
		return simplify(out)
	case syntax.OpAlternate:
		// (a1 ∧ a2) ∨ (b1 ∧ b2) = (a1 ∨ b1) ∧ (a1 ∨ b2) ∧ (a2 ∨ b1) ∧
		// (a2 ∨ b2), while that stays small; else each branch keeps its
		// most telling clause.
		var out prefilter
		for i, sub := range re.Sub {
			p := required(sub)
			if len(p) == 0 {
				return nil // a branch that needs nothing: neither does the whole
			}
			if i == 0 {
				out = p
				continue
			}
			if len(out)*len(p) > maxClauses {
				out, p = prefilter{best(out)}, prefilter{best(p)}
			}
			var next prefilter
			for _, a := range out {
				for _, b := range p {
					next = append(next, union(a, b))
				}
			}
			out = simplify(next)
		}
		return out
	}
	// Empty strings, assertions, any character, optional parts (star,
	// quest, repeat from 0): nothing is required.
	return nil
}

// maxExact bounds the strings exact may list.
const maxExact = 64

// exact returns, when it is short, the list of every text (in lower
// case) that re can match in ASCII text, ignoring assertions (\b, ^, $
// match the empty string); ok false when the list is unknown or too
// long. An empty list with ok means re matches no ASCII text.
func exact(re *syntax.Regexp) (set []string, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false
			}
		}
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1] && r < utf8.RuneSelf; r++ {
				if s := strings.ToLower(string(r)); !containsString(set, s) {
					set = append(set, s)
				}
				if len(set) > maxClassChars {
					return nil, false
				}
			}
		}
		return set, true // only non-ASCII runes: an empty list
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		set, ok := exact(re.Sub[0])
		if !ok {
			return nil, false
		}
		return union(set, []string{""}), true
	case syntax.OpConcat:
		set = []string{""}
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if set = product(set, s); set == nil {
				return nil, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if set = union(set, s); len(set) > maxExact {
				return nil, false
			}
		}
		return set, true
	}
	return nil, false
}

// product returns every a+b, nil when there would be more than maxExact
// (an empty a or b gives an empty, non-nil list).
func product(a, b []string) []string {
	if len(a)*len(b) > maxExact {
		return nil
	}
	out := []string{}
	for _, x := range a {
		for _, y := range b {
			if !containsString(out, x+y) {
				out = append(out, x+y)
			}
		}
	}
	return out
}

// simplify drops what another part implies: in a clause, a string that
// holds another of its strings (whenever it is in a line, so is the
// other); a clause that every string of another clause satisfies.
//
// It also bounds a prefilter, which a site's own regexes (a pull request
// may change them) could make huge: a clause of more than
// maxClauseStrings strings is dropped, and past maxClauses clauses only
// the most telling are kept. Dropping a clause only lets more lines
// through.
func simplify(p prefilter) prefilter {
	p = slices.DeleteFunc(p, func(c []string) bool { return len(c) > maxClauseStrings })
	if len(p) > maxClauses {
		slices.SortStableFunc(p, func(a, b []string) int { return shortest(b) - shortest(a) })
		p = p[:maxClauses]
	}
	for i, c := range p {
		var keep []string
		for _, s := range c {
			if !slices.ContainsFunc(c, func(t string) bool { return t != s && strings.Contains(s, t) }) && !containsString(keep, s) {
				keep = append(keep, s)
			}
		}
		p[i] = keep
	}
	var out prefilter
	for i, c := range p {
		redundant := false
		for j, d := range p {
			if i != j && implies(d, c) && (!implies(c, d) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, c)
		}
	}
	return out
}

// implies reports whether a line that satisfies clause d satisfies c:
// every string of d holds a string of c.
func implies(d, c []string) bool {
	for _, t := range d {
		if !slices.ContainsFunc(c, func(s string) bool { return strings.Contains(t, s) }) {
			return false
		}
	}
	return true
}

// best returns the clause of p least likely to hold by chance: the one
// whose shortest string is longest.
func best(p prefilter) []string {
	bi, bn := 0, -1
	for i, c := range p {
		if len(c) == 0 {
			return c // no line meets it
		}
		if n := shortest(c); n > bn {
			bi, bn = i, n
		}
	}
	return p[bi]
}

// shortest returns the length of the shortest string of a clause, and
// one more than any length for an empty clause, which no line meets.
func shortest(c []string) int {
	if len(c) == 0 {
		return math.MaxInt32
	}
	n := len(c[0])
	for _, s := range c {
		n = min(n, len(s))
	}
	return n
}

// union returns the strings of a and b, without repeats.
func union(a, b []string) []string {
	out := append([]string{}, a...)
	for _, s := range b {
		if !containsString(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mayMatch reports whether a line may match: false only when lower (the
// line in lower case, with ascii true when it is all ASCII) lacks every
// string of a clause.
func (p prefilter) mayMatch(lower string, ascii bool) bool {
	if !ascii {
		return true
	}
	for _, clause := range p {
		ok := false
		for _, s := range clause {
			if strings.Contains(lower, s) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// maxMinLength caps minRunes, so that nested repeats cannot overflow.
const maxMinLength = 1 << 20

// minRunes returns the fewest runes a match of re has.
func minRunes(re *syntax.Regexp) int {
	n := 0
	switch re.Op {
	case syntax.OpLiteral:
		n = len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		n = 1
	case syntax.OpCapture, syntax.OpPlus:
		n = minRunes(re.Sub[0])
	case syntax.OpRepeat:
		n = re.Min * minRunes(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			n += minRunes(sub)
		}
	case syntax.OpAlternate:
		n = maxMinLength
		for _, sub := range re.Sub {
			n = min(n, minRunes(sub))
		}
	}
	return min(n, maxMinLength)
}

// A charRun is a run of n characters of a set that every match of a
// regex holds, as \d{6} asks for six digits in a row; runs are the
// charRuns of a regex, all required. Like a prefilter they are sound on
// ASCII lines only (the set lists the ASCII characters of a class).
type charRun struct {
	set [128]bool
	n   int
}

type runs []charRun

// minRun is the shortest run worth checking.
const minRun = 3

func requiredRuns(re *syntax.Regexp) runs {
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredRuns(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil
		}
		if c := re.Sub[0]; c.Op == syntax.OpCharClass && re.Min >= minRun {
			var r charRun
			for i := 0; i+1 < len(c.Rune); i += 2 {
				for x := c.Rune[i]; x <= c.Rune[i+1] && x < utf8.RuneSelf; x++ {
					r.set[x] = true
				}
			}
			r.n = re.Min
			return runs{r}
		}
		return requiredRuns(re.Sub[0])
	case syntax.OpConcat:
		var out runs
		for _, sub := range re.Sub {
			out = append(out, requiredRuns(sub)...)
		}
		return out
	}
	return nil
}

// mayMatch reports whether line may match: false only when it is all
// ASCII (ascii) and lacks one of the runs.
func (rs runs) mayMatch(line string, ascii bool) bool {
	if !ascii {
		return true
	}
	for i := range rs {
		r := &rs[i]
		n, ok := 0, false
		for k := 0; k < len(line); k++ {
			if r.set[line[k]] {
				if n++; n >= r.n {
					ok = true
					break
				}
			} else {
				n = 0
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
