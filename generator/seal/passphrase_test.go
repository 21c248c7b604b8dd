package seal

import (
	"strings"
	"testing"
)

func TestCheckPassphrase(t *testing.T) {
	const advice = ". Sealed pages can be attacked offline by anyone who has a copy, so use a long random one (cairn secret generate --words 6 makes one)"
	weak := func(why string) string { return `the passphrase of portal "internal" is too weak: ` + why + advice }
	// A short portal name does not eat the letters of a passphrase.
	if err := CheckPassphrase("za xa qa ka wa ja ya", "Docs", "a"); err != nil {
		t.Errorf("portal \"a\": %v", err)
	}
	for _, c := range []struct{ pass, want string }{
		{"short", weak("it is shorter than 12 characters")},
		{"ümlaut-ß-é", weak("it is shorter than 12 characters")},
		{"aaaaaaaaaaaaaaaaaaaaaaaa", weak("it has fewer than 8 different characters")},
		{"abababababababab", weak("it has fewer than 8 different characters")},
		{"Northwind IT documentation", weak("it is mostly the site title or the portal name")},
		{"northwind-internal-2024", weak("it is mostly the site title or the portal name")},
		{"InternalNorthwind!", weak("it is mostly the site title or the portal name")},
		{"correct horse battery staple", weak("it is made of common passwords and words")},
		{"Summer2024!!", weak("it is made of common passwords and words")},
		{"P@ssw0rd123456", weak("it is made of common passwords and words")},
		{"Passwort-Kennwort-2025", weak("it is made of common passwords and words")},
		{"123456789012345", weak("it is too predictable (about 3 bits by a conservative estimate, at least 50 needed)")},
		{"!@#$%^&*()_+-=", weak("it is too predictable (about 10 bits by a conservative estimate, at least 50 needed)")},
		{"abcdefghijklmnopqrstuvwxyz", weak("it is too predictable (about 4 bits by a conservative estimate, at least 50 needed)")},
		{"qwertyuiopasdfghjkl", weak("it is too predictable (about 9 bits by a conservative estimate, at least 50 needed)")},
		{"abcdefgh12345678ABCDEFGH", weak("it is too predictable (about 17 bits by a conservative estimate, at least 50 needed)")},
		// Strong enough.
		{"plus-twinkle-glimpse-nitro-health-tomato", ""},
		{"umber kettle fjord quasar ripple", ""},
		{"k7#Qv2!mZ9pL", ""},
		{"canary portal passphrase 42", ""},
	} {
		err := CheckPassphrase(c.pass, "Northwind IT documentation", "internal")
		got := ""
		if err != nil {
			got = err.Error()
			if len(c.pass) > 8 && strings.Contains(got, c.pass) {
				t.Errorf("the message quotes the passphrase: %s", got)
			}
		}
		if got != c.want {
			t.Errorf("CheckPassphrase(%q):\n got %s\nwant %s", c.pass, got, c.want)
		}
	}
}

// TestNewKeyRefusesWeak: NewKey applies the rule.
func TestNewKeyRefusesWeak(t *testing.T) {
	if _, err := NewKey("Northwind", "internal", "aaaaaaaaaaaaaaaa", testSalt); err == nil || !strings.Contains(err.Error(), "fewer than 8 different characters") {
		t.Errorf("err = %v", err)
	}
	if _, err := NewKey("Northwind", "internal", pass, testSalt[:8]); err == nil || err.Error() != `the salt of portal "internal" is 8 bytes, want 16` {
		t.Errorf("short salt: err = %v", err)
	}
}
