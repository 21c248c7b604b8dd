package leaks

import (
	"math/rand"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// findAllAnchored is what the scan runs for a rule with an anchored
// form on an ASCII line.
func findAllAnchored(a *anchored, line string) [][]int {
	return a.findAll(line, strings.ToLower(line))
}

// TestAnchoredMatchesFindAll: for every built-in rule that is anchored,
// on ASCII lines made of the forms of the other tests, the rules' start
// strings and keywords in every case, separators and secret-like values,
// the anchored search gives exactly FindAllStringSubmatchIndex's matches
// (every capture's offsets included).
func TestAnchoredMatchesFindAll(t *testing.T) {
	rs := Builtin()
	ps := []string{" ", "  ", "/", " / ", ":", ": ", "=", "**", "__", "`", "\"", "'", "x", "1", "Ab3$", fakePass, "-", "@", "|", "<", ">", "(", "https://"}
	var anchoredRules []*Rule
	for _, r := range rs.rules {
		if r.at == nil || r.Kind != "" {
			continue
		}
		anchoredRules = append(anchoredRules, r)
		for _, s := range r.at.starts {
			ps = append(ps, s, strings.ToUpper(s), strings.ToUpper(s[:1])+s[1:], "x"+s, s[:len(s)-1])
		}
		for _, k := range r.Keywords {
			ps = append(ps, k, strings.ToUpper(k))
		}
	}
	if len(anchoredRules) < 5 {
		t.Fatalf("only %d built-in rules anchored: want login-password among them", len(anchoredRules))
	}
	var lines []string
	for _, f := range forms {
		for _, l := range strings.Split(f.text, "\n") {
			if isASCIIText(l) {
				lines = append(lines, l)
			}
		}
	}
	rnd := rand.New(rand.NewSource(14))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		if rnd.Intn(3) == 0 {
			b.WriteString(lines[rnd.Intn(len(lines))])
		}
		for i := 0; i < rnd.Intn(14); i++ {
			b.WriteString(ps[rnd.Intn(len(ps))])
		}
		if r := anchoredRules[rnd.Intn(len(anchoredRules))]; rnd.Intn(2) == 0 {
			// A start string with what often follows it in a secret.
			b.WriteString(r.at.starts[rnd.Intn(len(r.at.starts))])
			for i := 0; i < 2+rnd.Intn(5); i++ {
				b.WriteString([]string{": ", " ", "=", " / ", "admin", fakePass, ":", "@", "s3cret!x", "-----", "://", "?secret=", "ABCDEFGHIJKLMNOP"}[rnd.Intn(13)])
			}
		}
		if rnd.Intn(4) == 0 {
			b.WriteString(lines[rnd.Intn(len(lines))])
		}
		lines = append(lines, b.String())
	}
	matched := 0
	for _, r := range anchoredRules {
		for _, line := range lines {
			want := r.re.FindAllStringSubmatchIndex(line, -1)
			got := findAllAnchored(r.at, line)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rule %s, line %q: anchored %v, FindAll %v", r.ID, line, got, want)
			}
			matched += len(want)
		}
	}
	if matched < 500 {
		t.Fatalf("only %d matches in the generated lines: the test compares too little", matched)
	}
}

func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FuzzAnchored: for any regex that anchoring accepts and any ASCII line,
// the anchored search finds what FindAllStringSubmatchIndex finds.
func FuzzAnchored(f *testing.F) {
	f.Add(`(?i)\b(?:login|user)\b\s*[:=]?\s*(\S+)\s*/\s*(\S+)`, "Login: admin / x1 and USER bob/2")
	f.Add(`(?m)^abc|\Bdef+`, "xdef abc abcdef")
	f.Add(`(?i)(?:otp|OTP)auth://\S*?secret=([a-z2-7]{4,})`, "otpauth://x?secret=abcd otpAUTH://secret=AAAA")
	f.Add(`abc(?:d|)`, "abcabcd")
	f.Fuzz(func(t *testing.T, expr, line string) {
		re, err := regexp.Compile(expr)
		if err != nil || !isASCIIText(line) {
			return
		}
		a := anchor(expr)
		if a == nil {
			return
		}
		want := re.FindAllStringSubmatchIndex(line, -1)
		if got := findAllAnchored(a, line); !reflect.DeepEqual(got, want) {
			t.Errorf("regex %q, line %q: anchored %v, FindAll %v", expr, line, got, want)
		}
	})
}
