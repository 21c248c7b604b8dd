package collab_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/internal/testtool"
)

// demoFiles reads the repository's demo site.
func demoFiles(t *testing.T) map[string]string {
	t.Helper()
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		testtool.Skip(t, "no demo content in %s", root)
	}
	files := map[string]string{}
	for _, name := range []string{"cairn.toml", "access.toml", ".sops.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	for _, dir := range []string{"content", "checklists"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	flex, _ := filepath.Glob(filepath.Join(root, "schemas", "*.toml"))
	for _, p := range flex {
		b, _ := os.ReadFile(p)
		files["schemas/"+filepath.Base(p)] = string(b)
	}
	return files
}

var taskRe = regexp.MustCompile(`name="(t\.\d+)" value="1">([^<]*)<small>(\w+)</small>`)

// TestDemoUsers signs each demo user in turn and tries what they may and
// may not do: only Ferrum's Marcus changes device contacts, onboarding
// requests and his own tasks; only Bright Smile's Karen adds passwords;
// everything else is refused and the remote gets exactly the allowed
// branches, each a pull request.
func TestDemoUsers(t *testing.T) {
	f := newFixtureFrom(t, demoFiles(t), nil)
	const (
		marcus = "marcus.webb@ferrum-precision.example"
		karen  = "karen.li@brightsmile.example"
		ws     = "/item/ferrum/configurations/fr-qc-pc01"
		onb    = "/item/ferrum/assets/onboarding/ana-souza"
		list   = "/item/ferrum/checklists/onboarding-ana-souza"
	)
	everyone := []string{"priya.nair@northwind-it.example", "dana.kim@northwind-it.example", "sam.okafor@northwind-it.example",
		"lena.fischer@northwind-it.example", karen, marcus, "ines.garcia@harlowpike.example"}
	for _, u := range everyone {
		if w := f.do("GET", "/", u, nil); w.Code != http.StatusOK {
			t.Errorf("%s: start page %d", u, w.Code)
		}
		if u == marcus {
			continue
		}
		for _, target := range []string{ws, onb, list, "/new/ferrum/assets/onboarding"} {
			if w := f.do("GET", target, u, nil); w.Code != http.StatusForbidden {
				t.Errorf("%s: GET %s: %d, want 403", u, target, w.Code)
			}
		}
	}
	wantBranches := 0
	post := func(who, target string, set url.Values, want int) {
		t.Helper()
		v := url.Values{}
		if w := f.do("GET", target, who, nil); w.Code == http.StatusOK {
			v = f.form(target, who)
		}
		for k, vals := range set {
			v[k] = vals
		}
		w := f.do("POST", target, who, v)
		if w.Code != want {
			t.Errorf("%s: POST %s %v: %d, want %d\n%s", who, target, set, w.Code, want, w.Body)
		}
		if want == http.StatusOK {
			wantBranches++
		}
		if b := f.branches(); len(b) != wantBranches {
			t.Fatalf("after %s %v: %d branches, want %d", target, set, len(b), wantBranches)
		}
	}
	// Marcus: the contact only.
	post(marcus, ws, url.Values{"f.contact": {"contacts/ana-souza"}}, http.StatusOK)
	post(marcus, ws, url.Values{"f.hostname": {"evil"}}, http.StatusForbidden)
	post(marcus, ws, url.Values{"f.contact": {"northwind/contacts/priya-nair"}}, http.StatusForbidden)
	// His onboarding request, every field.
	post(marcus, onb, url.Values{"f.job_title": {"Senior Quality Engineer"}, "f.remote_access": {""}}, http.StatusOK)
	post(marcus, onb, url.Values{"f.start_date": {"2026-02-30"}}, http.StatusUnprocessableEntity)
	// A new onboarding request.
	post(marcus, "/new/ferrum/assets/onboarding", url.Values{"slug": {"lee-chan"}, "f.person": {"Lee Chan"}, "f.start_date": {"2027-01-04"}}, http.StatusOK)
	post(marcus, "/new/ferrum/passwords", url.Values{"slug": {"x"}, "f.name": {"X"}}, http.StatusForbidden)
	// A new contact, with an email row.
	post(marcus, "/new/ferrum/contacts", url.Values{"slug": {"lee-chan"}, "f.first_name": {"Lee"}, "f.last_name": {"Chan"},
		"g.emails.new.value": {"lee.chan@ferrum-precision.example"}, "g.emails.new.label": {"Work"}, "g.emails.new.primary": {"", "true"}}, http.StatusOK)
	post(marcus, "/new/ferrum/contacts", url.Values{"slug": {"lee-chan-2"}, "f.first_name": {"Lee"}, "g.emails.new.value": {"not-an-email"}}, http.StatusUnprocessableEntity)
	post(marcus, "/new/brightsmile/contacts", url.Values{"slug": {"z"}, "f.first_name": {"Z"}}, http.StatusForbidden)
	// His tasks, not Dana's.
	w := f.do("GET", list, marcus, nil)
	var mine, others []string
	for _, m := range taskRe.FindAllStringSubmatch(w.Body.String(), -1) {
		if m[3] == "marcus" {
			mine = append(mine, m[1])
		} else {
			others = append(others, m[1])
		}
	}
	if len(mine) != 2 || len(others) != 0 {
		t.Fatalf("Marcus may tick %q and %q; want his two tasks only", mine, others)
	}
	post(marcus, list, url.Values{mine[0]: {"1"}}, http.StatusOK)
	post(marcus, list, url.Values{"t.0": {"1"}}, http.StatusForbidden)
	// Karen: a password, encrypted.
	const canary = "canary-demo-5e3c2"
	post(karen, "/new/brightsmile/passwords", url.Values{"slug": {"guest-wifi"}, "f.name": {"Guest Wi-Fi"}, "s.password": {canary}}, http.StatusOK)
	post(karen, "/item/brightsmile/passwords/nas-admin", nil, http.StatusForbidden)
	post(karen, "/new/ferrum/passwords", url.Values{"slug": {"y"}, "f.name": {"Y"}}, http.StatusForbidden)

	if n := len(f.forge.opened()); n != wantBranches {
		t.Errorf("%d pull requests, want %d", n, wantBranches)
	}
	// Every branch changes what it should and nothing holds the canary
	// in plain text.
	var contact string
	for _, b := range f.branches() {
		c, p := f.branchCommit(b)
		if file, err := c.File("content/ferrum/contacts/lee-chan.toml"); err == nil {
			contact, _ = file.Contents()
		}
		if strings.Contains(p.String(), canary) || strings.Contains(c.Message, canary) {
			t.Errorf("canary found on branch %s", b)
		}
		files := p.Stats()
		if len(files) == 0 || len(files) > 2 {
			t.Errorf("branch %s changes %d files", b, len(files))
		}
		for _, fs := range files {
			if !strings.HasPrefix(fs.Name, "content/ferrum/") && !strings.HasPrefix(fs.Name, "content/brightsmile/passwords/guest-wifi.") {
				t.Errorf("branch %s changes %s", b, fs.Name)
			}
		}
	}
	const wantContact = "first_name = \"Lee\"\nlast_name = \"Chan\"\n\n[[emails]]\nvalue = \"lee.chan@ferrum-precision.example\"\nlabel = \"Work\"\nprimary = true\n"
	if contact != wantContact {
		t.Errorf("the new contact:\n%s\nwant:\n%s", contact, wantContact)
	}
	if strings.Contains(f.log.String(), canary) {
		t.Error("canary found in the log")
	}
	noCanaryIn(t, canary, f.opts.StateDir, f.opts.Repo.Dir())
}
