package workers

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// TestEachCallsEveryIndexOnce: every index from 0 to n-1 is called
// exactly once, for n = 0, 1 and many.
func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 1000} {
		calls := make([]atomic.Int32, n)
		Each(n, nil, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
}

// TestEachStops: once stop says so, no further index is handed out.
func TestEachStops(t *testing.T) {
	var stopped atomic.Bool
	var calls atomic.Int32
	Each(1000, stopped.Load, func(i int) {
		if calls.Add(1) == 10 {
			stopped.Store(true)
		}
	})
	// Each goroutine may have taken one index before it saw stop.
	if c := calls.Load(); c < 10 || c > 10+int32(runtime.GOMAXPROCS(0)) {
		t.Fatalf("%d calls after stopping at the 10th", c)
	}
}
