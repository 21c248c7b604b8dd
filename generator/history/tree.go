package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// tree is a git tree object as stored: entries of "MODE NAME\0HASH",
// sorted as git sorts them (a folder's name as if it ended in "/"). The
// walk compares trees entry by entry in this form, without decoding them
// into structures: decoding every tree went through about half of a
// 5,000-commit walk.
type tree struct {
	hash plumbing.Hash
	data []byte
}

// entry is one entry of a tree; name points into the tree's data.
type entry struct {
	name []byte
	mode filemode.FileMode
	hash plumbing.Hash
}

func (e entry) isDir() bool { return e.mode == filemode.Dir }

// errBadTree is returned for a tree object that does not parse.
var errBadTree = errors.New("malformed tree object")

// next parses the entry at the start of data and returns the rest.
func next(data []byte) (entry, []byte, error) {
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 {
		return entry{}, nil, errBadTree
	}
	var mode uint32
	for _, c := range data[:sp] {
		if c < '0' || c > '7' {
			return entry{}, nil, errBadTree
		}
		mode = mode<<3 | uint32(c-'0')
	}
	rest := data[sp+1:]
	nul := bytes.IndexByte(rest, 0)
	if nul < 0 || len(rest) < nul+1+20 {
		return entry{}, nil, errBadTree
	}
	e := entry{name: rest[:nul], mode: filemode.FileMode(mode)}
	copy(e.hash[:], rest[nul+1:nul+21])
	return e, rest[nul+21:], nil
}

// each calls fn for every entry of t, in order.
func (t *tree) each(fn func(entry) error) error {
	if t == nil {
		return nil
	}
	for data := t.data; len(data) > 0; {
		e, rest, err := next(data)
		if err != nil {
			return fmt.Errorf("tree %s: %w", t.hash, err)
		}
		if err := fn(e); err != nil {
			return err
		}
		data = rest
	}
	return nil
}

// find returns the entry named name in t.
func (t *tree) find(name string) (entry, bool, error) {
	var found entry
	ok := false
	stop := errors.New("found")
	err := t.each(func(e entry) error {
		if string(e.name) == name {
			found, ok = e, true
			return stop
		}
		return nil
	})
	if err != nil && err != stop {
		return entry{}, false, err
	}
	return found, ok, nil
}

// compareEntries orders entries as git does: by name, a folder's name
// compared as if it ended in "/".
func compareEntries(a, b entry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := tail(a, n), tail(b, n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

func tail(e entry, n int) byte {
	if n < len(e.name) {
		return e.name[n]
	}
	if e.isDir() {
		return '/'
	}
	return 0
}

// treeCache keeps the trees read for the last two commits walked: a
// commit's trees are mostly its child's parent trees, read a moment
// before.
type treeCache struct {
	r         *git.Repository
	cur, prev map[plumbing.Hash]*tree
}

func newTreeCache(r *git.Repository) *treeCache {
	return &treeCache{r: r, cur: map[plumbing.Hash]*tree{}, prev: map[plumbing.Hash]*tree{}}
}

// maxTree bounds one tree object (about 200,000 entries).
const maxTree = 16 << 20

func (tc *treeCache) get(h plumbing.Hash) (*tree, error) {
	if t, ok := tc.cur[h]; ok {
		return t, nil
	}
	if t, ok := tc.prev[h]; ok {
		tc.cur[h] = t
		return t, nil
	}
	o, err := tc.r.Storer.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, fmt.Errorf("reading tree %s: %w", h, err)
	}
	if o.Size() > maxTree {
		return nil, fmt.Errorf("tree %s has %d bytes, more than cairn reads (%d)", h, o.Size(), maxTree)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading tree %s: %w", h, err)
	}
	defer rd.Close()
	data := make([]byte, o.Size())
	if _, err := io.ReadFull(rd, data); err != nil {
		return nil, fmt.Errorf("reading tree %s: %w", h, err)
	}
	t := &tree{hash: h, data: data}
	tc.cur[h] = t
	return t, nil
}

// next starts a new generation: trees not used by the last two commits
// are dropped, which bounds the cache by what two commits changed.
func (tc *treeCache) next() {
	tc.prev, tc.cur = tc.cur, make(map[plumbing.Hash]*tree, len(tc.cur))
}

// at returns the tree at a slash-separated folder path below t, nil when
// there is none.
func (tc *treeCache) at(t *tree, dir string) (*tree, error) {
	if dir == "" {
		return t, nil
	}
	for _, name := range strings.Split(dir, "/") {
		e, ok, err := t.find(name)
		if err != nil {
			return nil, err
		}
		if !ok || !e.isDir() {
			return nil, nil
		}
		if t, err = tc.get(e.hash); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// lookup returns the hash of the file at p below t.
func (tc *treeCache) lookup(t *tree, p string) (plumbing.Hash, bool, error) {
	dir, name := "", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		dir, name = p[:i], p[i+1:]
	}
	d, err := tc.at(t, dir)
	if err != nil || d == nil {
		return plumbing.ZeroHash, false, err
	}
	e, ok, err := d.find(name)
	if err != nil || !ok || e.isDir() || e.mode == filemode.Submodule {
		return plumbing.ZeroHash, false, err
	}
	return e.hash, true, nil
}

// list calls fn for every file below t.
func (tc *treeCache) list(t *tree, dir string, fn func(string)) error {
	return tc.listHashes(t, dir, func(p string, _ plumbing.Hash) { fn(p) })
}

// listHashes calls fn for every file below t, with its content's hash.
func (tc *treeCache) listHashes(t *tree, dir string, fn func(string, plumbing.Hash)) error {
	return t.each(func(e entry) error {
		p := join(dir, string(e.name))
		switch {
		case e.isDir():
			st, err := tc.get(e.hash)
			if err != nil {
				return err
			}
			return tc.listHashes(st, p, fn)
		case e.mode != filemode.Submodule:
			fn(p, e.hash)
		}
		return nil
	})
}

// diff calls fn for every file that differs between a and b (either may
// be nil): added, changed or deleted, never descending into subtrees with
// equal hashes. Both trees are walked in git's order side by side.
func (tc *treeCache) diff(a, b *tree, dir string, fn func(change)) error {
	if a != nil && b != nil && a.hash == b.hash {
		return nil
	}
	var da, db []byte
	if a != nil {
		da = a.data
	}
	if b != nil {
		db = b.data
	}
	var ea, eb entry
	var okA, okB bool
	var err error
	advA := func() {
		okA = len(da) > 0
		if okA {
			ea, da, err = next(da)
		}
	}
	advB := func() {
		okB = len(db) > 0
		if okB && err == nil {
			eb, db, err = next(db)
		}
	}
	advA()
	advB()
	for (okA || okB) && err == nil {
		var cmp int
		switch {
		case !okA:
			cmp = 1
		case !okB:
			cmp = -1
		default:
			cmp = compareEntries(ea, eb)
		}
		switch {
		case cmp < 0: // only in a
			if err := tc.side(ea, join(dir, string(ea.name)), fn, false); err != nil {
				return err
			}
			advA()
		case cmp > 0: // only in b
			if err := tc.side(eb, join(dir, string(eb.name)), fn, true); err != nil {
				return err
			}
			advB()
		default:
			if ea.hash != eb.hash || ea.mode != eb.mode {
				if err := tc.both(ea, eb, join(dir, string(eb.name)), fn); err != nil {
					return err
				}
			}
			advA()
			advB()
		}
	}
	if err != nil {
		return fmt.Errorf("comparing trees at %q: %w", dir, err)
	}
	return nil
}

// both reports the differences of an entry present in both trees (with
// the same kind: file or folder, as git's order puts them apart).
func (tc *treeCache) both(ea, eb entry, p string, fn func(change)) error {
	if ea.mode == filemode.Submodule || eb.mode == filemode.Submodule {
		if ea.mode != filemode.Submodule {
			return tc.side(ea, p, fn, false)
		}
		if eb.mode != filemode.Submodule {
			return tc.side(eb, p, fn, true)
		}
		return nil
	}
	if !eb.isDir() {
		fn(change{path: p, from: ea.hash, to: eb.hash})
		return nil
	}
	at, err := tc.get(ea.hash)
	if err != nil {
		return err
	}
	bt, err := tc.get(eb.hash)
	if err != nil {
		return err
	}
	return tc.diff(at, bt, p, fn)
}

// side reports every file below an entry that one side only has.
func (tc *treeCache) side(e entry, p string, fn func(change), added bool) error {
	switch {
	case e.mode == filemode.Submodule:
		return nil
	case e.isDir():
		t, err := tc.get(e.hash)
		if err != nil {
			return err
		}
		if added {
			return tc.diff(nil, t, p, fn)
		}
		return tc.diff(t, nil, p, fn)
	case added:
		fn(change{path: p, to: e.hash})
	default:
		fn(change{path: p, from: e.hash})
	}
	return nil
}
