// Package site runs the front of cairn's pipeline, load then check, and
// hands later stages (render, pdf, search) one finished site model with
// its link graph.
package site

import (
	"context"
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
	// The secrets checks (sound, fully encrypted SOPS files; no plaintext
	// secrets in TOML or Markdown) need neither a key nor the SOPS library,
	// nor the link graph: they run beside the checker, and read each item
	// from the bytes the loader already read. The bytes are dropped when
	// Open returns: later stages read the parsed model only.
	read := func(rel string) ([]byte, error) {
		if b, ok := sources[rel]; ok {
			return b, nil
		}
		return sitefs.ReadFile(root, rel, sitefs.MaxSourceFile)
	}
	var sopsDiags, leakDiags *diag.List
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sopsDiags = sopsfile.CheckSite(s, read)
		leakDiags = leaks.CheckSite(s, sitefs.FS(root, ".", sitefs.MaxAttachment), sources)
	}()
	g, checkDiags, st, err := check.Run(ctx, s, check.Options{Today: today})
	wg.Wait()
	if err != nil {
		return nil, err
	}
	loadDiags.Merge(checkDiags)
	loadDiags.Merge(sopsDiags)
	loadDiags.Merge(leakDiags)
	// A CODEOWNERS file cairn wrote must still say what access.toml says.
	loadDiags.Merge(codeowners.Check(s, root))
	return &Result{Site: s.WithGraph(g), Diags: loadDiags, Stats: st}, nil
}
