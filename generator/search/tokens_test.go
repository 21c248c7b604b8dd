package search_test

import (
	"math/rand/v2"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"github.com/cairn-it/cairn/generator/search"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"server4thfloor", []string{"server4thfloor"}},
		{"Hello, World!", []string{"hello", "world"}},
		{"192.0.2.10", []string{"192", "0", "2", "10", "192.0.2.10"}},
		{"nw-fw01.example.", []string{"nw", "fw01", "example", "nw-fw01.example"}},
		{"(70:4C:a5:10)", []string{"70", "4c", "a5", "10", "70:4c:a5:10"}},
		{"Inés García-López", []string{"ines", "garcia", "lopez", "garcia-lopez"}},
		{"10.0.0.0/24", []string{"10", "0", "0", "0", "24", "10.0.0.0/24"}},
		{"— ... --", nil},
		{"https://portal.example.com/a/very/long/path/that/goes/on/and/on/forever", []string{
			"https", "portal", "example", "com", "a", "very", "long", "path", "that", "goes", "on", "and", "on", "forever"}},
		{"ＡＢＣ１", []string{"abc1"}}, // full-width forms fold
	} {
		var got []string
		search.Tokens(tc.in, func(s string) { got = append(got, s) })
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPostingsRejectsGarbage(t *testing.T) {
	for _, s := range []string{"!", "g", "Ag"} {
		if _, _, err := search.Postings(s); err == nil {
			t.Errorf("Postings(%q): no error", s)
		}
	}
	docs, classes, err := search.Postings("ChB")
	if err != nil || !reflect.DeepEqual(docs, []int{0, 8}) || !reflect.DeepEqual(classes, []int{2, 1}) {
		t.Errorf("Postings(ChB) = %v %v %v", docs, classes, err)
	}
}

// TestTermOrder: the term list is in JavaScript's order (UTF-16 code
// units), which differs from Go's byte order for astral characters.
func TestTermOrder(t *testing.T) {
	files, err := search.Build(view(t, fixture(t), "internal"))
	if err != nil {
		t.Fatal(err)
	}
	idx := decode(t, files)
	terms := splitTerms(idx.Terms)
	if !sort.StringsAreSorted(terms) { // the fixture is BMP-only: the orders agree
		t.Error("terms are not sorted")
	}
	for i := 1; i < len(terms); i++ {
		if terms[i] == terms[i-1] {
			t.Errorf("term %q twice", terms[i])
		}
	}
}

func splitTerms(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// bigDir holds the 10,000-item site of TestSize10000 and BenchmarkBuild,
// written at most once and removed when the tests end.
var bigDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "cairn-search-")
	bigDir = d
	return d, err
}

// referenceTokens is Tokens as first written (strings.Fields, TrimFunc
// and a rune loop): the oracle the one-pass Tokens must agree with.
func referenceTokens(text string, emit func(term string)) {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	text = search.Normalize(text)
	for _, chunk := range strings.Fields(text) {
		chunk = strings.TrimFunc(chunk, func(r rune) bool { return !isWord(r) })
		if chunk == "" {
			continue
		}
		runs, start := 0, -1
		for i, r := range chunk {
			if isWord(r) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				emit(chunk[start:i])
				runs++
				start = -1
			}
		}
		if start >= 0 {
			emit(chunk[start:])
			runs++
		}
		if runs > 1 && len([]rune(chunk)) <= 48 {
			emit(chunk)
		}
	}
}

// referenceLess is the term order as first written: by UTF-16 code
// units, through []rune and utf16.EncodeRune.
func referenceLess(a, b string) bool {
	key := func(r rune) uint32 {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			return uint32(hi)<<16 | uint32(lo)
		}
		return uint32(r) << 16
	}
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		if ra[i] != rb[i] {
			return key(ra[i]) < key(rb[i])
		}
	}
	return len(ra) < len(rb)
}

// tricky are the pieces random texts are made of: ASCII words and
// punctuation, every kind of space, accents (precomposed and combining),
// full-width forms, letters above U+FFFF and from U+E000 to U+FFFF (whose
// UTF-16 order differs from their UTF-8 order), an invalid byte.
var tricky = []string{"a", "Z", "fw01", "9", "-", ".", ":", "/", `"`, "<", "&", "\\", " ", "\t", "\n", "\u00a0", "\u0085", "\u3000",
	"é", "e\u0301", "Ü", "ß", "ﬁ", "ＡＢ", "１", "𠀀", "𝔘", "﨎", "\ufffd", "\xff", "—", "…", "\u2028", "ǅ", "İ"}

func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(tricky[rng.IntN(len(tricky))])
	}
	return b.String()
}

// TestTokensAgreeWithReference: the one-pass tokenizer emits exactly the
// terms of the first implementation, in order, on random texts made of
// tricky pieces, and long chunks still drop their whole form.
func TestTokensAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{strings.Repeat("ab-", 30), strings.Repeat("é.", 23) + "éx", strings.Repeat("é.", 24) + "x"} // 48 and 49 runes
	for range 5000 {
		texts = append(texts, randomText(rng, rng.IntN(40)))
	}
	for _, text := range texts {
		var got, want []string
		search.Tokens(text, func(s string) { got = append(got, s) })
		referenceTokens(text, func(s string) { want = append(want, s) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Tokens(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestTermOrderAgreesWithReference: the index's terms come out in the
// first implementation's UTF-16 order, on terms of random tricky texts.
func TestTermOrderAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var terms []string
	for range 3000 {
		search.Tokens(randomText(rng, 12), func(s string) { terms = append(terms, s) })
	}
	for i := range terms {
		a, b := terms[i], terms[rng.IntN(len(terms))]
		if got, want := search.CompareUTF16(a, b) < 0, referenceLess(a, b); got != want {
			t.Fatalf("CompareUTF16(%q, %q) < 0 is %v, want %v", a, b, got, want)
		}
	}
}
