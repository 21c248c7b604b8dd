package serve_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/serve"
)

// TestHostHeader: only loopback names and the --bind address are
// answered; a DNS-rebinding page (Host: evil.example) gets 421 and none
// of the portal, on pages and on the event stream alike.
func TestHostHeader(t *testing.T) {
	dir, _ := newSite(t)
	calls := 0
	s := serve.New(serve.Options{Root: dir, Render: pageRender(&calls), Today: func() time.Time { return today }, Hosts: []string{"docs-preview.lan", "192.0.2.7"}})
	if _, err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, tc := range []struct {
		host string
		code int
	}{
		{"localhost", 200},
		{"localhost:8088", 200},
		{"LOCALHOST:9000", 200},
		{"127.0.0.1:8088", 200},
		{"[::1]:8088", 200},
		{"[::1]", 200},
		{"docs-preview.lan:8088", 200},
		{"192.0.2.7:8088", 200},
		{"evil.example", 421},
		{"evil.example:8088", 421},
		{"localhost.evil.example", 421},
		{"127.0.0.1.evil.example:8088", 421},
		{"127.0.0.2:8088", 421},
		{"", 421},
	} {
		for _, path := range []string{"/", serve.EventsPath + "?gen=0&path=/"} {
			if tc.code == 200 && path != "/" {
				continue // the event stream does not end
			}
			req := httptest.NewRequest("GET", path, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != tc.code {
				t.Errorf("Host %q %s: status %d, want %d", tc.host, path, rec.Code, tc.code)
			}
			if tc.code == 421 {
				if strings.Contains(body, "<h1>") || strings.Contains(body, "data:") {
					t.Errorf("Host %q %s: the refusal carries portal content: %q", tc.host, path, body)
				}
				if !strings.HasPrefix(body, "cairn serve answers only requests for localhost") {
					t.Errorf("Host %q: body %q", tc.host, body)
				}
			} else if !strings.Contains(body, "<h1>internal</h1>") {
				t.Errorf("Host %q: no portal home: %q", tc.host, body)
			}
		}
	}
}
