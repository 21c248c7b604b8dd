package expiry

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a calendar span written like "30d", "2w", "6mo" or "1y": a
// number and one unit. Months and years are calendar months and years
// (2026-01-31 plus 1mo is 2026-03-03, as time.AddDate counts), so "1y"
// after a date is the same date a year later. It is the one parser of
// durations cairn has: --within, --fail-within, [rotation], [review] and
// review_every all read it.
type Duration struct {
	Years, Months, Days int
}

// maxAmount bounds the number in a duration, so that adding it to any
// date time.Time holds cannot overflow (10,000 years of days).
const maxAmount = 3_660_000

// ErrDuration is wrapped by every error ParseDuration returns.
var ErrDuration = errors.New("not a duration")

// ParseDuration reads "30d", "2w", "6mo" or "1y" (surrounding spaces
// allowed, the unit in lower case). The number is a whole number from 0
// to 3,660,000.
func ParseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unit := t[:i], t[i:]
	bad := func(why string) (Duration, error) {
		return Duration{}, fmt.Errorf("%w: %q %s (write a whole number and a unit: 30d, 2w, 6mo, 1y)", ErrDuration, s, why)
	}
	if num == "" {
		return bad("does not start with a number")
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > maxAmount {
		return bad("is too large")
	}
	switch unit {
	case "d":
		return Duration{Days: n}, nil
	case "w":
		return Duration{Days: 7 * n}, nil
	case "mo":
		return Duration{Months: n}, nil
	case "y":
		return Duration{Years: n}, nil
	case "":
		return bad("has no unit")
	}
	return bad(fmt.Sprintf("has an unknown unit %q", unit))
}

// After returns the date d after t.
func (d Duration) After(t time.Time) time.Time { return t.AddDate(d.Years, d.Months, d.Days) }

// Before returns the date d before t.
func (d Duration) Before(t time.Time) time.Time { return t.AddDate(-d.Years, -d.Months, -d.Days) }

// DaysFrom returns how many days the span covers when it starts on
// today: 30 for "30d", 28 to 31 for "1mo". Windows such as --within
// compare a date's Days with it.
func (d Duration) DaysFrom(today time.Time) int { return Days(today, d.After(today)) }

// IsZero reports whether d is no time at all ("0d").
func (d Duration) IsZero() bool { return d == Duration{} }

// ParseCadence reads a period something recurs at (a rotation's maximum
// age, a review cadence): a duration ParseDuration reads that is not
// "0d", which would make the thing due again the day it was done.
func ParseCadence(s string) (Duration, error) {
	d, err := ParseDuration(s)
	if err == nil && d.IsZero() {
		return Duration{}, fmt.Errorf("%w: %q", ErrZeroCadence, s)
	}
	return d, err
}

// ErrZeroCadence is what ParseCadence returns for "0d".
var ErrZeroCadence = errors.New("a cadence of no time at all")

// CadenceProblem says what is wrong with a cadence ParseCadence refused,
// and how to fix it.
func CadenceProblem(err error) (what, hint string) {
	if errors.Is(err, ErrZeroCadence) {
		return "is no time at all", "a cadence is at least 1d: 30d, 2w, 6mo, 1y"
	}
	return "is not a duration", "write a whole number and a unit: 30d, 2w, 6mo, 1y"
}

// String writes d back in the form ParseDuration reads: "30d", "6mo",
// "1y"; a mixed span (never parsed, only built) is written as its parts,
// "1y6mo".
func (d Duration) String() string {
	var b strings.Builder
	if d.Years != 0 {
		fmt.Fprintf(&b, "%dy", d.Years)
	}
	if d.Months != 0 {
		fmt.Fprintf(&b, "%dmo", d.Months)
	}
	if d.Days != 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%dd", d.Days)
	}
	return b.String()
}
