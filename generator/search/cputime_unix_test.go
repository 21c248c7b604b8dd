//go:build unix

package search_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the test process has
// used: on a machine other work shares, a steadier figure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
