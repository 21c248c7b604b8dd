// Package build writes the static portals of a site: for each portal of
// access.toml, a complete site in <output>/<portal>/ made only from that
// portal's access.View: HTML pages (generator/portal), theme assets,
// attachments, the search index (generator/search), runbooks
// (generator/runbook) and, with a base URL, a sitemap.
//
// A build is deterministic (the same site, date and theme give the same
// bytes) and atomic across portals: every portal is written into a
// staging folder inside the output folder, and only once all of them are
// written is each swapped into place, so a failed or interrupted build
// leaves the previous output as it was. Build never replaces a folder it
// did not write (MarkerFile) and refuses outputs that overlap the site's
// sources (CheckOutput).
package build

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/runbook"
	"github.com/cairn-it/cairn/generator/search"
	"github.com/cairn-it/cairn/generator/urls"
)

// Options say what to build and where.
type Options struct {
	// Output is the folder that holds one folder per portal. Required.
	// Build refuses outputs that overlap the site's sources (CheckOutput).
	Output string
	// OutputOutsideSite allows an Output outside the site's folder. Set it
	// only when the person running the build named Output (cairn build
	// --output), never from a file of the site: a pull request must not be
	// able to point a build at another folder of the machine.
	OutputOutsideSite bool
	// Portals are the portals to build; empty means every portal of
	// access.toml. Other portals' folders in Output are left alone.
	Portals []string
	// Today is the "as of" date of expiry badges and runbooks. Required:
	// the caller decides it (a flag, the git HEAD date), so builds are
	// reproducible.
	Today time.Time
	// Commit is the site's git commit, printed on runbook covers ("" when
	// unknown), and Dirty says the working tree differs from it; both come
	// from generator/provenance, as the as-of date does.
	Commit string
	Dirty  bool
	// Workers bounds how many files are rendered at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Theme renders the pages; nil means the default theme with the
	// site's themes/default/ overrides (portal.LoadTheme).
	Theme *portal.Theme
	// Sealers seal secrets, by portal name, for portals with secrets =
	// "sealed" (see Sealers); a portal without one renders placeholders
	// only.
	Sealers map[string]portal.SecretSealer
	// History fills organizations' "recently changed" lists; nil leaves
	// them empty.
	History portal.History
	// Changes gives files' last changes in git (expiry.FromHistory), for
	// documents' review badges and the calendar feed's rotations and
	// reviews; nil outside git.
	Changes expiry.Changes
	// NoRunbooks skips the PDF runbooks (they are most of a build's time):
	// for quick previews, or as the half of a build that a RunbooksOnly
	// build completes. Organization pages still link to them.
	NoRunbooks bool
	// SearchCache, when set, keeps the search index's parts between
	// calls (cairn serve can keep one for its life): each portal's index
	// is assembled from the cached parts of the pages whose keys
	// (search.PartKey) did not change, and only the others are tokenized
	// again. The bytes are those of search.Build. When it is nil, Build
	// uses one for the portals it builds (portals share the parts of
	// pages their audiences see alike), and PortalFiles makes the index
	// from fresh parts.
	SearchCache *search.Cache
	// Runbooks makes the PDF runbooks: one runbook.Maker shares fonts and
	// layouts between every book of a build. Nil means one per portal
	// (PortalFiles); Build makes one for all portals.
	Runbooks *runbook.Maker
	// Progress, when set, is called as the build passes each Stage, from
	// the goroutine that called Build. Cancelling the build's context in
	// it is honoured up to and including StageRendered.
	Progress func(stage Stage, portal string)

	// Inputs are the site's files and the program as ScanInputs found
	// them; they key every output file (File.Key). nil: Build scans the
	// site itself (reusing the scan cached in the output folder), and
	// PortalFiles gives files without keys.
	Inputs *Inputs
	// RunbooksOnly makes only the PDF runbooks, for a CI job of their own:
	// merged with a NoRunbooks build of the same commit it gives exactly
	// the files of a full build (both link pages to runbooks; Mode).
	RunbooksOnly bool
}

// Stage is a step of a build, reported to Options.Progress.
type Stage string

// The stages of a build, in order. Until the swap phase begins (after
// StageRendered) a cancelled context stops the build and leaves every
// portal folder as it was; from then on the swaps are finished whatever
// the context says.
const (
	// StageStaging: the staging folder was created (portal "").
	StageStaging Stage = "staging"
	// StagePortal: one portal is complete in staging, with its marker
	// (reported for each portal, in name order, once all are rendered).
	StagePortal Stage = "portal"
	// StageRendered: every portal is in staging; the swaps come next
	// (portal "").
	StageRendered Stage = "rendered"
	// StageSwapped: one portal's new folder took the old one's place.
	StageSwapped Stage = "swapped"
)

// Result says what a build wrote.
type Result struct {
	// Portals are in the order they were built (by name).
	Portals []PortalResult
	// Failed are the portals a content error found while rendering (a
	// runbook that cannot be laid out) kept from being replaced: their
	// previous output stays, and the other portals are built. Build then
	// also returns a *FailedError.
	Failed []PortalFailure
}

// PortalFailure is a portal that was not replaced, and why.
type PortalFailure struct {
	Name string
	Err  error
}

// FailedError is Build's error when some portals met a content error while
// rendering: the others were built and swapped in (Result says which).
// Like check errors, it is a problem in the site, not a failure to run.
type FailedError struct {
	Failed []PortalFailure
}

func (e *FailedError) Error() string {
	msgs := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		msgs[i] = fmt.Sprintf("portal %s not built (its previous output is kept): %v", f.Name, f.Err)
	}
	return strings.Join(msgs, "\n")
}

// contentError reports whether err, met while rendering one portal, comes
// from the site's content (a layout that cannot be made), so only that
// portal fails; any other error (I/O, a bug) stops the whole build.
func contentError(err error) bool {
	var le *runbook.LayoutError
	return errors.As(err, &le)
}

// PortalResult counts the files of one portal.
type PortalResult struct {
	Name string
	// Dir is the portal's folder.
	Dir string
	// Pages are HTML pages; Files every file written (pages, assets,
	// attachments, index, runbooks, sitemap; not MarkerFile); Bytes their
	// total size.
	Pages, Files int
	Bytes        int64
	// Rewritten counts the files this build wrote anew; the others are
	// the previous build's files, kept (hard-linked) because their input
	// key or their bytes did not change. Made counts the files made
	// (rendered, read or copied) rather than kept by their key: at least
	// Rewritten.
	Rewritten, Made int
}

// tmpPrefix names the staging folders a build writes into, inside the
// output folder.
const tmpPrefix = ".cairn-build-"

// File is one file of a portal's output and how to make it. Make may be
// called from any goroutine, once or several times.
type File struct {
	// Path is below the portal's folder, slash-separated (generator/urls).
	Path string
	// Page is true for HTML pages.
	Page bool
	// Runbook is true for PDF runbooks: the slowest files, which a preview
	// server may make only when they are asked for.
	Runbook bool
	Make    func(ctx context.Context) ([]byte, error)
	// Key is a hash of everything the file is made from: two files with
	// the same Key have the same bytes, so a build whose previous output
	// holds the file under the same Key keeps it without calling Make.
	// The zero Key means none: the file is made every time.
	Key portal.Key
}

// Build builds the portals of site into opts.Output, all or none: every
// portal is rendered into a staging folder inside the output folder first,
// and only when all of them succeeded is each swapped into place
// (swapIn; docs/deploying.md states the guarantee). On error, or when ctx
// is cancelled before the swaps begin, every portal folder is as it was
// and the staging folder is removed.
//
// The views of the portals built must be free of check errors (site.Open,
// then Blocked): Build renders what it is given. It refuses an unsafe
// output folder (CheckOutput) and a portal folder that a previous build
// did not write (one without MarkerFile), wrapping ErrOutput.
func Build(ctx context.Context, site *model.Site, opts Options) (*Result, error) {
	return build(ctx, site, opts, exchange)
}

// build is Build with the folder exchange given, so tests can take the
// fallback path.
func build(ctx context.Context, site *model.Site, opts Options, xchg exchangeFunc) (*Result, error) {
	if opts.Output == "" {
		return nil, errors.New("build: no output folder")
	}
	if opts.Today.IsZero() {
		return nil, errors.New("build: no as-of date (Options.Today)")
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(Stage, string) {}
	}
	names := opts.Portals
	if len(names) == 0 {
		names = access.Portals(site)
	}
	names = append([]string(nil), names...)
	sort.Strings(names)
	if len(names) == 0 {
		return nil, errors.New("access.toml defines no portals: add a [portals.NAME] table (see cairn help portals)")
	}
	views := make([]*access.View, len(names))
	for i, n := range names {
		if i > 0 && names[i-1] == n {
			return nil, fmt.Errorf("portal %q named twice", n)
		}
		v, err := access.NewView(site, n)
		if err != nil {
			return nil, err
		}
		views[i] = v
	}
	theme := opts.Theme
	if theme == nil {
		var err error
		if theme, err = portal.LoadTheme(site.Root); err != nil {
			return nil, err
		}
	}

	out, err := CheckOutput(site.Root, opts.Output, opts.OutputOutsideSite)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("creating the output folder: %w", err)
	}
	if err := removeStale(out); err != nil {
		return nil, err
	}
	if err := checkManifestDir(out); err != nil {
		return nil, err
	}
	for _, n := range names {
		if err := checkReplaceable(filepath.Join(out, n)); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp(out, tmpPrefix)
	if err != nil {
		return nil, fmt.Errorf("creating a staging folder in %s: %w", out, err)
	}
	// The staging folder goes in every case: after a successful swap it
	// holds the previous portals.
	defer removeTree(tmp)
	progress(StageStaging, "")

	// One search cache for every portal of the build: a page that two
	// portals' audiences see alike (equal search.PartKey) is tokenized
	// once, for the first portal's index.
	if opts.SearchCache == nil {
		opts.SearchCache = &search.Cache{}
	}
	if opts.Runbooks == nil {
		opts.Runbooks = runbook.NewMaker()
	}
	// The inputs key every file; the previous build's manifest of each
	// portal says which files its folder holds under which keys.
	if opts.Inputs == nil {
		if opts.Inputs, err = ScanInputs(ctx, site.Root, out); err != nil {
			return nil, err
		}
	}
	mode := opts.mode()
	fp := opts.Inputs.Fingerprint(opts.Today, opts.Commit, opts.Dirty, mode)

	// Every file of every portal goes into one pool of workers, so the
	// slow runbooks of one portal overlap the pages of the next.
	// The portal folders are walked for planted links (holdsLink) while
	// the files are planned.
	linked := make(chan []bool, 1)
	go func() {
		l := make([]bool, len(names))
		for i, n := range names {
			l[i] = holdsLink(filepath.Join(out, n))
		}
		linked <- l
	}()
	var jobs []job
	prevs := make([]*manifest, len(names))
	for i, v := range views {
		files, err := PortalFiles(v, theme, opts)
		if err != nil {
			<-linked
			return nil, err
		}
		prev := readManifest(out, names[i], mode)
		prevs[i] = prev
		for _, f := range files {
			j := job{portal: i, File: f, cur: filepath.Join(out, names[i], filepath.FromSlash(f.Path))}
			if prev != nil {
				if e, ok := prev.Files[f.Path]; ok {
					j.prev = &e
				}
			}
			jobs = append(jobs, j)
		}
	}
	// A portal folder that holds a symbolic link is made in full: nothing
	// of it is kept.
	l := <-linked
	for i := range jobs {
		if l[jobs[i].portal] {
			jobs[i].prev = nil
		}
	}
	// Each portal's spare folder, when it has one, becomes its staging
	// folder (spare.go): most of its files are kept where they are.
	// The search index's saved parts, for the portals whose index is made.
	loadSearchCaches(opts.SearchCache, out, names, mode, jobs)
	have, err := stageSpares(ctx, out, tmp, names, mode, jobs, opts.Workers)
	if err != nil {
		return nil, err
	}
	counts, failed, entries, err := writePortals(ctx, tmp, names, jobs, opts.Workers, have)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var built []string
	for i, n := range names {
		if failed[i] != nil {
			res.Failed = append(res.Failed, PortalFailure{Name: n, Err: failed[i]})
			if err := os.RemoveAll(filepath.Join(tmp, n)); err != nil {
				return nil, fmt.Errorf("portal %s: removing its staging folder: %w", n, err)
			}
			continue
		}
		if err := stageMarker(filepath.Join(out, n), filepath.Join(tmp, n)); err != nil {
			return nil, fmt.Errorf("portal %s: %w", n, err)
		}
		pr := counts[i]
		pr.Name, pr.Dir = n, filepath.Join(out, n)
		res.Portals = append(res.Portals, pr)
		built = append(built, n)
		progress(StagePortal, n)
	}
	progress(StageRendered, "")
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}
	// A previous manifest stays until the swaps are done: it never makes
	// a later build trust a file it describes wrongly, as a file whose
	// time differs from its entry is trusted only for the same bytes
	// (entry.intact).
	if err := swapAll(tmp, out, built, xchg, progress); err != nil {
		return nil, err
	}
	if err := saveManifests(out, names, built, entries, fp, mode, opts); err != nil {
		return nil, err
	}
	for i, n := range names {
		if failed[i] == nil {
			keepSpare(out, tmp, n, mode, prevs[i], entries[i])
		}
	}
	saveSearchCaches(opts.SearchCache, out, built, mode)
	if len(res.Failed) > 0 {
		return res, &FailedError{Failed: res.Failed}
	}
	return res, nil
}

// ItemFiles returns the files of the pages of the items with the ids
// that the view's portal shows, as PortalFiles makes them (the same
// bytes, without keys), in the order of ids, without listing the
// portal's other files: cairn serve makes the page being edited with
// them before it lists the rest. Ids of items the portal has no page for
// are left out.
func ItemFiles(v *access.View, theme *portal.Theme, opts Options, ids []string) []File {
	r := newRenderer(v, theme, opts)
	var files []File
	for _, id := range ids {
		if p, ok := r.ItemPage(id); ok {
			files = append(files, pageFile(r, p, portal.Key{}))
		}
	}
	return files
}

// newRenderer returns the renderer of the view's pages: one place for
// the options every build of a portal's pages uses. Pages link to
// runbooks unless the build has none at all: a NoRunbooks build is one
// half of a full build, RunbooksOnly the other (Mode).
func newRenderer(v *access.View, theme *portal.Theme, opts Options) *portal.Renderer {
	return portal.New(v, theme, portal.Options{Today: opts.Today, Sealer: opts.Sealers[v.Portal.Name], History: opts.History, Runbooks: true, Search: true,
		Changes: opts.Changes, Calendar: true})
}

// pageFile is the file of one page, made by r.
func pageFile(r *portal.Renderer, p portal.Page, key portal.Key) File {
	return File{Path: p.Path, Page: true, Key: key, Make: func(ctx context.Context) ([]byte, error) {
		var buf bytes.Buffer
		if err := r.Render(ctx, &buf, p); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}}
}

// PortalFiles lists every file of one portal's output (pages, theme
// assets, attachments, search index, runbooks, sitemap) in a fixed order,
// making none of them: cairn build writes them to disk, cairn serve keeps
// them in memory. Options.Output and Options.Portals are not used.
func PortalFiles(v *access.View, theme *portal.Theme, opts Options) ([]File, error) {
	r := newRenderer(v, theme, opts)
	base := baseKey(opts.Inputs, theme)
	if opts.RunbooksOnly {
		files := runbookFiles(v, r, base, opts)
		return files, checkPaths(v, files)
	}
	pages := r.Pages()
	keys, err := r.PageKeys(context.Background(), base, pages)
	if err != nil {
		return nil, err
	}
	var files []File
	for i, p := range pages {
		files = append(files, pageFile(r, p, keys[i]))
	}
	for _, a := range theme.Assets() {
		a := a
		files = append(files, File{Path: urls.Static(a), Key: assetKey(theme, a), Make: func(context.Context) ([]byte, error) {
			b, err := theme.Asset(a)
			if err != nil {
				return nil, fmt.Errorf("theme asset %s: %w", a, err)
			}
			return b, nil
		}})
	}
	for _, f := range r.Files() {
		files = append(files, File{Path: urls.FilePath(f), Key: attachmentKey(opts.Inputs, f), Make: func(context.Context) ([]byte, error) {
			return v.ReadFile(f)
		}})
	}
	view := r.ViewKey(base)
	// The organization list the sidebar's switcher loads: once per portal
	// instead of on every page (portal.OrgsScript).
	files = append(files, File{Path: portal.OrgsScript, Key: orgsScriptKey(base, v), Make: func(context.Context) ([]byte, error) {
		return r.OrgsScript()
	}})
	files = append(files, File{Path: search.IndexFile, Key: searchKey(view), Make: func(context.Context) ([]byte, error) {
		if opts.SearchCache != nil {
			b, _, err := opts.SearchCache.Build(v)
			return b, err
		}
		files, err := search.Build(v)
		if err != nil {
			return nil, err
		}
		if len(files) != 1 || files[search.IndexFile] == nil {
			return nil, fmt.Errorf("search index of portal %s: want one file %s, got %d files", v.Portal.Name, search.IndexFile, len(files))
		}
		return files[search.IndexFile], nil
	}})
	// The calendar feed: what falls due among the items this portal may
	// see (the view is its only source), stamped with the as-of date.
	files = append(files, File{Path: expiry.ICSFile, Key: calendarKey(view, v, opts), Make: func(context.Context) ([]byte, error) {
		var buf bytes.Buffer
		name := v.Config().Title
		if t := v.Portal.Title; t != "" && t != name {
			name += ": " + t
		}
		err := expiry.WriteICS(&buf, expiry.Collect(v, opts.Changes, opts.Today), expiry.ICSOptions{Name: name, AsOf: opts.Today})
		return buf.Bytes(), err
	}})
	if !opts.NoRunbooks {
		files = append(files, runbookFiles(v, r, base, opts)...)
	}
	if u := v.Config().BaseURL; u != "" {
		files = append(files, File{Path: "sitemap.xml", Key: sitemapKey(base, u, v, pages), Make: func(context.Context) ([]byte, error) {
			return sitemap(portalURL(u, v.Portal.Name), pages), nil
		}})
	}
	return files, checkPaths(v, files)
}

// runbookFiles lists the PDF runbook of every organization of the view.
func runbookFiles(v *access.View, r *portal.Renderer, base portal.Key, opts Options) []File {
	var files []File
	books := opts.Runbooks
	if books == nil {
		books = runbook.NewMaker()
	}
	for _, o := range v.Orgs() {
		org := o.Slug
		files = append(files, File{Path: urls.Runbook(org), Runbook: true, Key: runbookKey(v, r, base, org, opts), Make: func(ctx context.Context) ([]byte, error) {
			var buf bytes.Buffer
			err := books.Write(ctx, &buf, v, org, RunbookOptions(v, opts))
			if err != nil {
				return nil, err // runbook.Write names the organization
			}
			return buf.Bytes(), nil
		}})
	}
	return files
}

// checkPaths refuses a list of output files with an invalid path or two
// files at one path.
func checkPaths(v *access.View, files []File) error {
	seen := map[string]bool{}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return fmt.Errorf("portal %s: invalid output path %q", v.Portal.Name, f.Path)
		}
		if seen[f.Path] {
			return fmt.Errorf("portal %s: two outputs want %s (an organization slug that clashes with static/, search/ or runbooks/, or attachments X and X.txt, as X is published as X.txt when its type is not passive: rename one)", v.Portal.Name, f.Path)
		}
		seen[f.Path] = true
	}
	return nil
}

// RunbookOptions are the options a build makes the runbooks of view v's
// portal with: runbook.ViewKey(v, org, RunbookOptions(v, opts)) is the
// key of the PDF a build with opts writes for organization org (equal
// keys, equal bytes).
func RunbookOptions(v *access.View, opts Options) runbook.Options {
	return runbook.Options{
		AsOf: opts.Today, Commit: opts.Commit, Dirty: opts.Dirty, Portal: v.Portal.Name, IncludeArchived: v.Portal.Archived,
	}
}

// portalURL returns the absolute URL of a portal's root: base_url with
// {portal} replaced by the name, or base_url/<portal>/ when it has no
// {portal}.
func portalURL(base, name string) string {
	if strings.Contains(base, "{portal}") {
		u := strings.ReplaceAll(base, "{portal}", name)
		return strings.TrimSuffix(u, "/") + "/"
	}
	return strings.TrimSuffix(base, "/") + "/" + name + "/"
}

// sitemap writes a sitemap of the pages, index.html dropped from URLs.
func sitemap(root string, pages []portal.Page) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range pages {
		loc := root + strings.TrimSuffix(p.Path, "index.html")
		b.WriteString("  <url><loc>")
		_ = xml.EscapeText(&b, []byte(loc))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// forEach calls fn for 0..n-1 on a bounded number of workers (0 means
// GOMAXPROCS). The first error cancels the context fn is given, stops
// handing out work, and is returned.
func forEach(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		once     sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// Render makes files in memory with a bounded number of workers (0 means
// GOMAXPROCS) and returns their bytes in the same order. cairn serve uses
// it; Build streams files to disk instead, so its memory stays bounded.
func Render(ctx context.Context, files []File, workers int) ([][]byte, error) {
	out := make([][]byte, len(files))
	err := forEach(ctx, len(files), workers, func(ctx context.Context, i int) error {
		data, err := files[i].Make(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", files[i].Path, err)
		}
		out[i] = data
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// job is a file of the portal with index portal in a build: cur is
// where the previous build left it, prev what its manifest says of it
// (nil when it has none).
type job struct {
	portal int
	File
	cur  string
	prev *entry
	// spare is the entry of the file that the staging folder, a recycled
	// spare, holds at the job's path already; nil when it holds none.
	spare *entry
}

// writePortals makes every job with a bounded number of workers, writing
// into tmp/<portal>/, and counts each portal's files. The first error, or
// ctx's cancellation, stops the rest.
//
// A content error (see contentError) in one portal's file fails that
// portal only: failed[i] holds its first such error, its other files are
// skipped, and the rest of the build goes on.
//
// have lists the folders that exist already (a recycled spare's), which
// are not created again.
func writePortals(ctx context.Context, tmp string, names []string, jobs []job, workers int, have map[string]bool) (counts []PortalResult, failed []error, entries []map[string]entry, err error) {
	// Create every folder once, up front, rather than per file.
	dirs := map[string]bool{}
	for _, n := range names {
		dirs[filepath.Join(tmp, n)] = true
	}
	for _, j := range jobs {
		dirs[filepath.Join(tmp, names[j.portal], filepath.FromSlash(path.Dir(j.Path)))] = true
	}
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		if !have[d] {
			dirList = append(dirList, d)
		}
	}
	sort.Strings(dirList)
	if err := makeDirs(ctx, dirList, workers); err != nil {
		return nil, nil, nil, err
	}
	var mu sync.Mutex
	counts = make([]PortalResult, len(names))
	failed = make([]error, len(names))
	entries = make([]map[string]entry, len(names))
	for i := range entries {
		entries[i] = map[string]entry{}
	}
	err = forEach(ctx, len(jobs), workers, func(ctx context.Context, i int) error {
		j := jobs[i]
		mu.Lock()
		skip := failed[j.portal] != nil
		mu.Unlock()
		if skip {
			return nil
		}
		dst := filepath.Join(tmp, names[j.portal], filepath.FromSlash(j.Path))
		e, size, made, wrote, err := writeJob(ctx, j, dst)
		if err != nil && ctx.Err() == nil && contentError(err) {
			mu.Lock()
			if failed[j.portal] == nil {
				failed[j.portal] = err
			}
			mu.Unlock()
			return nil
		}
		if err != nil {
			return fmt.Errorf("portal %s: %s: %w", names[j.portal], j.Path, err)
		}
		mu.Lock()
		c := &counts[j.portal]
		c.Files++
		c.Bytes += size
		if j.Page {
			c.Pages++
		}
		if wrote {
			c.Rewritten++
		}
		if made {
			c.Made++
		}
		entries[j.portal][j.Path] = e
		mu.Unlock()
		return nil
	})
	if cerr := ctx.Err(); cerr != nil {
		// A worker's error after cancellation is the cancellation.
		return nil, nil, nil, interrupted(cerr)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return counts, failed, entries, nil
}

// interrupted is the error of a build stopped by its context (a signal)
// before the swaps: the previous output is unchanged.
func interrupted(err error) error {
	return fmt.Errorf("build interrupted, every portal left as it was: %w", err)
}
