package gitrev

import (
	"context"
	"errors"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/sitefs"
)

func TestSafeName(t *testing.T) {
	for name, want := range map[string]bool{
		"org.toml":        true,
		"..config":        true,
		".gitignore":      true,
		"a.git":           true,
		"":                false,
		".":               false,
		"..":              false,
		".git":            false,
		".GIT":            false,
		"a/b":             false,
		`..\x`:            false,
		"a\x00b":          false,
		"admin.sops.yaml": true,
	} {
		if got := safeName(name); got != want {
			t.Errorf("safeName(%q) = %v, want %v", name, got, want)
		}
	}
}

// store writes a git object to the repository and returns its hash.
func (r *repo) store(o interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	r.t.Helper()
	obj := r.r.Storer.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		r.t.Fatal(err)
	}
	h, err := r.r.Storer.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *repo) blob(text string) plumbing.Hash {
	r.t.Helper()
	obj := r.r.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		r.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		r.t.Fatal(err)
	}
	h, err := r.r.Storer.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *repo) tree(entries ...object.TreeEntry) plumbing.Hash {
	r.t.Helper()
	sort.Sort(object.TreeEntrySorter(entries))
	return r.store(&object.Tree{Entries: entries})
}

// hostileCommit stores, without any checkout, a commit of a site whose
// content/acme folder holds, beside org.toml, a folder named name (which
// holds a file x.toml): trees no git checkout would write, which a
// hostile commit can still carry.
func hostileCommit(r *repo, name string) plumbing.Hash {
	r.t.Helper()
	inner := r.tree(object.TreeEntry{Name: "x.toml", Mode: filemode.Regular, Hash: r.blob("name = \"x\"\n")})
	acme := r.tree(
		object.TreeEntry{Name: "org.toml", Mode: filemode.Regular, Hash: r.blob("name = \"Acme\"\n")},
		object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: inner},
	)
	content := r.tree(object.TreeEntry{Name: "acme", Mode: filemode.Dir, Hash: acme})
	root := r.tree(
		object.TreeEntry{Name: "cairn.toml", Mode: filemode.Regular, Hash: r.blob("title = \"T\"\n")},
		object.TreeEntry{Name: "content", Mode: filemode.Dir, Hash: content},
	)
	who := object.Signature{Name: "Mallory", Email: "m@example.com", When: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	return r.store(&object.Commit{Author: who, Committer: who, Message: "hostile\n", TreeHash: root})
}

// TestTreeFSRefusesUnsafeNames: a folder of a commit holding an entry
// that names no single file of it ("..", ".", ".git", a slash or a
// backslash inside) cannot be listed, nothing through such an entry can
// be opened, and the loader stops with an error naming the folder and
// the entry. Without the refusal a walk joining ".." or "." to its
// folder would walk the folder again, without end.
func TestTreeFSRefusesUnsafeNames(t *testing.T) {
	for _, name := range []string{"..", ".", ".git", ".GIT", "a/b", `..\..`} {
		t.Run(name, func(t *testing.T) {
			r := newRepo(t)
			h := hostileCommit(r, name)
			g, err := Open(r.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			c, err := g.Resolve(h.String())
			if err != nil {
				t.Fatal(err)
			}
			fsys, err := g.FS(c, sitefs.MaxAttachment)
			if err != nil {
				t.Fatal(err)
			}
			want := `readdir content/acme: unsafe name in the git tree: "` + name + `"`
			if name == `..\..` {
				want = `readdir content/acme: unsafe name in the git tree: "..\\.."`
			}
			if _, err := fs.ReadDir(fsys, "content/acme"); err == nil || err.Error() != want || !errors.Is(err, ErrUnsafeName) {
				t.Errorf("ReadDir: %v\nwant %s", err, want)
			}
			// A name with a slash cannot be named by a path at all.
			if fs.ValidPath("content/acme/"+name+"/x.toml") && !strings.Contains(name, "/") {
				if _, err := fsys.Open("content/acme/" + name + "/x.toml"); !errors.Is(err, ErrUnsafeName) {
					t.Errorf("Open through the entry: %v, want ErrUnsafeName", err)
				}
			}
			_, _, _, err = load.LoadFS(context.Background(), fsys, r.dir)
			if err == nil || err.Error() != "reading content/: "+want {
				t.Errorf("LoadFS: %v\nwant reading content/: %s", err, want)
			}
		})
	}
}
