// Package gitrev reads a site as it was at a git revision, straight from
// the repository's objects: it resolves revisions (and the default base
// of a change, the merge base with the default branch) and serves a
// commit's tree as an fs.FS that generator/load reads like a folder.
// Nothing is checked out or written to disk.
package gitrev

import (
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
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ErrNoRepository is returned when the site is not inside a git
// repository.
var ErrNoRepository = errors.New("not in a git repository")

// Repo is the git repository that holds a site. It may be used from one
// goroutine at a time.
type Repo struct {
	r *git.Repository
	// prefix is the site root's path below the repository's top, "" at
	// the top, slash-separated.
	prefix string
}

// Open opens the repository holding the site folder root (root itself or
// any parent, linked work trees included).
func Open(root string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, ErrNoRepository
	}
	if err != nil {
		return nil, fmt.Errorf("opening the git repository of %s: %w", root, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("reading the work tree of %s: %w", root, err)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	absRoot, _ = filepath.EvalSymlinks(absRoot)
	top, _ := filepath.EvalSymlinks(wt.Filesystem.Root())
	rel, err := filepath.Rel(top, absRoot)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not inside its repository's work tree %s", root, top)
	}
	if rel == "." {
		rel = ""
	}
	// Reopen with the pack files kept open and an object cache: by
	// default go-git opens the pack for every object it reads, which
	// dominates reading a whole tree.
	if fast, err := reopen(top); err == nil {
		r = fast
	}
	return &Repo{r: r, prefix: filepath.ToSlash(rel)}, nil
}

func reopen(top string) (*git.Repository, error) {
	dotgit := filepath.Join(top, ".git")
	if fi, err := os.Stat(dotgit); err != nil || !fi.IsDir() {
		return nil, errors.New("no .git folder") // linked work trees: keep the plain repository
	}
	st := filesystem.NewStorageWithOptions(osfs.New(dotgit), cache.NewObjectLRU(64*cache.MiByte), filesystem.Options{KeepDescriptors: true})
	return git.Open(st, osfs.New(top))
}

// Git returns the go-git repository, for packages that walk history
// themselves (generator/history). It is valid until Close, and shares
// the Repo's one-goroutine rule.
func (g *Repo) Git() *git.Repository { return g.r }

// Prefix returns the site folder's path below the repository's top,
// slash-separated: "" when the site is at the top.
func (g *Repo) Prefix() string { return g.prefix }

// Close releases the pack files the repository keeps open. The Repo and
// the FS it returned must not be used afterwards.
func (g *Repo) Close() error {
	if st, ok := g.r.Storer.(*filesystem.Storage); ok {
		return st.Close()
	}
	return nil
}

// Commit is a resolved revision.
type Commit struct {
	// Rev is the revision as the user wrote it (or as the default was
	// found: "merge base of HEAD and origin/main").
	Rev string
	c   *object.Commit
}

// Hash returns the commit's full hex hash.
func (c *Commit) Hash() string { return c.c.Hash.String() }

// Short returns the commit's hash in 12 digits, as cairn prints commits.
func (c *Commit) Short() string { return c.c.Hash.String()[:12] }

// Resolve finds the commit a revision names: a branch, a tag, a hash (or
// its prefix), HEAD, or an expression like HEAD~2.
func (g *Repo) Resolve(rev string) (*Commit, error) {
	h, err := g.r.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("git revision %q: %w (name a branch, tag or commit)%s", rev, err, g.shallowHint())
	}
	c, err := g.r.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("git revision %q: %w%s", rev, err, g.shallowHint())
	}
	return &Commit{Rev: rev, c: c}, nil
}

// shallowHint says, after an error, that the clone is shallow and how to
// fetch what is missing; "" for a full clone.
func (g *Repo) shallowHint() string {
	if sh, err := g.r.Storer.Shallow(); err != nil || len(sh) == 0 {
		return ""
	}
	return "; this clone is shallow, so older commits are missing: fetch them (git fetch --unshallow, or fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in GitLab CI)"
}

// DefaultBranch returns the revision of the repository's default branch:
// what origin/HEAD points to, else the first of main, master,
// origin/main and origin/master that exists.
func (g *Repo) DefaultBranch() (string, error) {
	if ref, err := g.r.Reference(plumbing.NewRemoteHEADReferenceName("origin"), false); err == nil && ref.Type() == plumbing.SymbolicReference {
		return strings.TrimPrefix(ref.Target().String(), "refs/remotes/"), nil
	}
	for _, name := range []plumbing.ReferenceName{
		plumbing.NewBranchReferenceName("main"), plumbing.NewBranchReferenceName("master"),
		plumbing.NewRemoteReferenceName("origin", "main"), plumbing.NewRemoteReferenceName("origin", "master"),
	} {
		if _, err := g.r.Reference(name, true); err == nil {
			return name.Short(), nil
		}
	}
	return "", errors.New("cannot find the default branch: there is no origin/HEAD, main or master; name the base revision: cairn diff BASE")
}

// MergeBase returns the best common ancestor of a and b (the one git
// merge-base prints), named rev.
func (g *Repo) MergeBase(a, b *Commit, rev string) (*Commit, error) {
	bases, err := a.c.MergeBase(b.c)
	if err != nil {
		return nil, fmt.Errorf("finding the merge base of %s and %s: %w%s", a.Rev, b.Rev, err, g.shallowHint())
	}
	if len(bases) == 0 {
		return nil, fmt.Errorf("%s and %s have no common history; name the base revision: cairn diff BASE%s", a.Rev, b.Rev, g.shallowHint())
	}
	// Several best bases (criss-cross merges): take the lowest hash, so
	// the choice does not depend on the walk.
	best := bases[0]
	for _, c := range bases[1:] {
		if c.Hash.String() < best.Hash.String() {
			best = c
		}
	}
	return &Commit{Rev: rev, c: best}, nil
}

// FS returns the site's folder as it is in the commit's tree, refusing
// files over limit bytes (sitefs.MaxAttachment for a whole site). A site
// folder the commit does not have is an empty FS (everything in it is
// new).
func (g *Repo) FS(c *Commit, limit int64) (*TreeFS, error) {
	t, err := c.c.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading the tree of %s: %w", c.Short(), err)
	}
	if g.prefix != "" {
		sub, err := t.Tree(g.prefix)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			return &TreeFS{repo: g.r, limit: limit}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", g.prefix, c.Short(), err)
		}
		t = sub
	}
	return &TreeFS{repo: g.r, root: t, limit: limit}, nil
}

// LogEntry is one commit of a change, as a reviewer sees it.
type LogEntry struct {
	Hash    string    `json:"hash"`
	When    time.Time `json:"date"`
	Author  string    `json:"author"`
	Subject string    `json:"subject"`
}

// maxAncestors bounds the commits Log walks on each side.
const maxAncestors = 200000

// Log returns the commits of head that base does not have (git log
// base..head), newest first by committer date, at most max of them, and
// how many more there are. Each side's walk is bounded by maxAncestors
// commits; in a shallow clone it stops where the history does.
func (g *Repo) Log(base, head *Commit, max int) ([]LogEntry, int, error) {
	inBase := map[plumbing.Hash]bool{}
	if err := g.walk(base.c, func(c *object.Commit) bool { inBase[c.Hash] = true; return true }); err != nil {
		return nil, 0, err
	}
	var out []LogEntry
	err := g.walk(head.c, func(c *object.Commit) bool {
		if inBase[c.Hash] {
			return false
		}
		subject, _, _ := strings.Cut(c.Message, "\n")
		out = append(out, LogEntry{Hash: c.Hash.String(), When: c.Committer.When.UTC(), Author: c.Author.Name, Subject: strings.TrimSpace(subject)})
		return true
	})
	if err != nil {
		return nil, 0, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].When.Equal(out[j].When) {
			return out[i].When.After(out[j].When)
		}
		return out[i].Hash < out[j].Hash
	})
	more := 0
	if len(out) > max {
		more, out = len(out)-max, out[:max]
	}
	return out, more, nil
}

// walk visits from and its ancestors once each, breadth first; visit
// returns false to not go past a commit. Missing parents (a shallow
// clone) end the walk there.
func (g *Repo) walk(from *object.Commit, visit func(*object.Commit) bool) error {
	seen := map[plumbing.Hash]bool{from.Hash: true}
	queue := []*object.Commit{from}
	for n := 0; len(queue) > 0 && n < maxAncestors; n++ {
		c := queue[0]
		queue = queue[1:]
		if !visit(c) {
			continue
		}
		for _, h := range c.ParentHashes {
			if seen[h] {
				continue
			}
			seen[h] = true
			p, err := g.r.CommitObject(h)
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("reading commit %s: %w", h.String()[:12], err)
			}
			queue = append(queue, p)
		}
	}
	return nil
}
