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
	c := &checker{site: site, resolver: resolve.New(site), diags: &diag.List{}, today: dateOnly(opts.Today)}
	c.window = site.Config.ExpiryWindowDays
	c.md = markdown.NewParser()
	c.config()
	c.access()
	for _, o := range site.Orgs {
		c.org(o)
	}
	for _, t := range site.Templates {
		c.template(t)
	}

	results := make([]itemResult, len(site.Items))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = c.item(site.Items[i])
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

	// One slice of the right size, and each item's own slice let go as
	// soon as it is copied: at 100,000 items the links are 60 MB a copy.
	n := len(c.orgLinks())
	for _, r := range results {
		n += len(r.links)
	}
	links := make([]model.Link, 0, n)
	st := Stats{Orgs: len(site.Orgs), Items: len(site.Items)}
	for i, r := range results {
		links = append(links, r.links...)
		results[i].links = nil
		st.Links += r.checked
		st.Expired += r.expired
		st.Expiring += r.expiring
	}
	for _, r := range c.orgLinks() {
		links = append(links, r)
	}
	st.Links += c.orgChecked
	return model.NewGraph(links), c.diags, st, nil
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type checker struct {
	site     *model.Site
	resolver *resolve.Resolver
	diags    *diag.List
	today    time.Time
	window   int
	// md parses Markdown in field values, for every item's check (a
	// parser may be used by many goroutines; one per item cost 13 KB).
	md *markdown.Parser

	mu         sync.Mutex
	orgLinkBuf []model.Link
	orgChecked int
}

func (c *checker) orgLinks() []model.Link { return c.orgLinkBuf }

// itemResult is what checking one item yields besides diagnostics.
type itemResult struct {
	links    []model.Link
	checked  int
	expired  int
	expiring int
}
