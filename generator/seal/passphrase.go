package seal

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// MinPassphrase is the shortest passphrase a portal may use: a sealed
// page can be attacked offline by anyone who has a copy of it.
const MinPassphrase = 12

// MinDistinct is the fewest different characters a passphrase may have.
const MinDistinct = 8

// MinBits is the least strength a passphrase must have by
// EstimateBits, in bits.
const MinBits = 50

// commonWords are words and patterns that guessers try first. A
// passphrase whose letters are only these (after undoing common
// substitutions like 0 for o) is refused whatever digits and symbols
// surround them: "Summer2024!!", "P@ssw0rd123456".
var commonWords = []string{
	"password", "passwort", "passphrase", "motdepasse", "kennwort", "contrasena", "secret", "letmein",
	"welcome", "changeme", "default", "admin", "administrator", "root", "login", "master", "access",
	"qwerty", "qwertz", "azerty", "asdf", "zxcv", "iloveyou", "trustno", "monkey", "dragon", "football",
	"baseball", "sunshine", "princess", "superman", "starwars", "shadow", "freedom", "whatever",
	"correcthorsebatterystaple", "hello", "test", "guest", "user", "portal", "company", "office", "server",
	"spring", "summer", "autumn", "fall", "winter",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
}

// leet undoes the substitutions people make in common words.
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t", "8", "b", "9", "g")

// CheckPassphrase says why a passphrase is too weak to seal portal of the
// site titled siteTitle, or returns nil. It refuses passphrases that are
// shorter than MinPassphrase characters, have fewer than MinDistinct
// different characters, are mostly the site title or portal name, are
// made of common passwords and words, or are weaker than MinBits by
// EstimateBits. The message never quotes the passphrase.
func CheckPassphrase(passphrase, siteTitle, portal string) error {
	why := ""
	runes := []rune(passphrase)
	switch {
	case len(runes) < MinPassphrase:
		why = fmt.Sprintf("it is shorter than %d characters", MinPassphrase)
	case distinct(runes) < MinDistinct:
		why = fmt.Sprintf("it has fewer than %d different characters", MinDistinct)
	case mostlyNames(passphrase, siteTitle, portal):
		why = "it is mostly the site title or the portal name"
	case onlyCommonWords(passphrase):
		why = "it is made of common passwords and words"
	default:
		if bits := EstimateBits(passphrase); bits < MinBits {
			why = fmt.Sprintf("it is too predictable (about %d bits by a conservative estimate, at least %d needed)", int(bits), MinBits)
		}
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("the passphrase of portal %q is too weak: %s. Sealed pages can be attacked offline by anyone who has a copy, so use a long random one (cairn secret generate --words 6 makes one)", portal, why)
}

func distinct(runes []rune) int {
	seen := map[rune]bool{}
	for _, r := range runes {
		seen[unicode.ToLower(r)] = true
	}
	return len(seen)
}

// fold lowers s and keeps letters and digits only.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// mostlyNames reports whether the passphrase holds the site title, one
// of its words or the portal name, and fewer than MinDistinct letters and
// digits are left once they are taken out.
func mostlyNames(passphrase, siteTitle, portal string) bool {
	all := fold(passphrase)
	rest := all
	names := []string{fold(siteTitle), fold(portal)}
	for _, w := range strings.FieldsFunc(siteTitle+" "+portal, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 3 {
			names = append(names, fold(w))
		}
	}
	for _, n := range names {
		if len([]rune(n)) >= 3 { // "it" or a one-letter portal name is no name to avoid
			rest = strings.ReplaceAll(rest, n, "")
		}
	}
	return rest != all && len([]rune(rest)) < MinDistinct
}

// onlyCommonWords reports whether the passphrase's letters, once common
// substitutions are undone, are only common words (digits and symbols
// around them do not count).
func onlyCommonWords(passphrase string) bool {
	s := strings.ToLower(passphrase)
	// Trailing digits and symbols are decoration, not substitutions.
	s = strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, leet.Replace(s))
	if letters == "" {
		return false // digits and symbols only: EstimateBits judges them
	}
	for _, w := range commonWords {
		letters = strings.ReplaceAll(letters, w, "")
	}
	return len(letters) < 4
}

// keyboardRows are sequences a finger runs along.
var keyboardRows = []string{"1234567890-=", "!@#$%^&*()_+", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn"}

// EstimateBits estimates a passphrase's strength conservatively: each
// character counts log2 of the size of the character classes the
// passphrase uses (lower case 26, upper case 26, digits 10, symbols 33,
// anything else 100), except that a character adds nothing when it
// repeats the one before, continues a run (abc, 321) or a keyboard row
// (qwe, asd). The estimate is high for random strings and low for
// patterns; it does not know dictionaries (CheckPassphrase's word list
// catches the commonest).
func EstimateBits(passphrase string) float64 {
	runes := []rune(passphrase)
	var lower, upper, digit, symbol, other bool
	for _, r := range runes {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r < 128:
			symbol = true
		default:
			other = true
		}
	}
	pool := 0
	for _, c := range []struct {
		used bool
		n    int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.used {
			pool += c.n
		}
	}
	if pool == 0 {
		return 0
	}
	effective := 0
	for i, r := range runes {
		if i > 0 && predictable(unicode.ToLower(runes[i-1]), unicode.ToLower(r)) {
			continue
		}
		effective++
	}
	return float64(effective) * math.Log2(float64(pool))
}

// predictable reports whether b follows a as a repeat, a step of one
// (a b, 2 1) or a neighbour on a keyboard row.
func predictable(a, b rune) bool {
	if a == b || a+1 == b || a == b+1 {
		return true
	}
	for _, row := range keyboardRows {
		i := strings.IndexRune(row, a)
		if i < 0 {
			continue
		}
		if (i+1 < len(row) && rune(row[i+1]) == b) || (i > 0 && rune(row[i-1]) == b) {
			return true
		}
	}
	return false
}
