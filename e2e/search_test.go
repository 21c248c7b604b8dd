package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cairn-it/cairn/generator/urls"
	"github.com/cairn-it/cairn/internal/testtool"
)

// buildDemo builds every portal of the demo with the cairn binary and
// returns the output folder.
func buildDemo(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	out := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command(cairn(t), "build", "--output", out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cairn build: %v\n%s", err, b)
	}
	return out
}

// TestSearchFindsIP: in the internal portal, typing a configuration's IP
// address into the search box lists that configuration; the arrow keys
// move through the results and Enter opens the selected one, whose page
// shows the address.
func TestSearchFindsIP(t *testing.T) {
	testtool.Chromium(t)
	it, ip := demoConfiguration(t, repoRoot(t))
	portal := filepath.Join(buildDemo(t), "internal")
	srv := httptest.NewServer(http.FileServer(http.Dir(portal)))
	defer srv.Close()
	ctx := browser(t)

	step(t, ctx, "open the portal home",
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitReady("#search"),
	)
	// "/" focuses the search box from anywhere on the page.
	step(t, ctx, "press /", chromedp.KeyEvent("/"))
	if id := eval[string](t, ctx, `document.activeElement && document.activeElement.id`); id != "search" {
		t.Fatalf(`after "/", the focus is on %q, want the search box`, id)
	}
	if v := eval[string](t, ctx, `document.getElementById("search").value`); v != "" {
		t.Errorf(`"/" was typed into the box: %q`, v)
	}

	// First results from an empty cache: index load + parse + query,
	// measured in the page. Reported, not asserted.
	first := eval[float64](t, ctx, `new Promise(function (done) {
		var input = document.getElementById("search"), box = document.getElementById("search-results");
		var t0 = performance.now();
		input.value = `+jsString(ip)+`;
		input.dispatchEvent(new Event("input"));
		(function wait() {
			if (!box.hidden && box.querySelector(".search-result")) done(performance.now() - t0);
			else requestAnimationFrame(wait);
		})();
	})`)
	t.Logf("first results for %q: %.1f ms (index load %s ms, query %s ms)", ip, first,
		eval[string](t, ctx, `document.getElementById("search-results").dataset.loadMs`),
		eval[string](t, ctx, `document.getElementById("search-results").dataset.queryMs`))

	// Now as a user: clear, type the address key by key.
	step(t, ctx, "type the IP",
		chromedp.Evaluate[chromedp.Void](`var s=document.getElementById("search"); s.value=""; s.dispatchEvent(new Event("input")); s.focus();`),
		chromedp.KeyEvent(ip),
		chromedp.WaitVisible("#search-results .search-result"),
	)
	t.Logf("query %q: %s ms in search.js", ip, eval[string](t, ctx, `document.getElementById("search-results").dataset.queryMs`))
	titles := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#search-results .search-result-title")).map(function(e){return e.textContent})`)
	k := -1
	for i, title := range titles {
		if title == it.Title {
			k = i
			break
		}
	}
	if k < 0 {
		t.Fatalf("results for %q = %q, want %q among them", ip, titles, it.Title)
	}
	meta := eval[string](t, ctx, `document.querySelectorAll("#search-results .search-result-meta")[`+fmt.Sprint(k)+`].textContent`)
	if !strings.Contains(meta, "Configuration") {
		t.Errorf("the result's type and org = %q, want a Configuration", meta)
	}
	if marked := eval[string](t, ctx, `(document.querySelector("#search-results .search-result mark")||{}).textContent||""`); !strings.Contains(ip, marked) || marked == "" {
		t.Errorf("the match is not highlighted: mark = %q", marked)
	}
	screenshot(t, ctx, "search-results.png")

	// The arrow keys move the selection to the configuration (wrapping
	// round from the top with ArrowUp); Enter opens it.
	if len(titles) > 1 {
		step(t, ctx, "arrow up", chromedp.KeyEvent(kb.ArrowUp))
		if sel := selected(t, ctx); sel != titles[len(titles)-1] {
			t.Errorf("after ArrowUp the selection is %q, want the last, %q", sel, titles[len(titles)-1])
		}
		step(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	}
	for i := 0; i < k; i++ {
		step(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	}
	if sel := selected(t, ctx); sel != it.Title {
		t.Fatalf("selected %q, want %q", sel, it.Title)
	}
	step(t, ctx, "press Enter", chromedp.KeyEvent(kb.Enter))
	// http.FileServer redirects .../index.html to .../
	itemDir := "/" + strings.TrimSuffix(urls.Item(it), "index.html")
	waitFor(t, ctx, "the item page", `location.pathname.replace(/index\.html$/, "").endsWith(`+jsString(itemDir)+`) && document.readyState === "complete"`, 20*time.Second)
	if body := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(body, ip) {
		t.Errorf("the item page does not show %s", ip)
	}
	screenshot(t, ctx, "search-item.png")

	// Escape closes the results.
	step(t, ctx, "search again",
		chromedp.KeyEvent("/"),
		chromedp.KeyEvent(strings.Fields(it.Title)[0]),
		chromedp.WaitVisible("#search-results .search-result"),
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible("#search-results"),
	)
}

// TestSearchFromDisk: a portal opened from disk (file://) searches too:
// the index is a script, not a fetch.
func TestSearchFromDisk(t *testing.T) {
	testtool.Chromium(t)
	it, ip := demoConfiguration(t, repoRoot(t))
	portal := filepath.Join(buildDemo(t), "internal")
	ctx := browser(t)
	step(t, ctx, "search from disk",
		chromedp.Navigate("file://"+filepath.Join(portal, urls.Org(it.Org))),
		chromedp.WaitReady("#search"),
		chromedp.Focus("#search"),
		chromedp.KeyEvent(ip),
		chromedp.WaitVisible("#search-results .search-result"),
	)
	hrefs := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#search-results .search-result a")).map(function(a){return a.href})`)
	want := "file://" + filepath.Join(portal, urls.Item(it))
	found := false
	for _, h := range hrefs {
		found = found || h == want
	}
	if !found {
		t.Errorf("results link to %q, want %s among them", hrefs, want)
	}
}

func selected(t *testing.T, ctx context.Context) string {
	return eval[string](t, ctx, `(document.querySelector('#search-results [aria-selected="true"] .search-result-title')||{}).textContent||""`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}
