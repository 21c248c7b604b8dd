package history

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// MaxRevisions is how many revisions Load keeps per file, newest first;
// FileHistory.Omitted says when there were more.
const MaxRevisions = 100

// Action is what a revision did to a file.
type Action string

// The actions of a FileChange.
const (
	Added    Action = "added"
	Modified Action = "modified"
	// Renamed: the file was moved (and perhaps changed) from FileChange.From.
	Renamed Action = "renamed"
)

// FileChange is what one commit did to one file. Path is the file's path
// (relative to the site root) in that commit.
type FileChange struct {
	Path   string
	Action Action
	From   string // the path before, for Renamed
}

// Revision is one commit that changed a file or an item, with what it did
// to each of its files.
type Revision struct {
	Commit  Commit
	Changes []FileChange
	seq     int // the commit's place in the walk, for merging files
}

// FileHistory is the history of one file, or of an item's files.
type FileHistory struct {
	// Files are the paths asked for (relative to the site root).
	Files []string
	// Revisions are newest first (in the walk's order: children before
	// parents), at most MaxRevisions.
	Revisions []Revision
	// Omitted is true when older revisions exist beyond MaxRevisions.
	Omitted bool
	// Truncated is the shallow clone's boundary commit when the history
	// stops there with the file already present: what happened at or
	// before it is unknown. Nil when the history is complete.
	Truncated *Commit
	head      plumbing.Hash // the file's content at HEAD
}

// LastChange returns the newest revision's commit, ok=false when no
// revision is known (the file is not committed, or the clone is too
// shallow to tell).
func (h FileHistory) LastChange() (Commit, bool) {
	if len(h.Revisions) == 0 {
		return Commit{}, false
	}
	return h.Revisions[0].Commit, true
}

// Index holds the history of every file of a site that exists at HEAD,
// from one walk. It is read-only after Load: any number of goroutines may
// use it.
type Index struct {
	Head Commit
	// Prefix is the site's folder relative to the repository's top, with
	// slashes ("" when the site is the repository), for forge links.
	Prefix string
	// Shallow is true when the walk reached a shallow clone's boundary
	// (or a commit whose parents are missing).
	Shallow bool
	files   map[string]*FileHistory
}

// File returns the history of one file by its path relative to the site
// root ("content/acme/configurations/sv1.toml"); ok=false when the file is
// not in the HEAD commit.
func (ix *Index) File(p string) (FileHistory, bool) {
	if ix == nil {
		return FileHistory{Files: []string{p}}, false
	}
	h, ok := ix.files[p]
	if !ok {
		return FileHistory{Files: []string{p}}, false
	}
	return *h, true
}

// LastChange returns the last commit that changed a file, by its path
// relative to the site root ("content/acme/configurations/sv1.toml").
func (ix *Index) LastChange(p string) (Commit, bool) {
	h, _ := ix.File(p)
	return h.LastChange()
}

// Committed reports whether content is what the HEAD commit holds at p
// (a path relative to the site root): false for a file with uncommitted
// changes or not committed at all.
func (ix *Index) Committed(p string, content []byte) bool {
	h, ok := ix.File(p)
	return ok && plumbing.ComputeHash(plumbing.BlobObject, content) == h.head
}

// Files merges the histories of several files (an item's TOML or
// Markdown file and its secrets file) into one: each commit once, newest
// first, at most MaxRevisions. Paths that are empty are skipped.
func (ix *Index) Files(paths ...string) FileHistory {
	var out FileHistory
	bySeq := map[int]int{} // seq → index in out.Revisions
	for _, p := range paths {
		if p == "" {
			continue
		}
		out.Files = append(out.Files, p)
		h, ok := ix.File(p)
		if !ok {
			continue
		}
		out.Omitted = out.Omitted || h.Omitted
		if h.Truncated != nil && (out.Truncated == nil || h.Truncated.When.After(out.Truncated.When)) {
			out.Truncated = h.Truncated
		}
		for _, r := range h.Revisions {
			if i, ok := bySeq[r.seq]; ok {
				out.Revisions[i].Changes = append(append([]FileChange(nil), out.Revisions[i].Changes...), r.Changes...)
				continue
			}
			bySeq[r.seq] = len(out.Revisions)
			out.Revisions = append(out.Revisions, r)
		}
	}
	sortBySeq(out.Revisions)
	if len(out.Revisions) > MaxRevisions {
		out.Revisions, out.Omitted = out.Revisions[:MaxRevisions], true
	}
	return out
}

func sortBySeq(rs []Revision) {
	for i := 1; i < len(rs); i++ { // insertion sort: the lists are short and nearly sorted
		for j := i; j > 0 && rs[j].seq < rs[j-1].seq; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// node is a commit of the walk.
type node struct {
	c        *object.Commit
	pending  int // children not walked yet
	boundary bool
}

// Load walks the history of the repository holding root once and returns
// the history of every file below root that exists at HEAD: its revisions
// (following renames), newest first, at most MaxRevisions each. Files that
// are not committed have no entry. It returns ErrNoRepository outside git.
//
// Commits are walked children before parents (newest first among the
// commits ready), each compared with its parents with equal subtrees
// skipped: a commit changes a file when the file differs from every
// parent's (as git log PATH decides for merges). A file absent from every
// parent was added, or renamed from a file deleted by the same commit with
// the same content or, for files of the same extension, at least half of
// its lines. The walk stops early once every file's history is complete.
func Load(ctx context.Context, root string) (*Index, error) {
	return load(ctx, root, nil)
}

// LoadFiles is Load for some files only (paths relative to the site
// root): the walk stops as soon as their histories are complete, so
// cairn history on one item reads only as far back as that item goes.
func LoadFiles(ctx context.Context, root string, paths ...string) (*Index, error) {
	only := map[string]bool{}
	for _, p := range paths {
		only[p] = true
	}
	return load(ctx, root, only)
}

func load(ctx context.Context, root string, only map[string]bool) (*Index, error) {
	g, err := open(root)
	if err != nil {
		return nil, err
	}
	defer g.Close() // the Index keeps no object of the repository
	r, prefix := g.Git(), g.Prefix()
	head, err := headCommit(r)
	if err != nil {
		return nil, err
	}
	w := &walker{r: r, prefix: prefix, trees: newTreeCache(r), names: map[string]*FileHistory{}, live: map[*FileHistory]int{}}
	ix := &Index{Head: commitOf(head), Prefix: prefix, files: map[string]*FileHistory{}}
	headTree, err := w.subtree(head)
	if err != nil {
		return nil, err
	}
	if headTree != nil {
		err := w.trees.listHashes(headTree, "", func(p string, blob plumbing.Hash) {
			if only != nil && !only[p] {
				return
			}
			h := &FileHistory{Files: []string{p}, head: blob}
			ix.files[p], w.names[p] = h, h
			w.live[h]++
		})
		if err != nil {
			return nil, err
		}
	}
	w.open = len(ix.files)
	if w.open == 0 {
		return ix, nil
	}
	nodes, err := w.graph(ctx, head)
	if err != nil {
		return nil, err
	}
	ready := &byTime{nodes[head.Hash]}
	for seq := 0; ready.Len() > 0 && w.open > 0; seq++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := heap.Pop(ready).(*node)
		if err := w.commit(n, seq); err != nil {
			return nil, err
		}
		if n.boundary {
			ix.Shallow = true
			continue
		}
		for _, ph := range n.c.ParentHashes {
			if p := nodes[ph]; p != nil {
				if p.pending--; p.pending == 0 {
					heap.Push(ready, p)
				}
			}
		}
		n.c = nil // walked: its message and signature may go
		w.trees.next()
	}
	return ix, nil
}

type walker struct {
	r      *git.Repository
	prefix string
	trees  *treeCache
	// names maps a path, as it is in the commits being walked, to the
	// history of the HEAD file it is: the HEAD path itself, or the path
	// before a rename. A file may have several live names while the walk
	// is in branches that named it differently.
	names map[string]*FileHistory
	live  map[*FileHistory]int // live names per file
	open  int                  // files whose history is not complete
	pairs int                  // files compared for renames in this commit
	// byHash maps content to the paths this commit deleted with it, made
	// when the commit's first added file looks for its source.
	byHash map[plumbing.Hash][]string
}

// graph reads every commit reachable from head (not beyond a shallow
// boundary) and counts each one's children, for a walk that visits
// children before parents.
func (w *walker) graph(ctx context.Context, head *object.Commit) (map[plumbing.Hash]*node, error) {
	shallow := map[plumbing.Hash]bool{}
	if ss, ok := w.r.Storer.(storer.ShallowStorer); ok {
		hs, err := ss.Shallow()
		if err != nil {
			return nil, fmt.Errorf("reading the shallow commits: %w", err)
		}
		for _, h := range hs {
			shallow[h] = true
		}
	}
	nodes := map[plumbing.Hash]*node{head.Hash: {c: head}}
	stack := []*node{nodes[head.Hash]}
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if shallow[n.c.Hash] {
			n.boundary = true
			continue
		}
		var parents []*object.Commit
		for _, ph := range n.c.ParentHashes {
			if p := nodes[ph]; p != nil {
				p.pending++
				continue
			}
			pc, err := w.r.CommitObject(ph)
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				n.boundary = true // history cut short without a shallow file: say so too
				break
			}
			if err != nil {
				return nil, fmt.Errorf("reading commit %s: %w", ph, err)
			}
			parents = append(parents, pc)
		}
		if n.boundary {
			// Undo the counts: a boundary commit's parents are not walked.
			for _, ph := range n.c.ParentHashes {
				if p := nodes[ph]; p != nil {
					p.pending--
				}
			}
			continue
		}
		for _, pc := range parents {
			if nodes[pc.Hash] != nil { // a parent listed twice
				nodes[pc.Hash].pending++
				continue
			}
			p := &node{c: pc, pending: 1}
			nodes[pc.Hash] = p
			stack = append(stack, p)
		}
	}
	return nodes, nil
}

// commit records what commit n did to the files the walk follows.
func (w *walker) commit(n *node, seq int) error {
	cur, err := w.subtree(n.c)
	if err != nil {
		return err
	}
	info := commitOf(n.c)
	if n.boundary {
		// What the boundary commit changed is unknown: every followed
		// file it holds has an unknown past.
		if cur == nil {
			return nil
		}
		return w.trees.list(cur, "", func(p string) {
			if h := w.names[p]; h != nil && h.Truncated == nil && w.live[h] > 0 {
				h.Truncated = &info
				w.close(h)
			}
		})
	}
	var parents []*tree
	for _, ph := range n.c.ParentHashes {
		pc, err := w.r.CommitObject(ph)
		if err != nil {
			return fmt.Errorf("reading commit %s: %w", ph, err)
		}
		pt, err := w.subtree(pc)
		if err != nil {
			return err
		}
		parents = append(parents, pt)
	}
	if len(parents) == 0 {
		parents = []*tree{nil}
	}
	// Against the first parent: what changed, and what was deleted (the
	// sources of renames).
	changed := map[string]change{}
	var deleted []change
	err = w.trees.diff(parents[0], cur, "", func(c change) {
		if c.to.IsZero() {
			deleted = append(deleted, c)
		} else if w.names[c.path] != nil {
			changed[c.path] = c
		}
	})
	if err != nil {
		return err
	}
	// A merge changes a file only when it differs from every parent.
	for _, pt := range parents[1:] {
		if len(changed) == 0 {
			break
		}
		also := map[string]bool{}
		err := w.trees.diff(pt, cur, "", func(c change) {
			if !c.to.IsZero() {
				also[c.path] = true
			}
		})
		if err != nil {
			return err
		}
		for p, c := range changed {
			if !also[p] {
				delete(changed, p)
				continue
			}
			if !c.from.IsZero() {
				continue
			}
			_, inOther, err := w.trees.lookup(pt, p)
			if err != nil {
				return err
			}
			if inOther {
				c.modifiedInSome = true
				changed[p] = c
			}
		}
	}
	paths := make([]string, 0, len(changed))
	for p := range changed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	used := map[string]bool{}
	w.pairs, w.byHash = 0, nil
	for _, p := range paths {
		c, h := changed[p], w.names[p]
		if w.live[h] < 0 {
			continue // complete, cut by the cap, or truncated
		}
		fc := FileChange{Path: p, Action: Modified}
		if c.from.IsZero() && !c.modifiedInSome {
			fc.Action = Added
			if from, ok := w.renameSource(c, deleted, used); ok {
				fc.Action, fc.From = Renamed, from
				used[from] = true
			}
		}
		w.record(h, Revision{Commit: info, Changes: []FileChange{fc}, seq: seq})
		if w.live[h] < 0 || fc.Action == Modified {
			continue
		}
		// Older commits know the file by its former name, or not at all.
		delete(w.names, p)
		w.live[h]--
		if fc.Action == Renamed && w.names[fc.From] == nil {
			w.names[fc.From] = h
			w.live[h]++
		}
		if w.live[h] == 0 {
			w.close(h)
		}
	}
	return nil
}

// record adds a revision to a file's history, or marks it Omitted (and
// stops following it) when it has MaxRevisions already.
func (w *walker) record(h *FileHistory, r Revision) {
	if len(h.Revisions) == MaxRevisions {
		h.Omitted = true
		w.close(h)
		return
	}
	h.Revisions = append(h.Revisions, r)
}

// close stops following a file: its history is complete, cut by the cap,
// or truncated.
func (w *walker) close(h *FileHistory) {
	if w.live[h] >= 0 {
		w.live[h] = -1
		w.open--
	}
}

// change is a file that differs between two trees: from is zero when the
// file is new, to when it was deleted.
type change struct {
	path           string
	from, to       plumbing.Hash
	modifiedInSome bool // absent from the first parent but in another: a merge's modification
}

// maxRenameBlob bounds the files compared for inexact renames; larger ones
// are renamed only when their content is equal.
const maxRenameBlob = 1 << 20

// maxRenameCandidates bounds the deleted files compared with one added
// file, and maxRenamePairs the comparisons in one commit, so a commit that
// moves and edits thousands of files stays fast (beyond the bound, only
// equal content counts as a rename).
const (
	maxRenameCandidates = 64
	maxRenamePairs      = 1024
)

// renameSource returns the path of the file deleted by the same commit
// that the added file c came from: one with equal content, else the most
// similar file of the same extension with at least half of its lines in
// common (ties: the first path).
func (w *walker) renameSource(c change, deleted []change, used map[string]bool) (string, bool) {
	if w.byHash == nil {
		w.byHash = map[plumbing.Hash][]string{}
		for _, d := range deleted {
			w.byHash[d.from] = append(w.byHash[d.from], d.path)
		}
	}
	for _, p := range w.byHash[c.to] {
		if !used[p] {
			return p, true
		}
	}
	var cands []change
	for _, d := range deleted {
		if !used[d.path] && extOf(d.path) == extOf(c.path) && len(cands) < maxRenameCandidates && w.pairs < maxRenamePairs {
			cands = append(cands, d)
			w.pairs++
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	added, err := w.blob(c.to)
	if err != nil || added == nil {
		return "", false
	}
	best, bestScore := "", 0.0
	for _, d := range cands {
		old, err := w.blob(d.from)
		if err != nil || old == nil {
			continue
		}
		if s := similarity(old, added); s >= 0.5 && s > bestScore {
			best, bestScore = d.path, s
		}
	}
	return best, best != ""
}

// extOf returns the extension of a path, ".sops.yaml" counted whole.
func extOf(p string) string {
	base := path.Base(p)
	if len(base) > len(".sops.yaml") && base[len(base)-len(".sops.yaml"):] == ".sops.yaml" {
		return ".sops.yaml"
	}
	return path.Ext(base)
}

// blob reads a file's content, nil when it is larger than maxRenameBlob.
func (w *walker) blob(h plumbing.Hash) ([]byte, error) {
	b, err := w.r.BlobObject(h)
	if err != nil {
		return nil, err
	}
	if b.Size > maxRenameBlob {
		return nil, nil
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(io.LimitReader(rd, maxRenameBlob))
}

// similarity is the share of the larger file's bytes that are in lines
// both files have (each line counted as often as it occurs in both).
func similarity(a, b []byte) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	count := map[string]int{}
	for _, l := range bytes.SplitAfter(a, []byte("\n")) {
		count[string(l)]++
	}
	common := 0
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if count[string(l)] > 0 {
			count[string(l)]--
			common += len(l)
		}
	}
	return float64(common) / float64(max(len(a), len(b)))
}

// subtree returns the tree of the site folder in commit c, or nil when the
// folder does not exist there.
func (w *walker) subtree(c *object.Commit) (*tree, error) {
	t, err := w.trees.get(c.TreeHash)
	if err != nil {
		return nil, fmt.Errorf("reading the tree of %s: %w", c.Hash, err)
	}
	return w.trees.at(t, w.prefix)
}

// byTime is a heap of commits ready to walk, newest committer date first
// (ties by hash), so parallel branches interleave as git log shows them.
type byTime []*node

func (b byTime) Len() int { return len(b) }
func (b byTime) Less(i, j int) bool {
	ti, tj := b[i].c.Committer.When, b[j].c.Committer.When
	if !ti.Equal(tj) {
		return ti.After(tj)
	}
	return b[i].c.Hash.String() < b[j].c.Hash.String()
}
func (b byTime) Swap(i, j int) { b[i], b[j] = b[j], b[i] }
func (b *byTime) Push(x any)   { *b = append(*b, x.(*node)) }
func (b *byTime) Pop() any {
	old := *b
	n := old[len(old)-1]
	*b = old[:len(old)-1]
	return n
}
