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
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

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

// repo opens the repository that holds root and returns it with root's
// path relative to the repository's top ("" at the top).
func repo(root string) (*git.Repository, string, error) {
	// EnableDotGitCommonDir: in a linked work tree (git worktree add) .git
	// is a file naming .git/worktrees/<name>, whose objects and refs live
	// in the main repository; without it such a checkout has no history.
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, "", ErrNoRepository
	}
	if err != nil {
		return nil, "", fmt.Errorf("opening the git repository of %s: %w", root, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, "", fmt.Errorf("reading the work tree of %s: %w", root, err)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, "", err
	}
	absRoot, _ = filepath.EvalSymlinks(absRoot)
	top, _ := filepath.EvalSymlinks(wt.Filesystem.Root())
	rel, err := filepath.Rel(top, absRoot)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, "", fmt.Errorf("%s is not inside its repository's work tree %s", root, top)
	}
	if rel == "." {
		rel = ""
	}
	// Reopen with the pack files kept open: by default go-git opens the
	// pack for every object it reads, which dominates a history walk.
	if fast, err := reopen(top); err == nil {
		r = fast
	}
	return r, filepath.ToSlash(rel), nil
}

func reopen(top string) (*git.Repository, error) {
	dotgit := filepath.Join(top, ".git")
	if fi, err := os.Stat(dotgit); err != nil || !fi.IsDir() {
		return nil, errors.New("no .git folder") // worktrees and submodules: keep the plain repository
	}
	st := filesystem.NewStorageWithOptions(osfs.New(dotgit), cache.NewObjectLRU(64*cache.MiByte), filesystem.Options{KeepDescriptors: true})
	return git.Open(st, osfs.New(top))
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
	r, _, err := repo(root)
	if err != nil {
		return Commit{}, err
	}
	c, err := headCommit(r)
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
