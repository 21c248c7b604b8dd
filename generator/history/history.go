// Package history reads a site's git history: the HEAD commit (for "as of"
// dates and the commit a runbook was made from) and, per file, the last
// commit that changed it (for "recently changed" lists).
//
// It walks the history once, newest first, comparing each commit's tree
// with its first parent's and skipping every subtree whose hash did not
// change, so the cost grows with what changed, not with files × commits.
// (Asking go-git for the log of each file instead costs about a second per
// file on a repository of 2,000 commits.)
package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/cairn-it/cairn/generator/model"
)

// ErrNoRepository is returned when the site is not inside a git repository
// (or the repository has no commits yet).
var ErrNoRepository = errors.New("not in a git repository with commits")

// Commit is one commit, as shown to readers.
type Commit struct {
	Hash    string // full hex hash
	When    time.Time
	Author  string
	Subject string // first line of the message
}

func commitOf(c *object.Commit) Commit {
	subject, _, _ := strings.Cut(c.Message, "\n")
	return Commit{Hash: c.Hash.String(), When: c.Committer.When.UTC(), Author: c.Author.Name, Subject: strings.TrimSpace(subject)}
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

// Index maps files of a site to the last commit that changed them.
type Index struct {
	Head    Commit
	changed map[string]Commit
}

// LastChange returns the last commit that changed a file, by its path
// relative to the site root ("content/acme/configurations/sv1.toml").
func (ix *Index) LastChange(path string) (Commit, bool) {
	if ix == nil {
		return Commit{}, false
	}
	c, ok := ix.changed[path]
	return c, ok
}

// Load walks the history of the repository holding root once and returns
// the last change of every file below root that exists at HEAD. Files that
// are not committed have no entry.
func Load(ctx context.Context, root string) (*Index, error) {
	r, prefix, err := repo(root)
	if err != nil {
		return nil, err
	}
	head, err := headCommit(r)
	if err != nil {
		return nil, err
	}
	ix := &Index{Head: commitOf(head), changed: map[string]Commit{}}
	headTree, err := subtree(r, head, prefix)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	if headTree != nil {
		if err := listFiles(r, headTree, "", want); err != nil {
			return nil, err
		}
	}
	remaining := len(want)

	iter, err := r.Log(&git.LogOptions{From: head.Hash, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	defer iter.Close()
	for remaining > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := iter.Next()
		if err != nil {
			break // io.EOF: the whole history is read
		}
		cur, err := subtree(r, c, prefix)
		if err != nil {
			return nil, err
		}
		var parent *object.Tree
		if len(c.ParentHashes) > 0 {
			pc, err := r.CommitObject(c.ParentHashes[0])
			if err != nil {
				return nil, fmt.Errorf("reading commit %s: %w", c.ParentHashes[0], err)
			}
			if parent, err = subtree(r, pc, prefix); err != nil {
				return nil, err
			}
		}
		info := commitOf(c)
		err = diffTrees(r, parent, cur, "", func(p string) {
			if want[p] {
				if _, seen := ix.changed[p]; !seen {
					ix.changed[p] = info
					remaining--
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// subtree returns the tree of the site folder in commit c, or nil when the
// folder does not exist there.
func subtree(r *git.Repository, c *object.Commit, prefix string) (*object.Tree, error) {
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading the tree of %s: %w", c.Hash, err)
	}
	if prefix == "" {
		return t, nil
	}
	st, err := t.Tree(prefix)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	return st, err
}

func listFiles(r *git.Repository, t *object.Tree, dir string, out map[string]bool) error {
	for _, e := range t.Entries {
		p := join(dir, e.Name)
		if e.Mode == filemode.Dir {
			st, err := r.TreeObject(e.Hash)
			if err != nil {
				return err
			}
			if err := listFiles(r, st, p, out); err != nil {
				return err
			}
			continue
		}
		out[p] = true
	}
	return nil
}

// diffTrees calls changed for every file path that differs between a and b
// (either may be nil), never descending into subtrees with equal hashes.
func diffTrees(r *git.Repository, a, b *object.Tree, dir string, changed func(string)) error {
	if a != nil && b != nil && a.Hash == b.Hash {
		return nil
	}
	entries := func(t *object.Tree) map[string]object.TreeEntry {
		m := map[string]object.TreeEntry{}
		if t != nil {
			for _, e := range t.Entries {
				m[e.Name] = e
			}
		}
		return m
	}
	ea, eb := entries(a), entries(b)
	for name, be := range eb {
		ae, inA := ea[name]
		if inA && ae.Hash == be.Hash && ae.Mode == be.Mode {
			continue
		}
		p := join(dir, name)
		if be.Mode != filemode.Dir {
			changed(p)
			continue
		}
		var at *object.Tree
		if inA && ae.Mode == filemode.Dir {
			t, err := r.TreeObject(ae.Hash)
			if err != nil {
				return err
			}
			at = t
		}
		bt, err := r.TreeObject(be.Hash)
		if err != nil {
			return err
		}
		if err := diffTrees(r, at, bt, p, changed); err != nil {
			return err
		}
	}
	return nil
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

// Recent returns the last change of each of items that git knows, newest
// first (ties by id), for "recently changed" lists.
func (ix *Index) Recent(items []*model.Item) []ItemChange {
	var out []ItemChange
	for _, it := range items {
		if c, ok := ix.LastChange(it.File); ok {
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
