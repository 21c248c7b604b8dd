package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
)

// repoRoot is the repository root: the demo site and the cairn command.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// cairnBin is the cairn command, built once for the package's tests.
var cairnBin = &testtool.Binary{Pkg: "./cmd/cairn", Dir: ".."}

// TestMain runs the tests, then removes the cairn binary they built.
func TestMain(m *testing.M) {
	code := m.Run()
	cairnBin.Cleanup()
	os.Exit(code)
}

func cairn(t testing.TB) string {
	t.Helper()
	return cairnBin.Path(t)
}

// outDir is where screenshots go: $CAIRN_TEST_OUT, else a temp folder.
func outDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("CAIRN_TEST_OUT"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// browser starts headless Chromium with a fresh profile and returns a tab.
func browser(t testing.TB) context.Context {
	t.Helper()
	chromium := testtool.Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// file:// pages may load scripts beside them (the search index).
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser without a deadline: it lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return ctx
}

// step runs actions with a deadline, failing the test with what.
func step(t testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates JavaScript (awaiting a promise) and returns its value.
func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// demoConfiguration returns a configuration of the demo that the internal
// portal shows and that has a primary IP address, so the tests follow the
// demo as it changes.
func demoConfiguration(t testing.TB, root string) (*model.Item, string) {
	t.Helper()
	res, err := site.Open(context.Background(), root, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range res.Site.Items {
		if it.Type != "configurations" || it.Archived {
			continue
		}
		if v := it.Value("primary_ip"); v != nil && v.Str != "" {
			return it, v.Str
		}
	}
	t.Fatal("the demo has no configuration with a primary_ip")
	return nil, ""
}

func screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(outDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	return p
}

// waitFor polls a JavaScript condition until it holds, across page loads
// (a poll inside the page dies when the page reloads).
func waitFor(t testing.TB, ctx context.Context, what, js string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool]("!!("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s (last error: %v)", what, timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// server is a cairn command serving HTTP (serve, collab), started by
// startServer for one test.
type server struct {
	name    string
	cmd     *exec.Cmd
	logs    *bytes.Buffer
	exited  chan error
	stopped bool
}

// startServer starts cmd, a cairn command named name, and waits up to a
// minute for ready (a URL) to answer. When the test ends the command is
// killed unless stop stopped it, and its output is logged if the test
// failed.
func startServer(t *testing.T, name string, cmd *exec.Cmd, ready string) *server {
	t.Helper()
	s := &server{name: name, cmd: cmd, logs: &bytes.Buffer{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if !s.stopped {
			_ = cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, s.logs.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(ready)
		if err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer on %s: %v", name, ready, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends the command Ctrl-C and fails the test unless it exits with
// status 0 within the given time.
func (s *server) stop(t *testing.T, within time.Duration) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.stopped = true
		if err != nil {
			t.Errorf("%s after Ctrl-C: %v", s.name, err)
		}
	case <-time.After(within):
		t.Errorf("%s did not stop within %s of Ctrl-C", s.name, within)
	}
}

// buildSite writes files into a new site folder and builds every portal
// of it with the cairn binary, without runbooks, as of 2026-11-23; it
// returns the output folder.
func buildSite(t *testing.T, files map[string]string) string {
	t.Helper()
	site := t.TempDir()
	if err := testsite.WriteFiles(site, files); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command(cairn(t), "build", "--no-runbooks", "--output", out, "--today", "2026-11-23")
	cmd.Dir = site
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cairn build: %v\n%s", err, b)
	}
	return out
}
