package site

import (
	"context"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-it/cairn/generator/check"
	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/leaks"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// State is a loaded and checked site that Update keeps up to date after
// files change, reading and checking again only those files and what
// depends on them. Its Result is always what Open returns for the site
// as it is on disk (a property test, TestStateMatchesOpen, holds it to
// that). A State is used by one goroutine at a time; the Results it
// returns are never modified and may be read by any number.
type State struct {
	root    string
	today   time.Time
	files   fs.FS // the site's folder, through sitefs
	parts   *load.Parts
	scanner *leaks.Scanner

	orgs  map[string]*unit // by slug
	items map[string]*unit // by id
	// attachLeaks are the leak findings of each attachment (path below
	// content/); siteLeaks those of leaks.toml and of the files that are
	// no organization, item or attachment (settings, schemas, templates,
	// theme), which change only with a full load.
	attachLeaks map[string][]diag.Diagnostic
	siteLeaks   []diag.Diagnostic

	res *Result
}

// unit is what the checks found in one organization or item.
type unit struct {
	org     *model.Org  // the organization checked, or nil
	item    *model.Item // the item checked, or nil
	check   check.Unit
	secrets []diag.Diagnostic // sopsfile.CheckItem
	leaks   []diag.Diagnostic // leaks.Scanner
}

// Delta says what an Update changed, for callers that redo only the work
// a change can affect (cairn serve picks the pages to render from it).
type Delta struct {
	// Full is set when the whole site was loaded and checked again
	// (cairn.toml, access.toml, a schema, a template, leaks.toml, the
	// theme or the day changed): anything may have changed.
	Full bool
	// Orgs are the organizations added, removed or changed; Items the
	// items added, removed or changed; Files the attachments added,
	// removed or changed. All sorted.
	Orgs, Items, Files []string
	// Rechecked are the items checked again because something their
	// links looked up changed (their links may resolve elsewhere now),
	// sorted.
	Rechecked []string
}

// NewState loads and checks the site in root as Open does, with expiries
// measured against today, and keeps what it needs to update the result.
func NewState(ctx context.Context, root string, today time.Time) (*State, error) {
	s := &State{root: root}
	if err := s.full(ctx, today); err != nil {
		return nil, err
	}
	return s, nil
}

// Result returns the current result. It must not be modified.
func (s *State) Result() *Result { return s.res }

// full loads and checks the whole site again.
func (s *State) full(ctx context.Context, today time.Time) error {
	parts, err := load.LoadParts(ctx, s.root)
	if err != nil {
		return err
	}
	files := sitefs.FS(s.root, ".", sitefs.MaxAttachment)
	site := parts.Site()
	n := &State{root: s.root, today: today, files: files, parts: parts, scanner: leaks.NewScanner(files),
		orgs: make(map[string]*unit, len(site.Orgs)), items: make(map[string]*unit, len(site.Items)), attachLeaks: map[string][]diag.Diagnostic{}}
	k := check.NewChecker(site, check.Options{Today: today})
	units := make([]*unit, len(site.Items))
	var leakDiags *diag.List
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		leakDiags = leaks.CheckSite(site, files, parts.Sources())
	}()
	err = parallel(ctx, len(site.Items), func(i int) {
		it := site.Items[i]
		units[i] = &unit{item: it, check: k.Item(it), secrets: sopsfile.CheckItem(it, n.read)}
	})
	wg.Wait()
	if err != nil {
		return err
	}
	for _, u := range units {
		n.items[u.item.ID] = u
	}
	for _, o := range site.Orgs {
		n.orgs[o.Slug] = &unit{org: o, check: k.Org(o)}
	}
	// The leak findings, by the file they are in.
	byFile := map[string]*[]diag.Diagnostic{}
	for _, u := range n.orgs {
		byFile[u.org.File] = &u.leaks
	}
	for _, u := range n.items {
		byFile[u.item.File] = &u.leaks
	}
	for _, d := range leakDiags.Sorted() {
		if dst := byFile[d.Pos.File]; dst != nil {
			*dst = append(*dst, d)
			continue
		}
		if f, ok := strings.CutPrefix(d.Pos.File, "content/"); ok && site.HasFile(f) {
			n.attachLeaks[f] = append(n.attachLeaks[f], d)
			continue
		}
		n.siteLeaks = append(n.siteLeaks, d)
	}
	n.res = n.result(k, nil)
	*s = *n
	return nil
}

// read reads a file of the site for the secrets checks.
func (s *State) read(rel string) ([]byte, error) {
	return sitefs.ReadFS(s.files, rel, sitefs.MaxSourceFile)
}

// global reports whether a change to the file or folder rel changes what
// every file means or how it is checked: anything outside content/
// (cairn.toml, access.toml, schemas, checklist templates, leaks.toml,
// .sops.yaml, the theme), or content/ itself.
func global(rel string) bool {
	rel = path.Clean(rel)
	return !strings.HasPrefix(rel, "content/")
}

// Update brings the state up to date after the files or folders at paths
// (relative to the site root, slash-separated) changed, were added,
// removed or renamed (pass both names), with expiries measured against
// today, and returns the new result and what changed. Only the changed
// files are read again; only their organizations and items, and those
// whose links looked up something that changed, are checked again. A
// change outside content/, or another day, loads and checks the whole
// site again. On error the state is as it was.
func (s *State) Update(ctx context.Context, paths []string, today time.Time) (*Result, *Delta, error) {
	full := !sameDay(today, s.today)
	for _, p := range paths {
		full = full || global(p)
	}
	if full {
		if err := s.full(ctx, today); err != nil {
			return nil, nil, err
		}
		return s.res, &Delta{Full: true}, nil
	}
	parts, ch, err := s.parts.Update(ctx, paths)
	if err != nil {
		return nil, nil, err
	}
	old, site := s.parts.Site(), parts.Site()
	touched := make(map[string]bool, len(ch.Touched))
	for _, p := range ch.Touched {
		touched[p] = true
	}

	// What changed, as the facts a unit's lookups may have read.
	dirty := map[resolve.Dep]bool{}
	changedOrg := map[string]bool{}
	for _, slug := range ch.Orgs {
		changedOrg[slug] = true
		// A resolver reads whether an organization exists and whether it
		// is shared, nothing else of it.
		o, n := old.Org(slug), site.Org(slug)
		if o == nil || n == nil || o.Shared != n.Shared {
			dirty[resolve.Dep{Kind: resolve.DepOrg, Key: slug}] = true
		}
		if (o == nil) != (n == nil) {
			dirty[resolve.Dep{Kind: resolve.DepOrgs}] = true
		}
	}
	changedItem := map[string]bool{}
	for _, id := range ch.Items {
		changedItem[id] = true
		dirty[resolve.Dep{Kind: resolve.DepItem, Key: id}] = true
		if (old.Item(id) == nil) != (site.Item(id) == nil) {
			org, _, _ := strings.Cut(id, "/")
			dirty[resolve.Dep{Kind: resolve.DepOrgItems, Key: org}] = true
		}
	}
	for _, f := range ch.Files {
		dirty[resolve.Dep{Kind: resolve.DepFile, Key: f}] = true
	}
	stale := func(u *unit) bool {
		for _, d := range u.check.Deps {
			if dirty[d] {
				return true
			}
		}
		return false
	}

	k := check.NewChecker(site, check.Options{Today: today})
	n := *s
	n.parts = parts
	n.orgs = make(map[string]*unit, len(site.Orgs))
	n.items = make(map[string]*unit, len(site.Items))
	n.attachLeaks = make(map[string][]diag.Diagnostic, len(site.Files))
	delta := &Delta{Orgs: ch.Orgs, Items: ch.Items}
	for _, o := range site.Orgs {
		u := s.orgs[o.Slug]
		switch {
		case u == nil || changedOrg[o.Slug]:
			u = &unit{org: o, check: k.Org(o), leaks: s.scanner.Org(o)}
		case stale(u):
			c := *u
			c.check = k.Org(o)
			u = &c
		}
		n.orgs[o.Slug] = u
	}
	// Items: the changed ones are read and checked again; those whose
	// links looked up what changed are checked again; those whose secrets
	// file changed have it checked again. Checking is the slow part: run
	// it on every core.
	var redo []int
	for i, it := range site.Items {
		u := s.items[it.ID]
		if u == nil || changedItem[it.ID] || stale(u) || (it.Secrets != "" && touched[it.Secrets]) {
			redo = append(redo, i)
			continue
		}
		n.items[it.ID] = u
	}
	units := make([]*unit, len(redo))
	sources := parts.Sources()
	err = parallel(ctx, len(redo), func(j int) {
		it := site.Items[redo[j]]
		u := s.items[it.ID]
		switch {
		case u == nil || changedItem[it.ID]:
			u = &unit{item: it, check: k.Item(it), secrets: sopsfile.CheckItem(it, s.read), leaks: s.scanner.Item(it, sources[it.File])}
		default:
			c := *u
			if stale(u) {
				c.check = k.Item(it)
			}
			if it.Secrets != "" && touched[it.Secrets] {
				c.secrets = sopsfile.CheckItem(it, s.read)
			}
			u = &c
		}
		units[j] = u
	})
	if err != nil {
		return nil, nil, err
	}
	// The link graph: the links of every organization and item checked
	// again, or gone, replace theirs.
	links := map[string][]model.Link{}
	for j, i := range redo {
		it := site.Items[i]
		n.items[it.ID] = units[j]
		links[it.ID] = units[j].check.Links
		if !changedItem[it.ID] {
			delta.Rechecked = append(delta.Rechecked, it.ID)
		}
	}
	for slug, u := range n.orgs {
		if u != s.orgs[slug] {
			links[slug] = u.check.Links
		}
	}
	for slug := range s.orgs {
		if n.orgs[slug] == nil {
			links[slug] = nil
		}
	}
	for id := range s.items {
		if n.items[id] == nil {
			links[id] = nil
		}
	}
	files := map[string]bool{}
	for _, f := range ch.Files {
		files[f] = true
	}
	for _, f := range site.Files {
		l, ok := s.attachLeaks[f]
		if !ok && !old.HasFile(f) || touched["content/"+f] {
			l = s.scanner.Attachment(f)
			files[f] = true
		}
		if len(l) > 0 {
			n.attachLeaks[f] = l
		}
	}
	for f := range files {
		delta.Files = append(delta.Files, f)
	}
	sort.Strings(delta.Files)
	n.res = n.result(k, s.res.Site.Graph.With(links))
	*s = n
	return s.res, delta, nil
}

// result assembles the state's Result: the site with its link graph (g,
// or made from the units when nil), the diagnostics in the groups Open
// gives them (loader, checker, secrets files, leaks, CODEOWNERS), and the
// summary.
func (s *State) result(k *check.Checker, g *model.Graph) *Result {
	site := s.parts.Site()
	orgs := make([]check.Unit, len(site.Orgs))
	for i, o := range site.Orgs {
		orgs[i] = s.orgs[o.Slug].check
	}
	items := make([]check.Unit, len(site.Items))
	for i, it := range site.Items {
		items[i] = s.items[it.ID].check
	}
	var st check.Stats
	if g == nil {
		g, st = check.Assemble(site, orgs, items)
	} else {
		st = check.Summarize(site, orgs, items)
	}
	checked, secrets, leaked := &diag.List{}, &diag.List{}, &diag.List{}
	add := func(l *diag.List, ds []diag.Diagnostic) {
		for _, d := range ds {
			l.Add(d)
		}
	}
	add(checked, k.Site())
	for _, u := range orgs {
		add(checked, u.Diags)
	}
	for _, u := range items {
		add(checked, u.Diags)
	}
	add(leaked, s.siteLeaks)
	for _, o := range site.Orgs {
		add(leaked, s.orgs[o.Slug].leaks)
	}
	for _, it := range site.Items {
		u := s.items[it.ID]
		add(secrets, u.secrets)
		add(leaked, u.leaks)
	}
	for _, f := range site.Files {
		add(leaked, s.attachLeaks[f])
	}
	diags := s.parts.Diags()
	diags.Merge(checked)
	diags.Merge(secrets)
	diags.Merge(leaked)
	res := &Result{Site: site.WithGraph(g), Diags: diags, Stats: st}
	res.Diags.Merge(codeowners.Check(res.Site, s.root))
	return res
}

// sameDay reports whether two times fall on the same date, which is all
// the checks read of today.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// parallel calls fn for 0..n-1 on one worker per CPU, and returns the
// context's error if it was cancelled.
func parallel(ctx context.Context, n int, fn func(i int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
