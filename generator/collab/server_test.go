package collab_test

import (
	"net/http"
	"strings"
	"testing"
)

const (
	cee   = "cee@acme.example"
	dee   = "dee@acme.example"
	wsURL = "/item/acme/configurations/ws1"
)

// TestSuggestContact changes a workstation's contact: the remote gets one
// new branch whose commit, authored as the user, changes exactly one line,
// and the fake forge gets one pull request listing the field.
func TestSuggestContact(t *testing.T) {
	f := newFixture(t, nil)
	v := f.form(wsURL, cee)
	v.Set("f.contact", "contacts/bob")
	w := f.do("POST", wsURL, cee, v)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "https://forge.example/msp/docs/pull/1") {
		t.Fatalf("POST: %d\n%s", w.Code, w.Body)
	}
	br := f.branches()
	if len(br) != 1 || !strings.HasPrefix(br[0], "collab/cee/ws1-") {
		t.Fatalf("branches %q, want one collab/cee/ws1-*", br)
	}
	c, p := f.branchCommit(br[0])
	if c.Author.Name != "Cee Client" || c.Author.Email != cee {
		t.Errorf("author %s <%s>", c.Author.Name, c.Author.Email)
	}
	diff := p.String()
	var minus, plus []string
	for _, line := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(line, "---") || strings.HasPrefix(line, "+++"):
		case strings.HasPrefix(line, "-"):
			minus = append(minus, line)
		case strings.HasPrefix(line, "+"):
			plus = append(plus, line)
		}
	}
	if strings.Join(minus, "\n") != `-contact = "contacts/ana" # who sits there` || strings.Join(plus, "\n") != `+contact = "contacts/bob" # who sits there` {
		t.Errorf("diff is not exactly one changed line:\n%s", diff)
	}
	prs := f.forge.opened()
	if len(prs) != 1 || prs[0]["head"] != br[0] || prs[0]["base"] != "main" || !strings.Contains(prs[0]["body"], "- Primary contact\n") ||
		!strings.Contains(prs[0]["body"], "Suggested by Cee Client <cee@acme.example>") {
		t.Errorf("pull requests %q", prs)
	}
	// The start page lists the suggestion with its link.
	if w := f.do("GET", "/", cee, nil); !strings.Contains(w.Body.String(), "https://forge.example/msp/docs/pull/1") {
		t.Errorf("index does not list the suggestion:\n%s", w.Body)
	}
	// A restart keeps it.
	f.restart()
	if w := f.do("GET", "/", cee, nil); !strings.Contains(w.Body.String(), "https://forge.example/msp/docs/pull/1") {
		t.Errorf("after a restart the suggestion is gone:\n%s", w.Body)
	}
}
