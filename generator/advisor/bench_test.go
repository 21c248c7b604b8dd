package advisor_test

import (
	"context"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/advisor"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// benchCheck generates a synthetic site of n items once, outside the
// timer, then loads and checks it b.N times, with the advisor after the
// check when advise is true: the two sub-benchmarks of one run compare
// cairn check's pipeline with and without it (docs/performance.md).
func benchCheck(b *testing.B, n int) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, advise := range []bool{false, true} {
		name := "check"
		if advise {
			name = "check+advisor"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := site.Open(context.Background(), dir, today)
				if err != nil {
					b.Fatal(err)
				}
				if res.Diags.HasErrors() {
					b.Fatalf("the synthetic site has errors: %v", res.Diags.Err())
				}
				if advise {
					if _, err := advisor.Run(context.Background(), res.Site, advisor.Options{}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
	// The advisor alone, on a site loaded once.
	res, err := site.Open(context.Background(), dir, today)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("advisor", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := advisor.Run(context.Background(), res.Site, advisor.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAdvisor10k compares check with and without the advisor on a
// synthetic site of 10,000 items.
func BenchmarkAdvisor10k(b *testing.B) { benchCheck(b, 10_000) }

// BenchmarkAdvisor100k is BenchmarkAdvisor10k on 100,000 items: the
// issue's target is that the advisor adds under 20% to check's time.
func BenchmarkAdvisor100k(b *testing.B) { benchCheck(b, 100_000) }
