package search

import (
	"strings"
	"unicode"
	"unicode/utf16"

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
func Tokens(text string, emit func(term string)) {
	text = Normalize(text)
	for _, chunk := range strings.Fields(text) {
		chunk = strings.TrimFunc(chunk, func(r rune) bool { return !isWordRune(r) })
		if chunk == "" {
			continue
		}
		runs := 0
		start := -1
		for i, r := range chunk {
			if isWordRune(r) {
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
		if runs > 1 && len([]rune(chunk)) <= maxTermLen {
			emit(chunk)
		}
	}
}

// lessUTF16 orders strings as JavaScript compares them (by UTF-16 code
// units), so search.js can binary-search the term list the Go side sorted.
func lessUTF16(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		if ra[i] == rb[i] {
			continue
		}
		return unitKey(ra[i]) < unitKey(rb[i])
	}
	return len(ra) < len(rb)
}

// unitKey returns the first UTF-16 code unit of r; two different runes
// with the same first unit (two astral runes of one surrogate block)
// compare by their second unit, which follows rune order.
func unitKey(r rune) uint32 {
	if r >= 0x10000 {
		hi, lo := utf16.EncodeRune(r)
		return uint32(hi)<<16 | uint32(lo)
	}
	return uint32(r) << 16
}
