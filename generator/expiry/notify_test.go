package expiry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func sampleReport() Report {
	es := sampleEntries()
	es = append([]Entry{{ID: "acme/domains/acme-example", Title: "acme.example", Org: "acme", Kind: KindExpires, What: "Domain expires", Date: day(2026, 11, 20), Days: -3}}, es...)
	return Report{AsOf: day(2026, 11, 23), Within: Duration{Days: 30}, Entries: es, Failing: es[:1]}
}

// webhook answers each POST with the next status of statuses (the last
// one repeating) and records the bodies.
func webhook(t *testing.T, statuses ...int) (*httptest.Server, *[]string, *atomic.Int32) {
	t.Helper()
	var bodies []string
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		w.WriteHeader(statuses[min(i, len(statuses)-1)])
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies, &n
}

func TestNotifyPostsASlackAndTeamsShape(t *testing.T) {
	srv, bodies, n := webhook(t, 200)
	msg := NewMessage("Northwind IT documentation", sampleReport())
	if err := (Notifier{Backoff: time.Millisecond}).Post(context.Background(), srv.URL+"/hooks/T000/B000/XXXX", msg); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Fatalf("%d requests, want 1", n.Load())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte((*bodies)[0]), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("the body has keys besides text: %v", got)
	}
	want := "Northwind IT documentation: 3 due within 30d of 2026-11-23, 1 expired, 1 failing\n" +
		"- 2026-11-20, expired 3 days ago: `acme/domains/acme-example` Domain expires (expires), acme\n" +
		"- 2026-12-01, in 8 days: `acme/ssl-certificates/www` SSL Certificate expires (expires), acme\n" +
		"- 2026-12-10, in 17 days: `acme/checklists/onboarding` Hand over the laptop, the badge and the keys to the server room — and explain the door code ✓✓✓ (task), acme\n"
	if got["text"] != want {
		t.Errorf("text:\n%s\nwant:\n%s", got["text"], want)
	}
}

func TestNotifyRetriesServerErrors(t *testing.T) {
	srv, _, n := webhook(t, 500, 503, 200)
	if err := (Notifier{Backoff: time.Millisecond}).Post(context.Background(), srv.URL, Message{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 3 {
		t.Errorf("%d requests, want 3", n.Load())
	}
}

func TestNotifyGivesUp(t *testing.T) {
	srv, _, n := webhook(t, 502)
	err := (Notifier{Attempts: 3, Backoff: time.Millisecond}).Post(context.Background(), srv.URL+"/secret-token", Message{Text: "x"})
	var ne *NotifyError
	if !errors.As(err, &ne) || ne.Status != 502 || ne.Attempts != 3 {
		t.Fatalf("err = %v, want a NotifyError after 3 attempts with 502", err)
	}
	if err.Error() != "the webhook answered HTTP 502 after 3 attempt(s)" {
		t.Errorf("message %q", err)
	}
	if n.Load() != 3 {
		t.Errorf("%d requests, want 3", n.Load())
	}
}

func TestNotifyDoesNotRetryClientErrors(t *testing.T) {
	srv, _, n := webhook(t, 404)
	err := (Notifier{Backoff: time.Millisecond}).Post(context.Background(), srv.URL, Message{Text: "x"})
	if err == nil || n.Load() != 1 {
		t.Errorf("err %v after %d requests, want an error after 1", err, n.Load())
	}
}

func TestNotifyRetriesTimeoutsWithoutNamingTheURL(t *testing.T) {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-done // never answers while the test runs; the client gives up
	}))
	defer srv.Close()
	defer close(done) // before Close, which waits for the handlers
	client := &http.Client{Timeout: 50 * time.Millisecond}
	err := (Notifier{Client: client, Attempts: 2, Backoff: time.Millisecond}).Post(context.Background(), srv.URL+"/TOKEN-CANARY", Message{Text: "x"})
	var ne *NotifyError
	if !errors.As(err, &ne) || ne.Attempts != 2 || ne.Status != 0 {
		t.Fatalf("err = %v, want a NotifyError after 2 attempts without an answer", err)
	}
	if strings.Contains(err.Error(), "TOKEN-CANARY") || strings.Contains(err.Error(), srv.URL) {
		t.Error("the error names the webhook URL (canary found)")
	}
}

func TestNotifyStopsWhenCancelled(t *testing.T) {
	srv, _, n := webhook(t, 503)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for n.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	err := (Notifier{Attempts: 5, Backoff: time.Hour}).Post(ctx, srv.URL, Message{Text: "x"})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
		t.Errorf("err = %v after %s, want context.Canceled at once", err, time.Since(start))
	}
}

func TestNotifyRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "ftp://x/y", "not a url", "https://"} {
		if err := (Notifier{}).Post(context.Background(), u, Message{}); err == nil || err.Error() != "--notify wants an http(s) URL" {
			t.Errorf("%s: err = %v", u, err)
		}
	}
}

func TestNewMessageBoundsItsLines(t *testing.T) {
	r := sampleReport()
	for len(r.Entries) < MaxNotifyLines+5 {
		r.Entries = append(r.Entries, r.Entries[1])
	}
	text := NewMessage("T", r).Text
	if got := strings.Count(text, "\n"); got != MaxNotifyLines+2 {
		t.Errorf("%d lines, want %d", got, MaxNotifyLines+2)
	}
	if !strings.Contains(text, "- … and 5 more (run cairn expiring)\n") {
		t.Errorf("no count of the rest:\n%s", text)
	}
	long := Report{Entries: []Entry{{ID: "a/checklists/c", What: strings.Repeat("é", 5000) + " [link](https://evil.example)", Kind: KindTask}}}
	if got := NewMessage("T", long).Text; len([]rune(got)) > 400 || strings.Contains(got, "evil") || !strings.Contains(got, "é…") {
		t.Errorf("a long task is not cut to %d characters: %d characters", MaxNotifyWhat, len([]rune(got)))
	}
	if got := NewMessage("T", Report{Entries: []Entry{{What: "[link](https://evil.example) <@channel>"}}}).Text; !strings.Contains(got, `\[link\](https://evil.example) &lt;@channel&gt;`) {
		t.Errorf("markup in what falls due is not escaped: %s", got)
	}
	if got := NewMessage("*[x](y)*", Report{}).Text; !strings.HasPrefix(got, `\*\[x\](y)\*: `) {
		t.Errorf("title not escaped: %s", got)
	}
}

// TestNotifyDoesNotFollowRedirects: a redirect is not a delivery. Go's
// client would follow a 302 with a GET (the summary dropped, the GET's 200
// taken for success) and a 307 with the summary to wherever it points.
func TestNotifyDoesNotFollowRedirects(t *testing.T) {
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var posts, landed atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/landed" {
					landed.Add(1)
					return
				}
				posts.Add(1)
				http.Redirect(w, r, "/landed", code)
			}))
			t.Cleanup(srv.Close)
			err := (Notifier{Backoff: time.Millisecond}).Post(context.Background(), srv.URL+"/hook", Message{Text: "x"})
			want := fmt.Sprintf("the webhook answered HTTP %d after 1 attempt(s)", code)
			if err == nil || err.Error() != want {
				t.Errorf("err = %v, want %q", err, want)
			}
			if posts.Load() != 1 || landed.Load() != 0 {
				t.Errorf("%d posts to the webhook and %d requests to where it redirects, want 1 and 0", posts.Load(), landed.Load())
			}
		})
	}
}
