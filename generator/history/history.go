// Package history reads a site's git history: the HEAD commit (for "as of"
// dates and the commit a runbook was made from) and, per file, its
// revisions and last change (for item pages, "recently changed" lists and
// cairn history).
//
// It walks the history once, newest first, comparing each commit's tree
// with its parents' and skipping every subtree whose hash did not change,
// so the cost grows with what changed, not with files × commits. (Asking
// go-git for the log of each file instead costs about a second per file on
// a repository of 2,000 commits.)
package history

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/model"
)

// ErrNoRepository is returned when the site is not inside a git repository
// (or the repository has no commits yet).
var ErrNoRepository = errors.New("not in a git repository with commits")

// Commit is one commit, as shown to readers.
type Commit struct {
	Hash string // full hex hash
	// When is the author date, in the author's time zone as recorded in
	// the commit: the date git log shows.
	When time.Time
	// Committed is the committer date, in the committer's time zone.
	Committed time.Time
	Author    string
	Email     string
	// Subject is the first line of the message, without control
	// characters, at most MaxSubject bytes.
	Subject string
}

// MaxSubject bounds the subjects and author names kept in memory and
// printed: a hostile commit may carry a message of megabytes.
const MaxSubject = 500

func commitOf(c *object.Commit) Commit {
	subject, _, _ := strings.Cut(c.Message, "\n")
	return Commit{Hash: c.Hash.String(), When: c.Author.When, Committed: c.Committer.When,
		Author: clean(c.Author.Name), Email: clean(c.Author.Email), Subject: clean(subject)}
}

// clean trims s, replaces control characters (a terminal escape sequence
// in a subject must not reach a terminal) by spaces and cuts it to
// MaxSubject bytes on a character boundary.
func clean(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
	if len(s) <= MaxSubject {
		return s
	}
	cut := MaxSubject
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// open opens the repository that holds root through gitrev (linked work
// trees, a site in a sub-folder, pack files kept open while the walk
// reads them). The caller closes it.
func open(root string) (*gitrev.Repo, error) {
	g, err := gitrev.Open(root)
	if errors.Is(err, gitrev.ErrNoRepository) {
		return nil, ErrNoRepository
	}
	return g, err
}

func headCommit(r *git.Repository) (*object.Commit, error) {
	ref, err := r.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, ErrNoRepository
	}
	if err != nil {
		return nil, fmt.Errorf("reading HEAD: %w", err)
	}
	c, err := r.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("reading the HEAD commit: %w", err)
	}
	return c, nil
}

// Head returns the HEAD commit of the repository holding root, or
// ErrNoRepository.
func Head(root string) (Commit, error) {
	g, err := open(root)
	if err != nil {
		return Commit{}, err
	}
	defer g.Close()
	c, err := headCommit(g.Git())
	if err != nil {
		return Commit{}, err
	}
	return commitOf(c), nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// ItemChange is the last change of one item.
type ItemChange struct {
	Item   *model.Item
	Commit Commit
}

// Recent returns the last change of each of items that git knows (of its
// file or its secrets file), newest first (ties by id), for "recently
// changed" lists.
func (ix *Index) Recent(items []*model.Item) []ItemChange {
	var out []ItemChange
	for _, it := range items {
		if c, ok := ix.Files(it.File, it.Secrets).LastChange(); ok {
			out = append(out, ItemChange{Item: it, Commit: c})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Commit.When.Equal(b.Commit.When) {
			return a.Commit.When.After(b.Commit.When)
		}
		return a.Item.ID < b.Item.ID
	})
	return out
}
