package collab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Repo is the server's own clone of the documentation repository, never
// the working tree cairn was started from. Every method takes the clone's
// lock: one suggestion is composed, checked and committed at a time, and
// the clone is back on the latest default branch with no local change
// between calls. It is safe for concurrent use.
type Repo struct {
	dir    string
	branch string
	auth   transport.AuthMethod

	mu   sync.Mutex
	repo *git.Repository
	// head is the default branch's commit at the last fetch, and the
	// clone's files are at it between calls; fetched is when.
	head    plumbing.Hash
	fetched time.Time
}

// RepoOptions say where the clone lives and what it clones.
type RepoOptions struct {
	// Dir is the clone's folder; it is cloned from Remote when it does not
	// exist, else opened (and must have Remote as its origin).
	Dir string
	// Remote is the URL (or path) of the repository suggestions are pushed
	// to.
	Remote string
	// Branch is the default branch suggestions start from ("main").
	Branch string
	// Auth authenticates fetch and push; nil for none (a local path, or
	// credentials in the URL's transport).
	Auth transport.AuthMethod
}

// OpenRepo clones or opens the server's clone.
func OpenRepo(ctx context.Context, opts RepoOptions) (*Repo, error) {
	if opts.Branch == "" {
		opts.Branch = "main"
	}
	r := &Repo{dir: opts.Dir, branch: opts.Branch, auth: opts.Auth}
	repo, err := git.PlainOpen(opts.Dir)
	switch {
	case errors.Is(err, git.ErrRepositoryNotExists):
		repo, err = git.PlainCloneContext(ctx, opts.Dir, false, &git.CloneOptions{URL: opts.Remote, Auth: opts.Auth,
			ReferenceName: plumbing.NewBranchReferenceName(opts.Branch), SingleBranch: false})
		if err != nil {
			return nil, fmt.Errorf("cloning %s into %s: %w", opts.Remote, opts.Dir, err)
		}
	case err != nil:
		return nil, fmt.Errorf("opening the clone %s: %w", opts.Dir, err)
	default:
		rem, err := repo.Remote("origin")
		if err != nil || len(rem.Config().URLs) == 0 || rem.Config().URLs[0] != opts.Remote {
			return nil, fmt.Errorf("%s is a clone of another remote than %s: give another --clone folder", opts.Dir, opts.Remote)
		}
	}
	r.repo = repo
	if _, err := r.Latest(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Dir is the clone's folder.
func (r *Repo) Dir() string { return r.dir }

// Branch is the default branch.
func (r *Repo) Branch() string { return r.branch }

// Latest fetches the remote and puts the clone's files at the latest
// commit of the default branch, returning it.
func (r *Repo) Latest(ctx context.Context) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.latest(ctx)
}

// Read fetches the latest default branch and calls fn with the clone's
// folder and that commit, holding the clone's lock: fn sees no suggestion
// half-written and must not change the folder.
//
// Pages are read far more often than suggestions are sent, so Read asks
// the remote at most every ReadFetchInterval; Propose always asks.
func (r *Repo) Read(ctx context.Context, fn func(dir string, head plumbing.Hash) error) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.head
	var err error
	if h.IsZero() || time.Since(r.fetched) >= ReadFetchInterval {
		h, err = r.latest(ctx)
	} else {
		err = r.reset(h) // whatever a failed call may have left
	}
	if err != nil {
		return h, err
	}
	return h, fn(r.dir, h)
}

// ReadFetchInterval is how long Read trusts the last fetch.
const ReadFetchInterval = 5 * time.Second

func (r *Repo) latest(ctx context.Context) (plumbing.Hash, error) {
	err := r.repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: r.auth, Force: true,
		RefSpecs: []config.RefSpec{config.RefSpec("+refs/heads/" + r.branch + ":refs/remotes/origin/" + r.branch)}})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return plumbing.ZeroHash, fmt.Errorf("fetching %s: %w", r.branch, err)
	}
	ref, err := r.repo.Reference(plumbing.NewRemoteReferenceName("origin", r.branch), true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("the remote has no branch %s: %w", r.branch, err)
	}
	if err := r.reset(ref.Hash()); err != nil {
		return plumbing.ZeroHash, err
	}
	r.head, r.fetched = ref.Hash(), time.Now()
	return ref.Hash(), nil
}

// reset puts the worktree at commit h, detached, with no untracked file.
func (r *Repo) reset(h plumbing.Hash) error {
	wt, err := r.repo.Worktree()
	if err != nil {
		return err
	}
	if err := wt.Checkout(&git.CheckoutOptions{Hash: h, Force: true}); err != nil {
		return fmt.Errorf("checking out %s: %w", h, err)
	}
	if err := wt.Clean(&git.CleanOptions{Dir: true}); err != nil {
		return fmt.Errorf("cleaning the clone: %w", err)
	}
	return nil
}

// FileAt returns a file of commit h (path relative to the root), or an
// error when the commit or file does not exist.
func (r *Repo) FileAt(h plumbing.Hash, rel string) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("no commit %s: %w", h, err)
	}
	f, err := c.File(rel)
	if err != nil {
		return nil, err
	}
	s, err := f.Contents()
	return []byte(s), err
}

// Proposal is one suggestion to commit.
type Proposal struct {
	// Branch is the new branch's name.
	Branch string
	// Edit writes the suggestion into the clone's folder (its argument),
	// which holds the latest default branch; it returns the files it wrote
	// (relative, slash-separated) and an error to stop before committing.
	Edit func(ctx context.Context, dir string, base plumbing.Hash) ([]string, error)
	// Validate checks the clone's folder with the suggestion written; an
	// error stops before committing.
	Validate func(ctx context.Context, dir string) error
	// Message returns the commit message, called after Edit.
	Message func() string
	// Name and Email are the author's.
	Name, Email string
	When        time.Time
}

// Propose writes, validates and commits a suggestion on a new branch from
// the latest default branch and pushes that branch. On any error nothing
// is committed or pushed and the clone is put back as it was.
func (r *Repo) Propose(ctx context.Context, p Proposal) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	base, err := r.latest(ctx)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer r.reset(base) //nolint:errcheck // the next call resets again and reports
	files, err := p.Edit(ctx, r.dir, base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := p.Validate(ctx, r.dir); err != nil {
		return plumbing.ZeroHash, err
	}
	wt, err := r.repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for _, f := range files {
		if _, err := wt.Add(f); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("adding %s: %w", f, err)
		}
	}
	sig := &object.Signature{Name: p.Name, Email: p.Email, When: p.When}
	h, err := wt.Commit(p.Message(), &git.CommitOptions{Author: sig,
		Committer: &object.Signature{Name: "cairn collab", Email: "collab@cairn.invalid", When: p.When}})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("committing: %w", err)
	}
	ref := plumbing.NewBranchReferenceName(p.Branch)
	if err := r.repo.Storer.SetReference(plumbing.NewHashReference(ref, h)); err != nil {
		return plumbing.ZeroHash, err
	}
	err = r.repo.PushContext(ctx, &git.PushOptions{RemoteName: "origin", Auth: r.auth,
		RefSpecs: []config.RefSpec{config.RefSpec(ref.String() + ":" + ref.String())}})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		_ = r.repo.Storer.RemoveReference(ref)
		return plumbing.ZeroHash, fmt.Errorf("pushing %s: %w", p.Branch, err)
	}
	return h, nil
}

// WriteFile writes a file below dir/content through an os.Root, so a
// symbolic link in the clone cannot lead the write out of it.
func WriteFile(dir, rel string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || !strings.HasPrefix(rel, "content/") {
		return fmt.Errorf("refusing to write %q outside content/", rel)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	name := filepath.FromSlash(rel)
	if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	if err := root.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return nil
}
