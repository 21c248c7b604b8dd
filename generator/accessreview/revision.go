package accessreview

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// AtRevision reviews the site in root as it was at the git revision rev
// (a commit hash, a branch or tag, "HEAD~3", ...). The site is read
// straight from git's objects through gitrev's tree (nothing is checked
// out or written to disk) by the loader that reads the work tree, with
// its limits: symbolic links and submodules are never followed, and a
// file over its limit is refused before it is read. Secrets files are
// read as committed: encrypted, their keys only.
//
// It fails, naming the file, when access.toml at rev cannot be read (the
// review would be meaningless) or when the loader could not read a file
// of the site at rev, for its size or because content/ is no folder (the
// review would silently leave it out); other problems in the content at
// rev, linked items included, leave the file out, as on the work tree. A
// tree holding an entry no checkout could write is refused by the tree
// (gitrev.ErrUnsafeName). Outside a git repository it returns
// gitrev.ErrNoRepository.
func AtRevision(ctx context.Context, root, rev string) (*Review, error) {
	repo, err := gitrev.Open(root)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	c, err := repo.Resolve(rev)
	if err != nil {
		return nil, fmt.Errorf("--since %s: %w", rev, err)
	}
	fsys, err := repo.FS(c, sitefs.MaxAttachment)
	if err != nil {
		return nil, fmt.Errorf("--since %s: %w", rev, err)
	}
	s, _, diags, err := load.LoadFS(ctx, fsys, root)
	if errors.Is(err, load.ErrNotSite) {
		return nil, fmt.Errorf("--since %s: the site had no cairn.toml at that revision", rev)
	}
	if err != nil {
		return nil, fmt.Errorf("--since %s: %w", rev, err)
	}
	for _, d := range diags.Sorted() {
		switch {
		case d.Severity != diag.Error:
		case d.Pos.File == "access.toml":
			return nil, fmt.Errorf("--since %s: access.toml at that revision cannot be read: %s:%d: %s", rev, d.Pos.File, d.Pos.Line, d.Message)
		case (d.Code == "too-large" || d.Code == "read") && d.Pos.Line == 0:
			// A file (or content/) the loader could not read at all.
			return nil, fmt.Errorf("--since %s: the site at that revision cannot be reviewed: %s: %s", rev, d.Pos.File, d.Message)
		}
	}
	return Build(s, fsys)
}
