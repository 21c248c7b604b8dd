package build

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// editor makes random edits to a generated site (generator/testsite),
// each one kept only when the site still checks without errors, and
// records them as git would (fakeHistory), so keys are tested against
// item histories, recently changed lists and review dates too.
type editor struct {
	t    testing.TB
	root string
	rng  *rand.Rand
	n    int
	hist *fakeHistory
}

// newEditedSite writes a testsite of items items with seed and returns
// its editor.
func newEditedSite(t testing.TB, items int, seed int64) *editor {
	t.Helper()
	root := filepath.Join(t.TempDir(), "site")
	if err := testsite.Write(root, testsite.Options{Items: items, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return &editor{t: t, root: root, rng: rand.New(rand.NewPCG(uint64(seed), 14)), hist: newFakeHistory()}
}

// load opens and checks the site; nil when it has errors.
func (e *editor) load() *model.Site {
	e.t.Helper()
	res, err := site.Open(context.Background(), e.root, asOf)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.Diags.Err() != nil {
		return nil
	}
	return res.Site
}

// files lists the site's files below content/ of a kind: "item" (item
// TOML and Markdown files), "org" (org.toml), "file" (attachments).
func (e *editor) files(kind string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(e.root, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(e.root, p)
		rel = filepath.ToSlash(rel)
		inFiles := strings.Contains(rel, "/files/")
		switch {
		case kind == "file" && inFiles:
			out = append(out, rel)
		case kind == "org" && path.Base(rel) == "org.toml":
			out = append(out, rel)
		case kind == "item" && !inFiles && path.Base(rel) != "org.toml" && !strings.HasSuffix(rel, ".sops.yaml") &&
			(strings.HasSuffix(rel, ".toml") || strings.HasSuffix(rel, ".md")):
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func (e *editor) pick(xs []string) string { return xs[e.rng.IntN(len(xs))] }

func (e *editor) read(rel string) string {
	b, err := os.ReadFile(filepath.Join(e.root, filepath.FromSlash(rel)))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// snapshot keeps the files an edit may change, to undo it.
type snapshot map[string]*string

func (e *editor) save(s snapshot, rels ...string) {
	for _, rel := range rels {
		if _, ok := s[rel]; ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(e.root, filepath.FromSlash(rel)))
		if err != nil {
			s[rel] = nil
			continue
		}
		str := string(b)
		s[rel] = &str
	}
}

func (e *editor) restore(s snapshot) {
	for rel, data := range s {
		p := filepath.Join(e.root, filepath.FromSlash(rel))
		if data == nil {
			_ = os.Remove(p)
			continue
		}
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(*data), 0o644); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *editor) write(s snapshot, rel, data string) {
	e.save(s, rel)
	p := filepath.Join(e.root, filepath.FromSlash(rel))
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *editor) remove(s snapshot, rel string) {
	e.save(s, rel)
	_ = os.Remove(filepath.Join(e.root, filepath.FromSlash(rel)))
}

var (
	firstString = regexp.MustCompile(`(?m)^(\w+) = "([^"\n]*)"$`)
	frontTitle  = regexp.MustCompile(`(?m)^title = "([^"\n]*)"$`)
)

// itemRef returns the id of an item file within its organization
// ("configurations/ws-ha03") and its organization.
func itemRef(rel string) (org, ref string) {
	parts := strings.SplitN(strings.TrimPrefix(rel, "content/"), "/", 2)
	ref = strings.TrimSuffix(strings.TrimSuffix(parts[1], ".toml"), ".md")
	ref = strings.TrimSuffix(ref, "/index")
	return parts[0], ref
}

// sopsOf is the secrets file beside an item file.
func sopsOf(rel string) string { return strings.TrimSuffix(rel, ".toml") + ".sops.yaml" }

// topKey inserts a top-level key into an item file: before its first
// line in TOML, inside the front matter in Markdown.
func topKey(data, line string) string {
	if strings.HasPrefix(data, "+++\n") {
		return "+++\n" + line + "\n" + data[len("+++\n"):]
	}
	return line + "\n" + data
}

// edit makes one random edit that leaves the site free of check errors
// and returns what it did. It tries other edits when one breaks the site.
func (e *editor) edit() string {
	e.t.Helper()
	for try := 0; try < 40; try++ {
		e.n++
		s := snapshot{}
		what, touched := e.try(s)
		if what == "" {
			e.restore(s)
			continue
		}
		if e.load() == nil {
			e.restore(s)
			continue
		}
		e.hist.record(e.n, touched)
		return what
	}
	e.t.Fatal("no edit kept the site free of errors in 40 tries")
	return ""
}

// try makes one edit, saving what it changes in s; it returns "" when it
// found nothing to edit, and the item files whose history it changes.
func (e *editor) try(s snapshot) (string, []string) {
	items := e.files("item")
	n := e.n
	switch e.rng.IntN(11) {
	case 0: // a body or notes edit
		rel := e.pick(items)
		data := e.read(rel)
		if strings.HasSuffix(rel, ".md") {
			e.write(s, rel, data+fmt.Sprintf("\nEdited %d.\n", n))
		} else {
			e.write(s, rel, topKey(data, fmt.Sprintf("notes = \"Edited %d.\"", n)))
		}
		return "edit " + rel, []string{rel}
	case 1: // a title change
		rel := e.pick(items)
		data := e.read(rel)
		re := firstString
		if strings.HasSuffix(rel, ".md") {
			re = frontTitle
		}
		loc := re.FindStringSubmatchIndex(data)
		if loc == nil {
			return "", nil
		}
		end := loc[len(loc)-1]
		e.write(s, rel, data[:end]+fmt.Sprintf(" %d", n)+data[end:])
		return "retitle " + rel, []string{rel}
	case 2: // another field's value
		rel := e.pick(items)
		data := e.read(rel)
		all := firstString.FindAllStringSubmatchIndex(data, -1)
		if len(all) < 2 {
			return "", nil
		}
		loc := all[1+e.rng.IntN(len(all)-1)]
		e.write(s, rel, data[:loc[5]]+fmt.Sprintf(" v%d", n)+data[loc[5]:])
		return "change a field of " + rel, []string{rel}
	case 3: // a new item, a copy of another
		rel := e.pick(items)
		if strings.HasSuffix(rel, "/index.md") {
			return "", nil
		}
		ext := path.Ext(rel)
		dst := strings.TrimSuffix(rel, ext) + fmt.Sprintf("-new%d", n) + ext
		e.write(s, dst, e.read(rel))
		return "add " + dst, []string{dst}
	case 4: // a deleted item
		rel := e.pick(items)
		e.remove(s, rel)
		if strings.HasSuffix(rel, ".toml") {
			e.remove(s, sopsOf(rel))
		}
		return "delete " + rel, nil
	case 5: // a renamed item
		rel := e.pick(items)
		if strings.HasSuffix(rel, "/index.md") {
			return "", nil
		}
		ext := path.Ext(rel)
		dst := strings.TrimSuffix(rel, ext) + fmt.Sprintf("-r%d", n) + ext
		e.write(s, dst, e.read(rel))
		e.remove(s, rel)
		if ext == ".toml" {
			if sec := e.readMaybe(sopsOf(rel)); sec != nil {
				e.write(s, sopsOf(dst), *sec)
				e.remove(s, sopsOf(rel))
			}
		}
		return "rename " + rel + " to " + dst, []string{dst}
	case 6: // a new link
		rel := e.pick(items)
		org, _ := itemRef(rel)
		other := e.pick(items)
		oorg, ref := itemRef(other)
		if oorg != org {
			ref = oorg + "/" + ref
		}
		data := e.read(rel)
		if strings.HasSuffix(rel, ".md") {
			e.write(s, rel, data+fmt.Sprintf("\nSee [[%s]].\n", ref))
		} else if strings.Contains(data, "\nrelated = [") || strings.HasPrefix(data, "related = [") {
			e.write(s, rel, strings.Replace(data, "related = [", fmt.Sprintf("related = [%q, ", ref), 1))
		} else {
			e.write(s, rel, topKey(data, fmt.Sprintf("related = [%q]", ref)))
		}
		return "link " + rel + " to " + ref, []string{rel}
	case 7: // an item's access
		rel := e.pick(items)
		line := `access = ["staff"]`
		if e.rng.IntN(2) == 0 {
			line = "archived = true"
		}
		e.write(s, rel, topKey(e.read(rel), line))
		return line + " in " + rel, []string{rel}
	case 8: // access.toml
		data := e.read("access.toml")
		switch e.rng.IntN(3) {
		case 0:
			data = strings.Replace(data, `deny = ["*/passwords"]`, `deny = ["*/passwords", "*/domains"]`, 1)
		case 1:
			data = strings.Replace(data, `"contacts", `, "", 1)
		default:
			data = strings.Replace(data, `title = "Internal"`, fmt.Sprintf(`title = "Internal %d"`, n), 1)
		}
		e.write(s, "access.toml", data)
		return "edit access.toml", nil
	case 9: // an organization
		rel := e.pick(e.files("org"))
		data := e.read(rel)
		if e.rng.IntN(2) == 0 {
			data = strings.Replace(data, "name = \"", fmt.Sprintf("name = \"N%d ", n), 1)
		} else {
			data = strings.Replace(data, "description = \"", fmt.Sprintf("description = \"D%d ", n), 1)
		}
		e.write(s, rel, data)
		return "edit " + rel, nil
	default: // an attachment's bytes
		files := e.files("file")
		if len(files) == 0 {
			return "", nil
		}
		rel := e.pick(files)
		if !strings.HasSuffix(rel, ".pdf") {
			return "", nil
		}
		e.write(s, rel, e.read(rel)+fmt.Sprintf("%% edit %d\n", n))
		return "edit " + rel, nil
	}
}

func (e *editor) readMaybe(rel string) *string {
	b, err := os.ReadFile(filepath.Join(e.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}

// fakeHistory is a git history made of the editor's edits: each edit is
// a commit at a later time by one of a few authors, touching item files.
type fakeHistory struct {
	revs map[string][]portal.Revision // by item file, newest first
}

func newFakeHistory() *fakeHistory { return &fakeHistory{revs: map[string][]portal.Revision{}} }

func (h *fakeHistory) record(n int, files []string) {
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 36 * time.Hour)
	for _, f := range files {
		rev := portal.Revision{Commit: fmt.Sprintf("%040x", n), When: when, Author: fmt.Sprintf("author%d", n%3), Summary: fmt.Sprintf("edit %d", n)}
		h.revs[f] = append([]portal.Revision{rev}, h.revs[f]...)
	}
}

// forSite returns the History and Changes of a loaded site.
func (h *fakeHistory) forSite(s *model.Site) (portal.History, func(string) (time.Time, bool)) {
	return siteHistory{h: h, s: s}, func(file string) (time.Time, bool) {
		if r := h.revs[file]; len(r) > 0 {
			return r[0].When, true
		}
		return time.Time{}, false
	}
}

type siteHistory struct {
	h *fakeHistory
	s *model.Site
}

func (sh siteHistory) ItemHistory(_ context.Context, id string) (portal.ItemHistory, error) {
	it := sh.s.Item(id)
	if it == nil {
		return portal.ItemHistory{}, nil
	}
	return portal.ItemHistory{Revisions: sh.h.revs[it.File], Path: it.File}, nil
}

func (sh siteHistory) RecentlyChanged(_ context.Context, org string) ([]portal.Change, error) {
	var out []portal.Change
	for _, it := range sh.s.OrgItems(org) {
		if r := sh.h.revs[it.File]; len(r) > 0 {
			out = append(out, portal.Change{ID: it.ID, When: r[0].When, Author: r[0].Author, Summary: r[0].Summary})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].When.After(out[j].When) })
	return out, nil
}
