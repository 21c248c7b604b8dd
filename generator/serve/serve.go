// Package serve is cairn's preview server: it builds one portal in memory,
// serves it over HTTP, rebuilds when the site's files change, and tells
// open pages to reload (server-sent events at /__cairn/events) or to show
// the site's check errors in an overlay. The live-reload script is added
// to HTML responses as they are served, so the built pages themselves are
// exactly what cairn build writes.
//
// A rebuild reloads and re-checks the whole site, renders the portal in
// memory, and compares every file with the previous build: only pages
// whose bytes changed are reloaded (every page, when a theme asset under
// static/ changed).
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/urls"
)

// RenderFunc renders one portal of a checked site (with no errors) into
// its files, the same bytes cairn build writes. It is called from one
// goroutine at a time.
type RenderFunc func(ctx context.Context, s *model.Site, portal string) (*Output, error)

// PagesFunc renders only the given pages (paths relative to the portal
// root) of one portal of a checked site, with the bytes RenderFunc would
// give them. Paths the portal does not have are left out of the result.
type PagesFunc func(ctx context.Context, s *model.Site, portal string, paths []string) (map[string][]byte, error)

// Output is a rendered portal.
type Output struct {
	// Files are the portal's files, keyed by path relative to the portal
	// root. Rebuilds compare them to find the pages to reload.
	Files map[string][]byte
	// Lazy are files made only when requested (runbooks), keyed the same
	// way. They are never compared; each request makes them afresh.
	Lazy map[string]func(context.Context) ([]byte, error)
}

// Options configure a Server.
type Options struct {
	// Root is the site's folder.
	Root string
	// Portal is the portal to serve; "" means "internal" when the site has
	// one, else the first by name.
	Portal string
	// Render renders the portal. Required.
	Render RenderFunc
	// Pages, when set, renders single pages: a rebuild after files changed
	// first swaps in the pages of the changed items, so the page being
	// edited reloads before the rest of the portal is rendered again.
	Pages PagesFunc
	// Today returns the day expiries are measured against; nil means
	// time.Now.
	Today func() time.Time
	// Log receives the status lines of each rebuild; nil discards them.
	Log io.Writer
	// Hosts are the host names (or IP addresses) requests may name in
	// their Host header besides localhost, 127.0.0.1 and ::1: the address
	// the server is bound to. Any other Host is refused, so a page that
	// rebinds its own name to this machine cannot read the preview.
	Hosts []string
}

// Problem is one reason the site cannot be shown: a check error, or a
// failure to load or render it.
type Problem struct {
	// Pos is "file:line:col", or "" when the problem has no position.
	Pos     string `json:"pos"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// String formats the problem as cairn check does: "file:line:col:
// message", with control characters escaped (diag.Escape) so a hostile
// file name or value cannot drive the terminal.
func (p Problem) String() string {
	if p.Pos == "" {
		return diag.Escape(p.Message)
	}
	return diag.Escape(p.Pos + ": " + p.Message)
}

// Result says what one rebuild did.
type Result struct {
	// Gen is the build generation after the rebuild; it grows by one
	// with every rebuild that changed files.
	Gen int
	// Changed are the paths whose bytes changed, were added or removed,
	// sorted; nil when the site has problems (the last good build is kept).
	Changed []string
	// Problems are why the site cannot be built; nil when it was built.
	Problems []Problem
	// Portal is the portal served.
	Portal string
	// Took is how long the rebuild took.
	Took time.Duration
	// FirstReload is how long it took until the pages of the changed
	// items were swapped in and open pages told (zero when the rebuild
	// had no such first step).
	FirstReload time.Duration
}

// Server serves one portal and rebuilds it on demand. Its methods are safe
// for concurrent use; rebuilds run one at a time.
type Server struct {
	opts Options

	build sync.Mutex // one rebuild at a time

	mu        sync.RWMutex
	portal    string
	files     map[string][]byte
	lazy      map[string]func(context.Context) ([]byte, error)
	gen       int
	changedAt map[string]int // path -> generation it last changed in
	staticAt  int            // generation a static/ file last changed in
	problems  []Problem
	clients   map[*client]bool
}

// New returns a server that has built nothing yet: call Rebuild before
// serving.
func New(opts Options) *Server {
	if opts.Today == nil {
		opts.Today = time.Now
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Server{opts: opts, files: map[string][]byte{}, changedAt: map[string]int{}, clients: map[*client]bool{}}
}

// Portal returns the name of the portal being served ("" before the first
// successful load).
func (s *Server) Portal() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.portal
}

// Rebuild reloads and re-checks the site and, when it has no errors,
// renders the portal and swaps in the files that changed; then it tells
// every open page what happened. When the site has errors the previous
// build keeps being served and pages show the problems instead. The error
// is set only when ctx was cancelled.
func (s *Server) Rebuild(ctx context.Context) (Result, error) {
	return s.RebuildFiles(ctx, nil)
}

// RebuildFiles is Rebuild after the files at paths (relative to the site
// root) changed: when Options.Pages is set and the site is sound, the
// pages of the items in those files are rendered and swapped in first,
// then the whole portal as Rebuild does.
func (s *Server) RebuildFiles(ctx context.Context, paths []string) (Result, error) {
	s.build.Lock()
	defer s.build.Unlock()
	start := time.Now()
	var first time.Duration
	files, portal, probs := s.render(ctx, func(site *model.Site, portal string) {
		if s.quickPages(ctx, site, portal, paths) {
			first = time.Since(start)
		}
	})
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	s.mu.Lock()
	res := Result{Problems: probs, Portal: portal, FirstReload: first}
	s.problems = probs
	if portal != "" {
		s.portal = portal
	}
	if probs == nil {
		res.Changed = s.swap(files.Files)
		s.lazy = files.Lazy
	}
	res.Gen = s.gen
	s.notifyLocked()
	s.mu.Unlock()
	res.Took = time.Since(start)
	if probs != nil {
		what := "1 problem"
		if len(probs) > 1 {
			what = fmt.Sprintf("%d problems", len(probs))
		}
		fmt.Fprintf(s.opts.Log, "cairn serve: %s: pages show them until fixed (first: %s)\n", what, probs[0])
	} else {
		fmt.Fprintf(s.opts.Log, "cairn serve: built portal %s in %s: %d files changed\n", portal, res.Took.Round(time.Millisecond), len(res.Changed))
	}
	return res, nil
}

// quickPages renders the pages of the items in the changed files and
// swaps them into the served files, telling open pages. It reports
// whether it did. The full render that follows gives these pages the
// same bytes, since both come from the same site model.
func (s *Server) quickPages(ctx context.Context, site *model.Site, portal string, paths []string) bool {
	if s.opts.Pages == nil || len(paths) == 0 {
		return false
	}
	changed := map[string]bool{}
	for _, p := range paths {
		changed[filepath.ToSlash(p)] = true
	}
	var pages []string
	for _, it := range site.Items {
		if changed[it.File] {
			pages = append(pages, urls.Item(it))
		}
	}
	s.mu.RLock()
	sameportal := portal == s.portal && len(s.files) > 0 && s.problems == nil
	s.mu.RUnlock()
	if len(pages) == 0 || !sameportal {
		return false
	}
	got, err := s.opts.Pages(ctx, site, portal, pages)
	if err != nil || len(got) == 0 {
		return false // the full render reports the problem
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	files := make(map[string][]byte, len(s.files))
	for p, b := range s.files {
		files[p] = b
	}
	for p, b := range got {
		files[p] = b
	}
	if s.swap(files) != nil {
		s.notifyLocked()
	}
	return true
}

// render loads, checks and renders the site. It returns the files, or the
// problems that stop it.
func (s *Server) render(ctx context.Context, checked func(*model.Site, string)) (*Output, string, []Problem) {
	res, err := site.Open(ctx, s.opts.Root, s.opts.Today())
	if err != nil {
		return nil, "", []Problem{{Message: fmt.Sprintf("cannot read the site in %s: %v", s.opts.Root, err)}}
	}
	portal, perr := choosePortal(res.Site, s.opts.Portal)
	errs := res.Diags.Sorted()
	if perr == nil && res.Diags.Err() != nil {
		// As cairn build does: errors in an organization the portal does
		// not see neither stop its preview nor show on its pages (they
		// would name another client); the terminal still counts them.
		siteWide, stopped, err := build.Blocked(res.Site, errs, []string{portal})
		if err == nil {
			mine := append(siteWide, stopped[portal]...)
			if n := countErrors(errs) - len(mine); n > 0 {
				what := "1 error"
				if n > 1 {
					what = fmt.Sprintf("%d errors", n)
				}
				fmt.Fprintf(s.opts.Log, "cairn serve: %s in organizations portal %s does not show (cairn check lists them)\n", what, portal)
			}
			errs = mine
		}
	}
	var probs []Problem
	for _, d := range errs {
		if d.Severity == diag.Error {
			probs = append(probs, Problem{Pos: d.Pos.String(), Message: d.Message, Hint: d.Hint})
		}
	}
	if perr != nil {
		probs = append(probs, Problem{Pos: "access.toml", Message: perr.Error()})
	}
	if probs != nil {
		return nil, portal, probs
	}
	if checked != nil {
		checked(res.Site, portal)
	}
	files, err := s.opts.Render(ctx, res.Site, portal)
	if err == nil && files == nil {
		err = errors.New("the renderer returned nothing")
	}
	if err != nil {
		var de *diag.Errors
		if errors.As(err, &de) {
			for _, d := range de.List {
				probs = append(probs, Problem{Pos: d.Pos.String(), Message: d.Message, Hint: d.Hint})
			}
			return nil, portal, probs
		}
		return nil, portal, []Problem{{Message: fmt.Sprintf("building portal %s: %v", portal, err)}}
	}
	return files, portal, nil
}

// countErrors counts the errors among diagnostics.
func countErrors(ds []diag.Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// choosePortal returns the portal to serve: the one asked for, else
// "internal", else the first.
func choosePortal(s *model.Site, want string) (string, error) {
	names := access.Portals(s)
	if want != "" {
		for _, n := range names {
			if n == want {
				return want, nil
			}
		}
		return "", fmt.Errorf("no portal %q (portals: %v); pass --portal with one of them", want, names)
	}
	if len(names) == 0 {
		return "", errors.New("access.toml defines no portal; add a [portals.internal] table")
	}
	for _, n := range names {
		if n == "internal" {
			return n, nil
		}
	}
	return names[0], nil
}

// swap replaces the served files with files and returns the paths that
// changed. s.mu is held.
func (s *Server) swap(files map[string][]byte) []string {
	var changed []string
	for p, b := range files {
		if old, ok := s.files[p]; !ok || !bytes.Equal(old, b) {
			changed = append(changed, p)
		}
	}
	for p := range s.files {
		if _, ok := files[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	if len(changed) == 0 {
		return nil
	}
	s.gen++
	for _, p := range changed {
		s.changedAt[p] = s.gen
		if isStatic(p) {
			s.staticAt = s.gen
		}
	}
	s.files = files
	return changed
}

// isStatic reports whether a path is a theme asset every page uses.
func isStatic(p string) bool { return len(p) > 7 && p[:7] == "static/" }

// file returns a served file and the current generation; lazy is set
// for a file made on request.
func (s *Server) file(p string) (b []byte, lazy func(context.Context) ([]byte, error), ok bool, gen int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok = s.files[p]
	if !ok {
		lazy, ok = s.lazy[p]
	}
	return b, lazy, ok, s.gen
}

// stale reports whether the page at p, served at generation gen, is out
// of date: the page changed since, or a theme asset did. s.mu is held.
func (s *Server) stale(p string, gen int) bool {
	return s.changedAt[p] > gen || s.staticAt > gen
}
