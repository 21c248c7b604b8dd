// Package forge opens pull requests (merge requests on GitLab) through a
// forge's REST API and reads their state: GitHub, GitLab, and Gitea or
// Forgejo (one API). Each implementation is a small struct over one
// http.Client; none keeps state between calls.
package forge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is a pull request to open: from branch Head into Base.
type Request struct {
	Title, Body, Head, Base string
}

// PR is an opened pull request.
type PR struct {
	Number int    `json:"number"`
	URL    string `json:"url"`
}

// States of a pull request, as State reports them.
const (
	StateOpen   = "open"
	StateMerged = "merged"
	StateClosed = "closed"
)

// Forge opens pull requests and reads their state. Methods may be called
// from many goroutines.
type Forge interface {
	Open(ctx context.Context, r Request) (PR, error)
	State(ctx context.Context, number int) (string, error)
}

// Kinds are the forges New knows.
var Kinds = []string{"github", "gitlab", "gitea", "forgejo"}

// Options configure a forge client.
type Options struct {
	// Kind is one of Kinds.
	Kind string
	// API is the REST API's base URL: https://api.github.com,
	// https://gitlab.example.com/api/v4, https://gitea.example.com/api/v1.
	API string
	// Repo is "owner/name" (GitLab: the project's full path).
	Repo string
	// Token authenticates; it is sent only in a header, never logged.
	Token string
	// Client makes the requests; nil for one with a 30-second timeout.
	Client *http.Client
}

// New returns the client for opts.Kind.
func New(opts Options) (Forge, error) {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.API == "" && opts.Kind == "github" {
		opts.API = "https://api.github.com"
	}
	if opts.API == "" {
		return nil, fmt.Errorf("no API URL for the %s forge: set [collab] forge_api in cairn.toml", opts.Kind)
	}
	if _, err := url.Parse(opts.API); err != nil {
		return nil, fmt.Errorf("forge API URL %q: %w", opts.API, err)
	}
	owner, name, ok := strings.Cut(opts.Repo, "/")
	if !ok || owner == "" || name == "" {
		return nil, fmt.Errorf("forge repository %q: want owner/name", opts.Repo)
	}
	c := client{opts: opts}
	switch opts.Kind {
	case "github":
		return &pulls{c, "Bearer " + opts.Token}, nil
	case "gitlab":
		return &gitlab{c}, nil
	case "gitea", "forgejo":
		return &pulls{c, "token " + opts.Token}, nil
	}
	return nil, fmt.Errorf("unknown forge %q (forges: %s)", opts.Kind, strings.Join(Kinds, ", "))
}

// Error is a forge's refusal or failure.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return "the forge cannot be reached: " + e.Msg
	}
	return fmt.Sprintf("the forge answered %d: %s", e.Status, e.Msg)
}

type client struct{ opts Options }

// call sends a JSON request and decodes a JSON answer into out. Answers
// are read up to 1 MiB.
func (c client) call(ctx context.Context, method, path string, header http.Header, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.opts.API, "/")+path, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		// The error names the URL, never the token (it is in a header).
		return &Error{Msg: err.Error()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return &Error{Status: resp.StatusCode, Msg: err.Error()}
	}
	if resp.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(data))
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return &Error{Status: resp.StatusCode, Msg: msg}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Status: resp.StatusCode, Msg: "unreadable answer: " + err.Error()}
	}
	return nil
}

func (c client) ownerRepo() string {
	owner, name, _ := strings.Cut(c.opts.Repo, "/")
	return url.PathEscape(owner) + "/" + url.PathEscape(name)
}

// pulls is the pull request API GitHub and Gitea (and Forgejo) share;
// only the authorization header differs.
type pulls struct {
	client
	auth string // the Authorization header's value
}

func (g *pulls) header() http.Header {
	h := http.Header{"Authorization": {g.auth}}
	if g.opts.Kind == "github" {
		h.Set("X-Github-Api-Version", "2022-11-28")
	}
	return h
}

func (g *pulls) Open(ctx context.Context, r Request) (PR, error) {
	var out struct {
		Number  int    `json:"number"`
		HTMLURL string `json:"html_url"`
	}
	err := g.call(ctx, http.MethodPost, "/repos/"+g.ownerRepo()+"/pulls", g.header(),
		map[string]any{"title": r.Title, "body": r.Body, "head": r.Head, "base": r.Base}, &out)
	return PR{Number: out.Number, URL: out.HTMLURL}, err
}

func (g *pulls) State(ctx context.Context, n int) (string, error) {
	var out struct {
		State  string `json:"state"`
		Merged bool   `json:"merged"`
	}
	if err := g.call(ctx, http.MethodGet, fmt.Sprintf("/repos/%s/pulls/%d", g.ownerRepo(), n), g.header(), nil, &out); err != nil {
		return "", err
	}
	switch {
	case out.Merged:
		return StateMerged, nil
	case out.State == "open":
		return StateOpen, nil
	}
	return StateClosed, nil
}

type gitlab struct{ client }

func (g *gitlab) header() http.Header { return http.Header{"Private-Token": {g.opts.Token}} }

func (g *gitlab) project() string { return url.PathEscape(g.opts.Repo) }

func (g *gitlab) Open(ctx context.Context, r Request) (PR, error) {
	var out struct {
		IID    int    `json:"iid"`
		WebURL string `json:"web_url"`
	}
	err := g.call(ctx, http.MethodPost, "/projects/"+g.project()+"/merge_requests", g.header(),
		map[string]any{"title": r.Title, "description": r.Body, "source_branch": r.Head, "target_branch": r.Base}, &out)
	return PR{Number: out.IID, URL: out.WebURL}, err
}

func (g *gitlab) State(ctx context.Context, n int) (string, error) {
	var out struct {
		State string `json:"state"`
	}
	if err := g.call(ctx, http.MethodGet, fmt.Sprintf("/projects/%s/merge_requests/%d", g.project(), n), g.header(), nil, &out); err != nil {
		return "", err
	}
	switch out.State {
	case "opened":
		return StateOpen, nil
	case "merged":
		return StateMerged, nil
	}
	return StateClosed, nil
}
