package serve_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/serve"
	"github.com/cairn-it/cairn/generator/testsite"
)

// BenchmarkServeRebuild measures cairn serve's change-to-rebuilt time on
// a 10,000-item site, without the file watcher: one configuration's
// primary_ip is edited, then RebuildFiles updates the checked site and
// makes the outputs the edit can affect with the real renderer. It
// reports the files changed per rebuild (the pages that reload) and how
// long it took until the edited item's page, made first, was swapped in
// (ms-first-reload: what a user editing that item waits for); ns/op
// includes the search index, made last.
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
	s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(ropts), Files: serve.PortalFiles(ropts), Items: serve.PortalItems(ropts), Today: todayFn})
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

// BenchmarkServeSaveToReload measures what a user of cairn serve waits
// for on a 10,000-item site: from writing a file to the moment the page
// they have open receives its reload event, through the file watcher
// (with its debounce), the incremental load and check, and the outputs
// made first. It reports ms per save for each kind of edit: an item
// edited, a document edited, an item added (its page appears), an item
// deleted (its page goes), a schema edited (a type renamed) and
// access.toml edited (the portal retitled). Between saves it waits for
// the rebuild to end, search index included.
func BenchmarkServeSaveToReload(b *testing.B) {
	dir := b.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: benchItems(b), Seed: 1}); err != nil {
		b.Fatal(err)
	}
	find := func(pattern, has string) string {
		files, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		for _, f := range files {
			if data, _ := os.ReadFile(f); strings.Contains(string(data), has) {
				return f
			}
		}
		b.Fatalf("no %s with %q", pattern, has)
		return ""
	}
	cfg := find("content/*/configurations/*.toml", "\nprimary_ip = ")
	doc := find("content/*/documents/*.md", "+++")
	backup := find("content/*/assets/backup/*.toml", "")
	pageOf := func(file string) string {
		rel, _ := filepath.Rel(filepath.Join(dir, "content"), file)
		return strings.TrimSuffix(strings.TrimSuffix(filepath.ToSlash(rel), ".toml"), ".md") + "/index.html"
	}
	org := strings.Split(pageOf(cfg), "/")[0]

	todayFn := func() time.Time { return today }
	ropts := serve.RenderOptions{Today: todayFn}
	var log io.Writer
	if os.Getenv("CAIRN_BENCH_LOG") != "" {
		log = os.Stderr
	}
	s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(ropts), Files: serve.PortalFiles(ropts), Items: serve.PortalItems(ropts), Today: todayFn, Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if res, err := s.Rebuild(ctx); err != nil || res.Problems != nil {
		b.Fatalf("first build: %v %v", err, res.Problems)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	rebuilt := make(chan serve.Result, 16)
	watchErr := make(chan error, 1)
	go func() { watchErr <- s.Watch(ctx, serve.DefaultDebounce, func(r serve.Result) { rebuilt <- r }) }()
	// The watcher is ready when writing a file (with the same bytes)
	// makes a rebuild.
	same, _ := os.ReadFile(cfg)
	for ready := false; !ready; {
		if err := os.WriteFile(cfg, same, 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case <-rebuilt:
			ready = true
		case err := <-watchErr:
			b.Fatalf("watching: %v", err)
		case <-time.After(time.Second):
		}
	}

	// save writes (or with nil text, removes) a file while page is open,
	// and returns how long until the page's reload event, then waits for
	// the rebuild to end.
	genOf := regexp.MustCompile(`data-gen="(\d+)"`)
	save := func(b *testing.B, file string, text []byte, page string) time.Duration {
		resp, err := http.Get(ts.URL + "/" + page)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := genOf.FindSubmatch(body)
		if m == nil {
			b.Fatalf("%s: no generation", page)
		}
		ev, err := http.Get(ts.URL + serve.EventsPath + "?gen=" + string(m[1]) + "&path=" + url.QueryEscape("/"+page))
		if err != nil {
			b.Fatal(err)
		}
		defer ev.Body.Close()
		events := make(chan string, 16)
		go func() {
			defer close(events)
			lines := bufio.NewScanner(ev.Body)
			for lines.Scan() {
				if l, ok := strings.CutPrefix(lines.Text(), "event: "); ok {
					events <- l
				}
			}
		}()
		next := func() string {
			select {
			case e := <-events:
				return e
			case err := <-watchErr:
				b.Fatalf("watching: %v", err)
			case <-time.After(2 * time.Minute):
				b.Fatalf("%s: no event after 2 minutes", page)
			}
			return ""
		}
		if e := next(); e != "ok" {
			b.Fatalf("%s: first event %q", page, e)
		}
		start := time.Now()
		if text == nil {
			err = os.Remove(file)
		} else {
			err = os.WriteFile(file, text, 0o644)
		}
		if err != nil {
			b.Fatal(err)
		}
		for {
			e := next()
			if e == "reload" {
				break
			}
			if e != "ok" {
				b.Fatalf("%s: event %q", page, e)
			}
		}
		took := time.Since(start)
		for done := false; !done; {
			select {
			case r := <-rebuilt:
				if r.Problems != nil {
					b.Fatalf("problems: %v", r.Problems)
				}
				done = len(rebuilt) == 0
			case <-time.After(2 * time.Minute):
				b.Fatal("no rebuild after 2 minutes")
			}
		}
		return took
	}
	toggle := func(file, a, z string) []byte {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		if strings.Contains(string(data), a) {
			return []byte(strings.Replace(string(data), a, z, 1))
		}
		return []byte(strings.Replace(string(data), z, a, 1))
	}
	// Each kind reports the mean and the median time from the save to
	// the reload event (ns/op also counts the wait for the whole rebuild
	// and the requests around it).
	report := func(b *testing.B, took []time.Duration) {
		var sum time.Duration
		for _, d := range took {
			sum += d
		}
		slices.Sort(took)
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(took)), "ms/save")
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	}
	edits := 0 // every save writes new bytes, across the runs of a kind
	b.Run("item", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			edits++
			data, _ := os.ReadFile(cfg)
			ip := "192.0.2." + strconv.Itoa(1+edits%250)
			lines := strings.Split(string(data), "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, "primary_ip = ") {
					lines[i] = `primary_ip = "` + ip + `"`
				}
			}
			took = append(took, save(b, cfg, []byte(strings.Join(lines, "\n")), pageOf(cfg)))
		}
		report(b, took)
	})
	b.Run("document", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			edits++
			data, _ := os.ReadFile(doc)
			took = append(took, save(b, doc, append(data, fmt.Sprintf("\nEdit %d.\n", edits)...), pageOf(doc)))
		}
		report(b, took)
	})
	var added []string
	b.Run("add", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			f := filepath.Join(dir, "content", org, "contacts", fmt.Sprintf("bench-%d-%d.toml", len(added), n))
			added = append(added, f)
			took = append(took, save(b, f, []byte(fmt.Sprintf("first_name = \"Bench\"\nlast_name = \"Person %d\"\n", len(added))), pageOf(f)))
		}
		report(b, took)
	})
	b.Run("delete", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			if len(added) == 0 {
				f := filepath.Join(dir, "content", org, "contacts", fmt.Sprintf("bench-del-%d.toml", n))
				if err := os.WriteFile(f, []byte("first_name = \"Bench\"\nlast_name = \"Gone\"\n"), 0o644); err != nil {
					b.Fatal(err)
				}
				<-rebuilt // (the page is served once the rebuild ends)
				added = append(added, f)
			}
			f := added[len(added)-1]
			added = added[:len(added)-1]
			took = append(took, save(b, f, nil, pageOf(f)))
		}
		report(b, took)
	})
	b.Run("schema", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			f := filepath.Join(dir, "schemas", "backup.toml")
			took = append(took, save(b, f, toggle(f, `name = "Backup"`, `name = "Backups"`), pageOf(backup)))
		}
		report(b, took)
	})
	b.Run("access", func(b *testing.B) {
		var took []time.Duration
		for n := 1; n <= b.N; n++ {
			f := filepath.Join(dir, "access.toml")
			took = append(took, save(b, f, toggle(f, `title = "Internal"`, `title = "Internal docs"`), "index.html"))
		}
		report(b, took)
	})
}

// benchItems is the size of BenchmarkServeSaveToReload's site: 10,000
// items, or CAIRN_BENCH_ITEMS.
func benchItems(b *testing.B) int {
	if v := os.Getenv("CAIRN_BENCH_ITEMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("CAIRN_BENCH_ITEMS: %v", err)
		}
		return n
	}
	return 10000
}
