package leaks

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// anchored runs a rule's regex only where a match can start. For a regex
// whose every match starts with one of a few strings (login-password's
// `\b(?:login|user|account|...)`), the places a match can start in an
// ASCII line are the places one of those strings is written: there the
// regex is tried anchored, once, instead of at every byte of the line, as
// FindAllStringSubmatchIndex does. On the long prose lines whose common
// words ("user", "account") are a rule's keywords, most of the work of
// the leak scan was trying those other places.
//
// The matches are those of FindAllStringSubmatchIndex, in ASCII lines
// (on others, where case folding lets `ſ` match `s`, the scan runs the
// regex as written): each start is tried with the byte before it as
// context, so that \b and the other assertions see what they see in the
// whole line, and the first start, from where the last match ended, at
// which the regex matches gives the same match as the unanchored search,
// which takes the leftmost start and, there, the match the regex prefers.
type anchored struct {
	starts []string // in lower case; every match starts with one of them
	first  *regexp.Regexp
	after  *regexp.Regexp // one byte of context, then the regex
}

// maxStarts bounds the strings a match may start with for anchoring to
// pay: each is searched for in every line.
const maxStarts = 32

// minStart is the shortest start string anchoring is used for: shorter
// ones (a digit, "a") are written at so many places of a line that
// trying the regex at each costs more than one unanchored search.
const minStart = 3

// anchor returns the anchored form of expr, or nil when its matches do
// not all start with one of a few known strings (or expr is too long to
// analyse, see maxAnalysed).
func anchor(expr string) *anchored {
	if len(expr) > maxAnalysed {
		return nil
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	set, ok := startStrings(re)
	if !ok || len(set) == 0 {
		return nil
	}
	for _, s := range set {
		if len(s) < minStart {
			return nil // found at too many places for anchoring to pay
		}
	}
	first, err1 := regexp.Compile(`^(?:` + expr + `)`)
	after, err2 := regexp.Compile(`^(?s:.)(?:` + expr + `)`)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &anchored{starts: set, first: first, after: after}
}

// startStrings returns strings (in lower case, none empty) one of which
// starts every match of re in ASCII text, with the assertions before
// them left out (they consume nothing); ok is false when there is no
// such short list.
func startStrings(re *syntax.Regexp) (set []string, ok bool) {
	switch re.Op {
	case syntax.OpCapture:
		return startStrings(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
				continue
			}
			return startStrings(sub)
		}
		return nil, false
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, ok := startStrings(sub)
			if !ok {
				return nil, false
			}
			set = union(set, s)
			if len(set) > maxStarts {
				return nil, false
			}
		}
		return set, true
	case syntax.OpLiteral, syntax.OpCharClass:
		// A string every match of re is (a literal), or one of its
		// characters (a small class): non-empty, and ASCII.
		s, ok := exact(re)
		if !ok || len(s) > maxStarts {
			return nil, false
		}
		for _, x := range s {
			if x == "" {
				return nil, false
			}
		}
		return s, true
	case syntax.OpPlus, syntax.OpRepeat:
		if re.Op == syntax.OpRepeat && re.Min < 1 {
			return nil, false
		}
		return startStrings(re.Sub[0])
	}
	return nil, false
}

// findAll is FindAllStringSubmatchIndex of the rule's regex on line, an
// ASCII line whose lower case is lower.
func (a *anchored) findAll(line, lower string) [][]int {
	var out [][]int
	pos := 0
	for pos < len(line) {
		p := a.next(lower, pos)
		if p < 0 {
			break
		}
		var m []int
		if p == 0 {
			m = a.first.FindStringSubmatchIndex(line)
		} else if m = a.after.FindStringSubmatchIndex(line[p-1:]); m != nil {
			for i := range m {
				if m[i] >= 0 {
					m[i] += p - 1
				}
			}
			m[0] = p // the context byte is not part of the match
		}
		if m == nil {
			pos = p + 1
			continue
		}
		out = append(out, m)
		if m[1] > p {
			pos = m[1]
		} else {
			pos = p + 1 // an empty match, which no start string allows
		}
	}
	return out
}

// next returns the first place at or after from where one of the start
// strings is written in lower, or -1.
func (a *anchored) next(lower string, from int) int {
	best := -1
	for _, s := range a.starts {
		lim := len(lower)
		if best >= 0 {
			lim = min(len(lower), best+len(s)) // a later find cannot win
		}
		if i := strings.Index(lower[from:lim], s); i >= 0 {
			best = from + i
		}
	}
	return best
}
