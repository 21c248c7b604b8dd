package leaks

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// keywordLoop is the keyword pre-filter as Scan ran it before the index
// (loopHits): strings.Contains of every keyword of every rule in the
// lower-cased file, then in each lower-cased line. The index must answer
// exactly as it does.
func keywordLoop(rules []*Rule, text string) *keywordHits { return loopHits(rules, text) }

// pieces are what generated texts are made of: every built-in keyword,
// in lower, upper and mixed case, cut in halves (so that a keyword can
// form across two pieces, or across a line break), with letters that
// only Unicode lower-casing folds onto a keyword's (the Kelvin sign K,
// dotted İ, É), invalid UTF-8 and line breaks.
func pieces(rules []*Rule) []string {
	out := []string{"\n", "\n", "\r\n", " ", "  ", "|", "---", "\u212Aey", "İd", "CLÉ", "clÉ", "\xff", "\xc3", "é", "ß",
		"Schlüssel", "SCHLÜSSEL", "=", ":", "**", "`", "\"", "x", "1", "Ab3$"}
	for _, r := range rules {
		for _, k := range r.Keywords {
			h := len(k) / 2
			out = append(out, k, strings.ToUpper(k), strings.ToUpper(k[:1])+k[1:], k[:h], k[h:])
		}
	}
	return out
}

// randomText joins n random pieces.
func randomText(rnd *rand.Rand, ps []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(ps[rnd.Intn(len(ps))])
	}
	return b.String()
}

// randomRules returns a rule set with random keywords taken from ps
// (lower-cased, as parse does), some with none, an empty one, a line
// break inside, or keywords that are prefixes and suffixes of others.
func randomRules(rnd *rand.Rand, ps []string) []*Rule {
	var rules []*Rule
	for i := 0; i < 1+rnd.Intn(70); i++ {
		r := &Rule{ID: fmt.Sprint("r", i)}
		for k := 0; k < rnd.Intn(5); k++ {
			w := strings.ToLower(randomText(rnd, ps, 1+rnd.Intn(2)))
			if rnd.Intn(8) == 0 && len(w) > 1 {
				w = w[rnd.Intn(len(w)):]
			}
			if rnd.Intn(40) == 0 {
				w = ""
			}
			r.Keywords = append(r.Keywords, w)
		}
		rules = append(rules, r)
	}
	return rules
}

// TestKeywordIndexMatchesKeywordLoop: on thousands of generated texts,
// for the built-in rules and for random rule sets, the index finds each
// rule's keywords in exactly the files and lines the strings.Contains
// loop does, so no rule skips a line it used to read.
func TestKeywordIndexMatchesKeywordLoop(t *testing.T) {
	rnd := rand.New(rand.NewSource(14))
	builtin := Builtin().rules
	ps := pieces(builtin)
	sets := [][]*Rule{builtin}
	for i := 0; i < 40; i++ {
		sets = append(sets, randomRules(rnd, ps))
	}
	for si, rules := range sets {
		k := newKeywordIndex(rules)
		for n := 0; n < 300; n++ {
			text := randomText(rnd, ps, rnd.Intn(60))
			if got, want := k.hits(text), keywordLoop(rules, text); !reflect.DeepEqual(got, want) {
				t.Fatalf("rule set %d, text %q:\nindex %+v\nloop  %+v", si, text, got, want)
			}
		}
	}
}

// TestScanMatchesKeywordLoop: every finding of the built-in rules, on
// texts made of the forms and rule samples of the other tests mixed with
// random keyword pieces, in every kind of file, is the same as the scan
// as it was before: keywords found by the strings.Contains loop, and
// every line with a keyword run through the regex (no prefilter, no
// least length, no anchoring).
func TestScanMatchesKeywordLoop(t *testing.T) {
	rs := Builtin()
	old := Builtin()
	for _, r := range old.rules {
		r.pre, r.minLen, r.runs, r.at = nil, 0, nil, nil
	}
	rnd := rand.New(rand.NewSource(5))
	var lines []string
	for _, f := range forms {
		lines = append(lines, strings.Split(f.text, "\n")...)
	}
	lines = append(lines, "| User | Password |", "|---|---|", "| admin | "+fakePass+" |", "Password:", fakePass,
		"login admin / pass "+fakePass, "PIN: "+fakePIN, "token = "+ghToken, "API key: "+apiKey, awsID+","+awsSecret,
		"password = \""+fakePass+"\"", "notes = \"Passwort: "+fakePass+"\"", "leaks:allow password: "+fakePass)
	ps := pieces(rs.rules)
	found := 0
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for i := 0; i < 1+rnd.Intn(12); i++ {
			if rnd.Intn(3) == 0 {
				b.WriteString(randomText(rnd, ps, 1+rnd.Intn(6)))
			} else {
				b.WriteString(lines[rnd.Intn(len(lines))])
			}
			b.WriteString([]string{"\n", "\n", " ", "\r\n", ""}[rnd.Intn(5)])
		}
		text := b.String()
		path := []string{doc, cfg, pwd, file, sch, "content/acme/files/export.csv"}[n%6]
		got := rs.scanText(path, text, OwnedKeys, rs.kw.hits(text))
		want := old.scanText(path, text, OwnedKeys, keywordLoop(old.rules, text))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s, text %q:\nindex %+v\nloop  %+v", path, text, got, want)
		}
		found += len(got)
	}
	if found < 1000 {
		t.Fatalf("only %d findings in the generated texts: the test compares too little", found)
	}
}

// TestKeywordIndexBounded: a site's rules with megabytes of keywords get
// no DFA (it would take gigabytes) and are searched by the loop, finding
// the same keywords as a small index does.
func TestKeywordIndexBounded(t *testing.T) {
	big := []*Rule{{Keywords: []string{"pass"}}, {Keywords: []string{strings.Repeat("k", 1<<20), "token"}}}
	for i := 0; i < 200; i++ {
		big[1].Keywords = append(big[1].Keywords, fmt.Sprintf("%020d", i))
	}
	if k := newKeywordIndex(big); k != nil {
		t.Fatalf("index of %d states × %d classes built; want none past %d entries", 1<<20, k.nclass, maxDFA)
	}
	rs := &Rules{rules: big}
	small := newKeywordIndex([]*Rule{{Keywords: []string{"pass"}}, {Keywords: []string{"token"}}})
	text := "x\nPassword: a\nno\nthe TOKEN\n"
	if got, want := loopHits(rs.rules, text), small.hits(text); !reflect.DeepEqual(got, want) {
		t.Errorf("loop %+v, small index %+v", got, want)
	}
	// The same through Load and Scan: a leaks.toml rule with three
	// keywords of 900 KB still reports its secrets.
	kw := strings.Repeat("q", 900<<10)
	site := "[[rules]]\nid = \"acme\"\nregex = '''acme_[0-9]{8}'''\nkeywords = [\"" + kw + "\", \"" + kw + "x\", \"" + kw + "y\", \"acme_\"]\n"
	loaded, diags := Load([]byte(site), ConfigFile)
	if len(diags) > 0 || loaded.kw != nil {
		t.Fatalf("Load: %v, index built: %v", diags, loaded.kw != nil)
	}
	found := loaded.Scan("content/a/documents/x.md", []byte("see acme_12345678\n"))
	if len(found) != 1 || found[0].RuleID != "acme" || found[0].Line != 1 || found[0].Col != 5 {
		t.Errorf("findings %+v, want acme at 1:5", found)
	}
}

// FuzzKeywordIndex: for any text, the index and the loop agree on the
// built-in rules and on a rule set with awkward keywords (empty, with a
// line break, prefixes of each other, non-ASCII).
func FuzzKeywordIndex(f *testing.F) {
	builtin := Builtin().rules
	odd := []*Rule{{Keywords: []string{"a", "ab", "abc", "b\nc", "clé", "schlüssel"}}, {Keywords: []string{"bc"}},
		{Keywords: []string{"", "x"}}, {}, {Keywords: []string{"\n"}}, {Keywords: []string{"k"}}}
	ki, ko := newKeywordIndex(builtin), newKeywordIndex(odd)
	f.Add("Password: x\nKEY \u212Aey İ\n")
	f.Add("ab\nc\xffCLÉ\r\nnetwork key")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := ki.hits(text), keywordLoop(builtin, text); !reflect.DeepEqual(got, want) {
			t.Errorf("built-in rules: index %+v, loop %+v", got, want)
		}
		if got, want := ko.hits(text), keywordLoop(odd, text); !reflect.DeepEqual(got, want) {
			t.Errorf("odd rules: index %+v, loop %+v", got, want)
		}
	})
}

// BenchmarkKeywordIndex measures the keyword pass over a document of
// prose, links and settings.
func BenchmarkKeywordIndex(b *testing.B) {
	k := Builtin().kw
	text := strings.Repeat("1. Sign in with your named admin account, never a shared one. See [[documents/licence-audit-5536#steps]].\n"+
		"name = \"sw-gr9558\"\nprimary_ip = \"10.58.166.138\"\nwarranty_expires = 2031-04-04\n", 50)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		k.hits(text)
	}
}
