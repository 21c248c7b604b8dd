// Package provenance says what a build or runbook was made from: the git
// commit of the site (one length everywhere), whether the site's files
// differ from it, and the "as of" date expiries are measured against.
// Every command that stamps output (build, runbook) asks Of, so they
// agree on the date and the commit for the same working tree.
package provenance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ShortLen is how many hex digits of a commit hash are printed.
const ShortLen = 12

// Provenance is what an output was made from.
type Provenance struct {
	// Commit is the full hex hash of the site's git HEAD commit, "" when
	// the site is not in a git repository or it has no commit yet.
	Commit string
	// CommitTime is HEAD's committer time in UTC; zero without Commit.
	CommitTime time.Time
	// Dirty is set when the site's files differ from Commit: changed,
	// added (and not ignored) or deleted. Always false without Commit.
	Dirty bool
	// AsOf is the date expiries are measured against, at midnight UTC:
	// the --today date when given, else the committer date of HEAD in UTC
	// (not the committer's own time zone), else the clock's date in UTC.
	AsOf time.Time
}

// Short returns the commit hash in the one length cairn prints
// (ShortLen digits), or "" without a commit.
func (p Provenance) Short() string { return Short(p.Commit) }

// Short shortens a full commit hash to ShortLen digits.
func Short(hash string) string {
	if len(hash) > ShortLen {
		return hash[:ShortLen]
	}
	return hash
}

// Label says what the output was made from, for covers and footers:
// "commit 0123456789ab", "commit 0123456789ab with uncommitted changes",
// or "no git commit" outside git.
func (p Provenance) Label() string {
	switch {
	case p.Commit == "":
		return "no git commit"
	case p.Dirty:
		return "commit " + p.Short() + " with uncommitted changes"
	}
	return "commit " + p.Short()
}

// String is the one-line stamp: "as of 2026-11-23, commit 0123456789ab"
// (with " with uncommitted changes" when Dirty, or ", no git commit").
func (p Provenance) String() string {
	return "as of " + p.AsOf.Format("2006-01-02") + ", " + p.Label()
}

// Date returns t's calendar date (in t's own location) at midnight UTC.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Of says what the site at root is made from. today, when not nil, is
// the --today date and decides AsOf; otherwise HEAD's committer date in
// UTC does, or, outside git, now's date in UTC. Outside a git repository,
// or in one without commits, Commit is "" and no error is returned.
// Deciding Dirty reads the site's files (not the whole repository; see
// Changed) and stops at the first difference. It returns an error only
// when the repository exists but cannot be read, or ctx is done.
func Of(ctx context.Context, root string, today *time.Time, now func() time.Time) (Provenance, error) {
	var p Provenance
	// EnableDotGitCommonDir opens linked work trees (git worktree add).
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	switch {
	case errors.Is(err, git.ErrRepositoryNotExists):
		r = nil
	case err != nil:
		return Provenance{}, fmt.Errorf("opening the git repository of %s: %w", root, err)
	}
	if r != nil {
		ref, err := r.Head()
		switch {
		case errors.Is(err, plumbing.ErrReferenceNotFound):
			// No commit yet.
		case err != nil:
			return Provenance{}, fmt.Errorf("reading HEAD of %s: %w", root, err)
		default:
			c, err := r.CommitObject(ref.Hash())
			if err != nil {
				return Provenance{}, fmt.Errorf("reading the HEAD commit of %s: %w", root, err)
			}
			p.Commit, p.CommitTime = c.Hash.String(), c.Committer.When.UTC()
			if p.Dirty, err = Changed(ctx, r, c, root); err != nil {
				return Provenance{}, err
			}
		}
	}
	switch {
	case today != nil:
		p.AsOf = Date(*today)
	case p.Commit != "":
		p.AsOf = Date(p.CommitTime)
	default:
		p.AsOf = Date(now().UTC())
	}
	return p, nil
}
