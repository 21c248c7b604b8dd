package serve_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/serve"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// TestIncrementalMatchesFullRender: after every step of a random sequence
// of edits (titles and values changed, documents and items added with
// links, items deleted and renamed, links added, attachments added,
// organizations described and renamed, types renamed in their schemas,
// the portal retitled in access.toml), the files
// cairn serve serves after RebuildFiles are byte for byte what a full
// render of a fresh load gives, and the pages of deleted items are gone:
// the pages affected picks are never too few.
func TestIncrementalMatchesFullRender(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			dir := t.TempDir()
			if err := testsite.Write(dir, testsite.Options{Items: 40, Orgs: 3, Seed: int64(seed)}); err != nil {
				t.Fatal(err)
			}
			todayFn := func() time.Time { return today }
			ropts := serve.RenderOptions{Today: todayFn}
			s := serve.New(serve.Options{Root: dir, Render: serve.PortalRenderer(ropts), Files: serve.PortalFiles(ropts), Items: serve.PortalItems(ropts), Today: todayFn})
			ctx := context.Background()
			if res, err := s.Rebuild(ctx); err != nil || res.Problems != nil {
				t.Fatalf("first build: %v %v", err, res.Problems)
			}
			rng := rand.New(rand.NewPCG(seed, 2))
			var gone []string
			compared := 0
			for step := 0; step < 30; step++ {
				what, paths, deleted := serveEdit(t, dir, rng, step)
				if paths == nil {
					continue
				}
				gone = append(gone, deleted...)
				res, err := s.RebuildFiles(ctx, paths)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := site.Open(ctx, dir, today)
				if err != nil {
					t.Fatal(err)
				}
				if fresh.Diags.HasErrors() {
					t.Fatalf("step %d (%s): the edit made an error: %v", step, what, fresh.Diags.Err())
				}
				compared++
				if res.Problems != nil {
					t.Fatalf("step %d (%s): problems %v", step, what, res.Problems)
				}
				want, err := serve.PortalRenderer(ropts)(ctx, fresh.Site, "internal")
				if err != nil {
					t.Fatal(err)
				}
				for p, b := range want.Files {
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:8088/"+p, nil))
					got := rec.Body.Bytes()
					if strings.HasSuffix(p, ".html") {
						b = serve.Inject(b, res.Gen)
					}
					if rec.Code != 200 || !bytes.Equal(got, b) {
						t.Fatalf("step %d (%s): %s is stale (status %d; made %d files)", step, what, p, rec.Code, res.Made)
					}
				}
				for _, p := range gone {
					if _, ok := want.Files[p]; ok {
						continue // made again since
					}
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:8088/"+p, nil))
					if rec.Code != 404 {
						t.Fatalf("step %d (%s): %s is still served", step, what, p)
					}
				}
			}
			if compared < 12 {
				t.Fatalf("only %d steps changed the site", compared)
			}
		})
	}
}

// serveEdit makes one random change to the site in dir and returns what
// it did, the paths it touched and the pages it removed.
func serveEdit(t *testing.T, dir string, rng *rand.Rand, step int) (string, []string, []string) {
	t.Helper()
	list := func(suffix string) []string {
		var out []string
		_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, suffix) && !strings.HasSuffix(p, "org.toml") && !strings.Contains(p, "/files/") {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		sort.Strings(out)
		return out
	}
	read := func(rel string) string { b, _ := os.ReadFile(filepath.Join(dir, rel)); return string(b) }
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	id := func(rel string) string {
		return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".toml"), ".md"), "/index")
	}
	items := append(list(".toml"), list(".md")...)
	orgs, _ := filepath.Glob(filepath.Join(dir, "content", "*", "org.toml"))
	org := filepath.Base(filepath.Dir(pick(orgs)))
	switch rng.IntN(11) {
	case 9: // a type renamed: its lists and every sidebar show it
		schemas, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.toml"))
		rel, _ := filepath.Rel(dir, pick(schemas))
		f := filepath.ToSlash(rel)
		write(f, strings.Replace(read(f), "name = \"", fmt.Sprintf("name = \"S%d ", step), 1))
		return "schema " + f, []string{f}, nil
	case 10: // the portal retitled: every page shows it
		write("access.toml", strings.Replace(read("access.toml"), "title = \"", fmt.Sprintf("title = \"P%d ", step), 1))
		return "access.toml", []string{"access.toml"}, nil
	case 0, 1: // a title or name changes: its neighbours show it
		f := pick(items)
		text := read(f)
		if strings.HasSuffix(f, ".md") {
			text = strings.Replace(text, "title = \"", fmt.Sprintf("title = \"T%d ", step), 1)
		} else {
			text = strings.Replace(text, "name = \"", fmt.Sprintf("name = \"N%d ", step), 1)
		}
		write(f, text)
		return "retitle " + f, []string{f}, nil
	case 2: // a document is added, linking to an item of its organization
		target := id(pick(list(".toml")))
		if !strings.HasPrefix(target, org+"/") {
			target = org
		}
		f := fmt.Sprintf("content/%s/documents/new-%d.md", org, step)
		write(f, fmt.Sprintf("+++\ntitle = \"New %d\"\n+++\n\n# New\n\nSee [[%s]].\n", step, target))
		return "add " + f, []string{f}, nil
	case 3: // an item is added
		f := fmt.Sprintf("content/%s/contacts/new-%d.toml", org, step)
		write(f, fmt.Sprintf("first_name = \"New\"\nlast_name = \"Person %d\"\n", step))
		return "add " + f, []string{f}, nil
	case 4: // an item nothing links to is deleted (a link to it would be an error)
		f := pick(items)
		if strings.Contains(read(f), "sops") || strings.HasSuffix(f, "/index.md") {
			return "nothing", nil, nil
		}
		fresh, err := site.Open(context.Background(), dir, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh.Site.Graph.In(id(f))) > 0 {
			return "nothing", nil, nil
		}
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(filepath.Join(dir, strings.TrimSuffix(f, ".toml")+".sops.yaml"))
		return "delete " + f, []string{f, strings.TrimSuffix(f, ".toml") + ".sops.yaml"}, []string{id(f) + "/index.html"}
	case 5: // a link is added to a document
		docs := list(".md")
		f := pick(docs)
		target := pick(items)
		if !strings.HasPrefix(target, "content/"+strings.Split(f, "/")[1]+"/") {
			return "nothing", nil, nil
		}
		write(f, read(f)+"\nSee also [["+id(target)+"]].\n")
		return "link in " + f, []string{f}, nil
	case 6: // an attachment is added
		f := fmt.Sprintf("content/%s/files/new-%d.txt", org, step)
		write(f, "notes\n")
		return "attach " + f, []string{f}, nil
	case 7: // an organization is described or renamed
		f := "content/" + org + "/org.toml"
		text := read(f)
		if rng.IntN(2) == 0 {
			text = strings.Replace(text, "name = \"", fmt.Sprintf("name = \"O%d ", step), 1)
		} else {
			text += fmt.Sprintf("\ndescription = \"Step %d\"\n", step)
			if strings.Count(text, "description =") > 1 {
				return "nothing", nil, nil
			}
		}
		write(f, text)
		return "org " + f, []string{f}, nil
	default: // an item is renamed
		f := pick(list(".toml"))
		fresh, err := site.Open(context.Background(), dir, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh.Site.Graph.In(id(f))) > 0 || strings.Contains(f, "/passwords/") {
			return "nothing", nil, nil
		}
		to := path.Join(path.Dir(f), fmt.Sprintf("renamed-%d.toml", step))
		write(to, read(f))
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
		return "rename " + f, []string{f, to}, []string{id(f) + "/index.html"}
	}
}
