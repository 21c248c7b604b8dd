// Package expiry measures expiry dates against the "as of" day: how many
// days away a date is, and whether it falls within the expiry window.
// check (its counts and warnings), the portal (its badges) and the runbook
// (its expiring section and field notes) all call it, so they agree on
// every date, however far off.
package expiry

import "time"

// MaxDays bounds what Days returns, either way: about 45,000 years, far
// beyond any date cairn parses (years 0001 to 9999), and small enough that
// callers may add a window or negate the count without overflow.
const MaxDays = 1 << 24

const secondsPerDay = 24 * 60 * 60

// Days returns how many calendar days date lies after today: 0 on the
// same day, 1 the day after, -1 the day before. Each time counts by its
// calendar date in its own location (a date written 2026-12-01 is that
// day wherever it was parsed); the time of day is ignored. The count is
// exact for every date time.Time holds (unlike time.Sub, which saturates
// after 292 years) and clamped to ±MaxDays.
func Days(today, date time.Time) int {
	d := dayNumber(date) - dayNumber(today)
	switch {
	case d > MaxDays:
		return MaxDays
	case d < -MaxDays:
		return -MaxDays
	}
	return int(d)
}

// dayNumber is the number of days from 1970-01-01 to t's calendar date.
// Midnight UTC is a whole number of days from the epoch, so the division
// is exact, before 1970 too.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
}

// Within reports whether date is due within window days of today: already
// past, today, or at most window days ahead. A negative window counts
// as 0.
func Within(today, date time.Time, window int) bool {
	return Days(today, date) <= max(window, 0)
}
