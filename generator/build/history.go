package build

import (
	"context"
	"path"

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

// ItemHistory returns an item's revisions: those of its file and its
// secrets file, merged.
func (h gitHistory) ItemHistory(_ context.Context, id string) (portal.ItemHistory, error) {
	it := h.site.Item(id)
	if it == nil {
		return portal.ItemHistory{}, nil
	}
	fh := h.ix.Files(it.File, it.Secrets)
	out := portal.ItemHistory{Omitted: fh.Omitted}
	if fh.Truncated != nil {
		out.TruncatedAt = fh.Truncated.When
	}
	if _, ok := h.ix.File(it.File); ok {
		out.Path = path.Join(h.ix.Prefix, it.File)
	}
	for _, r := range fh.Revisions {
		out.Revisions = append(out.Revisions, portal.Revision{Commit: r.Commit.Hash, When: r.Commit.When, Author: r.Commit.Author, Summary: r.Commit.Subject})
	}
	return out, nil
}

func (h gitHistory) RecentlyChanged(_ context.Context, org string) ([]portal.Change, error) {
	var out []portal.Change
	for _, c := range h.ix.Recent(h.site.OrgItems(org)) {
		out = append(out, portal.Change{ID: c.Item.ID, When: c.Commit.When, Author: c.Commit.Author, Summary: c.Commit.Subject})
	}
	return out, nil
}
