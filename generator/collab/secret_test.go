package collab_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/secrets"
)

// TestAddPassword adds a password item: the value reaches the remote only
// inside the SOPS file (which decrypts to it with the org's key), and
// appears nowhere else: not in the TOML, the page, the log, the pull
// request, the server's state folder or clone.
func TestAddPassword(t *testing.T) {
	const canary = "canary-Pa55-7f3a9"
	f := newFixture(t, nil)
	const u = "/new/acme/passwords"
	v := f.form(u, cee)
	v.Set("slug", "wifi-guest")
	v.Set("f.name", "Guest Wi-Fi")
	v.Set("s.password", canary)
	w := f.do("POST", u, cee, v)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", w.Code, strings.ReplaceAll(w.Body.String(), canary, "<canary>"))
	}
	if strings.Contains(w.Body.String(), canary) {
		t.Error("canary found in the page")
	}
	if strings.Contains(f.log.String(), canary) {
		t.Error("canary found in the log")
	}
	for _, pr := range f.forge.opened() {
		if strings.Contains(pr["body"]+pr["title"], canary) {
			t.Error("canary found in the pull request")
		}
		if !strings.Contains(pr["body"], "a secret (encrypted with SOPS)") {
			t.Errorf("the pull request does not say a secret was added:\n%s", pr["body"])
		}
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	c, _ := f.branchCommit(b[0])
	tree, _ := c.Tree()
	var sops []byte
	_ = tree.Files().ForEach(func(fl *object.File) error {
		s, _ := fl.Contents()
		if strings.Contains(s, canary) {
			t.Errorf("canary found in %s", fl.Name)
		}
		if fl.Name == "content/acme/passwords/wifi-guest.sops.yaml" {
			sops = []byte(s)
		}
		return nil
	})
	if sops == nil {
		t.Fatal("no secrets file on the branch")
	}
	// The file decrypts to the value with the organization's key.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content/acme/passwords"), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, ".sops.yaml"), nil, 0o644)
	if err := os.WriteFile(filepath.Join(dir, "content/acme/passwords/wifi-guest.sops.yaml"), sops, 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := secrets.ParseKeys(f.keyTxt)
	if err != nil {
		t.Fatal(err)
	}
	file, err := (&secrets.Store{Root: dir, Keys: keys}).Open("content/acme/passwords/wifi-guest.sops.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := file.Get("password"); got != canary {
		t.Error("the secrets file does not decrypt to the value typed")
	}
	// Nothing in the server's state folder or its clone's files and
	// objects holds the value in plain text.
	noCanaryIn(t, canary, f.opts.StateDir, f.opts.Repo.Dir())
}

// TestSecretNotEchoed fails a password item on check (a bad URL) and
// checks that the form shown again does not hold the typed value, and
// nothing was committed.
func TestSecretNotEchoed(t *testing.T) {
	const canary = "canary-echo-31337"
	f := newFixture(t, nil)
	const u = "/new/acme/passwords"
	v := f.form(u, cee)
	v.Set("slug", "bad")
	v.Set("f.name", "Bad")
	v.Set("f.url", "not a url")
	v.Set("s.password", canary)
	w := f.do("POST", u, cee, v)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d\n%s", w.Code, strings.ReplaceAll(w.Body.String(), canary, "<canary>"))
	}
	if strings.Contains(w.Body.String(), canary) {
		t.Error("canary found in the page")
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches %q", b)
	}
	noCanaryIn(t, canary, f.opts.StateDir, f.opts.Repo.Dir())
}

// noCanaryIn fails the test when a file below one of the folders holds
// the canary; the message names the file, never the value.
func noCanaryIn(t *testing.T, canary string, roots ...string) {
	t.Helper()
	for _, root := range roots {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && info.Mode().IsRegular() {
				if data, _ := os.ReadFile(p); strings.Contains(string(data), canary) {
					t.Errorf("canary found in %s", p)
				}
			}
			return nil
		})
	}
}
