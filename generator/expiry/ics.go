package expiry

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICSFile is the name of a portal's calendar feed, at the portal's root.
const ICSFile = "expiring.ics"

// ICSOptions describe a calendar feed.
type ICSOptions struct {
	// Name is the calendar's name (X-WR-CALNAME), e.g. "Northwind IT
	// documentation: helpdesk".
	Name string
	// AsOf stamps every event (DTSTAMP): the as-of date, never the clock,
	// so the same site gives the same bytes.
	AsOf time.Time
}

// WriteICS writes entries as an iCalendar feed (RFC 5545): one all-day
// event per entry on its date, lines ended by CRLF and folded at 75
// octets, text escaped, each UID derived from what the entry is (item,
// kind, field or task), not its date, so a calendar moves an event when a
// certificate is renewed instead of adding another.
func WriteICS(w io.Writer, entries []Entry, opts ICSOptions) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//cairn//expiring//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if opts.Name != "" {
		line("X-WR-CALNAME", icsText(opts.Name))
	}
	stamp := dateOf(opts.AsOf).Format("20060102T150405Z")
	seen := map[string]int{}
	for _, e := range entries {
		uid := entryUID(e)
		seen[uid]++
		if n := seen[uid]; n > 1 {
			uid = fmt.Sprintf("%s-%d", uid, n)
		}
		line("BEGIN", "VEVENT")
		line("UID", uid+"@cairn")
		line("DTSTAMP", stamp)
		line("DTSTART;VALUE=DATE", e.Date.Format("20060102"))
		line("DTEND;VALUE=DATE", e.Date.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY", icsText(e.Title+": "+e.What))
		desc := fmt.Sprintf("%s (%s), organization %s", e.ID, e.Kind, e.Org)
		if e.Assignee != "" {
			desc += ", assigned to @" + e.Assignee
		}
		line("DESCRIPTION", icsText(desc))
		line("CATEGORIES", icsText(string(e.Kind)))
		line("TRANSP", "TRANSPARENT")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// entryUID names an entry by what it is: item, kind, and field or task.
func entryUID(e Entry) string {
	key := e.ID + "\x00" + string(e.Kind) + "\x00" + e.Field
	if e.Kind == KindTask {
		key += "\x00" + e.What
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// icsText escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and newlines; other control characters, which TEXT may not hold,
// become spaces.
func icsText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line ended by CRLF, folded so that no
// line is longer than 75 octets (RFC 5545 3.1): a continuation starts with
// one space, and a UTF-8 sequence is never split.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
