package search

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxTermLen is the longest term, in runes, the index keeps whole; longer
// words (URLs, say) are indexed by their alphanumeric parts only.
const maxTermLen = 48

// Normalize folds text the way search.js folds a query: compatibility
// decomposition, combining marks removed, lower case. "García" becomes
// "garcia". The two sides must agree, or terms would never match.
func Normalize(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	d := norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// isWordRune reports whether r is part of a word: a letter or a digit.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Byte classes of ASCII characters, for the tokenizer's fast path.
const (
	asciiOther uint8 = iota // punctuation, symbols, controls
	asciiSpace              // what unicode.IsSpace reports for ASCII
	asciiWord               // letters and digits
)

// asciiClass classifies the bytes below utf8.RuneSelf.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for _, c := range "\t\n\v\f\r " {
		t[c] = asciiSpace
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = asciiWord
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = asciiWord
		t[c-'a'+'A'] = asciiWord
	}
	return t
}()

// runeAt returns the rune at s[i], its width, and whether it is a space
// and a word rune, as strings.Fields and isWordRune see it (an invalid
// byte is utf8.RuneError, width 1, neither).
func runeAt(s string, i int) (width int, space, word bool) {
	if c := s[i]; c < utf8.RuneSelf {
		k := asciiClass[c]
		return 1, k == asciiSpace, k == asciiWord
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return w, unicode.IsSpace(r), isWordRune(r)
}

// Tokens splits text into index terms and calls emit for each, in order
// (repeats included). The rules, mirrored by search.js for queries:
//
//   - text is normalized (see Normalize) and split on white space into
//     chunks; each chunk loses leading and trailing punctuation;
//   - every run of letters and digits in a chunk is a term
//     ("nw-fw01.example" gives "nw", "fw01", "example");
//   - a chunk with punctuation inside is also a term whole
//     ("nw-fw01.example", "192.0.2.10", "70:4c:a5:10:00:01"), so that a
//     query typed with its punctuation matches by prefix ("192.0.2" finds
//     "192.0.2.10"), unless it is longer than maxTermLen runes.
//
// The terms are substrings of the normalized text. Tokens makes one pass
// over the text and allocates nothing but the normalized copy (none for
// lower-case ASCII).
func Tokens(text string, emit func(term string)) {
	text = Normalize(text)
	runs := 0   // runs of word runes in the current chunk
	run := -1   // start of the current run, or -1
	first := -1 // start of the chunk's first run, or -1
	last := 0   // end of the chunk's last run
	endChunk := func() {
		if runs > 1 {
			if whole := text[first:last]; utf8.RuneCountInString(whole) <= maxTermLen {
				emit(whole)
			}
		}
		runs, first = 0, -1
	}
	for i := 0; i < len(text); {
		w, space, word := runeAt(text, i)
		switch {
		case word:
			if run < 0 {
				run = i
				if first < 0 {
					first = i
				}
			}
		case run >= 0:
			emit(text[run:i])
			runs++
			last, run = i, -1
		}
		if space {
			endChunk()
		}
		i += w
	}
	if run >= 0 {
		emit(text[run:])
		runs++
		last = len(text)
	}
	endChunk()
}

// compareUTF16 orders strings as JavaScript compares them (by UTF-16
// code units), so search.js can binary-search the term list the Go side
// sorted. For valid UTF-8 this is byte order, but for a rune from U+E000
// to U+FFFF (lead byte 0xEE or 0xEF) against one above U+FFFF (lead byte
// 0xF0 to 0xF4): in UTF-16 the latter starts with a surrogate, which
// sorts first. Terms are valid UTF-8 (Normalize makes them so).
func compareUTF16(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return cmp.Compare(len(a), len(b))
	}
	ca, cb := a[i], b[i]
	if ca >= 0xEE && cb >= 0xEE && (ca >= 0xF0) != (cb >= 0xF0) {
		return cmp.Compare(cb, ca)
	}
	return cmp.Compare(ca, cb)
}
