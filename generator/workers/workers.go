// Package workers runs the iterations of a loop on one goroutine per CPU.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) once for every i from 0 to n-1, on
// runtime.GOMAXPROCS(0) goroutines, handing out the next i to whichever
// goroutine is free, and returns when every call has returned. Calls run
// at the same time, so f must be safe for concurrent use. When stop is
// not nil and returns true, no further i is handed out (calls under way
// finish); Each may then return before calling f for every i.
func Each(n int, stop func() bool, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || (stop != nil && stop()) {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
