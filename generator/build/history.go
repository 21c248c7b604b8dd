package build

import (
	"context"

	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
)

// GitHistory returns the portal History of a site from its git history
// index: each organization's items, by their last commit, newest first.
func GitHistory(ix *history.Index, site *model.Site) portal.History {
	return gitHistory{ix: ix, site: site}
}

type gitHistory struct {
	ix   *history.Index
	site *model.Site
}

func (h gitHistory) RecentlyChanged(_ context.Context, org string) ([]portal.Change, error) {
	var out []portal.Change
	for _, c := range h.ix.Recent(h.site.OrgItems(org)) {
		out = append(out, portal.Change{ID: c.Item.ID, When: c.Commit.When, Author: c.Commit.Author, Summary: c.Commit.Subject})
	}
	return out, nil
}
