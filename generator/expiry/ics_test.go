package expiry

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func sampleEntries() []Entry {
	return []Entry{
		{ID: "acme/ssl-certificates/www", Title: "www.acme.example", Org: "acme", Type: "ssl-certificates", Kind: KindExpires, Field: "expires_on", What: "SSL Certificate expires", Date: day(2026, 12, 1), Days: 8},
		{ID: "acme/checklists/onboarding", Title: "Onboarding; Jo, the new \\ hire", Org: "acme", Type: "checklists", Kind: KindTask, What: "Hand over the laptop, the badge and the keys to the server room — and explain the door code ✓✓✓", Assignee: "dana", Date: day(2026, 12, 10), Days: 17},
	}
}

func TestWriteICS(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteICS(&buf, sampleEntries(), ICSOptions{Name: "Acme IT, expiring", AsOf: day(2026, 11, 23)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatalf("lines are not all CRLF-ended:\n%q", out)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("folding split a UTF-8 sequence: %q", l)
		}
	}
	// Unfolded, the content lines are these.
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cairn//expiring//EN\r\n",
		"X-WR-CALNAME:Acme IT\\, expiring\r\n",
		"DTSTAMP:20261123T000000Z\r\n",
		"DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n",
		"SUMMARY:www.acme.example: SSL Certificate expires\r\n",
		"SUMMARY:Onboarding\\; Jo\\, the new \\\\ hire: Hand over the laptop\\, the badge and the keys to the server room — and explain the door code ✓✓✓\r\n",
		"DESCRIPTION:acme/checklists/onboarding (task)\\, organization acme\\, assigned to @dana\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the feed lacks %q:\n%s", want, unfolded)
		}
	}
	// The UID names what falls due, not when: a renewed certificate moves
	// its event.
	renewed := sampleEntries()
	renewed[0].Date = day(2027, 12, 1)
	var again bytes.Buffer
	_ = WriteICS(&again, renewed, ICSOptions{Name: "Acme IT, expiring", AsOf: day(2026, 11, 23)})
	uids := func(s string) string {
		var u []string
		for _, l := range strings.Split(s, "\r\n") {
			if strings.HasPrefix(l, "UID:") {
				u = append(u, l)
			}
		}
		return strings.Join(u, "|")
	}
	if uids(out) != uids(again.String()) || uids(out) == "" {
		t.Errorf("UIDs change with the date: %s vs %s", uids(out), uids(again.String()))
	}
	// Two values of one field get distinct UIDs.
	twice := append(sampleEntries()[:1], sampleEntries()[0])
	var tw bytes.Buffer
	_ = WriteICS(&tw, twice, ICSOptions{AsOf: day(2026, 11, 23)})
	if u := strings.Split(uids(tw.String()), "|"); len(u) != 2 || u[0] == u[1] {
		t.Errorf("duplicate UIDs: %v", u)
	}
}

func TestWriteFoldedCountsOctets(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 75), strings.Repeat("a", 76), strings.Repeat("é", 80), "X:" + strings.Repeat("✓", 60)} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		writeFolded(w, s)
		w.Flush()
		lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
		var joined strings.Builder
		for i, l := range lines {
			if len(l) > 75 {
				t.Errorf("%d-octet line", len(l))
			}
			if i > 0 {
				if !strings.HasPrefix(l, " ") {
					t.Errorf("continuation without a space: %q", l)
				}
				l = l[1:]
			}
			joined.WriteString(l)
		}
		if joined.String() != s {
			t.Errorf("unfolding does not give the line back")
		}
	}
}
