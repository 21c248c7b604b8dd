package main

import (
	"runtime/debug"
	"testing"
)

// TestLimitCheckMemory: check sets its memory limit only when GOMEMLIMIT
// does not set one, and puts the limit before it back when done.
func TestLimitCheckMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	for _, c := range []struct {
		env  string
		want int64
	}{
		{"", checkMemoryLimit},
		{"off", before},
		{"2GiB", before},
	} {
		restore := limitCheckMemory(func(k string) string {
			if k == "GOMEMLIMIT" {
				return c.env
			}
			return ""
		})
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("GOMEMLIMIT=%q: limit during check %d, want %d", c.env, got, c.want)
		}
		restore()
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("GOMEMLIMIT=%q: limit after check %d, want %d as before", c.env, got, before)
		}
	}
}
