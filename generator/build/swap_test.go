package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// stagingLeft fails the test when a staging folder is left in out.
func stagingLeft(t *testing.T, out string) {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			t.Errorf("staging folder %s left in the output", e.Name())
		}
	}
}

// TestCancelAtEachStage cancels a build's context at every stage it
// reports: up to the swaps every portal stays old, after that every
// portal is new; never a mix, never a staging folder left.
func TestCancelAtEachStage(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	later := asOf.AddDate(0, 1, 0)
	newOut := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Output: newOut, OutputOutsideSite: true, Today: later, NoRunbooks: true}); err != nil {
		t.Fatal(err)
	}
	newTree := readTree(t, newOut)

	type point struct {
		stage  Stage
		portal string
		old    bool // the build must leave the old portals
	}
	points := []point{
		{StageStaging, "", true},
		{StagePortal, "acme", true},
		{StagePortal, "helpdesk", true},
		{StagePortal, "internal", true},
		{StageRendered, "", true},
		{StageSwapped, "acme", false},
		{StageSwapped, "helpdesk", false},
		{StageSwapped, "internal", false},
	}
	var seen []string
	for _, p := range points {
		t.Run(string(p.stage)+" "+p.portal, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, NoRunbooks: true}); err != nil {
				t.Fatal(err)
			}
			oldTree := readTree(t, out)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hit := false
			_, err := Build(ctx, s, Options{Output: out, OutputOutsideSite: true, Today: later, NoRunbooks: true,
				Progress: func(st Stage, portal string) {
					if st == p.stage && portal == p.portal {
						hit = true
						cancel()
					}
				}})
			if !hit {
				t.Fatalf("the build never reported %s %s", p.stage, p.portal)
			}
			if p.old {
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("want context.Canceled, got %v", err)
				}
				sameTree(t, oldTree, readTree(t, out))
			} else {
				if err != nil {
					t.Fatalf("a build cancelled during the swaps failed: %v", err)
				}
				sameTree(t, newTree, readTree(t, out))
			}
			stagingLeft(t, out)
			seen = append(seen, string(p.stage))
		})
	}
	if len(seen) != len(points) {
		t.Errorf("only %d of %d stages were tested", len(seen), len(points))
	}
}

// TestSwapFailureRollsBack makes the swap of the last portal fail after
// the others were swapped: they are swapped back, so all are old.
func TestSwapFailureRollsBack(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	for _, name := range []string{"exchange", "fallback"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			buildTo(t, s, out)
			oldTree := readTree(t, out)
			// acme and helpdesk are exchanged, then (exchange only) exchanged
			// back.
			calls, wantCalls := 0, 4
			if name == "fallback" {
				wantCalls = 2
			}
			xchg := func(a, b string) error {
				if strings.HasSuffix(b, "internal") {
					return syscall.EIO
				}
				calls++
				if name == "fallback" {
					return errNoExchange
				}
				return exchange(a, b)
			}
			_, err := build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf.AddDate(0, 1, 0)}, xchg)
			if err == nil || !strings.Contains(err.Error(), "portal internal: moving the new output into place: input/output error (no portal was changed)") {
				t.Fatalf("got %v", err)
			}
			if calls != wantCalls {
				t.Fatalf("%d exchanges, want %d", calls, wantCalls)
			}
			sameTree(t, oldTree, readTree(t, out))
			stagingLeft(t, out)
		})
	}
}

// TestFallbackSwap builds without an atomic exchange (two renames) and
// gets the same output.
func TestFallbackSwap(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	want := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, want)
	out := filepath.Join(t.TempDir(), "public")
	noExchange := func(a, b string) error { return errNoExchange }
	for i := 0; i < 2; i++ { // first into nothing, then over the first
		if _, err := build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf}, noExchange); err != nil {
			t.Fatal(err)
		}
	}
	sameTree(t, readTree(t, want), readTree(t, out))
	stagingLeft(t, out)
}

// TestKilledBetweenFallbackRenames simulates a build killed between the
// two renames of the fallback: the portal is missing, its old folder in
// the staging folder. The next build puts it back before anything else.
func TestKilledBetweenFallbackRenames(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	oldTree := readTree(t, out)
	tmp := filepath.Join(out, tmpPrefix+"killed")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(out, "acme"), filepath.Join(tmp, oldPrefix+"acme")); err != nil {
		t.Fatal(err)
	}
	if err := removeStale(out); err != nil {
		t.Fatal(err)
	}
	sameTree(t, oldTree, readTree(t, out))
	stagingLeft(t, out)
}

// TestPortalNeverMissing swaps a portal folder in and out thousands of
// times while another goroutine reads its home page without pause: with
// the atomic exchange the page is there at every read. (With the
// two-rename fallback the same test sees the folder missing.)
func TestPortalNeverMissing(t *testing.T) {
	if misses, reads := swapReads(t, exchange); misses > 0 {
		t.Errorf("the portal was missing in %d of %d reads during swaps", misses, reads)
	}
}

// swapReads swaps a new folder into dir/portal 2,000 times with swapIn
// and xchg while reading dir/portal/index.html in a loop, and returns how
// many reads failed and how many were made.
func swapReads(t *testing.T, xchg exchangeFunc) (misses, reads int64) {
	t.Helper()
	dir := t.TempDir()
	dst := filepath.Join(dir, "portal")
	for _, d := range []string{dst, filepath.Join(dir, "stage")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "index.html"), []byte("page"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := exchange(dst, filepath.Join(dir, "stage")); errors.Is(err, errNoExchange) {
		t.Skip("this file system has no atomic exchange; builds fall back to two renames")
	}
	var (
		stop atomic.Bool
		miss atomic.Int64
		read atomic.Int64
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			if _, err := os.Stat(filepath.Join(dst, "index.html")); err != nil {
				miss.Add(1)
			}
			read.Add(1)
		}
	}()
	for read.Load() == 0 {
		runtime.Gosched()
	}
	for i := 0; i < 2000; i++ {
		// swapIn leaves the old folder at stage (exchange) or at old
		// (fallback): either way, stage is the next new folder.
		if _, err := swapIn(filepath.Join(dir, "stage"), dst, filepath.Join(dir, "old"), xchg); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "old")); err == nil {
			if err := os.Rename(filepath.Join(dir, "old"), filepath.Join(dir, "stage")); err != nil {
				t.Fatal(err)
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	return miss.Load(), read.Load()
}

// TestSwapReadsSeeTheFallbackGap shows that swapReads can fail: with the
// two-rename fallback the folder is missing between the renames.
func TestSwapReadsSeeTheFallbackGap(t *testing.T) {
	misses, reads := swapReads(t, func(a, b string) error { return errNoExchange })
	if misses == 0 {
		t.Errorf("no read of %d saw the fallback's gap: the test of the exchange could not fail", reads)
	}
	t.Logf("fallback: %d of %d reads found no portal", misses, reads)
}
