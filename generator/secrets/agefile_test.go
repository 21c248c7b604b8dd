package secrets

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestEncryptToAndDecryptAge(t *testing.T) {
	text, recipient, err := NewKeyFile(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "test")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseKeys(text)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"acme/passwords/admin":{"password":"hunter2-canary"}}`)
	enc, err := EncryptTo([]string{recipient}, plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(enc, []byte("hunter2-canary")) || !bytes.HasPrefix(enc, []byte("-----BEGIN AGE ENCRYPTED FILE-----")) {
		t.Fatal("the output is not an armored age file, or holds the plaintext")
	}
	got, err := keys.DecryptAge(enc, 1<<10)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("decrypt: %v", err)
	}
	if _, err := keys.DecryptAge(enc, 10); err == nil || err.Error() != "decrypting: the plaintext is larger than 10 bytes" {
		t.Errorf("limit: %v", err)
	}
	for _, c := range []struct {
		recipients []string
		want       string
	}{
		{nil, "no recipient: give an age public key (age1...)"},
		{[]string{recipient, "age1nope"}, `recipient "age1nope" is not an age public key (age1...): `},
	} {
		if _, err := EncryptTo(c.recipients, plain); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("EncryptTo(%q): %v, want %s", c.recipients, err, c.want)
		}
	}
	var none *Keys
	if _, err := none.DecryptAge(enc, 1<<10); err == nil || err.Error() != "no age key to decrypt with" {
		t.Errorf("no keys: %v", err)
	}
}
