package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/internal/testtool"
)

// TestCollabSuggestContact: a copy of the demo in a bare remote, cairn
// collab behind a stand-in for oauth2-proxy that signs Ferrum's Marcus
// Webb in through X-Forwarded-Email, and a fake GitHub. Headless Chromium
// opens a workstation, picks another contact, sends the suggestion and
// sees the pull request's link; the remote's new branch changes exactly
// one line, authored as Marcus.
func TestCollabSuggestContact(t *testing.T) {
	testtool.Chromium(t)
	const (
		user = "marcus.webb@ferrum-precision.example"
		item = "ferrum/configurations/fr-qc-pc01"
	)

	// The fake forge.
	var mu sync.Mutex
	var prs []map[string]string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/repos/northwind/docs/pulls" || r.Header.Get("Authorization") != "Bearer e2e-token" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			t.Errorf("forge: unexpected %s %s", r.Method, r.URL.Path)
			return
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		prs = append(prs, body)
		n := len(prs)
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"number":%d,"html_url":"https://forge.example/northwind/docs/pull/%d"}`, n, n)
	}))
	defer fake.Close()

	// The demo, committed and pushed to a bare remote, with the fake forge
	// in cairn.toml.
	site := copyDemo(t)
	cfg, err := os.ReadFile(filepath.Join(site, "cairn.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, fmt.Sprintf("forge = \"github\"\nforge_api = %q\nrepo = \"northwind/docs\"\n", fake.URL)...)
	if err := os.WriteFile(filepath.Join(site, "cairn.toml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	remote := pushToBare(t, site)

	// cairn collab, trusting only the proxy's address for the header.
	port := freePort(t)
	cmd := exec.Command(cairn(t), "-C", site, "collab", "--remote", remote, "--state", t.TempDir(),
		"--port", fmt.Sprint(port), "--trusted-proxy", "127.0.0.1")
	cmd.Env = append(os.Environ(), "CAIRN_FORGE_TOKEN=e2e-token")
	backend, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", port))
	srv := startServer(t, "cairn collab", cmd, backend.String()+"/static/collab.css")

	// The sign-in proxy: whatever the browser sends, the header is the
	// proxy's.
	rp := httputil.NewSingleHostReverseProxy(backend)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("X-Forwarded-Email")
		r.Header.Set("X-Forwarded-Email", user)
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	ctx := browser(t)
	step(t, ctx, "open the workstation's form",
		chromedp.Navigate(proxy.URL+"/item/"+item),
		chromedp.WaitVisible(`select[name="f.contact"]`),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll("input[name='f.serial_number'], select[name='f.location']").length`); n != 0 {
		t.Errorf("fields outside Marcus's rights are editable (%d inputs)", n)
	}
	step(t, ctx, "pick another contact and send",
		chromedp.SetValue(`select[name="f.contact"]`, "contacts/ana-souza"),
		chromedp.Click(`button[value="send"]`),
		chromedp.WaitVisible(`a.pr`),
	)
	link := eval[string](t, ctx, `document.querySelector("a.pr").href`)
	if link != "https://forge.example/northwind/docs/pull/1" {
		t.Errorf("pull request link %q", link)
	}
	screenshot(t, ctx, "collab-sent.png")

	mu.Lock()
	if len(prs) != 1 || !strings.Contains(prs[0]["body"], "- Primary contact\n") || prs[0]["base"] != "main" {
		t.Errorf("pull requests opened: %q", prs)
	}
	head := ""
	if len(prs) == 1 {
		head = prs[0]["head"]
	}
	mu.Unlock()

	// The remote's branch changes exactly one line.
	r, err := git.PlainOpen(remote)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName(head), true)
	if err != nil {
		t.Fatalf("branch %q: %v", head, err)
	}
	c, _ := r.CommitObject(ref.Hash())
	mainRef, _ := r.Reference(plumbing.NewBranchReferenceName("main"), true)
	m, _ := r.CommitObject(mainRef.Hash())
	if c.Author.Email != user || c.Author.Name != "Marcus Webb" || len(c.ParentHashes) != 1 || c.ParentHashes[0] != m.Hash {
		t.Errorf("commit by %s <%s>, parents %v", c.Author.Name, c.Author.Email, c.ParentHashes)
	}
	patch, err := m.Patch(c)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, line := range strings.Split(patch.String(), "\n") {
		if (strings.HasPrefix(line, "-") || strings.HasPrefix(line, "+")) && !strings.HasPrefix(line, "---") && !strings.HasPrefix(line, "+++") {
			changed = append(changed, line)
		}
	}
	want := []string{`-contact = "contacts/carlos-mendez"`, `+contact = "contacts/ana-souza"`}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") {
		t.Errorf("the branch changes:\n%s\nwant exactly:\n%s", strings.Join(changed, "\n"), strings.Join(want, "\n"))
	}
	if fs := patch.FilePatches(); len(fs) != 1 {
		t.Errorf("%d files changed, want 1", len(fs))
	}

	// Ctrl-C stops it cleanly.
	srv.stop(t, 30*time.Second)
}

// pushToBare commits every file of dir into a new repository and pushes
// it as main to a new bare repository, whose path it returns.
func pushToBare(t *testing.T, dir string) string {
	t.Helper()
	testtool.Find(t, "git", "git-receive-pack")
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Demo", Email: "demo@example.com", When: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	h, err := wt.Commit("The demo", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(t.TempDir(), "docs.git")
	if _, err := git.PlainInit(remote, true); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", h)); err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{"refs/heads/main:refs/heads/main"}}); err != nil {
		t.Fatal(err)
	}
	return remote
}
