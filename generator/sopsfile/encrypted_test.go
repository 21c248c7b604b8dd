package sopsfile

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// encValue is the regular expression IsEncrypted matches by hand.
var encValue = regexp.MustCompile(`^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(str|int|float|bool|bytes|comment)\]$`)

// TestIsEncryptedMatchesRegex: on values SOPS writes and on thousands of
// variants with pieces cut, doubled or swapped, IsEncrypted says what the
// regular expression says.
func TestIsEncryptedMatchesRegex(t *testing.T) {
	pieces := []string{"ENC[", "AES256_GCM", ",data:", "J1xw+/=", "", ",iv:", "avWZ", ",tag:", "EUt==", ",type:", "str", "int",
		"float", "bool", "bytes", "comment", "string", "]", "]\n", " ", ",", ":", "é", "ENC[AES256_GCM,data:"}
	rnd := rand.New(rand.NewSource(1))
	yes := 0
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		if rnd.Intn(2) == 0 {
			typ := []string{"str", "int", "float", "bool", "bytes", "comment", "x"}[rnd.Intn(7)]
			b.WriteString("ENC[AES256_GCM,data:" + pieces[3+rnd.Intn(2)] + ",iv:" + pieces[3+rnd.Intn(2)] + ",tag:" + pieces[3+rnd.Intn(2)] + ",type:" + typ + "]")
			s := []byte(b.String())
			if rnd.Intn(2) == 0 && len(s) > 0 {
				i := rnd.Intn(len(s))
				s = append(s[:i], s[i+1:]...)
			}
			b.Reset()
			b.Write(s)
		} else {
			for k := rnd.Intn(14); k > 0; k-- {
				b.WriteString(pieces[rnd.Intn(len(pieces))])
			}
		}
		s := b.String()
		if got, want := IsEncrypted(s), encValue.MatchString(s); got != want {
			t.Fatalf("IsEncrypted(%q) = %v, the regex says %v", s, got, want)
		} else if got {
			yes++
		}
	}
	if yes < 1000 {
		t.Fatalf("only %d encrypted values: the test compares too little", yes)
	}
}

// FuzzIsEncrypted: for any text, IsEncrypted and the regex agree.
func FuzzIsEncrypted(f *testing.F) {
	f.Add("ENC[AES256_GCM,data:J1xw,iv:avWZ,tag:EUt==,type:str]")
	f.Add("ENC[AES256_GCM,data:,iv:a,tag:b,type:comment]")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsEncrypted(s), encValue.MatchString(s); got != want {
			t.Errorf("IsEncrypted(%q) = %v, the regex says %v", s, got, want)
		}
	})
}
