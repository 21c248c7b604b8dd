package collab_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

const kitURL = "/item/acme/assets/kit/k1"

// TestFormKinds checks that the form of an item offers each field kind
// its input, tag pickers only what the user sees, group rows to remove and
// add, and no password field.
func TestFormKinds(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do("GET", kitURL, cee, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		`<input type="text" name="f.title"`,
		`<h2>More</h2>`,
		`<select name="f.grade" id="f.grade">`,
		`<option value="A" selected>A</option>`,
		`<input type="date" name="f.bought"`,
		`<input type="checkbox" name="f.spare"`,
		`<input type="number" step="any" name="f.count" id="f.count" value="3">`,
		`<input type="number" step="any" name="f.load"`,
		`<option value="contacts/ana">Ana A (contacts/ana)</option>`,
		`<div class="readonly" id="f.manual">`,
		`<input type="url" name="f.site"`,
		`<input type="email" name="f.mail"`,
		`<input type="tel" name="f.phone"`,
		`<input type="text" name="f.ip"`,
		`<input type="text" name="f.net"`,
		"<textarea name=\"f.aliases\" id=\"f.aliases\" rows=\"3\">\nk-one</textarea>",
		"<textarea name=\"f.details\" id=\"f.details\" rows=\"8\">\n</textarea>",
		`<button type="submit" name="action" value="preview"`,
		`<input type="number" step="any" name="g.ports.0.port" id="g.ports.0.port" value="1">`,
		`<input type="checkbox" name="g.ports.0.remove" value="1">`,
		`<input type="text" name="g.ports.new.label"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	for _, not := range []string{`name="f.secret"`, `other/configurations/x`, `name="f.manual"`} {
		if strings.Contains(body, not) {
			t.Errorf("the form offers %s", not)
		}
	}
}

// TestPreviewCommitsNothing renders a textbox's Markdown, sanitized,
// without committing.
func TestPreviewCommitsNothing(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(kitURL, cee)
	v.Set("f.details", "**bold** <script>alert(1)</script>")
	v.Set("action", "preview")
	w := f.do("POST", kitURL, cee, v)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<strong>bold</strong>") || strings.Contains(w.Body.String(), "<script>alert") {
		t.Errorf("preview: %d\n%s", w.Code, w.Body)
	}
	if b := f.branches(); len(b) != 0 {
		t.Errorf("branches %q", b)
	}
}

// TestRowsAndNumbers changes a number (keeping its comment), a row's
// value, and adds a row: exactly those lines change.
func TestRowsAndNumbers(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(kitURL, cee)
	v.Set("f.count", "4")
	v.Set("g.ports.0.label", "uplink-1")
	v.Set("g.ports.new.port", "2")
	v.Set("g.ports.new.label", "camera")
	if w := f.do("POST", kitURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("POST %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	c, _ := f.branchCommit(b[0])
	file, err := c.File("content/acme/assets/kit/k1.toml")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := file.Contents()
	want := strings.Replace(strings.Replace(kitItem, "count = 3 #", "count = 4 #", 1), `label = "uplink"`, `label = "uplink-1"`, 1) +
		"\n[[ports]]\nport = 2\nlabel = \"camera\"\n"
	if got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
}

// TestDefaultBranchMoved opens a form, lets the default branch change
// another field of the item, then submits: the branch starts from the new
// default branch and keeps both changes (the form's unchanged fields do
// not undo the other edit).
func TestDefaultBranchMoved(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(wsURL, cee)
	// Someone else changes the serial number on main meanwhile.
	moved := pushChange(t, f.remote, "content/acme/configurations/ws1.toml", strings.Replace(ws1, `"SN-1"`, `"SN-9"`, 1))
	v.Set("f.contact", "contacts/bob")
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("POST %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	c, p := f.branchCommit(b[0])
	if len(c.ParentHashes) != 1 || c.ParentHashes[0] != moved {
		t.Errorf("the branch starts at %v, want the moved main %s", c.ParentHashes, moved)
	}
	if d := p.String(); !strings.Contains(d, "-contact = \"contacts/ana\"") || strings.Count(d, "\n-") != 2 {
		t.Errorf("diff from main:\n%s", d)
	}
	file, _ := c.File("content/acme/configurations/ws1.toml")
	got, _ := file.Contents()
	if !strings.Contains(got, `"SN-9"`) || !strings.Contains(got, `contact = "contacts/bob"`) {
		t.Errorf("an edit was lost:\n%s", got)
	}
}

// pushChange commits one file on top of main in the bare remote (as a
// merged pull request would) and returns the new commit.
func pushChange(t *testing.T, remote, path, content string) plumbing.Hash {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainClone(dir, false, &git.CloneOptions{URL: remote, ReferenceName: plumbing.NewBranchReferenceName("main")})
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	if err := writeFileIn(dir, path, content); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add(path); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Other", Email: "other@msp.example"}
	h, err := wt.Commit("Change the serial", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&git.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestFormAgainAfterMove fails a suggestion on check after the default
// branch moved, then sends the corrected form: the other edit survives,
// because the form shown again still holds the version it was based on.
func TestFormAgainAfterMove(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(kitURL, cee)
	pushChange(t, f.remote, "content/acme/assets/kit/k1.toml", strings.Replace(kitItem, `grade = "A"`, `grade = "B"`, 1))
	v.Set("f.ip", "10.0.0.300")
	w := f.do("POST", kitURL, cee, v)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", w.Code)
	}
	// The browser sends the whole form again: every field as shown.
	again := url.Values{}
	for _, m := range regexp.MustCompile(`name="(f\.[a-z]+)" id="[^"]*" value="([^"]*)"`).FindAllStringSubmatch(w.Body.String(), -1) {
		again.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`<select name="(f\.[a-z]+)"[^>]*>(?s:.*?)<option value="([^"]*)" selected>`).FindAllStringSubmatch(w.Body.String(), -1) {
		again.Set(m[1], m[2])
	}
	if again.Get("f.grade") != "A" {
		t.Fatalf("the form shown again has grade %q, want the version it was based on (A)", again.Get("f.grade"))
	}
	for _, k := range []string{"csrf", "base"} {
		again.Set(k, regexp.MustCompile(`name="` + k + `" value="([^"]+)"`).FindStringSubmatch(w.Body.String())[1])
	}
	again.Set("f.ip", "10.0.0.30")
	if w := f.do("POST", kitURL, cee, again); w.Code != http.StatusOK {
		t.Fatalf("second POST %d\n%s", w.Code, w.Body)
	}
	c, _ := f.branchCommit(f.branches()[0])
	file, _ := c.File("content/acme/assets/kit/k1.toml")
	got, _ := file.Contents()
	if !strings.Contains(got, `grade = "B"`) || !strings.Contains(got, `ip = "10.0.0.30"`) {
		t.Errorf("an edit was lost:\n%s", got)
	}
}

// TestCRLFItem edits an item written with CRLF line ends, sending its
// textbox back as a browser does (the text as shown, lines ending in
// CRLF): the unchanged textbox is no change, the changed number is
// replaced in place and the added key ends in CRLF like every other line.
func TestCRLFItem(t *testing.T) {
	f := newFixture(t, nil)
	crlf := strings.ReplaceAll(kitItem+"details = \"\"\"\nOld text\n\"\"\"\n", "\n", "\r\n")
	crlf = strings.Replace(crlf, "\r\n\r\n[[ports]]", "\r\ndetails = \"\"\"\r\nOld text\r\n\"\"\"\r\n\r\n[[ports]]", 1)
	crlf = crlf[:strings.LastIndex(crlf, "details = ")]
	pushChange(t, f.remote, "content/acme/assets/kit/k1.toml", crlf)
	if _, err := f.opts.Repo.Latest(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := f.do("GET", kitURL, cee, nil)
	m := regexp.MustCompile(`(?s)<textarea name="f.details"[^>]*>\n?(.*?)</textarea>`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no details textarea:\n%s", w.Body)
	}
	v := f.form(kitURL, cee)
	// A browser sends a textarea's lines ending in CRLF.
	shown := html.UnescapeString(m[1])
	v.Set("f.details", strings.ReplaceAll(strings.ReplaceAll(shown, "\r\n", "\n"), "\n", "\r\n"))
	v.Set("f.count", "4")
	v.Set("f.ip", "10.0.0.4")
	if w := f.do("POST", kitURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("POST %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	c, _ := f.branchCommit(b[0])
	if strings.Contains(c.Message, "Details") {
		t.Errorf("the unchanged textbox counts as changed: %q", c.Message)
	}
	file, _ := c.File("content/acme/assets/kit/k1.toml")
	got, _ := file.Contents()
	want := strings.Replace(strings.Replace(crlf, "count = 3 #", "count = 4 #", 1), "\"\"\"\r\n\r\n[[ports]]", "\"\"\"\r\nip = \"10.0.0.4\"\r\n\r\n[[ports]]", 1)
	if got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}
}

// TestTextboxLeadingBreak shows a textbox whose text starts with a line
// break: HTML drops one line break right after <textarea>, so the form
// must write one more, or the browser sends the text without its first
// break and an untouched textbox counts as changed.
func TestTextboxLeadingBreak(t *testing.T) {
	f := newFixture(t, nil)
	item := strings.Replace(kitItem, "\n[[ports]]", "details = \"\"\"\n\nAfter a blank line.\n\"\"\"\n\n[[ports]]", 1)
	pushChange(t, f.remote, "content/acme/assets/kit/k1.toml", item)
	if _, err := f.opts.Repo.Latest(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := f.do("GET", kitURL, cee, nil)
	m := regexp.MustCompile(`(?s)<textarea name="f.details"[^>]*>(.*?)</textarea>`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no details textarea:\n%s", w.Body)
	}
	// What a browser sends: the content without one leading line break.
	sent := html.UnescapeString(strings.TrimPrefix(m[1], "\n"))
	v := f.form(kitURL, cee)
	v.Set("f.details", sent)
	v.Set("f.count", "4")
	if w := f.do("POST", kitURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("POST %d\n%s", w.Code, w.Body)
	}
	b := f.branches()
	if len(b) != 1 {
		t.Fatalf("branches %q", b)
	}
	if c, p := f.branchCommit(b[0]); strings.Contains(c.Message, "Details") || strings.Count(p.String(), "\n+") != 2 {
		t.Errorf("the untouched textbox changed: %q\n%s", c.Message, p)
	}
}
