// Package site runs the front of cairn's pipeline, load then check, and
// hands later stages (render, pdf, search) one finished site model with
// its link graph.
package site

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/cairn-it/cairn/generator/check"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/leaks"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
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
	s, loadDiags, err := load.Load(ctx, root)
	if err != nil {
		return nil, err
	}
	g, checkDiags, st, err := check.Run(ctx, s, check.Options{Today: today})
	if err != nil {
		return nil, err
	}
	loadDiags.Merge(checkDiags)
	// Secrets: sound, fully encrypted SOPS files and no plaintext secrets
	// in TOML or Markdown. Neither needs a key or the SOPS library.
	read := func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(root, filepath.FromSlash(rel))) }
	loadDiags.Merge(sopsfile.CheckSite(s, read))
	loadDiags.Merge(leaks.CheckSite(s, read))
	return &Result{Site: s.WithGraph(g), Diags: loadDiags, Stats: st}, nil
}
