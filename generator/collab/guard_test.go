package collab

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterForgets checks that the rate limiter's map stays bounded:
// once full, a new user's first request drops the windows that ended.
func TestLimiterForgets(t *testing.T) {
	l := newLimiter(1)
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for i := 0; i < maxWindows; i++ {
		l.Allow(fmt.Sprintf("u%d@x.example", i), t0)
	}
	if l.Allow("u0@x.example", t0) {
		t.Error("a second request within the minute was allowed")
	}
	l.Allow("new@x.example", t0.Add(2*time.Minute))
	if n := len(l.windows); n != 1 {
		t.Errorf("%d windows kept, want 1", n)
	}
}

// TestTokens checks a token's binding to user, form and time, and that it
// is used once, also across a restart.
func TestTokens(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk, err := newTokens(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	tok := tk.Issue("a@x.example", "/item/x", now)
	for _, tc := range []struct{ user, path string }{{"b@x.example", "/item/x"}, {"a@x.example", "/item/y"}} {
		if _, err := tk.Verify(tok, tc.user, tc.path, now); err == nil {
			t.Errorf("a token of a@x.example for /item/x verified for %s %s", tc.user, tc.path)
		}
	}
	if _, err := tk.Verify(tok, "A@X.example", "/item/x", now.Add(tokenTTL+time.Second)); err == nil {
		t.Error("an expired token verified")
	}
	if err := tk.Use(tok, "a@x.example", "/item/x", now); err != nil {
		t.Fatal(err)
	}
	again, err := newTokens(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Use(tok, "a@x.example", "/item/x", now); err == nil {
		t.Error("a used token was accepted after a restart")
	}
}
