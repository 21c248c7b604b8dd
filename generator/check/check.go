// Package check validates a loaded site: every value against its field,
// every link against its target, access rules against orgs and groups, and
// expiry dates against today. It resolves links into the site's link graph
// as it goes, and reports every problem it finds, never just the first.
package check

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
)

// Options tune a check run.
type Options struct {
	// Today is the date expiries are measured against. Callers pass the
	// clock's date, or a fixed date for reproducible output.
	Today time.Time
}

// Stats summarise a check run.
type Stats struct {
	Orgs     int `json:"orgs"`
	Items    int `json:"items"`
	Links    int `json:"links"`
	Expired  int `json:"expired"`
	Expiring int `json:"expiring_soon"`
}

// Run checks site and returns the resolved link graph, the problems found
// and a summary. It does not modify site; it reads it from several
// goroutines.
func Run(ctx context.Context, site *model.Site, opts Options) (*model.Graph, *diag.List, Stats, error) {
	k := NewChecker(site, opts)
	diags := &diag.List{}
	k.site(diags)
	orgs := make([]Unit, len(site.Orgs))
	for i, o := range site.Orgs {
		orgs[i] = k.unit(diags, nil).org(o)
	}

	items := make([]Unit, len(site.Items))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				items[i] = k.unit(diags, nil).item(site.Items[i])
			}
		}()
	}
	for i := range site.Items {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, Stats{}, err
	}
	g, st := Assemble(site, orgs, items)
	return g, diags, st, nil
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checker checks one site. A Checker holds one, and copies it for each
// item or organization it checks (unit), so that each has its own
// diagnostics and recorded lookups if it asks.
type checker struct {
	site     *model.Site
	resolver *resolve.Resolver
	diags    *diag.List
	today    time.Time
	window   int
	// md parses Markdown in field values, for every item's check (a
	// parser may be used by many goroutines; one per item cost 13 KB).
	md *markdown.Parser
}
