package itglue

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// translit spells letters that do not decompose into ASCII.
var translit = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", '&': " and ", '@': " at ", '+': " plus ",
}

// maxSlug bounds a slug's length so that paths stay short.
const maxSlug = 60

// slugify makes a slug ([a-z0-9]+(-[a-z0-9]+)*) of a name: accents
// dropped, other letters transliterated where known, anything else a
// hyphen. It returns fallback when nothing is left.
func slugify(name, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(name) {
		if t, ok := translit[r]; ok {
			for _, c := range t {
				dash = slugRune(&b, dash, c)
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		dash = slugRune(&b, dash, unicode.ToLower(r))
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > maxSlug {
		s = strings.TrimRight(s[:maxSlug], "-")
	}
	if s == "" {
		return fallback
	}
	return s
}

func slugRune(b *strings.Builder, dash bool, r rune) bool {
	if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
		b.WriteRune(r)
		return false
	}
	if !dash && b.Len() > 0 {
		b.WriteByte('-')
	}
	return true
}

// fieldName makes a schema field name (a slug with underscores) of a label.
func fieldName(label string) string {
	s := strings.ReplaceAll(slugify(label, "field"), "-", "_")
	if len(s) > 48 {
		s = strings.TrimRight(s[:48], "_")
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "f_" + s
	}
	return s
}

// slugger hands out unique slugs within one folder: the first asker of a
// base gets it, later ones base-2, base-3, ... Taken slugs (files already
// in the site) are never handed out.
type slugger struct {
	taken map[string]bool
}

func newSlugger() *slugger { return &slugger{taken: map[string]bool{}} }

func (s *slugger) take(slug string) { s.taken[slug] = true }

func (s *slugger) next(base string) string {
	if !s.taken[base] {
		s.taken[base] = true
		return base
	}
	for i := 2; ; i++ {
		c := base + "-" + strconv.Itoa(i)
		if !s.taken[c] {
			s.taken[c] = true
			return c
		}
	}
}
