package expiry

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDays(t *testing.T) {
	today := day(2026, 11, 23)
	tokyo := time.FixedZone("JST", 9*3600)
	honolulu := time.FixedZone("HST", -10*3600)
	cases := []struct {
		name        string
		today, date time.Time
		want        int
	}{
		{"same day", today, today, 0},
		{"tomorrow", today, day(2026, 11, 24), 1},
		{"yesterday", today, day(2026, 11, 22), -1},
		{"window end", today, day(2026, 12, 23), 30},
		{"leap day", day(2028, 2, 28), day(2028, 3, 1), 2},
		{"year 9999", today, day(9999, 12, 31), 2912116},
		{"year 0001", today, day(1, 1, 1), -739942},
		{"past the 292 years time.Sub holds", today, day(2400, 1, 1), 136274},
		{"today late in the day", today.Add(23*time.Hour + 59*time.Minute), day(2026, 11, 24), 1},
		{"date in a zone east of UTC counts by its own calendar date", today, time.Date(2026, 11, 24, 1, 0, 0, 0, tokyo), 1},
		{"date in a zone west of UTC", today, time.Date(2026, 11, 24, 23, 0, 0, 0, honolulu), 1},
		{"clamped far future", day(1, 1, 1), time.Date(1_000_000_000, 1, 1, 0, 0, 0, 0, time.UTC), MaxDays},
		{"clamped far past", time.Date(1_000_000_000, 1, 1, 0, 0, 0, 0, time.UTC), day(1, 1, 1), -MaxDays},
	}
	for _, c := range cases {
		if got := Days(c.today, c.date); got != c.want {
			t.Errorf("%s: Days(%s, %s) = %d, want %d", c.name, c.today, c.date, got, c.want)
		}
	}
}

func TestWithin(t *testing.T) {
	today := day(2026, 11, 23)
	cases := []struct {
		date   time.Time
		window int
		want   bool
	}{
		{day(2026, 11, 23), 30, true},
		{day(2026, 12, 23), 30, true},
		{day(2026, 12, 24), 30, false},
		{day(1, 1, 1), 30, true}, // long past is due
		{day(9999, 12, 31), 30, false},
		{day(9999, 12, 31), MaxDays, true},
		{day(2026, 11, 24), -5, false},
		{day(2026, 11, 23), -5, true},
	}
	for _, c := range cases {
		if got := Within(today, c.date, c.window); got != c.want {
			t.Errorf("Within(%s, window %d) = %v, want %v", c.date.Format("2006-01-02"), c.window, got, c.want)
		}
	}
}
