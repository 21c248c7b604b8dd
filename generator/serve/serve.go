// Package serve is cairn's preview server: it builds one portal in memory,
// serves it over HTTP, rebuilds when the site's files change, and tells
// open pages to reload (server-sent events at /__cairn/events) or to show
// the site's check errors in an overlay. The live-reload script is added
// to HTML responses as they are served, so the built pages themselves are
// exactly what cairn build writes.
//
// The server keeps the loaded and checked site (site.State): a rebuild
// after files changed reads and checks again only those files and what
// depends on them, then makes again only the outputs the change can
// affect (affected): the changed items' pages first, which open pages
// reload at once, then their neighbours, lists, organization and home
// pages, then the search index, calendar feed and sitemap. A change to
// access.toml or a schema reads and checks again only what depends on it
// (site.State.Update) and renders everything, open pages first; a change
// to cairn.toml, a template or the theme loads, checks and renders
// everything. Only pages whose bytes changed are
// reloaded (every page, when a theme asset under static/ changed).
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
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

// FilesFunc lists the files of one portal of a checked site (with no
// errors), making none of them, as build.PortalFiles does: made, they
// are the bytes RenderFunc gives. It is called from one goroutine at a
// time.
type FilesFunc func(s *model.Site, portal string) ([]build.File, error)

// ItemsFunc returns the files of the pages of the items with the ids that
// one portal of a checked site (with no errors) shows, making none of
// them and listing no other file: made, they are the bytes FilesFunc's
// files give. It is called from one goroutine at a time.
type ItemsFunc func(s *model.Site, portal string, ids []string) ([]build.File, error)

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
	// Files, when set, lists the portal's files: a rebuild after files
	// changed makes only those the change can affect, the changed items'
	// pages first, so the page being edited reloads before the rest is
	// made. Without it every rebuild renders the whole portal.
	Files FilesFunc
	// Items, when set with Files, makes the changed items' pages before
	// Files lists the portal's files (which costs tens of milliseconds on
	// a large site): the page being edited reloads sooner.
	Items ItemsFunc
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
	// Made is how many files the rebuild made (rendered or copied).
	Made int
}

// Server serves one portal and rebuilds it on demand. Its methods are safe
// for concurrent use; rebuilds run one at a time.
type Server struct {
	opts Options

	build sync.Mutex // one rebuild at a time

	state *site.State // the checked site; nil until it could be read
	built *model.Site // the site the served files were made from; nil before
	// pending is what changed since the served files were made (the
	// changes of rebuilds that stopped at problems, merged); nil when
	// anything may have.
	pending *site.Delta

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

// Rebuild loads and checks the whole site again and, when it has no
// errors, renders the portal and swaps in the files that changed; then it
// tells every open page what happened. When the site has errors the
// previous build keeps being served and pages show the problems instead.
// The error is set only when ctx was cancelled.
func (s *Server) Rebuild(ctx context.Context) (Result, error) {
	return s.RebuildFiles(ctx, nil)
}

// RebuildFiles is Rebuild after the files or folders at paths (relative
// to the site root) changed, were added or removed: it reads and checks
// again only what the change can affect and, with Options.Files, makes
// again only the outputs it can affect, the changed items' pages first.
// nil paths mean anything may have changed.
func (s *Server) RebuildFiles(ctx context.Context, paths []string) (Result, error) {
	s.build.Lock()
	defer s.build.Unlock()
	start := time.Now()
	res, delta, err := s.check(ctx, paths)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if s.built != nil {
		delta = merge(s.pending, delta)
	}
	s.pending = delta
	var portal string
	var probs []Problem
	if err != nil {
		probs = []Problem{{Message: fmt.Sprintf("cannot read the site in %s: %v", s.opts.Root, err)}}
	} else {
		portal, probs = s.portalProblems(res)
	}
	out := Result{Problems: probs, Portal: portal}
	if probs == nil {
		out.Problems = s.make(ctx, res.Site, portal, delta, start, &out)
	}
	if out.Problems == nil {
		s.pending = &site.Delta{}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	s.mu.Lock()
	s.problems = out.Problems
	if portal != "" {
		s.portal = portal
	}
	out.Gen = s.gen
	s.notifyLocked()
	s.mu.Unlock()
	out.Took = time.Since(start)
	if probs := out.Problems; probs != nil {
		out.Changed = nil
		what := "1 problem"
		if len(probs) > 1 {
			what = fmt.Sprintf("%d problems", len(probs))
		}
		fmt.Fprintf(s.opts.Log, "cairn serve: %s: pages show them until fixed (first: %s)\n", what, probs[0])
	} else {
		fmt.Fprintf(s.opts.Log, "cairn serve: built portal %s in %s: %d files made, %d changed\n", portal, out.Took.Round(time.Millisecond), out.Made, len(out.Changed))
	}
	return out, nil
}

// merge returns the changes of a and then b; nil when either is nil
// (anything may have changed).
func merge(a, b *site.Delta) *site.Delta {
	if a == nil || b == nil {
		return nil
	}
	union := func(x, y []string) []string {
		out := append(append([]string(nil), x...), y...)
		sort.Strings(out)
		return slices.Compact(out)
	}
	return &site.Delta{Full: a.Full || b.Full, Orgs: union(a.Orgs, b.Orgs), Items: union(a.Items, b.Items),
		Files: union(a.Files, b.Files), Rechecked: union(a.Rechecked, b.Rechecked)}
}

// check brings the checked site up to date: from scratch on the first
// call, after an error, or when paths is nil; else by site.State.Update.
// A nil Delta means everything may have changed.
func (s *Server) check(ctx context.Context, paths []string) (*site.Result, *site.Delta, error) {
	today := s.opts.Today()
	if s.state != nil && paths != nil {
		res, d, err := s.state.Update(ctx, paths, today)
		if err == nil {
			return res, d, nil
		}
		if ctx.Err() != nil {
			return nil, nil, err
		}
		s.state = nil // read it all again below
	}
	st, err := site.NewState(ctx, s.opts.Root, today)
	if err != nil {
		s.state = nil
		return nil, nil, err
	}
	s.state = st
	return st.Result(), nil, nil
}

// portalProblems returns the portal to serve and the errors that stop
// its preview.
func (s *Server) portalProblems(res *site.Result) (string, []Problem) {
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
	return portal, probs
}

// make makes the portal's files from a sound site and swaps them in,
// telling open pages as each round lands; it returns the problems that
// stopped it. Without Options.Files it renders everything (Render). With
// it, it makes what the change can affect (affected), or, with no Delta
// or no previous build of this portal, everything, in three rounds: the
// changed items' pages (and the removal of pages the portal no longer
// has), the other pages and files, then the search index, calendar feed
// and sitemap, which are slow to make and no open page shows.
func (s *Server) make(ctx context.Context, st *model.Site, portal string, d *site.Delta, start time.Time, out *Result) []Problem {
	if s.opts.Files == nil {
		return s.makeAll(ctx, st, portal, out)
	}
	s.mu.RLock()
	old := s.built
	if d == nil || portal != s.portal {
		old = nil
	}
	s.mu.RUnlock()
	var early map[string]bool
	if old != nil && s.opts.Items != nil && len(d.Items) > 0 {
		var probs []Problem
		if early, probs = s.makeItems(ctx, st, portal, d.Items, start, out); probs != nil {
			return probs
		}
	}
	all, err := s.opts.Files(st, portal)
	if err != nil {
		return renderProblems(portal, err)
	}
	s.mu.RLock()
	var p plan
	if old != nil {
		p = affected(old, st, d, all, s.files)
	} else {
		p = plan{all: true}
	}
	s.mu.RUnlock()
	byPath := make(map[string]build.File, len(all))
	lazy := map[string]func(context.Context) ([]byte, error){}
	for _, f := range all {
		byPath[f.Path] = f
		if f.Runbook {
			lazy[f.Path] = f.Make
		}
	}
	if p.all {
		p = everything(all)
	}
	p.first = slices.DeleteFunc(p.first, func(path string) bool { return early[path] })
	p = s.openFirst(p)
	s.mu.Lock()
	var gone []string
	for path := range s.files {
		if _, ok := byPath[path]; !ok {
			gone = append(gone, path)
		}
	}
	s.lazy = lazy
	s.built = nil // until every round is in
	s.mu.Unlock()
	for i, round := range [][]string{p.first, p.rest, p.last} {
		files := make([]build.File, len(round))
		for j, path := range round {
			files[j] = byPath[path]
		}
		data, err := build.Render(ctx, files, 0)
		if err != nil {
			return renderProblems(portal, err)
		}
		made := make(map[string][]byte, len(files))
		for j, f := range files {
			made[f.Path] = data[j]
		}
		out.Made += len(files)
		s.mu.Lock()
		changed := s.update(made, gone)
		gone = nil
		out.Changed = append(out.Changed, changed...)
		if changed != nil {
			s.notifyLocked()
		}
		if i == 0 && changed != nil && out.FirstReload == 0 {
			out.FirstReload = time.Since(start)
		}
		if i == 2 {
			s.built = st
		}
		s.mu.Unlock()
	}
	sort.Strings(out.Changed)
	return nil
}

// makeItems makes the pages of the items with the ids (the changed
// ones) and swaps them in before the portal's files are listed, telling
// open pages; the pages of those the portal no longer has are removed.
// It returns the paths of the pages made. The served build is
// incomplete until make's last round is in (s.built is nil till then).
func (s *Server) makeItems(ctx context.Context, st *model.Site, portal string, ids []string, start time.Time, out *Result) (map[string]bool, []Problem) {
	files, err := s.opts.Items(st, portal, ids)
	if err != nil {
		return nil, renderProblems(portal, err)
	}
	data, err := build.Render(ctx, files, 0)
	if err != nil {
		return nil, renderProblems(portal, err)
	}
	made := make(map[string][]byte, len(files))
	early := make(map[string]bool, len(files))
	for i, f := range files {
		made[f.Path] = data[i]
		early[f.Path] = true
	}
	var gone []string
	for _, id := range ids {
		// The path of an item's page is no other output's: the portal
		// that does not make it no longer has it.
		if p := urls.ItemID(id); !early[p] {
			gone = append(gone, p)
		}
	}
	out.Made += len(files)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.built = nil // until every round is in
	changed := s.update(made, gone)
	out.Changed = append(out.Changed, changed...)
	if changed != nil {
		s.notifyLocked()
		out.FirstReload = time.Since(start)
	}
	return early, nil
}

// openFirst makes the pages open in a browser (the clients listening for
// events) the plan's first round, when the plan makes any of them: the
// page the user looks at reloads as soon as it is made, not after the
// other pages (every page, when the whole portal is made again). Pages
// in the first round nobody has open move to the second.
func (s *Server) openFirst(p plan) plan {
	s.mu.RLock()
	open := map[string]bool{}
	for c := range s.clients {
		open[c.path] = true
	}
	s.mu.RUnlock()
	var first, rest []string
	for _, round := range [][]string{p.first, p.rest} {
		for _, path := range round {
			if open[path] {
				first = append(first, path)
			} else {
				rest = append(rest, path)
			}
		}
	}
	if len(first) == 0 {
		return p
	}
	p.first, p.rest = first, rest
	return p
}

// makeAll renders the whole portal and swaps it in.
func (s *Server) makeAll(ctx context.Context, st *model.Site, portal string, out *Result) []Problem {
	files, err := s.opts.Render(ctx, st, portal)
	if err == nil && files == nil {
		err = errors.New("the renderer returned nothing")
	}
	if err != nil {
		return renderProblems(portal, err)
	}
	out.Made = len(files.Files)
	s.mu.Lock()
	out.Changed = s.swap(files.Files)
	s.lazy = files.Lazy
	s.built = st
	s.mu.Unlock()
	return nil
}

// renderProblems turns an error of the renderer into problems.
func renderProblems(portal string, err error) []Problem {
	var de *diag.Errors
	if errors.As(err, &de) {
		var probs []Problem
		for _, d := range de.List {
			probs = append(probs, Problem{Pos: d.Pos.String(), Message: d.Message, Hint: d.Hint})
		}
		return probs
	}
	return []Problem{{Message: fmt.Sprintf("building portal %s: %v", portal, err)}}
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
	var gone []string
	for p := range s.files {
		if _, ok := files[p]; !ok {
			gone = append(gone, p)
		}
	}
	return s.update(files, gone)
}

// update swaps in the files in made and removes those in gone, and
// returns the paths whose bytes changed, sorted. s.mu is held.
func (s *Server) update(made map[string][]byte, gone []string) []string {
	var changed []string
	for p, b := range made {
		if old, ok := s.files[p]; ok && bytes.Equal(old, b) {
			continue
		}
		s.files[p] = b
		changed = append(changed, p)
	}
	for _, p := range gone {
		if _, ok := s.files[p]; ok {
			delete(s.files, p)
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
