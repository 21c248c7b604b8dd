package seal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
)

const pass = "umber kettle fjord quasar ripple"

// testSalt is a fixed salt for tests.
var testSalt = []byte("0123456789abcdef")

// fastKey is a key with few PBKDF2 rounds, so that tests stay fast; the
// rounds travel inside each sealed value, so Open is fast on them too.
// TestSealOpen covers the real work factor.
func fastKey(t *testing.T, portal string) *Key {
	t.Helper()
	k, err := deriveKey([]byte(portal + "-salt-0123456789")[:SaltLen], 1000, portal, pass)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k, err := NewKey("Northwind", "internal", pass, testSalt)
	if err != nil {
		t.Fatal(err)
	}
	a := k.SealValue("acme/passwords/da", "password", "Tr0ub4dor&3")
	if again := k.SealValue("acme/passwords/da", "password", "Tr0ub4dor&3"); again != a {
		t.Errorf("sealing is not deterministic:\n%s\n%s", a, again)
	}
	if !strings.HasPrefix(a, "v1.600000.") {
		t.Errorf("sealed value %q does not start with v1.600000.", a)
	}
	got, err := Open(a, "password", pass)
	if err != nil || got != "Tr0ub4dor&3" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	a = fastKey(t, "internal").SealValue("acme/passwords/da", "password", "Tr0ub4dor&3")
	if _, err := Open(a, "password", pass+"!"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Open with a wrong passphrase: err = %v, want ErrWrongPassphrase", err)
	}
	if _, err := Open(a, "otp_secret", pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Open as another field: err = %v, want ErrWrongPassphrase", err)
	}
}

// TestNoncesDiffer: a (key, nonce) pair is never used for two different
// plaintexts, and the same password in two places seals differently.
func TestNoncesDiffer(t *testing.T) {
	k := fastKey(t, "internal")
	nonce := func(s string) string { return strings.Split(s, ".")[3] }
	seen := map[string]string{}
	for _, c := range [][3]string{
		{"a/passwords/x", "password", "one"},
		{"a/passwords/x", "password", "two"},
		{"a/passwords/y", "password", "one"},
		{"a/passwords/x", "otp_secret", "one"},
	} {
		n := nonce(k.SealValue(c[0], c[1], c[2]))
		if prev, ok := seen[n]; ok {
			t.Errorf("nonce of %v repeats that of %s", c, prev)
		}
		seen[n] = strings.Join(c[:], " ")
	}
	other := fastKey(t, "helpdesk")
	if k.SealValue("a/passwords/x", "password", "one") == other.SealValue("a/passwords/x", "password", "one") {
		t.Error("two portals seal the same value identically: their salts must differ")
	}
}

func TestSealer(t *testing.T) {
	k := fastKey(t, "internal")
	s := &schema.Schema{Name: "Passwords", Fields: []*schema.Field{{Name: "name", Kind: schema.Text}, {Name: "password", Kind: schema.Password}, {Name: "otp_secret", Kind: schema.Password}}}
	it := &model.Item{ID: "a/passwords/x", Schema: s}
	dec := DecrypterFunc(func(ctx context.Context, it *model.Item, field string) (string, bool, error) {
		switch field {
		case "password":
			return "s3cret!", true, nil
		case "otp_secret":
			return "", false, nil
		}
		return "", false, errors.New("boom")
	})
	sl := NewSealer(k, dec)
	v, ok, err := sl.Seal(context.Background(), it, "password")
	if err != nil || !ok {
		t.Fatalf("Seal = %v, %v", ok, err)
	}
	if got, _ := Open(v, "password", pass); got != "s3cret!" {
		t.Errorf("round trip gave %q", got)
	}
	if _, ok, err := sl.Seal(context.Background(), it, "otp_secret"); ok || err != nil {
		t.Errorf("no value: ok=%v err=%v, want false, nil", ok, err)
	}
	if _, _, err := sl.Seal(context.Background(), it, "name"); err == nil || err.Error() != `sealing a/passwords/x: "name" is not a password field of the item` {
		t.Errorf("non-password field: err = %v", err)
	}
	failing := NewSealer(k, DecrypterFunc(func(context.Context, *model.Item, string) (string, bool, error) {
		return "", false, errors.New("cannot decrypt content/a/passwords/x.sops.yaml: no age key found")
	}))
	if _, _, err := failing.Seal(context.Background(), it, "password"); err == nil || !strings.Contains(err.Error(), "x.sops.yaml") {
		t.Errorf("decrypt failure: err = %v, want it to name the file", err)
	}
}
