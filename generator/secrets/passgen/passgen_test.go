package passgen

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestWordList(t *testing.T) {
	if len(Words) < 2000 {
		t.Errorf("word list has %d words, want at least 2000", len(Words))
	}
	if !sort.StringsAreSorted(Words) {
		t.Error("word list is not sorted")
	}
	re := regexp.MustCompile(`^[a-z]{3,9}$`)
	for i, w := range Words {
		if !re.MatchString(w) {
			t.Errorf("word %q is not 3-9 lower-case letters", w)
		}
		if i > 0 && Words[i-1] == w {
			t.Errorf("word %q repeats", w)
		}
	}
}

func TestGenerate(t *testing.T) {
	for _, c := range []struct {
		o    Options
		re   string
		desc string
	}{
		{Options{Length: 24}, `^[a-km-zA-HJ-NP-Z2-9!#%+\-.:=?@_~^*]{24}$`, "24 characters from 71"},
		{Options{Length: 16, NoSymbols: true}, `^[a-km-zA-HJ-NP-Z2-9]{16}$`, "16 characters from 57"},
		{Options{Words: 6}, `^[a-z]+(-[a-z]+){5}$`, fmt.Sprintf("6 words from %d", len(Words))},
	} {
		seen := map[string]bool{}
		for range 50 {
			r, err := Generate(c.o)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(c.re).MatchString(r.Value) {
				t.Errorf("%+v gave %q", c.o, r.Value)
			}
			if r.Desc != c.desc {
				t.Errorf("%+v: desc %q, want %q", c.o, r.Desc, c.desc)
			}
			if c.o.Words == 0 && !hasEach(r.Value, []string{lower, upper, digits}) {
				t.Errorf("%q lacks a character class", r.Value)
			}
			if seen[r.Value] {
				t.Errorf("%q generated twice", r.Value)
			}
			seen[r.Value] = true
		}
	}
	r, _ := Generate(Options{Words: 6})
	if int(r.Bits) != 68 { // 6 * log2(2727) = 68.5
		t.Errorf("6 words: %v bits, want 68.5", r.Bits)
	}
	if _, err := Generate(Options{Length: 4}); err == nil || !strings.Contains(err.Error(), "8 to 256") {
		t.Errorf("length 4: err = %v", err)
	}
}
