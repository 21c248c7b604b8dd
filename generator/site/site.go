// Package site runs the front of cairn's pipeline, load then check, and
// hands later stages (render, pdf, search) one finished site model with
// its link graph.
package site

import (
	"context"
	"io/fs"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/check"
	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/leaks"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// Result is a loaded and checked site.
type Result struct {
	// Site is the site model with its link graph; nil when the site could
	// not be read at all.
	Site  *model.Site
	Diags *diag.List
	Stats check.Stats
	// SecretsFiles is what the structural check read of each secrets
	// file, for secrets.CheckSiteParsed (so cairn check parses each file
	// once).
	SecretsFiles *sopsfile.Files
}

// Open loads the site in root and checks it, with expiries measured
// against today. err is set only when the site cannot be read at all;
// problems inside files are in Result.Diags, and the site is returned
// even when it has errors so that check can report them all.
func Open(ctx context.Context, root string, today time.Time) (*Result, error) {
	s, sources, loadDiags, err := load.LoadWithSources(ctx, root)
	if err != nil {
		return nil, err
	}
	res, err := finish(ctx, s, sources, loadDiags, sitefs.FS(root, ".", sitefs.MaxAttachment), today)
	if err != nil {
		return nil, err
	}
	// A CODEOWNERS file cairn wrote must still say what access.toml says.
	res.Diags.Merge(codeowners.Check(res.Site, root))
	return res, nil
}

// OpenFS is Open for a site read from fsys (a git revision's tree, see
// load.LoadFS) instead of a folder; root names it in the site model only.
// It runs the same checks, except the CODEOWNERS check, which reads the
// work tree.
func OpenFS(ctx context.Context, fsys fs.FS, root string, today time.Time) (*Result, error) {
	s, sources, loadDiags, err := load.LoadFS(ctx, fsys, root)
	if err != nil {
		return nil, err
	}
	return finish(ctx, s, sources, loadDiags, fsys, today)
}

// finish checks a loaded site: the checker, and beside it the secrets
// checks, which read files from files (rooted at the site).
func finish(ctx context.Context, s *model.Site, sources load.Sources, loadDiags *diag.List, files fs.FS, today time.Time) (*Result, error) {
	// The secrets checks (sound, fully encrypted SOPS files; no plaintext
	// secrets in TOML or Markdown) need neither a key nor the SOPS library,
	// nor the link graph: they run beside the checker, and read each item
	// from the bytes the loader already read. The bytes are dropped when
	// Open returns: later stages read the parsed model only.
	read := func(rel string) ([]byte, error) {
		if b, ok := sources[rel]; ok {
			return b, nil
		}
		return sitefs.ReadFS(files, rel, sitefs.MaxSourceFile)
	}
	var sopsDiags, leakDiags *diag.List
	var sopsFiles *sopsfile.Files
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sopsDiags, sopsFiles = sopsfile.CheckSiteFiles(s, read)
		leakDiags = leaks.CheckSite(s, files, sources)
	}()
	g, checkDiags, st, err := check.Run(ctx, s, check.Options{Today: today})
	wg.Wait()
	if err != nil {
		return nil, err
	}
	loadDiags.Merge(checkDiags)
	loadDiags.Merge(sopsDiags)
	loadDiags.Merge(leakDiags)
	return &Result{Site: s.WithGraph(g), Diags: loadDiags, Stats: st, SecretsFiles: sopsFiles}, nil
}
