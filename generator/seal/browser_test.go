package seal

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/internal/testtool"
	"github.com/cairn-it/cairn/themes"
)

// outDir is where screenshots go: $CAIRN_TEST_OUT, else a temp folder.
func outDir(t *testing.T) string {
	if d := os.Getenv("CAIRN_TEST_OUT"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

// TestSealedJS decrypts a value sealed in Go with the theme's sealed.js in
// headless Chromium: the right passphrase shows it, a wrong one shows a
// message and nothing else. It runs the real 600,000 PBKDF2 rounds.
func TestSealedJS(t *testing.T) {
	chromium := testtool.Chromium(t)
	key, err := NewKey("Test site", "internal", pass, testSalt)
	if err != nil {
		t.Fatal(err)
	}
	const secret = `Pa$$w0rd <b>&"'`
	sealed := key.SealValue("acme/passwords/da", "password", secret)
	otherField := key.SealValue("acme/passwords/da", "otp_secret", "JBSWY3DPEHPK3PXP")
	js, err := fs.ReadFile(themes.Default, "default/static/sealed.js")
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="%s"><script src="sealed.js" defer></script></head><body>
<dl><dt>Password</dt><dd><span class="secret" id="pw" data-field="password" data-sealed="%s">stored encrypted</span></dd>
<dt>OTP</dt><dd><span class="secret" id="otp" data-field="otp_secret" data-sealed="%s">stored encrypted</span></dd></dl></body></html>`,
		html.EscapeString(portal.ContentSecurityPolicy), html.EscapeString(sealed), html.EscapeString(otherField))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sealed.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(js)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		}
	}))
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(900, 600))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	step("open the page", chromedp.Navigate(srv.URL+"/item.html"), chromedp.WaitVisible("#pw + button.secret-show"))

	// A wrong passphrase: a clear message, nothing shown.
	step("wrong passphrase",
		chromedp.Click("#pw + button.secret-show"),
		chromedp.WaitVisible("dialog.seal-dialog input.seal-passphrase"),
		chromedp.SendKeys("dialog.seal-dialog input.seal-passphrase", "not the passphrase"),
		chromedp.Click("dialog.seal-dialog button.seal-unlock"),
		chromedp.Poll[chromedp.Void](`document.querySelector("dialog.seal-dialog .seal-error").textContent === "Wrong passphrase: nothing was decrypted."`),
	)
	if got := text("#pw"); got != "stored encrypted" {
		t.Errorf("after a wrong passphrase the field shows %q", got)
	}

	// The right one: the value appears, as text.
	step("right passphrase",
		chromedp.SendKeys("dialog.seal-dialog input.seal-passphrase", pass),
		chromedp.Click("dialog.seal-dialog button.seal-unlock"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#pw").classList.contains("secret-shown")`),
	)
	if got := text("#pw"); got != secret {
		t.Errorf("shown %q, want %q", got, secret)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#pw b").length`)); n != 0 {
		t.Error("the value was inserted as HTML")
	}
	// The key is remembered: the second field opens without asking.
	step("second field",
		chromedp.Click("#otp + button.secret-show"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#otp").classList.contains("secret-shown")`),
	)
	if got := text("#otp"); got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("second field shows %q", got)
	}
	if open, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("dialog.seal-dialog").open`)); open {
		t.Error("the passphrase was asked for again")
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		os.WriteFile(filepath.Join(outDir(t), "sealed-shown.png"), png, 0o644)
	}
	// Hide restores the placeholder.
	step("hide", chromedp.Click("#pw + button.secret-show"))
	if got := text("#pw"); got != "stored encrypted" {
		t.Errorf("after Hide the field shows %q", got)
	}

	// The key lives in the page only: no storage holds anything, and the
	// next page asks for the passphrase again.
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`sessionStorage.length + localStorage.length + document.cookie.length`)); n != 0 {
		t.Errorf("after unlocking, the origin's storage holds %d entries", n)
	}
	dbs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`indexedDB.databases().then(function (d) { return d.length; })`, chromedp.EvalAwaitPromise))
	if err != nil || dbs != 0 {
		t.Errorf("after unlocking, IndexedDB holds %d databases (%v)", dbs, err)
	}
	step("reload", chromedp.Navigate(srv.URL+"/other.html"), chromedp.WaitVisible("#pw + button.secret-show"),
		chromedp.Click("#pw + button.secret-show"),
		chromedp.WaitVisible("dialog.seal-dialog input.seal-passphrase"))
	if got := text("#pw"); got != "stored encrypted" {
		t.Errorf("another page showed the value without the passphrase: %q", got)
	}
}

// TestSealedJSForgetsStoredKeys: a key an earlier sealed.js left in
// sessionStorage is removed when a page loads, and not used.
func TestSealedJSForgetsStoredKeys(t *testing.T) {
	chromium := testtool.Chromium(t)
	js, err := fs.ReadFile(themes.Default, "default/static/sealed.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sealed.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(js)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><meta charset="utf-8"><script src="sealed.js" defer></script></head><body><span class="secret" data-field="password" data-sealed="v1.1.AA.AAAAAAAAAAAAAAAA.AA">x</span></body></html>`))
	}))
	defer srv.Close()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	c, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(c, chromedp.Navigate(srv.URL+"/a.html"),
		chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem("cairn-seal:1.AA", "a2V5"); sessionStorage.setItem("other", "kept")`),
		chromedp.Navigate(srv.URL+"/b.html"), chromedp.WaitVisible("span.secret + button.secret-show")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(c, chromedp.Evaluate[string](`JSON.stringify([sessionStorage.getItem("cairn-seal:1.AA"), sessionStorage.getItem("other")])`))
	if err != nil || got != `[null,"kept"]` {
		t.Errorf("sessionStorage after load = %s (%v), want the old key gone and the rest kept", got, err)
	}
}
