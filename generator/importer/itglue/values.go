package itglue

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// dateLayouts are the date forms IT Glue exports carry.
var dateLayouts = []string{
	"2006-01-02", time.RFC3339, "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05Z",
	"2006-01-02 15:04:05", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", "2006/01/02",
	"01/02/2006", "1/2/2006", "Jan 2, 2006", "January 2, 2006", "2 Jan 2006",
}

// parseDate reads a date, returning it as YYYY-MM-DD.
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1000 || t.Year() > 9999 {
				return "", false
			}
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// parseBool reads a Yes/No cell.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "y", "1", "on", "checked":
		return true, true
	case "no", "false", "n", "0", "off", "unchecked":
		return false, true
	}
	return false, false
}

// parseNumber reads a number as TOML writes it: an integer or a float,
// never with leading zeros (an id such as 007 is text) and never so long
// that a float would round it (a serial number is text).
func parseNumber(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 15 {
		return "", false
	}
	t := strings.TrimPrefix(s, "-")
	if len(t) > 1 && t[0] == '0' && t[1] != '.' {
		return "", false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(i, 10), true
	}
	if strings.ContainsAny(s, "eExXpP_") || strings.HasPrefix(t, ".") || strings.HasSuffix(s, ".") {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	return s, true
}

// scalarOK reports whether a string value passes the checker for field f
// (text kinds, url, email, phone, ip, cidr, select).
func scalarOK(f *schema.Field, s string) bool {
	if s == "" {
		return false
	}
	if f.Kind == schema.Text && strings.ContainsAny(s, "\n\r") {
		return false
	}
	if len(s) > 1<<20 {
		return false
	}
	v := &tomldoc.Value{Kind: tomldoc.KindString, Str: s, Raw: tomldoc.Quote(s)}
	cp := *f
	cp.Multiple = false
	return schema.CheckValue(&cp, v) == nil
}

// matchOption returns the option of a select equal to s ignoring case.
func matchOption(options []string, s string) (string, bool) {
	for _, o := range options {
		if strings.EqualFold(o, strings.TrimSpace(s)) {
			return o, true
		}
	}
	return "", false
}
