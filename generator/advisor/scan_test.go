package advisor

import (
	"strings"
	"testing"
)

// TestScanText: what counts as structured data in text, and what only
// looks like it.
func TestScanText(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"server at 10.20.100.21, done", "IP address 10.20.100.21"},
		{"(10.20.100.21)", "IP address 10.20.100.21"},
		{"the end: 10.20.100.21.", "IP address 10.20.100.21"},
		{"`ping 192.0.2.7`", "IP address 192.0.2.7"},
		{"https://10.1.2.3:8443/admin", "IP address 10.1.2.3"},
		{"net 10.20.0.0/16 and 10.0.0.0", ""},
		{"mask 255.255.255.128", ""},
		{"range 10.0.0.50-10.0.0.60", ""},
		{"v1.2.3.4 version 2.3.4.5 build 10.0.1.2 firmware 7.2.8.1", ""},
		{"10.0.19045.1234 and 1.2.3.4.5", ""},
		{"300.1.2.3", ""},
		{"far end 2001:db8:20::1 and fe80::1", "IP address 2001:db8:20::1; IP address fe80::1"},
		{"std::string, 12:30:45, a::b, ::", ""},
		{"nic 00:15:5D:14:64:21 or 00-15-5d-14-64-22 or 0015.5d14.6423", "MAC address 00:15:5D:14:64:21; MAC address 00-15-5d-14-64-22; MAC address 0015.5d14.6423"},
		{"mail jo@acme.example.", "email address jo@acme.example"},
		{"user@acme.example first.last@acme.example a@example.com x@localhost", ""},
		{"call +1 555 0100 or (937) 555-0142 or 937-555-0143", "phone number +1 555 0100; phone number (937) 555-0142; phone number 937-555-0143"},
		{"on 2026-11-23, ticket 12345678, +12", ""},
		// An address followed by a path is an address; one followed by a
		// prefix length is a host's address unless it is the network's.
		{"https://10.40.99.1/login and smb://10.40.100.30/share", "IP address 10.40.99.1; IP address 10.40.100.30"},
		{"gateway 10.40.100.1/24, v6 2001:db8:40::1/64", "IP address 10.40.100.1; IP address 2001:db8:40::1"},
		{"nets 10.40.100.0/24 192.168.1.128/25 198.51.100.24/29 2001:db8::/32 2001:db8:40::/48", ""},
		{"Firmware: 10.2.0.1, version=1.2.3.4, | Firmware | 7.2.5.1 |, **Build:** 10.0.1.2", ""},
		{"tickets INC-555-123-4567 and PO-123-456-7890", ""},
		{"mstsc /v:10.40.100.40:3389", "IP address 10.40.100.40"},
		{"call +1-555-010-1234", "phone number +1-555-010-1234"},
		{"fingerprint aa:bb:cc:dd:ee:ff:00:11, ratio 1:2:3:4:5:6:7:8", ""},
		// An ssh target, a git remote and a package version are no email.
		{"ssh admin@10.40.99.1; git@github.com:org/repo.git; foo@1.2.3", "IP address 10.40.99.1"},
	} {
		var got []string
		for _, m := range scanText([]byte(tc.text)) {
			got = append(got, m.d.kind.String()+" "+m.text)
		}
		if g := strings.Join(got, "; "); g != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, g, tc.want)
		}
	}
}

// TestSerials: a serial number counts only where an item holds it.
func TestSerials(t *testing.T) {
	held := map[datum][]holding{{kindSerial, "FGT60FTK2109XXA1"}: {{}}}
	got := serials([]byte("Replace FGT60FTK2109XXA1; not FGT60FTK2109XXA2 or fgt60ftk2109xxa1x."), held)
	if len(got) != 1 || got[0].text != "FGT60FTK2109XXA1" || got[0].start != 8 {
		t.Errorf("got %+v", got)
	}
}

// TestScanTextIsBounded: a hostile text of addresses gets its first
// maxMatches reported, phone candidates included.
func TestScanTextIsBounded(t *testing.T) {
	text := strings.Repeat("10.1.2.3 +1 555 0100 ", 100_000)
	if got := len(scanText([]byte(text))); got != maxMatches {
		t.Errorf("got %d matches, want %d", got, maxMatches)
	}
}

func TestOthersOf(t *testing.T) {
	name := func(j int) string { return string(rune('a' + j)) }
	for _, tc := range []struct {
		n, i int
		want string
	}{
		{2, 0, "b"},
		{4, 1, "a, c, d"},
		{6, 0, "b, c, d and 2 more"},
	} {
		if got := othersOf(tc.n, tc.i, name); got != tc.want {
			t.Errorf("othersOf(%d, %d) = %q, want %q", tc.n, tc.i, got, tc.want)
		}
	}
}

// FuzzScanText: any text is scanned without a panic, every match is the
// text at its offset, and no more than maxMatches are returned.
func FuzzScanText(f *testing.F) {
	for _, s := range []string{"10.20.100.21", "2001:db8::1 fe80::", "00:15:5D:14:64:21", "jo@acme.example", "+1 555 0100 (937) 555-0142",
		"v1.2.3.4 10.0.0.0/8 10.0.0.1-10.0.0.9", "::::::::", "+(((((", "@@@.@", "1.1.1.1.1.1.1.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := scanText([]byte(s))
		if len(ms) > maxMatches {
			t.Fatalf("%d matches", len(ms))
		}
		for _, m := range ms {
			if m.start < 0 || m.start+len(m.text) > len(s) || s[m.start:m.start+len(m.text)] != m.text {
				t.Fatalf("match %q at %d is not the text there", m.text, m.start)
			}
		}
		held := map[datum][]holding{{kindSerial, "ABCD1"}: {{}}}
		for _, m := range serials([]byte(s), held) {
			if s[m.start:m.start+len(m.text)] != m.text {
				t.Fatalf("serial %q at %d is not the text there", m.text, m.start)
			}
		}
	})
}
