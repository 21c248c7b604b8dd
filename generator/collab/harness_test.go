package collab_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/collab"
	"github.com/cairn-it/cairn/generator/collab/forge"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
	"github.com/cairn-it/cairn/themes"
)

// fixture is a site in a bare remote, a collab server on its own clone,
// and a fake GitHub that records the pull requests opened.
type fixture struct {
	t      *testing.T
	remote string
	srv    *collab.Server
	h      http.Handler
	log    *bytes.Buffer
	forge  *fakeForge
	opts   collab.Options
	keyTxt string
}

const ws1 = `# Reception workstation.
name = "ws1"
configuration_type = "Workstation"
contact = "contacts/ana" # who sits there
serial_number = "SN-1"
`

// kitSchema has a field of every kind.
const kitSchema = `name = "Kits"
singular = "Kit"
[[fields]]
name = "title"
kind = "text"
required = true
use_for_title = true
[[fields]]
name = "section"
label = "More"
kind = "header"
[[fields]]
name = "grade"
kind = "select"
options = ["A", "B"]
[[fields]]
name = "bought"
kind = "date"
[[fields]]
name = "spare"
kind = "checkbox"
[[fields]]
name = "count"
kind = "number"
[[fields]]
name = "load"
kind = "percent"
[[fields]]
name = "owner"
kind = "tag"
targets = ["contacts"]
[[fields]]
name = "manual"
kind = "upload"
[[fields]]
name = "site"
kind = "url"
[[fields]]
name = "mail"
kind = "email"
[[fields]]
name = "phone"
kind = "phone"
[[fields]]
name = "ip"
kind = "ip"
[[fields]]
name = "net"
kind = "cidr"
[[fields]]
name = "aliases"
kind = "text"
multiple = true
[[fields]]
name = "details"
kind = "textbox"
[[fields]]
name = "secret"
kind = "password"
[[fields]]
name = "ports"
kind = "group"
multiple = true
[[fields.fields]]
name = "port"
kind = "number"
[[fields.fields]]
name = "label"
kind = "text"
`

const kitItem = `title = "Kit one"
grade = "A"
count = 3 # on the shelf
aliases = ["k-one"]

[[ports]]
port = 1
label = "uplink"
`

func siteFiles(recipient string) map[string]string {
	return map[string]string{
		"cairn.toml": "title = \"Test\"\n",
		"access.toml": `[groups.staff]
orgs = ["*"]

[groups.client]
orgs = ["acme"]
types = ["configurations", "contacts", "passwords", "checklists", "assets/kit"]

[groups.client.edit]
types = ["configurations", "assets/kit"]
create = ["passwords"]
tasks = "assigned"

[groups.client.edit.fields]
configurations = ["contact", "notes_field_absent_is_an_error"]

[[users]]
email = "cee@acme.example"
name = "Cee Client"
role = "readonly"
groups = ["client"]
forge = "@cee"

[[users]]
email = "dee@acme.example"
name = "Dee Client"
role = "readonly"
groups = ["client"]

[[users]]
email = "tech@msp.example"
name = "Tech"
role = "editor"
groups = ["staff"]

[portals.client]
groups = ["client"]
`,
		".sops.yaml":                            "creation_rules:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: " + recipient + "\n",
		"content/acme/org.toml":                 "name = \"Acme\"\nkind = \"client\"\n",
		"content/other/org.toml":                "name = \"Other\"\nkind = \"client\"\n",
		"content/acme/configurations/ws1.toml":  ws1,
		"content/acme/contacts/ana.toml":        "first_name = \"Ana\"\nlast_name = \"A\"\n",
		"content/acme/contacts/bob.toml":        "first_name = \"Bob\"\nlast_name = \"B\"\n",
		"content/other/configurations/x.toml":   "name = \"x\"\nconfiguration_type = \"Server\"\n",
		"schemas/kit.toml":                      kitSchema,
		"content/acme/assets/kit/k1.toml":       kitItem,
		"content/acme/checklists/onboarding.md": "+++\ntitle = \"Onboarding\"\n+++\n\n- [ ] Sign the policy @cee\n- [ ] Build the laptop @sam\n",
	}
}

func newFixture(t *testing.T, edit func(*collab.Options)) *fixture {
	t.Helper()
	keyTxt, recipient, err := secrets.NewKeyFile(time.Now(), "test")
	if err != nil {
		t.Fatal(err)
	}
	files := siteFiles(recipient)
	files["access.toml"] = strings.Replace(files["access.toml"], `, "notes_field_absent_is_an_error"`, "", 1)
	f := newFixtureFrom(t, files, edit)
	f.keyTxt = keyTxt
	return f
}

// newFixtureFrom is newFixture for a site of the given files.
func newFixtureFrom(t *testing.T, files map[string]string, edit func(*collab.Options)) *fixture {
	t.Helper()
	// go-git pushes to a local bare repository through git's own
	// receive-pack.
	testtool.Find(t, "git", "git-receive-pack")
	work := t.TempDir()
	if err := testsite.CommitFiles(work, "Init", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "Start", files); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(t.TempDir(), "remote.git")
	bare, err := git.PlainInit(remote, true)
	if err != nil {
		t.Fatal(err)
	}
	_ = bare
	wr, _ := git.PlainOpen(work)
	head, _ := wr.Head()
	if _, err := wr.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	if err := wr.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{config.RefSpec(head.Name().String() + ":refs/heads/main")}}); err != nil {
		t.Fatal(err)
	}
	repo, err := collab.OpenRepo(context.Background(), collab.RepoOptions{Dir: filepath.Join(t.TempDir(), "clone"), Remote: remote, Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, remote: remote, log: &bytes.Buffer{}}
	f.forge = newFakeForge(t)
	theme, _ := fs.Sub(themes.Default, "default")
	fg, err := forge.New(forge.Options{Kind: "github", API: f.forge.srv.URL, Repo: "msp/docs", Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	f.opts = collab.Options{Repo: repo, Forge: fg, StateDir: t.TempDir(), Theme: theme, Log: f.log,
		Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }}
	if edit != nil {
		edit(&f.opts)
	}
	f.restart()
	return f
}

// restart makes a new server on the same clone and state folder.
func (f *fixture) restart() {
	srv, err := collab.New(f.opts)
	if err != nil {
		f.t.Fatal(err)
	}
	f.srv, f.h = srv, srv.Handler()
}

// do sends one request as user ("" sends no identity header).
func (f *fixture) do(method, target, user string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = "127.0.0.1:40000"
	r.Host = "localhost:8089"
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user != "" {
		r.Header.Set("X-Forwarded-Email", user)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

var (
	csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	baseRe = regexp.MustCompile(`name="base" value="([0-9a-f]+)"`)
)

// form opens a form page and returns its hidden fields.
func (f *fixture) form(target, user string) url.Values {
	f.t.Helper()
	w := f.do("GET", target, user, nil)
	if w.Code != http.StatusOK {
		f.t.Fatalf("GET %s: %d\n%s", target, w.Code, w.Body)
	}
	v := url.Values{}
	m := csrfRe.FindStringSubmatch(w.Body.String())
	if m == nil {
		f.t.Fatalf("GET %s: no csrf token", target)
	}
	v.Set("csrf", m[1])
	if m := baseRe.FindStringSubmatch(w.Body.String()); m != nil {
		v.Set("base", m[1])
	}
	return v
}

// branches returns the remote's branches other than main.
func (f *fixture) branches() []string {
	f.t.Helper()
	r, err := git.PlainOpen(f.remote)
	if err != nil {
		f.t.Fatal(err)
	}
	refs, _ := r.References()
	var out []string
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Name().IsBranch() && ref.Name().Short() != "main" {
			out = append(out, ref.Name().Short())
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// branchCommit returns the commit at the tip of a remote branch and the
// patch from main to it.
func (f *fixture) branchCommit(branch string) (*object.Commit, *object.Patch) {
	f.t.Helper()
	r, _ := git.PlainOpen(f.remote)
	ref, err := r.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		f.t.Fatal(err)
	}
	c, _ := r.CommitObject(ref.Hash())
	mref, _ := r.Reference(plumbing.NewBranchReferenceName("main"), true)
	m, _ := r.CommitObject(mref.Hash())
	p, err := m.Patch(c)
	if err != nil {
		f.t.Fatal(err)
	}
	return c, p
}

// fakeForge is a GitHub API that records pull requests; down makes it
// answer 503.
type fakeForge struct {
	srv    *httptest.Server
	mu     sync.Mutex
	prs    []map[string]string
	down   bool
	merged bool // pull requests read back as merged
}

func newFakeForge(t *testing.T) *fakeForge {
	ff := &fakeForge{}
	ff.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ff.mu.Lock()
		defer ff.mu.Unlock()
		if ff.down {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("forge: Authorization %q", r.Header.Get("Authorization"))
		}
		switch {
		case r.Method == "POST" && r.URL.Path == "/repos/msp/docs/pulls":
			var body map[string]string
			_ = json.NewDecoder(r.Body).Decode(&body)
			ff.prs = append(ff.prs, body)
			n := len(ff.prs)
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"number":%d,"html_url":"https://forge.example/msp/docs/pull/%d"}`, n, n)
		case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/repos/msp/docs/pulls/"):
			if ff.merged {
				io.WriteString(w, `{"state":"closed","merged":true}`)
			} else {
				io.WriteString(w, `{"state":"open","merged":false}`)
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ff.srv.Close)
	return ff
}

func (ff *fakeForge) opened() []map[string]string {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	return append([]map[string]string(nil), ff.prs...)
}

func (ff *fakeForge) setDown(down bool) {
	ff.mu.Lock()
	ff.down = down
	ff.mu.Unlock()
}

func writeFileIn(dir, rel, content string) error {
	return testsite.WriteFiles(dir, map[string]string{rel: content})
}
