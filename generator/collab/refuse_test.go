package collab_test

import (
	"context"
	"errors"
	"github.com/cairn-it/cairn/generator/collab/forge"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/collab"
)

// TestRefusals sends each request a user may not make and checks the
// status, and that nothing reached the remote or the forge.
func TestRefusals(t *testing.T) {
	f := newFixture(t, nil)
	valid := func() url.Values {
		v := f.form(wsURL, cee)
		v.Set("f.contact", "contacts/bob")
		return v
	}
	tests := []struct {
		name   string
		method string
		target string
		user   string
		form   func() url.Values
		want   int
	}{
		{"no identity header", "POST", wsURL, "", valid, http.StatusUnauthorized},
		{"no identity header on a page", "GET", "/", "", nil, http.StatusUnauthorized},
		{"unknown user", "POST", wsURL, "mallory@evil.example", valid, http.StatusForbidden},
		{"another organization's item", "POST", "/item/other/configurations/x", cee, valid, http.StatusForbidden},
		{"another organization's form", "GET", "/item/other/configurations/x", cee, nil, http.StatusForbidden},
		{"a type without edit rights", "GET", "/item/acme/contacts/ana", cee, nil, http.StatusForbidden},
		{"a forged id", "POST", "/item/acme/configurations/nope", cee, valid, http.StatusForbidden},
		{"a field outside the rights", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("f.serial_number", "SN-2"); return v }, http.StatusForbidden},
		{"a tag value the user was not offered", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("f.contact", "contacts/nobody"); return v }, http.StatusForbidden},
		{"another organization's item as a tag value", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("f.contact", "other/configurations/x"); return v }, http.StatusForbidden},
		{"a reserved key", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("f.access", "client"); return v }, http.StatusForbidden},
		{"an unknown key", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("x", "1"); return v }, http.StatusForbidden},
		{"a missing CSRF token", "POST", wsURL, cee, func() url.Values { v := valid(); v.Del("csrf"); return v }, http.StatusForbidden},
		{"a forged CSRF token", "POST", wsURL, cee, func() url.Values { v := valid(); v.Set("csrf", "AAAA"+v.Get("csrf")[4:]); return v }, http.StatusForbidden},
		{"another user's CSRF token", "POST", wsURL, dee, valid, http.StatusForbidden},
		{"a token of another form", "POST", "/new/acme/passwords", cee, func() url.Values { v := valid(); v.Set("slug", "x"); v.Del("f.contact"); return v }, http.StatusForbidden},
		{"creating a type without rights", "GET", "/new/acme/contacts", cee, nil, http.StatusForbidden},
		{"creating in another organization", "GET", "/new/other/passwords", cee, nil, http.StatusForbidden},
		{"a task not assigned to the user", "POST", "/item/acme/checklists/onboarding", cee, func() url.Values {
			v := f.form("/item/acme/checklists/onboarding", cee)
			v.Set("t.1", "1")
			return v
		}, http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var form url.Values
			if tc.form != nil {
				form = tc.form()
			}
			w := f.do(tc.method, tc.target, tc.user, form)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d\n%s", w.Code, tc.want, w.Body)
			}
			if b := f.branches(); len(b) != 0 {
				t.Errorf("branches were pushed: %q", b)
			}
			if prs := f.forge.opened(); len(prs) != 0 {
				t.Errorf("pull requests were opened: %q", prs)
			}
		})
	}
}

// TestReplay sends one valid form twice: the second is refused and only
// one branch exists, also after a restart.
func TestReplay(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(wsURL, cee)
	v.Set("f.contact", "contacts/bob")
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("first POST %d\n%s", w.Code, w.Body)
	}
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusForbidden {
		t.Errorf("replay: status %d, want 403", w.Code)
	}
	f.restart()
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusForbidden {
		t.Errorf("replay after a restart: status %d, want 403", w.Code)
	}
	if b := f.branches(); len(b) != 1 {
		t.Errorf("branches %q, want one", b)
	}
}

// TestInvalidNotCommitted submits an IP address check rejects: check's
// message is shown at the field and nothing is committed.
func TestInvalidNotCommitted(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(kitURL, cee)
	v.Set("f.ip", "10.0.0.300")
	w := f.do("POST", kitURL, cee, v)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	i := strings.Index(body, `name="f.ip"`)
	j := strings.Index(body[max(i, 0):], `class="error"`)
	k := strings.Index(body[max(i, 0):], `name="f.net"`)
	if i < 0 || j < 0 || j > k || !strings.Contains(body[i+j:], "10.0.0.300") {
		t.Errorf("no error at the ip field:\n%s", body)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches were pushed: %q", b)
	}
}

// TestTwoUsersTwoBranches has two users change the same item: two
// branches, two pull requests, no lost edit.
func TestTwoUsersTwoBranches(t *testing.T) {
	f := newFixture(t, nil)
	v1 := f.form(wsURL, cee)
	v2 := f.form(wsURL, dee)
	v1.Set("f.contact", "contacts/bob")
	v2.Set("f.contact", "")
	if w := f.do("POST", wsURL, cee, v1); w.Code != http.StatusOK {
		t.Fatalf("cee: %d\n%s", w.Code, w.Body)
	}
	if w := f.do("POST", wsURL, dee, v2); w.Code != http.StatusOK {
		t.Fatalf("dee: %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 2 || len(f.forge.opened()) != 2 {
		t.Fatalf("branches %q, pull requests %d; want 2 and 2", b, len(f.forge.opened()))
	}
}

// TestForgeDown pushes the branch while the forge answers 503, tells the
// user, and opens the pull request when they come back.
func TestForgeDown(t *testing.T) {
	f := newFixture(t, nil)
	f.forge.setDown(true)
	v := f.form(wsURL, cee)
	v.Set("f.contact", "contacts/bob")
	w := f.do("POST", wsURL, cee, v)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "could not be opened yet") {
		t.Fatalf("status %d\n%s", w.Code, w.Body)
	}
	if b := f.branches(); len(b) != 1 {
		t.Fatalf("branches %q, want the pushed one", b)
	}
	f.forge.setDown(false)
	f.restart()
	if w := f.do("GET", "/", cee, nil); !strings.Contains(w.Body.String(), "https://forge.example/msp/docs/pull/1") {
		t.Errorf("the pull request was not opened later:\n%s", w.Body)
	}
}

// TestRemoteOnlyThroughProxy refuses requests from other machines unless
// they come from a trusted proxy, and foreign host names.
func TestRemoteOnlyThroughProxy(t *testing.T) {
	f := newFixture(t, nil)
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("X-Forwarded-Email", cee)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("remote request: %d, want 403", w.Code)
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5555"
	r.Host = "evil.example"
	r.Header.Set("X-Forwarded-Email", cee)
	w = httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusMisdirectedRequest {
		t.Errorf("foreign host: %d, want 421", w.Code)
	}
	trusted, err := collab.ParseTrusted("192.0.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	g := newFixture(t, func(o *collab.Options) { o.Trusted = trusted })
	r = httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("X-Forwarded-Email", cee)
	w = httptest.NewRecorder()
	g.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("through the trusted proxy: %d, want 200", w.Code)
	}
	r.RemoteAddr = "127.0.0.1:5555"
	w = httptest.NewRecorder()
	g.h.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("around the trusted proxy: %d, want 403", w.Code)
	}
}

// TestRateLimit allows a user a number of requests a minute.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(o *collab.Options) { o.Rate = 3 })
	for i := 0; i < 3; i++ {
		if w := f.do("GET", "/", cee, nil); w.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, w.Code)
		}
	}
	if w := f.do("GET", "/", cee, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("4th request: %d, want 429", w.Code)
	}
	if w := f.do("GET", "/", dee, nil); w.Code != http.StatusOK {
		t.Errorf("another user: %d, want 200", w.Code)
	}
}

// TestSizeLimit refuses a form over MaxForm.
func TestSizeLimit(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(wsURL, cee)
	v.Set("f.contact", strings.Repeat("x", collab.MaxForm))
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", w.Code)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches were pushed: %q", b)
	}
}

// TestTickAssignedTask ticks the user's own task: one line changes.
func TestTickAssignedTask(t *testing.T) {
	f := newFixture(t, nil)
	const u = "/item/acme/checklists/onboarding"
	v := f.form(u, cee)
	v.Set("t.0", "1")
	if w := f.do("POST", u, cee, v); w.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	_, p := f.branchCommit(b[0])
	if d := p.String(); !strings.Contains(d, "-- [ ] Sign the policy @cee\n+- [x] Sign the policy @cee\n") || strings.Count(d, "\n+") != 2 {
		t.Errorf("diff:\n%s", d)
	}
}

// TestMessagesHideOtherOrganizations links a textbox into an organization
// the user does not see: the suggestion is refused with check's error, but
// the page names neither that organization nor others.
func TestMessagesHideOtherOrganizations(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(kitURL, cee)
	v.Set("f.details", "See [[other/configurations/x]] and [[othr/configurations/x]].")
	w := f.do("POST", kitURL, cee, v)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	// The form repeats what the user typed; the messages must not add to it.
	rest := strings.ReplaceAll(body, "[[other/configurations/x]]", "")
	for _, leak := range []string{`&#34;other&#34;`, "other,", "acme, other", "did you mean", "which is not shared"} {
		if strings.Contains(rest, leak) {
			t.Errorf("the page reveals %q:\n%s", leak, body)
		}
	}
	if !strings.Contains(body, "this value names something that does not exist or that you may not see") {
		t.Errorf("no redacted message:\n%s", body)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches %q", b)
	}
}

// TestDevUser signs every request in as the --dev-user, with or without a
// header, and still checks CSRF tokens.
func TestDevUser(t *testing.T) {
	f := newFixture(t, func(o *collab.Options) { o.DevUser = cee })
	if w := f.do("GET", wsURL, "", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Signed in as Cee Client") {
		t.Fatalf("no header: %d\n%s", w.Code, w.Body)
	}
	if w := f.do("GET", wsURL, dee, nil); !strings.Contains(w.Body.String(), "Signed in as Cee Client") {
		t.Errorf("a header overrode --dev-user:\n%s", w.Body)
	}
	if w := f.do("POST", wsURL, "", url.Values{"f.contact": {"contacts/bob"}}); w.Code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", w.Code)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches %q", b)
	}
}

// TestConcurrentSuggestions sends two users' suggestions for one item at
// once: both arrive, on two branches, each changing one line.
func TestConcurrentSuggestions(t *testing.T) {
	f := newFixture(t, nil)
	forms := map[string]url.Values{cee: f.form(wsURL, cee), dee: f.form(wsURL, dee)}
	forms[cee].Set("f.contact", "contacts/bob")
	forms[dee].Set("f.contact", "")
	codes := make(chan int, 2)
	for u, v := range forms {
		go func() { codes <- f.do("POST", wsURL, u, v).Code }()
	}
	for range 2 {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("status %d", c)
		}
	}
	b := f.branches()
	if len(b) != 2 {
		t.Fatalf("branches %q, want 2", b)
	}
	for _, br := range b {
		if _, p := f.branchCommit(br); strings.Count(p.String(), "\n-contact") != 1 {
			t.Errorf("branch %s:\n%s", br, p)
		}
	}
}

// TestIdentityHeaderTwice refuses a request that carries the identity
// header more than once: a proxy that appends its header instead of
// replacing the browser's would otherwise let the browser's value (the
// first) choose the user.
func TestIdentityHeaderTwice(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(wsURL, dee)
	v.Set("f.contact", "contacts/bob")
	for _, order := range [][]string{{dee, cee}, {cee, dee}, {dee, dee}} {
		r := httptest.NewRequest("POST", wsURL, strings.NewReader(v.Encode()))
		r.RemoteAddr = "127.0.0.1:40000"
		r.Host = "localhost:8089"
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Add("X-Forwarded-Email", order[0])
		r.Header.Add("X-Forwarded-Email", order[1])
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest {
			t.Errorf("headers %q: status %d, want 400", order, w.Code)
		}
		if !strings.Contains(w.Body.String(), "The sign-in header came more than once") {
			t.Errorf("headers %q: no explanation:\n%s", order, w.Body)
		}
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches were pushed: %q", b)
	}
}

// TestTickKeepsTickMadeMeanwhile opens a checklist form, lets the default
// branch tick another of the user's tasks, then sends the form ticking the
// first: the task ticked meanwhile, left alone in the form, stays ticked.
func TestTickKeepsTickMadeMeanwhile(t *testing.T) {
	const u = "/item/acme/checklists/onboarding"
	const file = "content/acme/checklists/onboarding.md"
	const list = "+++\ntitle = \"Onboarding\"\n+++\n\n- [ ] Sign the policy @cee\n- [ ] Read the handbook @cee\n- [ ] Build the laptop @sam\n"
	files := siteFiles("age1unused")
	files["access.toml"] = strings.Replace(files["access.toml"], `, "notes_field_absent_is_an_error"`, "", 1)
	files[file] = list
	f := newFixtureFrom(t, files, nil)
	v := f.form(u, cee)
	pushChange(t, f.remote, file, strings.Replace(list, "[ ] Read", "[x] Read", 1))
	if _, err := f.opts.Repo.Latest(context.Background()); err != nil {
		t.Fatal(err)
	}
	v.Set("t.0", "1")
	if w := f.do("POST", u, cee, v); w.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	c, p := f.branchCommit(b[0])
	fc, _ := c.File(file)
	got, _ := fc.Contents()
	if want := strings.Replace(strings.Replace(list, "[ ] Read", "[x] Read", 1), "[ ] Sign", "[x] Sign", 1); got != want {
		t.Errorf("checklist:\n%s\nwant:\n%s\ndiff:\n%s", got, want, p)
	}
}

// TestLinkToHiddenItemLooksMissing links a textbox to an item of the
// user's organization that they may not see, and to one that does not
// exist: both are refused with the same words, so the answer does not
// tell whether the hidden item exists, and nothing is committed.
func TestLinkToHiddenItemLooksMissing(t *testing.T) {
	files := siteFiles("age1unused")
	files["access.toml"] = strings.Replace(files["access.toml"], `, "notes_field_absent_is_an_error"`, "", 1)
	files["content/acme/configurations/vault.toml"] = "access = [\"staff\"]\nname = \"vault\"\nconfiguration_type = \"Server\"\n"
	f := newFixtureFrom(t, files, nil)
	errRe := regexp.MustCompile(`class="error">([^<]*)`)
	var msgs []string
	for _, link := range []string{"[[configurations/vault]]", "[[configurations/vaultx]]"} {
		v := f.form(kitURL, cee)
		v.Set("f.details", "See "+link+".")
		w := f.do("POST", kitURL, cee, v)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", link, w.Code)
		}
		var got []string
		for _, m := range errRe.FindAllStringSubmatch(w.Body.String(), -1) {
			got = append(got, m[1])
		}
		msgs = append(msgs, strings.Join(got, " | "))
	}
	if want := "this value names something that does not exist or that you may not see"; msgs[0] != want || msgs[1] != want {
		t.Errorf("messages %q, want both %q", msgs, want)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches were pushed: %q", b)
	}
}

// hangForge fails at once while fail is set, else answers nothing until
// the request's context ends (a forge that hangs).
type hangForge struct {
	mu   sync.Mutex
	fail bool
}

func (h *hangForge) wait(ctx context.Context) error {
	h.mu.Lock()
	fail := h.fail
	h.mu.Unlock()
	if fail {
		return errors.New("refused")
	}
	<-ctx.Done()
	return ctx.Err()
}

func (h *hangForge) Open(ctx context.Context, r forge.Request) (forge.PR, error) {
	return forge.PR{}, h.wait(ctx)
}

func (h *hangForge) State(ctx context.Context, n int) (string, error) { return "", h.wait(ctx) }

// TestHangingForgeBoundsStartPage leaves three suggestions without pull
// requests, then lets the forge hang: the start page waits for it about
// ForgeWait in all (not once per suggestion, 1.2 s), and still lists them.
func TestHangingForgeBoundsStartPage(t *testing.T) {
	hf := &hangForge{fail: true}
	f := newFixture(t, func(o *collab.Options) { o.Forge = hf; o.ForgeWait = 400 * time.Millisecond })
	for _, c := range []string{"contacts/bob", "", "contacts/bob"} {
		v := f.form(wsURL, cee)
		v.Set("f.contact", c)
		if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusOK {
			t.Fatalf("POST %d\n%s", w.Code, w.Body)
		}
	}
	hf.mu.Lock()
	hf.fail = false
	hf.mu.Unlock()
	start := time.Now()
	w := f.do("GET", "/", cee, nil)
	if d := time.Since(start); d > time.Second {
		t.Errorf("the start page took %v with a hanging forge", d)
	}
	if w.Code != http.StatusOK || strings.Count(w.Body.String(), "acme/configurations/ws1") < 3 {
		t.Errorf("status %d, want the three suggestions listed:\n%s", w.Code, w.Body)
	}
}

// TestForgeFailureNotShown lets the forge refuse a pull request: the user
// is told, but not the forge's answer or address (the server's log has
// them), which are the team's, not the client's.
func TestForgeFailureNotShown(t *testing.T) {
	f := newFixture(t, nil)
	f.forge.setDown(true)
	v := f.form(wsURL, cee)
	v.Set("f.contact", "contacts/bob")
	w := f.do("POST", wsURL, cee, v)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "could not be opened yet") {
		t.Fatalf("status %d\n%s", w.Code, body)
	}
	for _, leak := range []string{"503", "down", f.forge.srv.URL, "msp/docs"} {
		if strings.Contains(body, leak) {
			t.Errorf("the page shows the forge's %q:\n%s", leak, body)
		}
	}
	if !strings.Contains(f.log.String(), "the forge answered 503: down") {
		t.Errorf("the log lacks the forge's answer:\n%s", f.log)
	}
}
