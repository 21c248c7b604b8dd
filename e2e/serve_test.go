package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/generator/urls"
	"github.com/cairn-it/cairn/internal/testtool"
)

// copyDemo copies the demo site (the repository's site files, with the
// demo keys and .sops.yaml) into a temporary folder.
func copyDemo(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	dst := t.TempDir()
	for _, name := range []string{"cairn.toml", "access.toml", ".sops.yaml", ".cairn", "content", "schemas", "checklists", "demo"} {
		src := filepath.Join(root, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if out, err := exec.Command("cp", "-R", src, dst).CombinedOutput(); err != nil {
			t.Fatalf("copying %s: %v\n%s", name, err, out)
		}
	}
	return dst
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// editIP rewrites the primary_ip line of a TOML file.
func editIP(t *testing.T, file, value string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^primary_ip = .*$`)
	if !re.Match(b) {
		t.Fatalf("%s has no primary_ip line", file)
	}
	if err := os.WriteFile(file, re.ReplaceAll(b, []byte("primary_ip = "+fmt.Sprintf("%q", value))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeLiveReload: cairn serve on a copy of the demo; an open item
// page reloads and shows a changed value after its TOML file is edited;
// a check error shows the overlay naming the file and line, and fixing it
// clears the overlay. Ctrl-C stops the server with status 0.
func TestServeLiveReload(t *testing.T) {
	testtool.Chromium(t)
	site := copyDemo(t)
	it, ip := demoConfiguration(t, site)
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	srv := startServer(t, "cairn serve", exec.Command(cairn(t), "-C", site, "serve", "--port", fmt.Sprint(port)), base)

	ctx := browser(t)
	page := base + urls.Item(it)
	step(t, ctx, "open the item page",
		chromedp.Navigate(page),
		chromedp.WaitReady("main"),
	)
	if body := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(body, ip) {
		t.Fatalf("the item page does not show %s", ip)
	}
	// Mark this document: a reload replaces it, and the mark is gone.
	step(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true`))

	file := filepath.Join(site, filepath.FromSlash(it.File))
	const newIP = "192.0.2.231"
	start := time.Now()
	editIP(t, file, newIP)
	waitFor(t, ctx, "the reload with the new value",
		`!window.__notReloaded && document.readyState === "complete" && document.querySelector("main") && document.querySelector("main").innerText.includes("`+newIP+`")`,
		30*time.Second)
	t.Logf("edit to reloaded page showing the new value: %s (polled every 20 ms)", time.Since(start).Round(time.Millisecond))

	// A check error: the overlay lists it as file:line:col: message.
	editIP(t, file, "not-an-ip-address")
	waitFor(t, ctx, "the overlay", `document.getElementById("cairn-problems")`, 30*time.Second)
	text := eval[string](t, ctx, `document.getElementById("cairn-problems").innerText`)
	if want := it.File + ":"; !strings.Contains(text, want) || !strings.Contains(text, "primary_ip") {
		t.Errorf("overlay = %q, want it to name %s and primary_ip", text, want)
	}
	if !regexp.MustCompile(regexp.QuoteMeta(it.File) + `:\d+:\d+: `).MatchString(text) {
		t.Errorf("overlay = %q, want file:line:col: message", text)
	}
	screenshot(t, ctx, "serve-overlay.png")

	editIP(t, file, ip)
	waitFor(t, ctx, "the fix to clear the overlay",
		`!document.getElementById("cairn-problems") && document.readyState === "complete" && document.querySelector("main").innerText.includes("`+ip+`")`,
		30*time.Second)

	// Ctrl-C stops it cleanly.
	srv.stop(t, 10*time.Second)
	if !strings.Contains(srv.logs.String(), "cairn serve: stopped") {
		t.Errorf("no clean stop message in:\n%s", srv.logs.String())
	}
}
