package collab_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/collab"
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

// TestSuggestionState shows the state the forge reports, read again once
// a minute has passed.
func TestSuggestionState(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f := newFixture(t, func(o *collab.Options) { o.Now = func() time.Time { return now } })
	v := f.form(wsURL, cee)
	v.Set("f.contact", "contacts/bob")
	if w := f.do("POST", wsURL, cee, v); w.Code != http.StatusOK {
		t.Fatalf("POST %d", w.Code)
	}
	f.forge.mu.Lock()
	f.forge.merged = true
	f.forge.mu.Unlock()
	if w := f.do("GET", "/", cee, nil); !strings.Contains(w.Body.String(), ">open (#1)</a>") {
		t.Errorf("within the minute the state is not the one recorded:\n%s", w.Body)
	}
	now = now.Add(2 * time.Minute)
	if w := f.do("GET", "/", cee, nil); !strings.Contains(w.Body.String(), ">merged (#1)</a>") {
		t.Errorf("the merged state is not shown:\n%s", w.Body)
	}
}
