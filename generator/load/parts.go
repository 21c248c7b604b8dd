package load

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// Parts is a loaded site kept file by file, so that it can be brought up
// to date after some of its files changed (Update) by reading only those.
// A Parts is never modified: Update returns a new one that shares the
// unchanged files' organizations and items with it, so both may be read
// by any number of goroutines.
type Parts struct {
	l         *loader // its diags: cairn.toml, access.toml, schemas, templates
	cfg       model.Config
	acc       model.Access
	templates []*model.Template
	walk      *diag.List // the problems of content/ itself
	entries   []walkPart // the walk of each entry of content/
	files     []file     // every file under content/, in walk order
	results   []result   // the parsed org and item files, indexed like files
	asm       *diag.List // duplicate ids, orphan secrets files
	site      *model.Site
	sources   Sources
}

// LoadParts is LoadWithSources keeping the site file by file: the same
// site, diagnostics and sources, through Parts' methods.
func LoadParts(ctx context.Context, root string) (*Parts, error) {
	return newLoader(root, diskSource{root}).parts(ctx)
}

// parts reads the whole site.
func (l *loader) parts(ctx context.Context) (*Parts, error) {
	cfg, acc, templates, err := l.front()
	if err != nil {
		return nil, err
	}
	p := &Parts{l: l, cfg: cfg, acc: acc, templates: templates}
	if err := p.walkContent(nil); err != nil {
		return nil, err
	}
	p.results = make([]result, len(p.files))
	if err := l.parseAll(ctx, p.files, nil, p.results); err != nil {
		return nil, err
	}
	p.assemble()
	return p, nil
}

// walkContent walks content/ again into p, but for the entries reuse
// returns.
func (p *Parts) walkContent(reuse func(name string) (walkPart, bool)) error {
	wl := *p.l
	wl.diags = &diag.List{}
	p.walk = wl.diags
	entries, err := wl.walkContent(reuse)
	if err != nil {
		return err
	}
	p.entries = entries
	for _, e := range entries {
		p.files = append(p.files, e.files...)
	}
	return nil
}

// assemble makes p's site from its files and results.
func (p *Parts) assemble() {
	a := assemble(p.files, p.results)
	p.asm, p.sources = a.diags, a.sources
	for i := range p.results {
		// The bytes live in p.sources, which the caller may drop; an
		// owned org or item is shared from now on.
		p.results[i].source, p.results[i].owned = nil, false
	}
	p.site = model.NewSite(p.l.root, p.cfg, p.acc, p.l.reg, a.orgs, a.items, p.templates, a.attachments)
}

// Site returns the site model, with no link graph (the checker makes
// it). It must not be modified.
func (p *Parts) Site() *model.Site { return p.site }

// Sources returns the bytes of the item files read by the LoadParts or
// Update that made p (for Update: only those it read again).
func (p *Parts) Sources() Sources { return p.sources }

// Diags returns the loader's diagnostics of the whole site, as
// LoadWithSources reports them: cairn.toml, access.toml, schemas and
// templates first, then the walk of content/, each file's in file order,
// and the rules across files (duplicate ids, orphan secrets files).
func (p *Parts) Diags() *diag.List {
	d := &diag.List{}
	d.Merge(p.l.diags)
	d.Merge(p.walk)
	for _, e := range p.entries {
		d.Merge(e.diags)
	}
	for _, r := range p.results {
		for _, x := range r.diags {
			d.Add(x)
		}
	}
	d.Merge(p.asm)
	return d
}

// Change says what an Update changed in the site model.
type Change struct {
	// Orgs are the slugs of the organizations added, removed or changed;
	// Items the ids of the items added, removed or changed (a new file,
	// new bytes, another file winning a duplicate id, a secrets file
	// added or removed). Both sorted.
	Orgs, Items []string
	// Files are the attachments (paths below content/) added or removed,
	// sorted.
	Files []string
	// Touched are the files under content/ that Update read again or
	// found new, of every kind (secrets files and attachments too),
	// relative to the site root, in walk order: their bytes may have
	// changed.
	Touched []string
}

// Empty reports whether the change changed nothing.
func (c *Change) Empty() bool {
	return len(c.Orgs) == 0 && len(c.Items) == 0 && len(c.Files) == 0 && len(c.Touched) == 0
}

// Update returns the site after the files or folders at paths (relative
// to the site root, slash-separated) changed, were added or removed. It
// lists content/ and walks again only its entries (organization folders)
// that hold one of paths, which finds added and removed files, and reads
// again only the org and item files that are new or at or below one of
// paths; an unchanged file (the same bytes) keeps its organization or
// item, so Change lists only what changed. Paths outside content/ are
// ignored: cairn.toml, access.toml, schemas and checklist templates give
// every file its meaning, and a change to one needs LoadParts. p is not
// modified.
func (p *Parts) Update(ctx context.Context, paths []string) (*Parts, *Change, error) {
	touched := map[string]bool{}
	for _, q := range paths {
		touched[path.Clean(q)] = true
	}
	under := func(rel string) bool {
		if touched["."] {
			return true
		}
		for q := rel; ; {
			if touched[q] {
				return true
			}
			i := strings.LastIndexByte(q, '/')
			if i < 0 {
				return false
			}
			q = q[:i]
		}
	}
	n := &Parts{l: p.l, cfg: p.cfg, acc: p.acc, templates: p.templates}
	// Walk again only the entries of content/ (organization folders)
	// that hold a changed path.
	oldEntry := make(map[string]walkPart, len(p.entries))
	for _, e := range p.entries {
		oldEntry[e.name] = e
	}
	changedEntry := map[string]bool{}
	for q := range touched {
		if rest, ok := strings.CutPrefix(q, "content/"); ok {
			name, _, _ := strings.Cut(rest, "/")
			changedEntry[name] = true
		}
	}
	err := n.walkContent(func(name string) (walkPart, bool) {
		e, ok := oldEntry[name]
		return e, ok && !changedEntry[name] && !under("content")
	})
	if err != nil {
		return nil, nil, err
	}
	old := make(map[string]int, len(p.files))
	for i, f := range p.files {
		old[f.rel] = i
	}
	n.results = make([]result, len(n.files))
	ch := &Change{}
	var parse []int
	for i, f := range n.files {
		j, had := old[f.rel]
		if had && !under(f.rel) {
			n.results[i] = p.results[j]
			continue
		}
		ch.Touched = append(ch.Touched, f.rel)
		parse = append(parse, i)
	}
	if len(parse) > 0 { // (nil would parse every file)
		if err := p.l.parseAll(ctx, n.files, parse, n.results); err != nil {
			return nil, nil, fmt.Errorf("reading the changed files: %w", err)
		}
	}
	for _, i := range parse {
		// The same bytes make the same org or item: keep the old one, so
		// that it does not count as changed.
		if j, had := old[n.files[i].rel]; had && sameFile(p.results[j], n.results[i]) {
			n.results[i] = p.results[j]
		}
	}
	n.assemble()
	ch.Orgs, ch.Items, ch.Files = diffSites(p.site, n.site)
	return n, ch, nil
}

// sameFile reports whether two parses of one file read the same bytes.
func sameFile(a, b result) bool {
	switch {
	case a.org != nil && b.org != nil:
		return a.org.Digest == b.org.Digest
	case a.item != nil && b.item != nil:
		return a.item.Digest == b.item.Digest
	}
	return false
}

// diffSites returns the organizations, items and attachments that differ
// between two versions of a site, sorted.
func diffSites(a, b *model.Site) (orgs, items, files []string) {
	orgs = diffSorted(len(a.Orgs), len(b.Orgs), func(i int) string { return a.Orgs[i].Slug }, func(j int) string { return b.Orgs[j].Slug },
		func(i, j int) bool { return a.Orgs[i] == b.Orgs[j] })
	items = diffSorted(len(a.Items), len(b.Items), func(i int) string { return a.Items[i].ID }, func(j int) string { return b.Items[j].ID },
		func(i, j int) bool { return a.Items[i] == b.Items[j] })
	files = diffSorted(len(a.Files), len(b.Files), func(i int) string { return a.Files[i] }, func(j int) string { return b.Files[j] },
		func(int, int) bool { return true })
	return orgs, items, files
}

// diffSorted merges two sorted lists of keys and returns the keys in one
// only, or in both but not the same there.
func diffSorted(na, nb int, ka, kb func(int) string, same func(i, j int) bool) []string {
	var out []string
	i, j := 0, 0
	for i < na || j < nb {
		switch {
		case j == nb || (i < na && ka(i) < kb(j)):
			out = append(out, ka(i))
			i++
		case i == na || kb(j) < ka(i):
			out = append(out, kb(j))
			j++
		default:
			if !same(i, j) {
				out = append(out, ka(i))
			}
			i++
			j++
		}
	}
	return out
}
