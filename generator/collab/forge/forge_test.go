package forge_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/collab/forge"
)

// TestForges runs each forge against a fake API and asserts the exact
// requests: method, escaped path, auth header and JSON body, then the
// answer read back.
func TestForges(t *testing.T) {
	tests := []struct {
		kind, repo          string
		openPath, statePath string
		authKey, authValue  string
		openAnswer          string
		stateAnswer         string
		wantBody            map[string]string
		wantURL, wantState  string
	}{
		{"github", "northwind/docs", "/repos/northwind/docs/pulls", "/repos/northwind/docs/pulls/7", "Authorization", "Bearer s3cret",
			`{"number":7,"html_url":"https://gh.example/northwind/docs/pull/7"}`, `{"state":"closed","merged":true}`,
			map[string]string{"title": "T", "body": "B", "head": "collab/x", "base": "main"}, "https://gh.example/northwind/docs/pull/7", forge.StateMerged},
		{"gitea", "northwind/docs", "/repos/northwind/docs/pulls", "/repos/northwind/docs/pulls/7", "Authorization", "token s3cret",
			`{"number":7,"html_url":"https://gitea.example/northwind/docs/pulls/7"}`, `{"state":"open","merged":false}`,
			map[string]string{"title": "T", "body": "B", "head": "collab/x", "base": "main"}, "https://gitea.example/northwind/docs/pulls/7", forge.StateOpen},
		{"forgejo", "northwind/docs", "/repos/northwind/docs/pulls", "/repos/northwind/docs/pulls/7", "Authorization", "token s3cret",
			`{"number":7,"html_url":"https://fj.example/northwind/docs/pulls/7"}`, `{"state":"closed","merged":false}`,
			map[string]string{"title": "T", "body": "B", "head": "collab/x", "base": "main"}, "https://fj.example/northwind/docs/pulls/7", forge.StateClosed},
		{"gitlab", "northwind/it/docs", "/projects/northwind%2Fit%2Fdocs/merge_requests", "/projects/northwind%2Fit%2Fdocs/merge_requests/7", "Private-Token", "s3cret",
			`{"iid":7,"web_url":"https://gl.example/northwind/it/docs/-/merge_requests/7"}`, `{"state":"merged"}`,
			map[string]string{"title": "T", "description": "B", "source_branch": "collab/x", "target_branch": "main"}, "https://gl.example/northwind/it/docs/-/merge_requests/7", forge.StateMerged},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			var calls []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls = append(calls, r.Method+" "+r.URL.EscapedPath())
				if got := r.Header.Get(tc.authKey); got != tc.authValue {
					t.Errorf("%s header %q, want %q", tc.authKey, got, tc.authValue)
				}
				switch {
				case r.Method == http.MethodPost && r.URL.EscapedPath() == tc.openPath:
					var body map[string]string
					data, _ := io.ReadAll(r.Body)
					if err := json.Unmarshal(data, &body); err != nil {
						t.Errorf("body %s: %v", data, err)
					}
					if len(body) != len(tc.wantBody) {
						t.Errorf("body %v, want %v", body, tc.wantBody)
					}
					for k, v := range tc.wantBody {
						if body[k] != v {
							t.Errorf("body[%s] = %q, want %q", k, body[k], v)
						}
					}
					w.WriteHeader(http.StatusCreated)
					io.WriteString(w, tc.openAnswer)
				case r.Method == http.MethodGet && r.URL.EscapedPath() == tc.statePath:
					io.WriteString(w, tc.stateAnswer)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			f, err := forge.New(forge.Options{Kind: tc.kind, API: srv.URL, Repo: tc.repo, Token: "s3cret"})
			if err != nil {
				t.Fatal(err)
			}
			pr, err := f.Open(context.Background(), forge.Request{Title: "T", Body: "B", Head: "collab/x", Base: "main"})
			if err != nil {
				t.Fatal(err)
			}
			if pr.URL != tc.wantURL || pr.Number != 7 {
				t.Errorf("PR %+v, want %s #7", pr, tc.wantURL)
			}
			st, err := f.State(context.Background(), 7)
			if err != nil || st != tc.wantState {
				t.Errorf("state %q (%v), want %q", st, err, tc.wantState)
			}
			want := []string{"POST " + tc.openPath, "GET " + tc.statePath}
			if strings.Join(calls, "\n") != strings.Join(want, "\n") {
				t.Errorf("calls %q, want %q", calls, want)
			}
		})
	}
}

// TestForgeDown checks that an unreachable forge is an *Error with status
// 0 whose text does not carry the token.
func TestForgeDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	f, err := forge.New(forge.Options{Kind: "github", API: srv.URL, Repo: "a/b", Token: "canary-token-123"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Open(context.Background(), forge.Request{Title: "T", Head: "h", Base: "main"})
	var fe *forge.Error
	if !errors.As(err, &fe) || fe.Status != 0 {
		t.Fatalf("error %v, want an unreachable *forge.Error", err)
	}
	if strings.Contains(err.Error(), "canary-token-123") {
		t.Error("the token appears in the error")
	}
}

// TestForgeOptions checks the configuration errors' exact text.
func TestForgeOptions(t *testing.T) {
	tests := []struct {
		opts forge.Options
		want string
	}{
		{forge.Options{Kind: "bitbucket", API: "https://x", Repo: "a/b"}, `unknown forge "bitbucket" (forges: github, gitlab, gitea, forgejo)`},
		{forge.Options{Kind: "gitlab", Repo: "a/b"}, `no API URL for the gitlab forge: set [collab] forge_api in cairn.toml`},
		{forge.Options{Kind: "github", Repo: "ab"}, `forge repository "ab": want owner/name`},
	}
	for _, tc := range tests {
		if _, err := forge.New(tc.opts); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}
