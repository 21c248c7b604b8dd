package advisor

import "testing"

// TestNormMAC pins what a MAC address is compared as: its twelve hex
// digits in lower case, whatever the separators, and no MAC at all for
// mixed separators or other shapes.
func TestNormMAC(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"00:1A:2b:3C:4d:5E", "001a2b3c4d5e", true},
		{"00-1A-2B-3C-4D-5E", "001a2b3c4d5e", true},
		{"001A.2B3C.4D5E", "001a2b3c4d5e", true},
		{"00:1A-2B:3C-4D:5E", "", false},
		{"00:1A:2B:3C:4D", "", false},
		{"001A2B3C4D5E", "", false},
		{"00:1A:2B:3C:4D:5G", "", false},
	} {
		got, ok := normMAC(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("normMAC(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
