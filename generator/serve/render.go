package serve

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/runbook"
	"github.com/cairn-it/cairn/generator/search"
	"github.com/cairn-it/cairn/generator/urls"
)

// RenderOptions tune PortalRenderer.
type RenderOptions struct {
	// Today returns the "as of" date of expiry badges and runbooks; nil
	// means time.Now.
	Today func() time.Time
	// Sealer seals secrets for portals with secrets = "sealed"; nil
	// renders placeholders only.
	Sealer portal.SecretSealer
	// Workers bounds how many pages render at once; 0 means GOMAXPROCS.
	Workers int
}

// PortalRenderer returns a RenderFunc that renders a portal in memory with
// the layout cairn build writes (generator/build): pages, theme assets
// (the site's themes/default overrides read afresh each time, so theme
// edits show), attachments and the search index. Runbooks, slow to make
// and rarely opened while editing, are made when requested: they are in
// Output.Lazy.
func PortalRenderer(opts RenderOptions) RenderFunc {
	if opts.Today == nil {
		opts.Today = time.Now
	}
	return func(ctx context.Context, s *model.Site, name string) (*Output, error) {
		v, err := access.NewView(s, name)
		if err != nil {
			return nil, err
		}
		theme, err := portal.LoadTheme(s.Root)
		if err != nil {
			return nil, err
		}
		today := opts.Today()
		r := portal.New(v, theme, portal.Options{Today: today, Sealer: opts.Sealer, Runbooks: true, Search: true})
		pages := r.Pages()
		out := &Output{Files: make(map[string][]byte, len(pages)+32), Lazy: map[string]func(context.Context) ([]byte, error){}}

		idx, err := search.Build(v)
		if err != nil {
			return nil, err
		}
		for p, b := range idx {
			out.Files[p] = b
		}
		for _, a := range theme.Assets() {
			b, err := theme.Asset(a)
			if err != nil {
				return nil, fmt.Errorf("theme asset %s: %w", a, err)
			}
			out.Files[urls.Static(a)] = b
		}
		for _, f := range r.Files() {
			b, err := os.ReadFile(filepath.Join(s.Root, "content", filepath.FromSlash(f)))
			if err != nil {
				return nil, fmt.Errorf("attachment %s: %w", f, err)
			}
			out.Files[urls.File(f)] = b
		}
		for _, o := range v.Orgs() {
			org := o.Slug
			out.Lazy[urls.Runbook(org)] = func(ctx context.Context) ([]byte, error) {
				var buf bytes.Buffer
				err := runbook.Write(ctx, &buf, v, org, runbook.Options{AsOf: today, Portal: name, IncludeArchived: v.Portal.Archived})
				return buf.Bytes(), err
			}
		}

		rendered := make([][]byte, len(pages))
		workers := opts.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			firstErr error
			next     = make(chan int)
		)
		for range workers {
			wg.Go(func() {
				for i := range next {
					var buf bytes.Buffer
					if err := r.Render(ctx, &buf, pages[i]); err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						continue
					}
					rendered[i] = buf.Bytes()
				}
			})
		}
	feed:
		for i := range pages {
			select {
			case next <- i:
			case <-ctx.Done():
				break feed
			}
		}
		close(next)
		wg.Wait()
		if firstErr != nil {
			return nil, firstErr
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, p := range pages {
			out.Files[p.Path] = rendered[i]
		}
		return out, nil
	}
}
