package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// benchLoadCheck generates a site of n items once, outside the timer, then
// loads and checks it b.N times. The site must be valid: a benchmark of a
// site full of errors would measure the error path.
func benchLoadCheck(b *testing.B, n int) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := site.Open(context.Background(), dir, today)
		if err != nil {
			b.Fatal(err)
		}
		if res.Diags.HasErrors() || res.Stats.Items != n {
			b.Fatalf("site of %d items: %d items loaded, errors: %v", n, res.Stats.Items, res.Diags.Err())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkLoadCheck10k loads and checks a synthetic site of 10,000 items.
func BenchmarkLoadCheck10k(b *testing.B) { benchLoadCheck(b, 10_000) }

// BenchmarkLoadCheck100k loads and checks a synthetic site of 100,000
// items: the target is under 3 s and 1 GB on 2 cores.
func BenchmarkLoadCheck100k(b *testing.B) { benchLoadCheck(b, 100_000) }

// BenchmarkStateUpdate10k measures State.Update on a 10,000-item site
// after one item's file changed: the incremental load and check cairn
// serve runs on every save.
func BenchmarkStateUpdate10k(b *testing.B) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 10_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	st, err := site.NewState(ctx, dir, today)
	if err != nil {
		b.Fatal(err)
	}
	it := st.Result().Site.Items[len(st.Result().Site.Items)/2]
	file := filepath.Join(dir, filepath.FromSlash(it.File))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		if err := os.WriteFile(file, append(append([]byte(nil), orig...), fmt.Sprintf("\n# edit %d\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, _, err := st.Update(ctx, []string{it.File}, today)
		if err != nil || res.Diags.HasErrors() {
			b.Fatalf("update: %v %v", err, res.Diags.Err())
		}
	}
}
