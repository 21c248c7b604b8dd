package secrets

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/secrets/secretstest"
)

// tamperCanary returns a random value that is no number, boolean or
// date, so that a tag changed to one of those cannot fit it.
func tamperCanary(t *testing.T) string {
	t.Helper()
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "cnry" + hex.EncodeToString(b)
}

// TestTampered: every change made without the key fails with an error
// that names the file and says what happened, and never holds a value of
// the file. Each case asserts the exact error, so each reaches the check
// it is named for (the MAC comparison for reordered and dropped keys).
func TestTampered(t *testing.T) {
	a := newIdentity(t)
	root := newSite(t, [2]string{`^content/`, a.recipient})
	pw, otpv := tamperCanary(t), tamperCanary(t)
	f := NewFile()
	f.Set("password", pw)
	f.Set("otp_secret", otpv)
	st := store(root, a.keys(t))
	if err := st.Save(rel, f); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(filepath.Join(root, rel))
	if err := st.Verify(rel); err != nil {
		t.Fatalf("the untouched file does not verify: %v", err)
	}
	for _, c := range secretstest.Tamperings() {
		t.Run(c.Name, func(t *testing.T) {
			text := strings.ReplaceAll(c.Edit(string(orig)), "CANARY", otpv)
			if text == string(orig) {
				t.Fatal("the tampering changed nothing")
			}
			if err := os.WriteFile(filepath.Join(root, rel), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := st.Open(rel)
			if err == nil {
				t.Fatal("a tampered file opens")
			}
			msg := err.Error()
			for _, v := range []string{pw, otpv} {
				if strings.Contains(msg, v) {
					t.Fatal("the error holds a secret value (not shown here)")
				}
			}
			if want := rel + ": " + c.Want; msg != want {
				t.Errorf("error:\n%s\nwant:\n%s", msg, want)
			}
		})
	}
}

// TestTypedValues: values SOPS writes with a type (a PIN as an int, a
// flag as a bool) verify and keep their type; a tag that does not fit
// its value in the form SOPS writes is refused without showing it.
func TestTypedValues(t *testing.T) {
	for _, c := range []struct {
		raw, typ string
		want     any
		ok       bool
	}{
		{"1234", "int", 1234, true},
		{"0123", "int", nil, false},
		{"-7", "int", -7, true},
		{"1.5", "float", 1.5, true},
		{"1.50", "float", nil, false},
		{"True", "bool", true, true},
		{"False", "bool", false, true},
		{"true", "bool", nil, false},
		{"2026-11-23T10:00:00Z", "time", nil, true},
		{"hunter2", "time", nil, false},
		{"hunter2", "str", "hunter2", true},
	} {
		got, ok := interpret(c.raw, c.typ)
		if ok != c.ok || (c.ok && c.want != nil && got != c.want) {
			t.Errorf("interpret(%q, %s) = %v, %v; want %v, %v", c.raw, c.typ, got, ok, c.want, c.ok)
		}
	}
}

// FuzzOpen: whatever is done to a secrets file without the key, Open
// never panics, and when it fails its error names the file and holds no
// value of it. Seeds are a sound file and every tampering secretstest
// knows.
func FuzzOpen(f *testing.F) {
	a := newIdentity(f)
	root := newSite(f, [2]string{`^content/`, a.recipient})
	st := store(root, a.keys(f))
	const pw, otpv = "cnryFuzzPassword7f3a", "cnryFuzzOtherValue9c1d"
	file := NewFile()
	file.Set("password", pw)
	file.Set("otp_secret", otpv)
	orig, err := st.Encrypt(rel, file)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(orig)
	for _, c := range secretstest.Tamperings() {
		f.Add([]byte(c.Edit(string(orig))))
	}
	path := filepath.Join(root, rel)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := st.Open(rel)
		if err == nil {
			return
		}
		msg := err.Error()
		if strings.Contains(msg, pw) || strings.Contains(msg, otpv) {
			t.Fatal("the error holds a secret value (not shown here)")
		}
		if !strings.HasPrefix(msg, rel) && !strings.Contains(msg, " "+rel) {
			t.Errorf("the error does not name the file: %s", msg)
		}
	})
}
