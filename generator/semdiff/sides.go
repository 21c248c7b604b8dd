package semdiff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// WorkTree loads and checks the site in the folder root as it is on
// disk, read through sitefs.
func WorkTree(ctx context.Context, root string, today time.Time) (*Side, error) {
	res, err := site.Open(ctx, root, today)
	if err != nil {
		return nil, err
	}
	return &Side{Label: "working tree", Site: res.Site, Diags: res.Diags,
		Read: func(rel string) ([]byte, error) { return sitefs.ReadFile(root, rel, sitefs.MaxSourceFile) }}, nil
}

// Revision loads and checks the site as it is in a commit, from git's
// objects, with the limits of a site on disk. A commit without the site
// (no cairn.toml: the change adds it) is an empty site. root is the
// site's folder, for messages.
func Revision(ctx context.Context, repo *gitrev.Repo, c *gitrev.Commit, root string, today time.Time) (*Side, error) {
	fsys, err := repo.FS(c, sitefs.MaxAttachment)
	if err != nil {
		return nil, err
	}
	label := c.Rev + " (" + c.Short() + ")"
	read := func(rel string) ([]byte, error) { return sitefs.ReadFS(fsys, rel, sitefs.MaxSourceFile) }
	res, err := site.OpenFS(ctx, fsys, root, today)
	if errors.Is(err, load.ErrNotSite) {
		empty := model.NewSite(root, model.Config{}, model.Access{}, nil, nil, nil, nil, nil)
		return &Side{Label: label + ", no site", Site: empty, Diags: &diag.List{}, Read: read}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the site at %s: %w", label, err)
	}
	return &Side{Label: label, Site: res.Site, Diags: res.Diags, Read: read}, nil
}
