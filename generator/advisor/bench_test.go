package advisor_test

import (
	"context"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/advisor"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// benchAdvisor generates a synthetic site of n items once, outside the
// timer; each iteration then loads and checks it (site.Open, what cairn
// check runs) and runs the advisor on the result, timing the two apart.
// Timing them in the same iteration pairs them: on a shared machine whose
// load drifts between runs, the ratio of neighbours is steadier than two
// benchmarks minutes apart. It reports check-s/op, advisor-s/op and
// advisor-% (the advisor's time as a share of check's).
func benchAdvisor(b *testing.B, n int) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var check, adv time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		res, err := site.Open(context.Background(), dir, today)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := advisor.Run(context.Background(), res.Site, advisor.Options{}); err != nil {
			b.Fatal(err)
		}
		check += t1.Sub(t0)
		adv += time.Since(t1)
		if res.Diags.HasErrors() {
			b.Fatalf("the synthetic site has errors: %v", res.Diags.Err())
		}
	}
	b.ReportMetric(check.Seconds()/float64(b.N), "check-s/op")
	b.ReportMetric(adv.Seconds()/float64(b.N), "advisor-s/op")
	b.ReportMetric(100*adv.Seconds()/check.Seconds(), "advisor-%")
}

// BenchmarkAdvisor10k times check and the advisor on 10,000 items.
func BenchmarkAdvisor10k(b *testing.B) { benchAdvisor(b, 10_000) }

// BenchmarkAdvisor100k times check and the advisor on 100,000 items: the
// issue's target is that the advisor adds under 20% to check's time.
func BenchmarkAdvisor100k(b *testing.B) { benchAdvisor(b, 100_000) }
