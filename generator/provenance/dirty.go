package provenance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/cairn-it/cairn/generator/sitefs"
)

// Changed reports whether the files below root differ from commit c of
// repository r: a file changed (content, executable bit, symlink target),
// added and not ignored, or deleted. Only root's folder is compared (the
// site, not the rest of the repository), and it stops at the first
// difference.
//
// It is what `git status -- root` would call a change, found cheaply: a
// file whose size and modification time match the git index entry, which
// records the committed hash, is taken as unchanged without being read
// (as git does; files modified after the index was written are read). So
// a clean site costs a walk of its folder and reading the committed tree;
// go-git's Worktree.Status, which hashes every file of the repository,
// is not used. Ignore rules come from .gitignore files from the
// repository's top down to each folder and from .git/info/exclude; a
// user's global excludes file is not read, so a file only it ignores
// counts as a change.
//
// Ignore rules do not hide the site's sources (sitefs.SourceNames: content/,
// schemas/, checklists/, themes/, access.toml, ...): a build reads them
// whatever git ignores, so an ignored document there is in the output but
// not in the commit, and counts as a change. Only names starting with "."
// below a source folder (which the loader never reads) stay ignored.
func Changed(ctx context.Context, r *git.Repository, c *object.Commit, root string) (bool, error) {
	wt, err := r.Worktree()
	if err != nil {
		return false, fmt.Errorf("reading the work tree of %s: %w", root, err)
	}
	top, err := filepath.EvalSymlinks(wt.Filesystem.Root())
	if err != nil {
		return false, fmt.Errorf("reading the work tree of %s: %w", root, err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return false, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return false, fmt.Errorf("reading %s: %w", root, err)
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false, fmt.Errorf("%s is not inside its repository's work tree %s", root, top)
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	w := &walker{ctx: ctx, top: top, site: rel, committed: map[string]committedFile{}, index: map[string]indexEntry{}}
	if err := w.readCommit(c, rel); err != nil {
		return false, err
	}
	w.readIndex(r)
	w.ignore = w.ancestorPatterns(rel)
	changed, err := w.walk(rel, w.ignore)
	if err != nil || changed {
		return changed, err
	}
	// What the commit holds and the walk did not see was deleted, or lies
	// in an ignored folder (tracked files there still count).
	for p, cf := range w.committed {
		if w.seen[p] {
			continue
		}
		fi, err := os.Lstat(filepath.Join(top, filepath.FromSlash(p)))
		if err != nil {
			return true, nil
		}
		if diff, err := w.differs(p, fi, cf); err != nil || diff {
			return diff, err
		}
	}
	return false, nil
}

type committedFile struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

type indexEntry struct {
	hash     plumbing.Hash
	size     uint32
	modified time.Time
}

type walker struct {
	ctx       context.Context
	top       string
	committed map[string]committedFile // repository-relative slash paths
	index     map[string]indexEntry
	indexTime time.Time // when the index was written; zero if unknown
	seen      map[string]bool
	ignore    []gitignore.Pattern
	site      string // the site's folder, repository-relative ("" for the top)
}

// source reports whether p (repository-relative) is one of the site's
// sources or lies in one, and is a file the site's loader may read: ignore
// rules do not apply to it.
func (w *walker) source(p string) bool {
	if w.site != "" {
		if !strings.HasPrefix(p, w.site+"/") {
			return false
		}
		p = strings.TrimPrefix(p, w.site+"/")
	}
	parts := strings.Split(p, "/")
	for _, part := range parts[1:] {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	for _, name := range sitefs.SourceNames() {
		if parts[0] == name && name != ".git" {
			return true
		}
	}
	return false
}

// readCommit lists the files of c below rel.
func (w *walker) readCommit(c *object.Commit, rel string) error {
	t, err := c.Tree()
	if err != nil {
		return fmt.Errorf("reading the tree of commit %s: %w", c.Hash, err)
	}
	if rel != "" {
		t, err = t.Tree(rel)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			return nil // the site is not in the commit at all
		}
		if err != nil {
			return fmt.Errorf("reading %s in commit %s: %w", rel, c.Hash, err)
		}
	}
	// The tree walker reads tree objects only; Tree.Files would also load
	// every blob.
	tw := object.NewTreeWalker(t, true, nil)
	defer tw.Close()
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name, e, err := tw.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s in commit %s: %w", rel, c.Hash, err)
		}
		if e.Mode == filemode.Dir || e.Mode == filemode.Submodule {
			continue
		}
		w.committed[path.Join(rel, name)] = committedFile{e.Hash, e.Mode}
	}
}

// readIndex notes the index's entries for the stat fast path; without a
// readable index every file is hashed.
func (w *walker) readIndex(r *git.Repository) {
	idx, err := r.Storer.Index()
	if err != nil {
		return
	}
	gitDir := filepath.Join(w.top, ".git")
	if st, ok := r.Storer.(*filesystem.Storage); ok {
		gitDir = st.Filesystem().Root() // a linked work tree's own folder
	}
	fi, err := os.Stat(filepath.Join(gitDir, "index"))
	if err != nil {
		return // an unusual layout: hash every file
	}
	w.indexTime = fi.ModTime()
	for _, e := range idx.Entries {
		if e.Stage == 0 && !e.IntentToAdd {
			w.index[e.Name] = indexEntry{e.Hash, e.Size, e.ModifiedAt}
		}
	}
}

// ancestorPatterns are the ignore rules that apply at rel: info/exclude
// and the .gitignore files of the top folder down to rel's parent; the
// walk adds rel's own and those below.
func (w *walker) ancestorPatterns(rel string) []gitignore.Pattern {
	ps := readPatterns(filepath.Join(w.top, ".git", "info", "exclude"), nil)
	if rel == "" {
		return ps
	}
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		ps = append(ps, readPatterns(filepath.Join(w.top, filepath.FromSlash(strings.Join(parts[:i], "/")), ".gitignore"), parts[:i])...)
	}
	return ps
}

// readPatterns reads one ignore file; a missing or unreadable file has no
// rules.
func readPatterns(file string, domain []string) []gitignore.Pattern {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s := sc.Text()
		if strings.HasPrefix(s, "#") || strings.TrimSpace(s) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(s, domain))
	}
	return ps
}

// walk compares the folder dir (repository-relative) with the commit.
func (w *walker) walk(dir string, ps []gitignore.Pattern) (bool, error) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	var domain []string
	if dir != "" {
		domain = strings.Split(dir, "/")
	}
	full := filepath.Join(w.top, filepath.FromSlash(dir))
	if own := readPatterns(filepath.Join(full, ".gitignore"), domain); len(own) > 0 {
		ps = append(ps[:len(ps):len(ps)], own...)
	}
	m := gitignore.NewMatcher(ps)
	entries, err := os.ReadDir(full)
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", full, err)
	}
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return false, err
		}
		if e.Name() == ".git" {
			continue
		}
		p := path.Join(dir, e.Name())
		parts := append(domain[:len(domain):len(domain)], e.Name())
		if e.IsDir() {
			if m.Match(parts, true) && !w.source(p) {
				continue // ignored; tracked files in it are checked after
			}
			if changed, err := w.walk(p, ps); err != nil || changed {
				return changed, err
			}
			continue
		}
		cf, tracked := w.committed[p]
		if !tracked {
			if m.Match(parts, false) && !w.source(p) {
				continue
			}
			return true, nil // untracked or newly added
		}
		w.seen[p] = true
		fi, err := os.Lstat(filepath.Join(w.top, filepath.FromSlash(p)))
		if err != nil {
			return true, nil
		}
		if diff, err := w.differs(p, fi, cf); err != nil || diff {
			return diff, err
		}
	}
	return false, nil
}

// differs compares one file on disk with its committed version.
func (w *walker) differs(p string, fi fs.FileInfo, cf committedFile) (bool, error) {
	full := filepath.Join(w.top, filepath.FromSlash(p))
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		if cf.mode != filemode.Symlink {
			return true, nil
		}
		target, err := os.Readlink(full)
		if err != nil {
			return true, nil
		}
		return plumbing.ComputeHash(plumbing.BlobObject, []byte(filepath.ToSlash(target))) != cf.hash, nil
	case !fi.Mode().IsRegular():
		return true, nil
	case cf.mode != filemode.Regular && cf.mode != filemode.Executable && cf.mode != filemode.Deprecated:
		return true, nil // was a symlink or submodule
	case (fi.Mode()&0o111 != 0) != (cf.mode == filemode.Executable):
		return true, nil
	}
	if e, ok := w.index[p]; ok && e.hash == cf.hash && int64(e.size) == fi.Size()&0xffffffff &&
		e.modified.Equal(fi.ModTime()) && fi.ModTime().Before(w.indexTime) {
		return false, nil // as committed, by the index's record
	}
	f, err := os.Open(full)
	if err != nil {
		return true, nil
	}
	defer f.Close()
	h := plumbing.NewHasher(plumbing.BlobObject, fi.Size())
	n, err := io.Copy(h, f)
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", full, err)
	}
	return n != fi.Size() || h.Sum() != cf.hash, nil
}
