// Package passgen makes random passwords and word passphrases from
// crypto/rand, and says how strong they are. It does not import SOPS.
package passgen

import (
	"crypto/rand"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
)

//go:embed words.txt
var wordsText string

// Words is the embedded word list: common short English words, lower
// case, unique, sorted.
var Words = strings.Fields(wordsText)

// Character classes of generated passwords. Symbols leave out quotes,
// backslash, space and characters shells and URLs treat specially, so a
// password can be pasted anywhere.
const (
	lower   = "abcdefghijkmnopqrstuvwxyz" // no l
	upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"  // no I, O
	digits  = "23456789"                  // no 0, 1
	symbols = "!#%+-.:=?@_~^*"
)

// Options say what to generate: Words > 0 makes a passphrase of that many
// words joined by "-"; otherwise a password of Length characters, with
// symbols unless NoSymbols.
type Options struct {
	Length    int
	NoSymbols bool
	Words     int
}

// Result is a generated secret and its strength.
type Result struct {
	Value string
	// Bits is the entropy in bits: log2 of the number of equally likely
	// outcomes the generator chose from.
	Bits float64
	// Desc describes the choice: "24 characters from 71" or "6 words from
	// 2727".
	Desc string
}

// Generate makes a secret with crypto/rand.
func Generate(o Options) (Result, error) {
	if o.Words > 0 {
		if o.Words < 3 || o.Words > 40 {
			return Result{}, errors.New("--words: use 3 to 40 words")
		}
		parts := make([]string, o.Words)
		for i := range parts {
			n, err := randInt(len(Words))
			if err != nil {
				return Result{}, err
			}
			parts[i] = Words[n]
		}
		return Result{Value: strings.Join(parts, "-"), Bits: float64(o.Words) * math.Log2(float64(len(Words))),
			Desc: fmt.Sprintf("%d words from %d", o.Words, len(Words))}, nil
	}
	if o.Length < 8 || o.Length > 256 {
		return Result{}, errors.New("--length: use 8 to 256 characters")
	}
	classes := []string{lower, upper, digits}
	if !o.NoSymbols {
		classes = append(classes, symbols)
	}
	alphabet := strings.Join(classes, "")
	for {
		b := make([]byte, o.Length)
		for i := range b {
			n, err := randInt(len(alphabet))
			if err != nil {
				return Result{}, err
			}
			b[i] = alphabet[n]
		}
		// Many systems demand one character of each class: draw again
		// until the password has them (a small loss of entropy, well under
		// a bit at 12 characters and more).
		if hasEach(string(b), classes) {
			return Result{Value: string(b), Bits: float64(o.Length) * math.Log2(float64(len(alphabet))),
				Desc: fmt.Sprintf("%d characters from %d", o.Length, len(alphabet))}, nil
		}
	}
}

func hasEach(s string, classes []string) bool {
	for _, c := range classes {
		if !strings.ContainsAny(s, c) {
			return false
		}
	}
	return true
}

func randInt(n int) (int, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, fmt.Errorf("reading random numbers: %w", err)
	}
	return int(v.Int64()), nil
}
