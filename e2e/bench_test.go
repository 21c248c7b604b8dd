package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
)

// BenchmarkSearch10k measures search in the browser on the internal portal
// of a 10,000-item synthetic site: the first results from a cold page
// (loading the index included) and a query once the index is loaded, both
// timed inside the page with performance.now(). Run with:
//
//	go test -run '^$' -bench Search10k -benchtime 5x ./e2e
func BenchmarkSearch10k(b *testing.B) {
	testtool.Chromium(b)
	root := b.TempDir()
	if err := testsite.Write(root, testsite.Options{Items: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "public")
	cmd := exec.Command(cairn(b), "-C", root, "build", "--portal", "internal", "--no-runbooks", "--output", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("cairn build: %v\n%s", err, msg)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(out, "internal"))))
	defer srv.Close()
	ctx := browser(b)

	// query types q into the search box and resolves with the time until
	// the first result shows.
	const query = `new Promise(function (done) {
		var input = document.getElementById("search"), box = document.getElementById("search-results");
		input.value = ""; input.dispatchEvent(new Event("input"));
		var t0 = performance.now();
		input.value = %q; input.dispatchEvent(new Event("input"));
		(function wait() {
			if (!box.hidden && box.querySelector(".search-result")) done(performance.now() - t0);
			else requestAnimationFrame(wait);
		})();
	})`
	var cold, warm float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step(b, ctx, "open the portal home", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady("#search"))
		cold += eval[float64](b, ctx, fmt.Sprintf(query, "serv"))
		warm += eval[float64](b, ctx, fmt.Sprintf(query, "192.0"))
	}
	b.StopTimer()
	b.ReportMetric(cold/float64(b.N), "ms-first-results-cold")
	b.ReportMetric(warm/float64(b.N), "ms-query-warm")
}
