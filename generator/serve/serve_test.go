package serve_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/serve"
	"github.com/cairn-it/cairn/generator/testsite"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// pageRender is a small renderer for tests: one page per visible item
// showing its title and primary_ip, a home page and a stylesheet.
func pageRender(calls *int) serve.RenderFunc {
	return func(ctx context.Context, s *model.Site, portal string) (*serve.Output, error) {
		*calls++
		v, err := access.NewView(s, portal)
		if err != nil {
			return nil, err
		}
		files := map[string][]byte{
			"index.html":       []byte("<!doctype html><html><body><h1>" + portal + "</h1></body></html>"),
			"static/cairn.css": []byte("body{}"),
		}
		for _, it := range v.Items() {
			ip := ""
			if x := it.Value("primary_ip"); x != nil {
				ip = x.Str
			}
			files[it.ID+"/index.html"] = []byte("<!doctype html><html><body><h1>" + it.Title + "</h1><p id=ip>" + ip + "</p></body></html>")
		}
		lazy := map[string]func(context.Context) ([]byte, error){
			"runbooks/x.pdf": func(context.Context) ([]byte, error) { return []byte("%PDF-" + portal), nil },
		}
		return &serve.Output{Files: files, Lazy: lazy}, nil
	}
}

// newSite writes a small valid site and returns its folder and a
// configuration file in it with a primary_ip line.
func newSite(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 40, Orgs: 3, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "configurations", "*.toml"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "\nprimary_ip = ") {
			return dir, f
		}
	}
	t.Fatal("no configuration with a primary_ip")
	return "", ""
}

// setIP rewrites the primary_ip line of a configuration file.
func setIP(t testing.TB, file, ip string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "primary_ip = ") {
			lines[i] = "primary_ip = " + fmt.Sprintf("%q", ip)
		}
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func itemPath(dir, file string) string {
	rel, _ := filepath.Rel(filepath.Join(dir, "content"), file)
	return strings.TrimSuffix(filepath.ToSlash(rel), ".toml") + "/index.html"
}

func newServer(t *testing.T, dir string, calls *int) *serve.Server {
	return serve.New(serve.Options{Root: dir, Render: pageRender(calls), Today: func() time.Time { return today }})
}

func TestRebuild(t *testing.T) {
	dir, cfg := newSite(t)
	calls := 0
	s := newServer(t, dir, &calls)
	ctx := context.Background()

	first, err := s.Rebuild(ctx)
	if err != nil || first.Problems != nil {
		t.Fatalf("first build: %v %v", err, first.Problems)
	}
	if first.Portal != "internal" || first.Gen != 1 || len(first.Changed) < 10 {
		t.Fatalf("first build = portal %q gen %d, %d changed", first.Portal, first.Gen, len(first.Changed))
	}

	// Nothing changed: same generation, nothing to reload.
	same, _ := s.Rebuild(ctx)
	if same.Gen != 1 || same.Changed != nil {
		t.Errorf("unchanged rebuild = gen %d, changed %v", same.Gen, same.Changed)
	}

	setIP(t, cfg, "192.0.2.77")
	one, _ := s.Rebuild(ctx)
	if want := []string{itemPath(dir, cfg)}; one.Gen != 2 || !reflect.DeepEqual(one.Changed, want) {
		t.Errorf("after one edit: gen %d changed %v, want gen 2 changed %v", one.Gen, one.Changed, want)
	}

	// A check error: the problem is reported with its position, nothing is
	// rendered, and the last good build stays.
	setIP(t, cfg, "not-an-ip")
	before := calls
	bad, _ := s.Rebuild(ctx)
	if len(bad.Problems) == 0 || bad.Changed != nil || calls != before {
		t.Fatalf("check error: problems %v changed %v, %d renders", bad.Problems, bad.Changed, calls-before)
	}
	rel, _ := filepath.Rel(dir, cfg)
	if p := bad.Problems[0]; !strings.HasPrefix(p.String(), filepath.ToSlash(rel)+":") || !strings.Contains(p.Message, "primary_ip") {
		t.Errorf("problem = %q, want it positioned in %s and naming primary_ip", p, rel)
	}

	setIP(t, cfg, "192.0.2.78")
	fixed, _ := s.Rebuild(ctx)
	if fixed.Problems != nil || fixed.Gen != 3 || len(fixed.Changed) != 1 {
		t.Errorf("fixed: %+v", fixed)
	}
}

func TestPortalChoice(t *testing.T) {
	dir, _ := newSite(t)
	calls := 0
	s := serve.New(serve.Options{Root: dir, Portal: "helpdesk", Render: pageRender(&calls)})
	if res, _ := s.Rebuild(context.Background()); res.Portal != "helpdesk" || res.Problems != nil {
		t.Errorf("--portal helpdesk: %+v", res)
	}
	s = serve.New(serve.Options{Root: dir, Portal: "nope", Render: pageRender(&calls)})
	res, _ := s.Rebuild(context.Background())
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, `no portal "nope"`) {
		t.Errorf("unknown portal: %+v", res.Problems)
	}
}

// sse reads server-sent events from a response body.
type sse struct{ r *bufio.Reader }

func (s sse) next(t *testing.T) (name, data string) {
	t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading events: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			name = line[7:]
		case strings.HasPrefix(line, "data: "):
			data = line[6:]
		case line == "" && name != "":
			return name, data
		}
	}
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestHTTP(t *testing.T) {
	dir, cfg := newSite(t)
	calls := 0
	s := newServer(t, dir, &calls)
	ctx := context.Background()
	if _, err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	page := itemPath(dir, cfg)
	code, body, h := get(t, ts.URL+"/"+page)
	if code != 200 || !strings.Contains(body, "data-cairn-serve") || !strings.Contains(body, `data-gen="1"`) || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: %d %q %v", page, code, body, h)
	}
	if i, j := strings.Index(body, "data-cairn-serve"), strings.LastIndex(body, "</body>"); i > j {
		t.Error("reload script not before </body>")
	}
	if code, body, _ := get(t, ts.URL+"/static/cairn.css"); code != 200 || body != "body{}" {
		t.Errorf("css: %d %q (CSS must not be touched)", code, body)
	}
	if code, body, _ := get(t, ts.URL+"/"); code != 200 || !strings.Contains(body, "<h1>internal</h1>") {
		t.Errorf("home: %d %q", code, body)
	}
	if code, body, h := get(t, ts.URL+"/runbooks/x.pdf"); code != 200 || body != "%PDF-internal" || h.Get("Content-Type") != "application/pdf" {
		t.Errorf("lazy runbook: %d %q %v", code, body, h)
	}
	if code, body, _ := get(t, ts.URL+"/no/such/page.html"); code != 404 || !strings.Contains(body, "data-cairn-serve") {
		t.Errorf("404: %d %q", code, body)
	}

	// One page listens, one other page listens; only the changed one is
	// told to reload.
	listen := func(p string) (sse, func()) {
		req, _ := http.NewRequest("GET", ts.URL+serve.EventsPath+"?gen=1&path=/"+p, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return sse{bufio.NewReader(resp.Body)}, func() { resp.Body.Close() }
	}
	changed, close1 := listen(page)
	defer close1()
	other, close2 := listen("index.html")
	defer close2()
	for _, c := range []sse{changed, other} {
		if name, _ := c.next(t); name != "ok" {
			t.Fatalf("first event %q, want ok", name)
		}
	}

	setIP(t, cfg, "192.0.2.99")
	if _, err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if name, _ := changed.next(t); name != "ok" {
		t.Errorf("changed page: %q, want ok", name)
	}
	if name, data := changed.next(t); name != "reload" || data != "2" {
		t.Errorf("changed page: %q %q, want reload 2", name, data)
	}
	setIP(t, cfg, "bad")
	if _, err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	// The other page saw "ok" (no reload) then the problems.
	if name, _ := other.next(t); name != "ok" {
		t.Errorf("other page: %q, want ok", name)
	}
	name, data := other.next(t)
	if name != "problems" || !strings.Contains(data, `"pos":"content/`) || !strings.Contains(data, "primary_ip") {
		t.Errorf("other page: %q %q, want problems", name, data)
	}
	// A page that opens while the site is broken gets the problems at once.
	late, close3 := listen("index.html")
	defer close3()
	if name, _ := late.next(t); name != "problems" {
		t.Errorf("late page: %q, want problems", name)
	}
}

func TestWatch(t *testing.T) {
	dir, cfg := newSite(t)
	calls := 0
	s := newServer(t, dir, &calls)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	results := make(chan serve.Result, 8)
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, 20*time.Millisecond, func(r serve.Result) { results <- r }) }()
	time.Sleep(100 * time.Millisecond) // let the watcher start

	wait := func(what string) serve.Result {
		t.Helper()
		select {
		case r := <-results:
			return r
		case <-time.After(20 * time.Second):
			t.Fatalf("no rebuild after %s", what)
		}
		return serve.Result{}
	}
	setIP(t, cfg, "192.0.2.55")
	if r := wait("an edit"); !reflect.DeepEqual(r.Changed, []string{itemPath(dir, cfg)}) {
		t.Errorf("edit: changed %v", r.Changed)
	}
	// A new folder and a new item in it are seen.
	newDir := filepath.Join(filepath.Dir(cfg), "..", "documents", "fresh")
	if err := os.MkdirAll(newDir, 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(newDir, "note.md"), []byte("+++\ntitle = \"Fresh note\"\n+++\nHello.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		r := wait("a new file in a new folder")
		if len(r.Changed) == 1 && strings.HasSuffix(r.Changed[0], "/documents/fresh/note/index.html") {
			break
		}
	}
	// Editor backup files are ignored: nothing happens for them.
	if err := os.WriteFile(cfg+"~", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-results:
		t.Errorf("rebuilt for a backup file: %+v", r)
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch: %v", err)
	}
}

// TestOtherClientsErrorsStayOut: an error in an organization the served
// portal does not see neither stops its preview (as it does not stop its
// build) nor shows on its pages, which would name the other client.
func TestOtherClientsErrorsStayOut(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Write(dir, testsite.Options{Items: 60, Orgs: 5, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	acc, err := os.ReadFile(filepath.Join(dir, "access.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// A configuration with a primary_ip in one organization, and a portal
	// of another.
	var cfg, broken, other string
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "configurations", "*.toml"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		org := filepath.Base(filepath.Dir(filepath.Dir(f)))
		if cfg == "" && strings.Contains(string(b), "\nprimary_ip = ") {
			cfg, broken = f, org
		}
	}
	orgs, _ := os.ReadDir(filepath.Join(dir, "content"))
	for _, o := range orgs {
		if o.Name() != broken && strings.Contains(string(acc), "[portals."+o.Name()+"]") {
			other = o.Name()
		}
	}
	if cfg == "" || other == "" {
		t.Fatal("bad test: no configuration with a primary_ip, or no portal of another organization")
	}
	calls := 0
	s := serve.New(serve.Options{Root: dir, Portal: other, Render: pageRender(&calls), Today: func() time.Time { return today }})
	ctx := context.Background()
	if res, _ := s.Rebuild(ctx); res.Problems != nil {
		t.Fatalf("first build: %v", res.Problems)
	}
	setIP(t, cfg, "not-an-ip")
	before := calls
	res, _ := s.Rebuild(ctx)
	if res.Problems != nil || calls != before+1 {
		t.Errorf("portal %s with an error in %s: problems %v, %d renders; want none and 1", other, broken, res.Problems, calls-before)
	}
	s = serve.New(serve.Options{Root: dir, Portal: "internal", Render: pageRender(&calls), Today: func() time.Time { return today }})
	if res, _ := s.Rebuild(ctx); len(res.Problems) == 0 {
		t.Errorf("portal internal: no problems, want the error in %s, which it sees", broken)
	}
}
