package serve

import (
	"context"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/search"
)

// RenderOptions tune PortalRenderer.
type RenderOptions struct {
	// Today returns the "as of" date of expiry badges and runbooks; nil
	// means time.Now.
	Today func() time.Time
	// Sealer seals secrets for portals with secrets = "sealed"; nil
	// renders placeholders only.
	Sealer portal.SecretSealer
	// Changes gives files' last changes in git, for review badges and the
	// calendar feed; nil outside git.
	Changes expiry.Changes
	// Workers bounds how many pages render at once; 0 means GOMAXPROCS.
	Workers int
}

// PortalRenderer returns a RenderFunc that renders a portal in memory:
// the files cairn build writes (build.PortalFiles), with the theme read
// afresh each time so theme edits show. Runbooks, slow to make and rarely
// opened while editing, are made when requested: they are in Output.Lazy.
func PortalRenderer(opts RenderOptions) RenderFunc {
	list := PortalFiles(opts)
	return func(ctx context.Context, s *model.Site, name string) (*Output, error) {
		files, err := list(s, name)
		if err != nil {
			return nil, err
		}
		out := &Output{Files: make(map[string][]byte, len(files)), Lazy: map[string]func(context.Context) ([]byte, error){}}
		var eager []build.File
		for _, f := range files {
			if f.Runbook {
				out.Lazy[f.Path] = f.Make
				continue
			}
			eager = append(eager, f)
		}
		data, err := build.Render(ctx, eager, opts.Workers)
		if err != nil {
			return nil, err
		}
		for i, f := range eager {
			out.Files[f.Path] = data[i]
		}
		return out, nil
	}
}

// PortalFiles returns a FilesFunc that lists a portal's files as cairn
// build makes them (build.PortalFiles), with the theme read afresh each
// time (so theme edits show) and the date from opts: made, they are the
// bytes PortalRenderer gives. The FilesFunc keeps a search.Cache for its
// life, so the search index after an edit tokenizes only the pages that
// changed.
func PortalFiles(opts RenderOptions) FilesFunc {
	if opts.Today == nil {
		opts.Today = time.Now
	}
	// One search cache for the life of the FilesFunc (a server's): the
	// index after an edit is assembled from the parts of the pages that
	// did not change, and only the others are tokenized again.
	cache := &search.Cache{}
	return func(s *model.Site, name string) ([]build.File, error) {
		v, theme, bopts, err := opts.portal(s, name)
		if err != nil {
			return nil, err
		}
		bopts.SearchCache = cache
		return build.PortalFiles(v, theme, bopts)
	}
}

// PortalItems returns an ItemsFunc that makes the pages of named items
// as PortalFiles lists them (build.ItemFiles): made, they are the bytes
// PortalRenderer gives.
func PortalItems(opts RenderOptions) ItemsFunc {
	if opts.Today == nil {
		opts.Today = time.Now
	}
	return func(s *model.Site, name string, ids []string) ([]build.File, error) {
		v, theme, bopts, err := opts.portal(s, name)
		if err != nil {
			return nil, err
		}
		return build.ItemFiles(v, theme, bopts, ids), nil
	}
}

// portal returns the view of a portal, the theme read afresh (so theme
// edits show) and the build options its files are made with.
func (opts RenderOptions) portal(s *model.Site, name string) (*access.View, *portal.Theme, build.Options, error) {
	v, err := access.NewView(s, name)
	if err != nil {
		return nil, nil, build.Options{}, err
	}
	theme, err := portal.LoadTheme(s.Root)
	if err != nil {
		return nil, nil, build.Options{}, err
	}
	return v, theme, build.Options{Today: opts.Today(), Sealers: map[string]portal.SecretSealer{name: opts.Sealer}, Changes: opts.Changes}, nil
}
