package search_test

import (
	"os"
	"reflect"
	"sort"
	"testing"

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
