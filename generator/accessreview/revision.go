package accessreview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// Limits on the site read from a revision: a hostile history cannot make
// the review write more than this.
const (
	// MaxRevisionFiles is the most files taken from a revision.
	MaxRevisionFiles = 1_000_000
	// MaxRevisionBytes is the most bytes taken from a revision: 2 GiB.
	MaxRevisionBytes = 2 << 30
)

// ErrNoRepository is returned by AtRevision when the site is not in a git
// repository.
var ErrNoRepository = errors.New("the site is not in a git repository")

// AtRevision loads the site in root as it was at the git revision rev (a
// commit hash, a branch or tag, "HEAD~3", ...) and calls use with it. The
// site exists only during the call: its files (access.toml, cairn.toml,
// schemas/, checklists/ and content/ without attachments) are written from
// git objects to a temporary folder that is removed before AtRevision
// returns. Secrets files are copied as committed: encrypted. It fails when
// access.toml at rev cannot be read, since the review would be meaningless.
//
// It is the one place cairn access review reads another revision; a shared
// revision loader can take its place.
func AtRevision(ctx context.Context, root, rev string, use func(*model.Site) error) error {
	tree, err := revisionTree(root, rev)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "cairn-access-review-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeTree(ctx, tree, tmp, rev); err != nil {
		return err
	}
	s, diags, err := load.Load(ctx, tmp)
	if errors.Is(err, load.ErrNotSite) {
		return fmt.Errorf("--since %s: the site had no cairn.toml at that revision", rev)
	}
	if err != nil {
		return fmt.Errorf("--since %s: %w", rev, err)
	}
	for _, d := range diags.Sorted() {
		if d.Severity == diag.Error && d.Pos.File == "access.toml" {
			return fmt.Errorf("--since %s: access.toml at that revision cannot be read: %s:%d: %s", rev, d.Pos.File, d.Pos.Line, d.Message)
		}
	}
	return use(s)
}

// revisionTree returns the tree of the site's folder at rev.
func revisionTree(root, rev string) (*object.Tree, error) {
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
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	abs, _ = filepath.EvalSymlinks(abs)
	top, _ := filepath.EvalSymlinks(wt.Filesystem.Root())
	prefix, err := filepath.Rel(top, abs)
	if err != nil || prefix == ".." || strings.HasPrefix(prefix, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not inside its repository's work tree %s", root, top)
	}
	h, err := r.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("--since %s: no such revision in the repository (give a commit, branch or tag: %w)", rev, err)
	}
	c, err := r.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("--since %s: reading the commit: %w", rev, err)
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("--since %s: reading the commit's tree: %w", rev, err)
	}
	if prefix = filepath.ToSlash(prefix); prefix != "." {
		if tree, err = tree.Tree(prefix); err != nil {
			return nil, fmt.Errorf("--since %s: the site's folder %s did not exist at that revision", rev, prefix)
		}
	}
	return tree, nil
}

// wanted reports whether a file of the site's tree is one the review
// needs: the sources of the model, not themes or attachments.
func wanted(p string) bool {
	switch {
	case p == "cairn.toml" || p == "access.toml":
		return true
	case strings.HasPrefix(p, "schemas/"), strings.HasPrefix(p, "checklists/"):
		return true
	case strings.HasPrefix(p, "content/"):
		parts := strings.Split(p, "/")
		return !(len(parts) > 3 && parts[2] == "files")
	}
	return false
}

// safePath reports whether a path from a git tree names a file inside the
// folder it is written to: no empty, ".", ".." or ".git" segment, no
// backslash or NUL.
func safePath(p string) bool {
	if p == "" || strings.ContainsAny(p, "\\\x00") || path.IsAbs(p) {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.EqualFold(seg, ".git") {
			return false
		}
	}
	return true
}

// writeTree writes the wanted regular files of tree below dir, within the
// limits; symbolic links and submodules are left out, as the loader would
// refuse them.
func writeTree(ctx context.Context, tree *object.Tree, dir, rev string) error {
	var files, total int64
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("--since %s: reading the tree: %w", rev, err)
		}
		if !entry.Mode.IsFile() || entry.Mode == filemode.Symlink || !wanted(name) {
			continue
		}
		if !safePath(name) {
			return fmt.Errorf("--since %s: the tree holds an unsafe path %q", rev, name)
		}
		blob, err := tree.TreeEntryFile(&entry) // by the entry's hash
		if err != nil {
			return fmt.Errorf("--since %s: reading %s: %w", rev, name, err)
		}
		if blob.Size > sitefs.MaxSourceFile {
			return fmt.Errorf("--since %s: %s is larger than %s at that revision", rev, name, sitefs.Size(sitefs.MaxSourceFile))
		}
		files++
		total += blob.Size
		if files > MaxRevisionFiles || total > MaxRevisionBytes {
			return fmt.Errorf("--since %s: the site at that revision is larger than %d files or %s", rev, MaxRevisionFiles, sitefs.Size(MaxRevisionBytes))
		}
		if err := writeBlob(blob, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			return fmt.Errorf("--since %s: writing %s: %w", rev, name, err)
		}
	}
}

func writeBlob(f *object.File, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	rd, err := f.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(rd, sitefs.MaxSourceFile+1)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
