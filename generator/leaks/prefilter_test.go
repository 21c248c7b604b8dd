package leaks

import (
	"math/rand"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// mayMatchRuns is how scan asks runs about a line.
func mayMatchRuns(rs runs, line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 {
			return rs.mayMatch(line, false)
		}
	}
	return rs.mayMatch(line, true)
}

// mayMatchLine is how scan asks a prefilter about a line.
func mayMatchLine(p prefilter, line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 {
			return p.mayMatch("", false)
		}
	}
	return p.mayMatch(strings.ToLower(line), true)
}

// randomRegex returns a random regex over a small alphabet, with the
// constructs the prefilter reasons about: literals in and out of (?i),
// classes (small, large, negated, non-ASCII only), alternations,
// optional and repeated parts, assertions and captures.
func randomRegex(rnd *rand.Rand, depth int) string {
	atoms := []string{"a", "b", "ab", "Ab", "-", ":", "/", "k", "K", "s", "ſ", "é", "[ab]", "[:=]", "[0-9]", "[^a]", "[–—]",
		"\\d", "\\s", ".", "\\b", "^", "$", "", "(?i:ab)", "(?i)k", "(?-i:A)", "[0-9]{3,5}", "\\d{4}", "(?i:[ab]{3})", "[a-]{3,}"}
	if depth <= 0 || rnd.Intn(3) == 0 {
		return atoms[rnd.Intn(len(atoms))]
	}
	a, b := randomRegex(rnd, depth-1), randomRegex(rnd, depth-1)
	switch rnd.Intn(8) {
	case 0:
		return "(?:" + a + "|" + b + ")"
	case 1:
		return "(?:" + a + ")?"
	case 2:
		return "(?:" + a + ")*"
	case 3:
		return "(?:" + a + ")+"
	case 4:
		return "(?:" + a + "){1,3}"
	case 5:
		return "(" + a + ")" + b
	case 6:
		return "(?i:" + a + b + ")"
	}
	return a + b
}

// TestPrefilterNeverSkipsAMatch: for the built-in rules' regexes and
// thousands of random ones, every line a regex matches is one its
// prefilter lets through, and every match has at least the runes analyse says.
// Lines are made of the regex's own alphabet so that many match.
func TestPrefilterNeverSkipsAMatch(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	var exprs []string
	for _, r := range Builtin().rules {
		if r.Regex != "" {
			exprs = append(exprs, r.Regex)
		}
	}
	for i := 0; i < 3000; i++ {
		exprs = append(exprs, randomRegex(rnd, 4))
	}
	alphabet := []string{"a", "b", "A", "B", "-", ":", "=", "/", "k", "K", "s", "S", "ſ", "\u212A", "é", "–", "1", "9", " ", "\t", "x", "12", "345", "ab", "BA"}
	matched, skipped := 0, 0
	for _, expr := range exprs {
		re := regexp.MustCompile(expr)
		p, least, rs := analyse(expr)
		for n := 0; n < 200; n++ {
			var b strings.Builder
			for k := rnd.Intn(12); k > 0; k-- {
				b.WriteString(alphabet[rnd.Intn(len(alphabet))])
			}
			line := b.String()
			may := mayMatchLine(p, line)
			for _, m := range re.FindAllStringIndex(line, -1) {
				if k := utf8.RuneCountInString(line[m[0]:m[1]]); k < least {
					t.Fatalf("regex %q matches %q in %q: %d runes, but analyse says at least %d", expr, line[m[0]:m[1]], line, k, least)
				}
			}
			if re.MatchString(line) {
				matched++
				if !may {
					t.Fatalf("regex %q matches %q, but its prefilter %q skips the line", expr, line, p)
				}
				if !mayMatchRuns(rs, line) {
					t.Fatalf("regex %q matches %q, but its runs %v skip the line", expr, line, rs)
				}
			} else if !may {
				skipped++
			}
		}
	}
	if matched < 10000 || skipped < 10000 {
		t.Fatalf("%d lines matched, %d skipped: the test compares too little", matched, skipped)
	}
}

// TestPrefilterOfBuiltinRules pins what the analysis finds in two
// built-in rules, so a change that makes it say nothing is seen.
func TestPrefilterOfBuiltinRules(t *testing.T) {
	_, least, rs := analyse(`\b(\d{6}(?:-\d{6}){7})\b`)
	if least != 55 {
		t.Errorf("least length of the BitLocker key regex = %d, want 55", least)
	}
	if len(rs) != 2 || rs[0].n != 6 || !rs[0].set['0'] || rs[0].set['a'] {
		t.Errorf("runs of the BitLocker key regex: %v, want six digits (twice)", rs)
	}
	want := map[string]prefilter{
		"url-credentials": {{"://"}, {"@"}},
		"private-key":     {{"-----begin"}, {"private key block-----", "private key-----"}},
	}
	for _, r := range Builtin().rules {
		if w, ok := want[r.ID]; ok && !reflect.DeepEqual(r.pre, w) {
			t.Errorf("%s: prefilter %q, want %q", r.ID, r.pre, w)
		}
	}
}

// FuzzPrefilter: for any regex and line, a match is never skipped.
func FuzzPrefilter(f *testing.F) {
	f.Add(`(?i)\bpass(?:word)?\s*[:=]\s*(\S+)`, "PassWord: x1")
	f.Add(`(?i)k[–—]`, "\u212A–")
	f.Add(`a(?:b|[^c])?d`, "ad")
	f.Add(`(?i)[a-c]{3}x`, "AbCx")
	f.Fuzz(func(t *testing.T, expr, line string) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		p, least, rs := analyse(expr)
		if re.MatchString(line) && !mayMatchLine(p, line) {
			t.Errorf("regex %q matches %q, but its prefilter %q skips the line", expr, line, p)
		}
		if re.MatchString(line) && !mayMatchRuns(rs, line) {
			t.Errorf("regex %q matches %q, but its runs %v skip the line", expr, line, rs)
		}
		if re.MatchString(line) && len(line) < least {
			t.Errorf("regex %q matches %q, shorter than its least length %d", expr, line, least)
		}
	})
}

// TestAnalyseBoundsHostileRegexes: regexes made to blow up the analysis
// (alternations of alternations of classes and literals, as long as
// analysed, and one far longer) are analysed, with clauses and strings
// within their bounds.
func TestAnalyseBoundsHostileRegexes(t *testing.T) {
	branch := "(?:[ab][cd]|e[fg]|h)(?:[ij]|k[lm])"
	var b strings.Builder
	for b.Len()+len(branch)+1 < maxAnalysed {
		if b.Len() > 0 {
			b.WriteString("|")
		}
		b.WriteString(branch)
	}
	long := strings.Repeat("(?:x|y[0-9]z)", 4000)
	for _, expr := range []string{"(?:" + b.String() + ")" + b.String(), long} {
		p, _, _ := analyse(expr)
		if len(p) > maxClauses {
			t.Errorf("%d clauses, past %d", len(p), maxClauses)
		}
		for _, c := range p {
			if len(c) > maxClauseStrings {
				t.Errorf("a clause of %d strings, past %d", len(c), maxClauseStrings)
			}
		}
	}
}
