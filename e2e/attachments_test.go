package e2e

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-it/cairn/internal/testtool"
	"github.com/chromedp/chromedp"
)

// attackScript reads what a script of the portal's origin can reach (the
// storages, where sealed.js kept its key until it stopped) and sends it
// to /exfil, then marks the document.
const attackScript = `fetch("/exfil?from=" + encodeURIComponent(location.pathname) + "&k=" + encodeURIComponent(JSON.stringify([Object.assign({}, sessionStorage), Object.assign({}, localStorage), document.cookie])));
document.title = "PWNED";`

// hostileAttachments are files a pull request may add under files/: each
// runs attackScript when a browser renders it as a document of the
// portal's origin.
var hostileAttachments = map[string]string{
	"attack.html":  "<!doctype html><html><head><title>x</title></head><body><script>" + attackScript + "</script></body></html>",
	"attack.htm":   "<html><body><img src=x onerror='" + strings.ReplaceAll(attackScript, `"`, "&quot;") + "'></body></html>",
	"attack.svg":   `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script><![CDATA[` + attackScript + `]]></script><rect width="10" height="10"/></svg>`,
	"attack.xml":   `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>` + strings.ReplaceAll(attackScript, "&", "&amp;") + `</script></body></html>`,
	"attack.xhtml": `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>` + strings.ReplaceAll(attackScript, "&", "&amp;") + `</script></body></html>`,
	"attack.js":    attackScript,
	"attack.dat":   "<html><body><script>" + attackScript + "</script></body></html>", // sniffed as HTML by Go's file server
	"README":       "<html><body><script>" + attackScript + "</script></body></html>",
	"notes.txt":    "<html><body><script>" + attackScript + "</script></body></html>",
	"plan #2?.pdf": "%PDF-1.4 not really a PDF\n",
}

// TestAttachmentsCannotRunScript builds the demo with hostile attachments
// linked from a document of the sealed internal portal, serves it with
// Go's file server (which sniffs types it does not know, as careless
// hosts do), unlocks a sealed secret, then opens every attachment link:
// no attachment may run script, the original names are not published,
// and the key is nowhere a script could find it.
func TestAttachmentsCannotRunScript(t *testing.T) {
	testtool.Chromium(t)
	site := copyDemo(t)
	var links strings.Builder
	links.WriteString("+++\ntitle = \"Hostile attachments\"\n+++\n\n")
	dir := filepath.Join(site, "content", "northwind", "files")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range hostileAttachments {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		links.WriteString("- [" + strings.NewReplacer("#", "", "?", "").Replace(name) + "](../files/" + (&url.URL{Path: name}).EscapedPath() + ")\n")
	}
	links.WriteString("\n![diagram](../files/attack.svg)\n")
	if err := os.WriteFile(filepath.Join(site, "content", "northwind", "documents", "hostile.md"), []byte(links.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command(cairn(t), "build", "--no-runbooks", "--portal", "internal", "--output", out)
	cmd.Dir = site
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cairn build: %v\n%s", err, b)
	}
	portal := filepath.Join(out, "internal")

	var mu sync.Mutex
	var stolen []string
	files := http.FileServer(http.Dir(portal))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/exfil" {
			mu.Lock()
			stolen = append(stolen, r.URL.Query().Get("from"))
			mu.Unlock()
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := browser(t)

	// Unlock a sealed secret first, so a key would be there to steal.
	sealedPage := findSealedPage(t, portal)
	passphrase, err := os.ReadFile(filepath.Join(site, "demo", "keys", "DEMO-portal-passphrase.txt"))
	if err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "unlock a sealed secret",
		chromedp.Navigate(srv.URL+"/"+sealedPage),
		chromedp.WaitVisible("span.secret[data-sealed] + button.secret-show"),
		chromedp.Click("span.secret[data-sealed] + button.secret-show"),
		chromedp.WaitVisible("dialog.seal-dialog input.seal-passphrase"),
		chromedp.SendKeys("dialog.seal-dialog input.seal-passphrase", strings.TrimSpace(string(passphrase))),
		chromedp.Click("dialog.seal-dialog button.seal-unlock"),
	)
	waitFor(t, ctx, "the secret shown", `document.querySelector("span.secret.secret-shown")`, 30*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("span.secret.secret-shown").textContent`); got == "" || got == "stored encrypted" {
		t.Fatalf("the sealed value did not appear: %q", got)
	}
	if n := eval[int](t, ctx, `sessionStorage.length + localStorage.length`); n != 0 {
		t.Errorf("after unlocking, the origin's storage holds %d entries", n)
	}

	// The document's links, as the reader would follow them.
	step(t, ctx, "open the document", chromedp.Navigate(srv.URL+"/northwind/documents/hostile/index.html"), chromedp.WaitReady("main"))
	hrefs := eval[[]string](t, ctx, `Array.from(new Set(Array.from(document.querySelectorAll('main a[href*="files/"]')).map(function(a){return a.href})))`)
	if n := eval[int](t, ctx, `document.querySelectorAll('a[download="attack.html"][href$="attack.html.txt"]').length`); n == 0 {
		t.Error(`the attachment list does not offer attack.html for download under its own name`)
	}
	if len(hrefs) != len(hostileAttachments) {
		t.Fatalf("the document links to %d attachments, want %d: %q", len(hrefs), len(hostileAttachments), hrefs)
	}
	for _, h := range hrefs {
		step(t, ctx, "open "+h, chromedp.Navigate(h))
		time.Sleep(300 * time.Millisecond)
		ct := eval[string](t, ctx, `document.contentType`)
		title := eval[string](t, ctx, `document.title`)
		if title == "PWNED" || (ct != "text/plain" && ct != "application/pdf") {
			t.Errorf("%s opened as %s (title %q): an attachment may only open as text or as a PDF", h, ct, title)
		}
		// The link reaches the file written, whatever its name holds.
		resp, err := http.Get(h)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		found := false
		for _, src := range hostileAttachments {
			found = found || bytes.Equal(body, []byte(src))
		}
		if resp.StatusCode != 200 || !found {
			t.Errorf("GET %s: %d, %d bytes that are no attachment's", h, resp.StatusCode, len(body))
		}
	}
	// The active types are not published under their own names.
	for name := range hostileAttachments {
		if strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".pdf") {
			continue
		}
		u := srv.URL + "/northwind/files/" + (&url.URL{Path: name}).EscapedPath()
		step(t, ctx, "open "+u, chromedp.Navigate(u))
		time.Sleep(200 * time.Millisecond)
		if title := eval[string](t, ctx, `document.title`); title == "PWNED" {
			t.Errorf("%s ran its script", u)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stolen) > 0 {
		t.Errorf("attachments ran script in the portal's origin and sent %d requests, from %q", len(stolen), stolen)
	}
}

// findSealedPage returns the path of a page of the portal that carries a
// sealed secret.
func findSealedPage(t *testing.T, portal string) string {
	t.Helper()
	var found string
	err := filepath.WalkDir(portal, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("data-sealed=")) {
			found, _ = filepath.Rel(portal, p)
			found = filepath.ToSlash(found)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == "" {
		t.Fatal("the internal portal has no page with a sealed secret")
	}
	return found
}
