package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/serve"
	"github.com/cairn-it/cairn/generator/testsite"
)

// BenchmarkServeRebuild measures cairn serve's change-to-rebuilt time on
// a 10,000-item site: one configuration's primary_ip is edited, then the
// whole site is reloaded and re-checked, the internal portal rendered in
// memory with the real renderer, and the changed files found. It reports
// the files changed per rebuild (the pages that reload) and how long it
// took until the edited item's page, rendered first, was swapped in
// (ms-first-reload: what a user editing that item waits for).
func BenchmarkServeRebuild(b *testing.B) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "configurations", "*.toml"))
	cfg := ""
	for _, f := range files {
		if data, _ := os.ReadFile(f); strings.Contains(string(data), "\nprimary_ip = ") {
			cfg = f
			break
		}
	}
	if cfg == "" {
		b.Fatal("no configuration with a primary_ip")
	}
	todayFn := func() time.Time { return today }
	ropts := serve.RenderOptions{Today: todayFn}
	s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(ropts), Files: serve.PortalFiles(ropts), Today: todayFn})
	rel, _ := filepath.Rel(dir, cfg)
	ctx := context.Background()
	if res, err := s.Rebuild(ctx); err != nil || res.Problems != nil {
		b.Fatalf("first build: %v %v", err, res.Problems)
	}
	changed := 0
	i := 0
	var first time.Duration
	for b.Loop() {
		i++
		b.StopTimer()
		setIP(b, cfg, "192.0.2."+strconv.Itoa(1+i%250))
		b.StartTimer()
		res, err := s.RebuildFiles(ctx, []string{filepath.ToSlash(rel)})
		if err != nil || res.Problems != nil || len(res.Changed) == 0 || res.FirstReload == 0 {
			b.Fatalf("rebuild: %v %v %v %v", err, res.Problems, res.Changed, res.FirstReload)
		}
		changed = len(res.Changed)
		first += res.FirstReload
	}
	b.ReportMetric(float64(changed), "files-changed")
	b.ReportMetric(float64(first.Milliseconds())/float64(i), "ms-first-reload")
}
