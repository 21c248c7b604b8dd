package collab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cairn-it/cairn/generator/collab/forge"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// DefaultHeader is the identity header oauth2-proxy sets.
const DefaultHeader = "X-Forwarded-Email"

// Limits of a request.
const (
	// MaxForm is the largest form body accepted.
	MaxForm = 256 << 10
	// DefaultRate is the default number of requests per user per minute.
	DefaultRate = 120
	// DefaultForgeWait is how long a request waits for the forge.
	DefaultForgeWait = 20 * time.Second
)

// Options configure a Server.
type Options struct {
	Repo *Repo
	// Forge opens pull requests; nil pushes branches only.
	Forge forge.Forge
	// Header carries the signed-in user's email; "" is DefaultHeader.
	Header string
	// DevUser, when set, is the user of every request (local trials only:
	// the command refuses it with trusted proxies).
	DevUser string
	// Trusted are the proxies whose identity header is believed; empty
	// means requests must come from this machine.
	Trusted []netip.Prefix
	// StateDir keeps the CSRF key, used tokens and suggestions.
	StateDir string
	// Rate is the requests per user per minute; 0 is DefaultRate.
	Rate int
	// ForgeWait bounds the waits for the forge: opening one pull request,
	// and all the forge calls of one start page; 0 is DefaultForgeWait.
	ForgeWait time.Duration
	// Theme holds the templates (collab/*.html) and static files.
	Theme fs.FS
	// Now is the clock; Log receives one line per suggestion (never a
	// value of a field).
	Now func() time.Time
	Log io.Writer
}

// Server is the cairn collab HTTP handler. It keeps no package state; all
// it holds is in the struct and the state folder.
type Server struct {
	opts    Options
	tmpl    *template.Template
	static  fs.FS
	tokens  *tokens
	limit   *limiter
	store   *store
	md      *markdown.Parser
	mdMu    sync.Mutex
	siteMu  sync.Mutex
	prMu    sync.Mutex
	cached  *model.Site
	cacheAt plumbing.Hash
}

// New returns a server. It reads the state folder (creating its files as
// needed) and parses the templates.
func New(opts Options) (*Server, error) {
	if opts.Header == "" {
		opts.Header = DefaultHeader
	}
	if opts.Rate == 0 {
		opts.Rate = DefaultRate
	}
	if opts.ForgeWait == 0 {
		opts.ForgeWait = DefaultForgeWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"join": strings.Join}).ParseFS(opts.Theme, "collab/*.html")
	if err != nil {
		return nil, fmt.Errorf("collab templates: %w", err)
	}
	static, err := fs.Sub(opts.Theme, "collab")
	if err != nil {
		return nil, err
	}
	tok, err := newTokens(opts.StateDir, opts.Now())
	if err != nil {
		return nil, err
	}
	st, err := openStore(opts.StateDir)
	if err != nil {
		return nil, err
	}
	return &Server{opts: opts, tmpl: tmpl, static: static, tokens: tok, limit: newLimiter(opts.Rate), store: st, md: markdown.NewParser()}, nil
}

// request is one authenticated request.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	rights *Rights
	site   *model.Site
	head   plumbing.Hash
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/collab.css", http.StripPrefix("/static/", http.FileServerFS(s.static)))
	mux.HandleFunc("GET /{$}", s.auth(s.index))
	mux.HandleFunc("GET /item/{id...}", s.auth(s.editForm))
	mux.HandleFunc("POST /item/{id...}", s.auth(s.editSubmit))
	mux.HandleFunc("GET /new/{org}/{typ...}", s.auth(s.newForm))
	mux.HandleFunc("POST /new/{org}/{typ...}", s.auth(s.newSubmit))
	return s.secure(mux)
}

// secure sets the headers of every answer and refuses requests from
// anywhere but the trusted proxy (or this machine).
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Cache-Control", "no-store")
		if !remoteAllowed(r, s.opts.Trusted) {
			http.Error(w, "cairn collab: requests must come through the authenticating proxy", http.StatusForbidden)
			return
		}
		if len(s.opts.Trusted) == 0 && !localHost(r.Host) {
			http.Error(w, "cairn collab: unknown host name", http.StatusMisdirectedRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxForm)
		h.ServeHTTP(w, r)
	})
}

// auth finds the signed-in user, applies the rate limit and loads the
// latest site for the handler.
func (s *Server) auth(h func(*request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		email := s.opts.DevUser
		if email == "" {
			vals := r.Header.Values(s.opts.Header)
			if len(vals) > 1 {
				// A proxy that appends its header rather than replacing
				// the browser's would let the browser's (the first)
				// choose the user: believe neither.
				s.fail(w, http.StatusBadRequest, "The sign-in header came more than once: the request did not come through the sign-in proxy as it should.")
				return
			}
			if len(vals) == 1 {
				email = strings.TrimSpace(vals[0])
			}
		}
		if email == "" {
			s.fail(w, http.StatusUnauthorized, "You are not signed in: cairn collab is reached through the sign-in proxy.")
			return
		}
		if !s.limit.Allow(strings.ToLower(email), s.opts.Now()) {
			w.Header().Set("Retry-After", "60")
			s.fail(w, http.StatusTooManyRequests, "Too many requests: wait a minute and try again.")
			return
		}
		st, head, err := s.site(r.Context())
		if err != nil {
			fmt.Fprintf(s.opts.Log, "cairn collab: %v\n", err)
			s.fail(w, http.StatusServiceUnavailable, "The documentation cannot be read right now; try again in a moment.")
			return
		}
		rights, ok := RightsFor(st, email)
		if !ok {
			s.fail(w, http.StatusForbidden, "Your account is not a user of this documentation.")
			return
		}
		h(&request{w: w, r: r, rights: rights, site: st, head: head})
	}
}

// site returns the site at the latest default branch, loading it again
// only when the branch moved.
func (s *Server) site(ctx context.Context) (*model.Site, plumbing.Hash, error) {
	s.siteMu.Lock()
	defer s.siteMu.Unlock()
	var st *model.Site
	head, err := s.opts.Repo.Read(ctx, func(dir string, head plumbing.Hash) error {
		if s.cached != nil && head == s.cacheAt {
			st = s.cached
			return nil
		}
		res, err := site.Open(ctx, dir, s.opts.Now())
		if err != nil {
			return err
		}
		s.cached, s.cacheAt, st = res.Site, head, res.Site
		return nil
	})
	return st, head, err
}

func (s *Server) fail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_ = s.tmpl.ExecuteTemplate(w, "message.html", map[string]any{"Title": http.StatusText(code), "Message": msg})
}

func (s *Server) render(q *request, code int, name string, data map[string]any) {
	data["User"] = q.rights.User
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(code)
	if err := s.tmpl.ExecuteTemplate(q.w, name, data); err != nil {
		fmt.Fprintf(s.opts.Log, "cairn collab: rendering %s: %v\n", name, err)
	}
}

// indexItem is one line of the start page.
type indexItem struct {
	ID, Title, Type, Link string
}

func (s *Server) index(q *request) {
	var items []indexItem
	for _, it := range q.rights.Editable() {
		items = append(items, indexItem{ID: it.ID, Title: it.Title, Type: it.Schema.DisplaySingular(), Link: "/item/" + it.ID})
	}
	var creatable []indexItem
	for _, c := range q.rights.Creatable() {
		org := q.site.Org(c[0])
		creatable = append(creatable, indexItem{ID: c[0] + "/" + c[1], Title: org.Name, Type: q.site.Schemas.Get(c[1]).DisplaySingular(), Link: "/new/" + c[0] + "/" + c[1]})
	}
	s.render(q, http.StatusOK, "index.html", map[string]any{
		"Title": "Suggest a change", "Items": items, "Creatable": creatable,
		"Suggestions": s.suggestions(q.r.Context(), q.rights.User.Email),
	})
}

// suggestions returns the user's suggestions, opening the pull requests a
// down forge left unopened and refreshing states older than a minute.
func (s *Server) suggestions(ctx context.Context, email string) []Suggestion {
	// One user's page at a time asks the forge, so a pull request is
	// never opened twice for one branch.
	s.prMu.Lock()
	defer s.prMu.Unlock()
	if s.opts.Forge != nil {
		// A slow or hanging forge delays the page (and, through prMu,
		// everyone's) by ForgeWait in all, not once per suggestion; what
		// is left is tried on the next visit.
		ctx, cancel := context.WithTimeout(ctx, s.opts.ForgeWait)
		defer cancel()
		for _, sg := range s.store.Of(email) {
			if ctx.Err() != nil {
				break
			}
			switch {
			case sg.PR == 0:
				s.openPR(ctx, sg)
			case sg.State == forge.StateOpen && s.opts.Now().Sub(sg.Checked) > time.Minute:
				cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				state, err := s.opts.Forge.State(cctx, sg.PR)
				cancel()
				if err == nil {
					_ = s.store.Update(sg.Branch, func(x *Suggestion) { x.State, x.Checked = state, s.opts.Now() })
				}
			}
		}
	}
	return s.store.Of(email)
}

// openPR opens the pull request of a pushed suggestion; a forge that
// fails leaves the suggestion without one (retried later).
func (s *Server) openPR(ctx context.Context, sg Suggestion) error {
	if s.opts.Forge == nil {
		return errors.New("no forge is configured: the team opens the pull request from the branch")
	}
	var body strings.Builder
	fmt.Fprintf(&body, "Suggested by %s through cairn collab.\n\nItem: `%s`\n\nChanged:\n", sg.userName(), sg.Item)
	for _, c := range sg.Changed {
		fmt.Fprintf(&body, "- %s\n", c)
	}
	body.WriteString("\nReview the diff, then merge or close this request.\n")
	cctx, cancel := context.WithTimeout(ctx, s.opts.ForgeWait)
	defer cancel()
	pr, err := s.opts.Forge.Open(cctx, forge.Request{Title: sg.title(), Body: body.String(), Head: sg.Branch, Base: s.opts.Repo.Branch()})
	if err != nil {
		fmt.Fprintf(s.opts.Log, "cairn collab: opening the pull request for %s: %v\n", sg.Branch, err)
		return err
	}
	return s.store.Update(sg.Branch, func(x *Suggestion) {
		x.PR, x.URL, x.State, x.Checked = pr.Number, pr.URL, forge.StateOpen, s.opts.Now()
	})
}

func (sg Suggestion) title() string { return "Suggested change to " + sg.Item }

func (sg Suggestion) userName() string {
	if sg.Name == "" {
		return sg.User
	}
	return sg.Name + " <" + sg.User + ">"
}

// editable reports whether the user may change anything of the item at
// id; it answers false for ids that do not exist, so a forged id learns
// nothing.
func (q *request) item(id string) (*model.Item, bool) {
	it := q.site.Item(id)
	if it == nil || !q.rights.Sees(it) {
		return nil, false
	}
	return it, len(q.rights.Fields(it)) > 0 || len(q.rights.Tickable(it)) > 0
}

func (s *Server) forbidden(q *request) {
	s.fail(q.w, http.StatusForbidden, "You may not change this. Nothing was saved.")
}

// itemPage is what the edit template shows.
type itemPage struct {
	Item    *model.Item
	Action  string
	CSRF    string
	Base    string
	Fields  []*Field
	Tasks   []taskRow
	Errors  []string
	Preview bool
}

type taskRow struct {
	Name, Text, Assignee string
	Done, Editable       bool
}

func (s *Server) editForm(q *request) {
	it, ok := q.item(q.r.PathValue("id"))
	if !ok {
		s.forbidden(q)
		return
	}
	page := s.itemPage(q, it, q.head, nil)
	s.render(q, http.StatusOK, "item.html", map[string]any{"Title": it.Title, "Page": page})
}

func (s *Server) itemPage(q *request, it *model.Item, base plumbing.Hash, form url.Values) *itemPage {
	action := "/item/" + it.ID
	p := &itemPage{Item: it, Action: action, CSRF: s.tokens.Issue(q.rights.User.Email, action, s.opts.Now()), Base: base.String()}
	editable := map[string]bool{}
	for _, f := range q.rights.Fields(it) {
		editable[f.Name] = true
	}
	if !it.IsMarkdown() {
		b := &formBuilder{site: q.site, rights: q.rights, org: it.Org}
		// The form shows the version it is based on (base), so that what
		// a user leaves alone is never taken for a change, also when the
		// form is shown again after the default branch moved.
		values := it.Fields
		rows := func(g string) bool { return true }
		if src, err := s.opts.Repo.FileAt(base, it.File); err == nil {
			if d, err := parseEdit(src); err == nil {
				values = d.Root()
				rows = func(g string) bool { _, ok := d.Rows(g); return ok }
			}
		}
		p.Fields = b.fields(it.Schema, values, editable, rows)
	}
	tick := map[int]bool{}
	for _, i := range q.rights.Tickable(it) {
		tick[i] = true
	}
	for i, t := range it.Tasks {
		p.Tasks = append(p.Tasks, taskRow{Name: fmt.Sprintf("t.%d", i), Text: t.Text, Assignee: t.Assignee, Done: t.Done, Editable: tick[i]})
	}
	if form != nil {
		s.overlay(p, form)
	}
	return p
}

// overlay shows submitted values in a form made again (after a preview or
// a failed check), with Markdown previews of the textboxes.
func (s *Server) overlay(p *itemPage, form url.Values) {
	var walk func(fs []*Field)
	walk = func(fs []*Field) {
		for _, f := range fs {
			if f.Editable {
				if vals, ok := form[f.Name]; ok {
					f.Value = strings.Join(vals, "\n")
					f.Values = vals
					for i := range f.Options {
						f.Options[i].Selected = contains(vals, f.Options[i].Value)
					}
				}
				if f.Kind == "checkbox" {
					f.Checked = contains(form[f.Name], "true")
				}
				if f.Kind == "textbox" && f.Value != "" {
					s.mdMu.Lock()
					f.Preview = preview(s.md, f.Value)
					s.mdMu.Unlock()
				}
			}
			for _, r := range f.Rows {
				walk(r.Fields)
			}
			walk(f.New)
		}
	}
	walk(p.Fields)
	for i := range p.Tasks {
		if p.Tasks[i].Editable {
			p.Tasks[i].Done = form.Get(p.Tasks[i].Name) != ""
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// readForm parses a posted form and checks its CSRF token for action
// (without using it up); on failure it answers and returns false.
func (s *Server) readForm(q *request, action string) (url.Values, bool) {
	if err := q.r.ParseForm(); err != nil {
		s.fail(q.w, http.StatusRequestEntityTooLarge, "The form is too large or unreadable. Nothing was saved.")
		return nil, false
	}
	form := q.r.PostForm
	if _, err := s.tokens.Verify(form.Get("csrf"), q.rights.User.Email, action, s.opts.Now()); err != nil {
		s.fail(q.w, http.StatusForbidden, err.Error()+". Nothing was saved.")
		return nil, false
	}
	return form, true
}

var hashRe = regexp.MustCompile(`^[0-9a-f]{40}$`)

func (s *Server) editSubmit(q *request) {
	id := q.r.PathValue("id")
	it, ok := q.item(id)
	if !ok {
		s.forbidden(q)
		return
	}
	form, ok := s.readForm(q, "/item/"+it.ID)
	if !ok {
		return
	}
	user := q.rights.User
	base := q.head
	if b := form.Get("base"); hashRe.MatchString(b) {
		base = plumbing.NewHash(b)
	}
	baseSrc, err := s.opts.Repo.FileAt(base, it.File)
	if err != nil {
		s.fail(q.w, http.StatusConflict, "This item changed since you opened the form: open it again. Nothing was saved.")
		return
	}
	var shown []markdown.Task
	if it.IsMarkdown() {
		shown = s.tasksOf(baseSrc)
	}
	edit := func(latest []byte) ([]byte, []string, error) {
		if it.IsMarkdown() {
			return ApplyTasks(it, shown, latest, q.rights.Tickable(it), form)
		}
		return ApplyForm(baseSrc, latest, q.rights.Fields(it), form)
	}
	// Refuse forged fields before anything else happens (a dry run on the
	// version the form shows).
	_, changed, err := edit(baseSrc)
	if err == nil && !it.IsMarkdown() {
		err = checkChoices(s.itemPage(q, it, base, nil).Fields, form)
	}
	var fe *ForbiddenError
	if errors.As(err, &fe) {
		fmt.Fprintf(s.opts.Log, "cairn collab: %s: refused a form for %s naming %q\n", user.Email, it.ID, fe.Key)
		s.forbidden(q)
		return
	}
	if form.Get("action") == "preview" || err != nil || len(changed) == 0 {
		page := s.itemPage(q, it, base, form)
		page.Preview = form.Get("action") == "preview"
		code := http.StatusOK
		if err != nil {
			page.Errors = []string{err.Error()}
			code = http.StatusUnprocessableEntity
		} else if !page.Preview {
			page.Errors = []string{"Nothing changed: there is nothing to suggest."}
		}
		s.render(q, code, "item.html", map[string]any{"Title": it.Title, "Page": page})
		return
	}
	s.propose(q, it, form, func(dir string) (map[string][]byte, []string, error) {
		cur, err := sitefs.ReadFile(dir, it.File, sitefs.MaxSourceFile)
		if err != nil {
			return nil, nil, err
		}
		data, changed, err := edit(cur)
		return map[string][]byte{it.File: data}, changed, err
	}, func(written map[string][]byte, errs []diag.Diagnostic) {
		page := s.itemPage(q, it, base, form)
		page.Errors = attachErrors(page.Fields, written[it.File], it.File, q.redacted(errs))
		s.render(q, http.StatusUnprocessableEntity, "item.html", map[string]any{"Title": it.Title, "Page": page})
	})
}

// tasksOf returns the tasks of a checklist file as the form showed them
// (an empty list when the file has none, so no box counts as shown).
func (s *Server) tasksOf(src []byte) []markdown.Task {
	_, _, body, line, err := markdown.SplitFrontMatter(src)
	if err != nil {
		return []markdown.Task{}
	}
	s.mdMu.Lock()
	defer s.mdMu.Unlock()
	tasks := s.md.Parse(body, line, 1).Tasks
	if tasks == nil {
		tasks = []markdown.Task{}
	}
	return tasks
}

// redacted returns check's diagnostics as the user may read them.
func (q *request) redacted(errs []diag.Diagnostic) []diag.Diagnostic {
	hidden := hiddenNames(q.site, q.rights)
	out := make([]diag.Diagnostic, len(errs))
	for i, d := range errs {
		out[i] = redact(d, hidden)
	}
	return out
}

// ValidationError is a suggestion check rejected: the diagnostics of the
// files it wrote.
type ValidationError struct{ Diags []diag.Diagnostic }

func (e *ValidationError) Error() string {
	return fmt.Sprintf("%d problem(s) found by check", len(e.Diags))
}

func diagText(d diag.Diagnostic) string {
	s := d.Message
	if d.Hint != "" {
		s += " (" + d.Hint + ")"
	}
	return s
}

// propose uses the form's token, then commits the files write produces
// (checked as cairn check checks them) on a new branch, pushes it and
// opens the pull request. invalid shows check's errors in what was
// written.
func (s *Server) propose(q *request, it *model.Item, form url.Values, write func(dir string) (map[string][]byte, []string, error), invalid func(map[string][]byte, []diag.Diagnostic)) {
	user := q.rights.User
	action := q.r.URL.Path
	if err := s.tokens.Use(form.Get("csrf"), user.Email, action, s.opts.Now()); err != nil {
		s.fail(q.w, http.StatusForbidden, err.Error()+". Nothing was saved.")
		return
	}
	branch := branchName(user.Email, it.ID)
	var changed, files []string
	var written map[string][]byte
	now := s.opts.Now()
	commit, err := s.opts.Repo.Propose(q.r.Context(), Proposal{
		Branch: branch,
		Edit: func(ctx context.Context, dir string, base plumbing.Hash) ([]string, error) {
			out, ch, err := write(dir)
			if err != nil {
				return nil, err
			}
			if len(ch) == 0 {
				return nil, errors.New("nothing changed: the item already holds these values")
			}
			changed, written = ch, out
			for rel := range out {
				files = append(files, rel)
			}
			sort.Strings(files)
			for _, rel := range files {
				if err := WriteFile(dir, rel, out[rel]); err != nil {
					return nil, err
				}
			}
			return files, nil
		},
		Validate: func(ctx context.Context, dir string) error { return validate(ctx, dir, files, now, user.Email, q.site) },
		Message:  func() string { return commitMessage(it.ID, changed) },
		Name:     user.Name, Email: user.Email, When: now,
	})
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		invalid(written, ve.Diags)
		return
	case err != nil:
		fmt.Fprintf(s.opts.Log, "cairn collab: %s: suggestion for %s failed: %v\n", user.Email, it.ID, err)
		s.fail(q.w, http.StatusInternalServerError, "Your suggestion could not be saved: "+err.Error()+". Nothing was committed; try again.")
		return
	}
	s.done(q, Suggestion{User: user.Email, Name: user.Name, Item: it.ID, Title: it.Title, Changed: changed, Branch: branch, Commit: commit.String(), Created: now})
}

// done records a pushed suggestion, opens its pull request and tells the
// user.
func (s *Server) done(q *request, sg Suggestion) {
	fmt.Fprintf(s.opts.Log, "cairn collab: %s suggested a change to %s on branch %s\n", sg.User, sg.Item, sg.Branch)
	if err := s.store.Add(sg); err != nil {
		fmt.Fprintf(s.opts.Log, "cairn collab: recording %s: %v\n", sg.Branch, err)
	}
	s.prMu.Lock()
	prErr := s.openPR(q.r.Context(), sg)
	s.prMu.Unlock()
	var cur Suggestion
	for _, x := range s.store.Of(sg.User) {
		if x.Branch == sg.Branch {
			cur = x
		}
	}
	msg := ""
	if prErr != nil {
		// The forge's answer and address are the team's (the log has
		// them), not the client's.
		msg = "Your change is saved on branch " + sg.Branch + ", but the pull request could not be opened yet (the forge did not accept it just now). It will be opened when you next visit this page; the team sees the branch either way."
	}
	s.render(q, http.StatusOK, "done.html", map[string]any{"Title": "Suggestion sent", "Suggestion": cur, "Note": msg})
}

// validate runs cairn check's loading and checking on the clone and
// returns the errors in the files the suggestion wrote. A link the
// suggestion adds (one its item did not have in before, the site the form
// was made from) to an item or organization the user may not see is an
// error too, in the words of a link to nothing, so that a suggestion
// cannot tell whether a hidden item exists.
func validate(ctx context.Context, dir string, files []string, now time.Time, email string, before *model.Site) error {
	res, err := site.Open(ctx, dir, now)
	if err != nil {
		return err
	}
	var bad []diag.Diagnostic
	for _, d := range res.Diags.Sorted() {
		if d.Severity == diag.Error && contains(files, d.Pos.File) {
			bad = append(bad, d)
		}
	}
	bad = append(bad, hiddenLinks(res.Site, before, files, email)...)
	if len(bad) > 0 {
		return &ValidationError{Diags: bad}
	}
	return nil
}

// hiddenLinks returns a broken-link error for each link of the items in
// files to an item or organization the user does not see in after, but
// only for links their item did not have in before (links the team wrote
// stay as they are).
func hiddenLinks(after, before *model.Site, files []string, email string) []diag.Diagnostic {
	r, ok := RightsFor(after, email)
	if !ok || after.Graph == nil {
		return nil
	}
	seenOrg := map[string]bool{}
	for _, it := range after.Items {
		if r.Sees(it) {
			seenOrg[it.Org] = true
		}
	}
	var out []diag.Diagnostic
	for _, it := range after.Items {
		if !contains(files, it.File) {
			continue
		}
		had := map[string]bool{}
		if before != nil && before.Graph != nil {
			for _, l := range before.Graph.Out(it.ID) {
				had[l.To] = true
			}
		}
		for _, l := range after.Graph.Out(it.ID) {
			if had[l.To] || l.Kind == model.LinkFile || l.Kind == model.LinkUpload {
				continue
			}
			hidden := !strings.Contains(l.To, "/") && !seenOrg[l.To]
			if t := after.Item(l.To); t != nil && !r.Sees(t) {
				hidden = true
			}
			if hidden {
				out = append(out, diag.Diagnostic{Pos: l.Pos, Severity: diag.Error, Code: "broken-link", Message: hiddenMessage})
			}
		}
	}
	return out
}

func commitMessage(id string, changed []string) string {
	return "Suggest a change to " + id + "\n\nChanged through cairn collab: " + strings.Join(changed, ", ") + ".\n"
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// branchName is a new branch for a user's suggestion on an item: never the
// same twice, so two users (or one user twice) never share a branch.
func branchName(email, id string) string {
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(path.Base(id)), "-"), "-")
	who := strings.Trim(nonSlug.ReplaceAllString(local, "-"), "-")
	return "collab/" + who + "/" + slug + "-" + hex.EncodeToString(b)
}

// attachErrors puts each diagnostic on the field whose key is written at
// or above its line in the file that was checked (data), and returns the
// messages no field took.
func attachErrors(fields []*Field, data []byte, file string, errs []diag.Diagnostic) []string {
	type at struct {
		line int
		name string
	}
	var keys []at
	if root, err := tomldoc.Parse(data); err == nil {
		for _, k := range root.Keys() {
			v := root.Get(k)
			keys = append(keys, at{v.KeyPos.Line, "f." + k})
			for _, e := range v.Elements() {
				if e.Kind == tomldoc.KindTable {
					keys = append(keys, at{e.Table.Pos.Line, "f." + k})
				}
			}
		}
	}
	byName := map[string]*Field{}
	for _, f := range fields {
		byName[f.Name] = f
	}
	var rest []string
	for _, d := range errs {
		best := at{}
		for _, k := range keys {
			if d.Pos.File == file && k.line <= d.Pos.Line && k.line >= best.line {
				best = k
			}
		}
		if f := byName[best.name]; f != nil {
			if f.Error != "" {
				f.Error += "; "
			}
			f.Error += diagText(d)
			continue
		}
		rest = append(rest, diagText(d))
	}
	return rest
}
