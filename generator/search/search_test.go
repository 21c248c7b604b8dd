package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/search"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// fixture opens testdata/site. It has one deliberate error (a password
// value written in plain TOML) so that the index can be shown never to
// carry it even when the checker's guard is bypassed.
func fixture(t testing.TB) *model.Site {
	t.Helper()
	res, err := site.Open(context.Background(), filepath.Join("testdata", "site"), today)
	if err != nil {
		t.Fatal(err)
	}
	return res.Site
}

func view(t testing.TB, s *model.Site, portal string) *access.View {
	t.Helper()
	v, err := access.NewView(s, portal)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// decode parses the bytes Build wrote back into an Index.
func decode(t testing.TB, files map[string][]byte) *search.Index {
	t.Helper()
	if len(files) != 1 || files[search.IndexFile] == nil {
		t.Fatalf("Build wrote %v, want only %s", keys(files), search.IndexFile)
	}
	b := files[search.IndexFile]
	prefix := []byte("window." + search.Global + "=")
	if !bytes.HasPrefix(b, prefix) || !bytes.HasSuffix(b, []byte(";\n")) {
		t.Fatalf("index file does not assign the global: %.60q", b)
	}
	var idx search.Index
	if err := json.Unmarshal(b[len(prefix):len(b)-2], &idx); err != nil {
		t.Fatal(err)
	}
	return &idx
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// query is a reference implementation of search.js's matching: every word
// of q must prefix-match a term of the document; a word with punctuation
// that matches no whole term matches the documents with all its
// alphanumeric parts. A word weighs 1, 16 or
// 256 by class (body, field, title), twice that for an exact term. It
// returns the titles of the matching documents, best first (by summed
// weight, then title).
func query(t testing.TB, idx *search.Index, q string) []string {
	t.Helper()
	terms := strings.Split(idx.Terms, " ")
	posts := strings.Split(idx.Post, " ")
	if len(terms) != len(posts) {
		t.Fatalf("%d terms but %d posting lists", len(terms), len(posts))
	}
	prefix := func(w string) map[int]int {
		out := map[int]int{}
		i := sort.SearchStrings(terms, w)
		for ; i < len(terms) && strings.HasPrefix(terms[i], w); i++ {
			docs, classes, err := search.Postings(posts[i])
			if err != nil {
				t.Fatal(err)
			}
			exact := 1
			if terms[i] == w {
				exact = 2
			}
			for k, d := range docs {
				wt := (1 << (4 * classes[k])) * exact
				if c, ok := out[d]; !ok || wt > c {
					out[d] = wt
				}
			}
		}
		return out
	}
	var score map[int]int
	for _, word := range strings.Fields(q) {
		var parts []string
		search.Tokens(word, func(term string) { parts = append(parts, term) })
		if len(parts) == 0 {
			continue
		}
		whole := parts[len(parts)-1] // the whole chunk comes last
		got := prefix(whole)
		if len(parts) > 1 && len(got) == 0 {
			var all map[int]int
			for _, p := range parts[:len(parts)-1] {
				m := prefix(p)
				if all == nil {
					all = m
					continue
				}
				for d, c := range all {
					if c2, ok := m[d]; !ok {
						delete(all, d)
					} else if c2 < c {
						all[d] = c2
					}
				}
			}
			got = all
		}
		if score == nil {
			score = map[int]int{}
			for d, c := range got {
				score[d] = c
			}
			continue
		}
		for d := range score {
			if c, ok := got[d]; ok {
				score[d] += c
			} else {
				delete(score, d)
			}
		}
	}
	var docs []int
	for d := range score {
		docs = append(docs, d)
	}
	sort.Slice(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return idx.Docs[a].Title < idx.Docs[b].Title
	})
	var out []string
	for _, d := range docs {
		out = append(out, idx.Docs[d].Title)
	}
	return out
}

func TestQueries(t *testing.T) {
	idx := decode(t, mustBuild(t, view(t, fixture(t), "internal")))
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"serv", []string{"server4thfloor", "Floor printer", "gx-db01", "Restore the cluster"}}, // title > field > body
		{"server4thfloor", []string{"server4thfloor", "Restore the cluster"}},
		{"192.0.2", []string{"server4thfloor"}},
		{"192.0.2.10", []string{"server4thfloor"}},
		{"192.0.2.11", nil},
		{"198.51", []string{"server4thfloor"}}, // a group record's value
		{"srv-4.acme", []string{"server4thfloor"}},
		{"acme.example", []string{"server4thfloor"}}, // parts of a hostname
		{"sn-55x/901", []string{"server4thfloor"}},
		{"55x", []string{"server4thfloor"}},
		{"zurich", []string{"Zurich Tower", "server4thfloor"}}, // and a tag shows its target's title
		// The printer and the restore document link to Jo Bloggs without a
		// label: the internal portal, which sees the contact, indexes the
		// link by its slug.
		{"bloggs", []string{"Jo Bloggs", "server4thfloor", "Floor printer", "Restore the cluster"}},
		{"KUBER", []string{"Restore the cluster"}},
		{"velero", []string{"Restore the cluster"}},
		{"tape libr", []string{"server4thfloor"}}, // notes
		{"floor printer", []string{"Floor printer"}},
		{"floor serv", []string{"Floor printer"}}, // AND across title and field
		{"anvils", []string{"Acme Corp"}},
		{"globex", []string{"Globex Hidden"}},
		{"hunter2pass", nil},
		// A textbox is indexed as the text the page shows: no HTML
		// comment, no link target; two blocks do not run together.
		{"code sheet", []string{"Door keypad"}},
		{"nightguard", nil},
		{"codesheet", nil},
		{"keypad", []string{"Door keypad"}}, // the title, not the link's URL
		{"restoreveeam", nil},
		{"restorerun", nil}, // a document heading and its first paragraph
		{"veeam", []string{"Door keypad"}},
		{"restore veeam", []string{"Door keypad"}},
		{"nothing-like-this", nil},
	} {
		if got := query(t, idx, tc.q); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("query %q = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestViewHidesEverything: the acme portal's index names nothing from the
// other org, nothing of hidden types (not even as a tag's target), and no
// password value in any portal.
func TestViewHidesEverything(t *testing.T) {
	s := fixture(t)
	acme := mustBuild(t, view(t, s, "acme"))[search.IndexFile]
	internal := mustBuild(t, view(t, s, "internal"))[search.IndexFile]
	for _, secret := range []string{"globex", "203.0.113", "gx-db01", "zurich", "bloggs", "hunter2pass"} {
		if bytes.Contains(bytes.ToLower(acme), []byte(secret)) {
			t.Errorf("acme portal index holds %q", secret)
		}
	}
	if bytes.Contains(internal, []byte("hunter2pass")) {
		t.Error("internal portal index holds a password value")
	}
	for _, want := range []string{"192.0.2.10", "Acme Corp", "Door keypad", "velero", "acme/configurations/server4thfloor/index.html"} {
		if !bytes.Contains(acme, []byte(want)) {
			t.Errorf("acme portal index lacks %q", want)
		}
	}
	idx := decode(t, map[string][]byte{search.IndexFile: acme})
	if got := query(t, idx, "server4thfloor"); !reflect.DeepEqual(got, []string{"server4thfloor", "Restore the cluster"}) {
		t.Errorf("acme: query = %q", got)
	}
	if len(idx.Orgs) != 1 || idx.Orgs[0] != "Acme Corp" {
		t.Errorf("acme orgs = %q", idx.Orgs)
	}
}

func TestDocs(t *testing.T) {
	idx := decode(t, mustBuild(t, view(t, fixture(t), "internal")))
	byTitle := map[string]search.Doc{}
	for _, d := range idx.Docs {
		byTitle[d.Title] = d
	}
	d := byTitle["server4thfloor"]
	if d.URL != "acme/configurations/server4thfloor/index.html" || idx.Types[d.Type] != "Configuration" || idx.Orgs[d.Org] != "Acme Corp" {
		t.Errorf("server doc = %+v (type %q, org %q)", d, idx.Types[d.Type], idx.Orgs[d.Org])
	}
	if d := byTitle["Restore the cluster"]; d.Summary != "How to bring the Kubernetes cluster back." {
		t.Errorf("document summary = %q", d.Summary)
	}
	if d := byTitle["Acme Corp"]; d.URL != "acme/index.html" || idx.Types[d.Type] != "Organization" {
		t.Errorf("org doc = %+v", d)
	}
	if len(idx.Docs) != 9 { // 2 orgs, 7 items
		t.Errorf("%d docs, want 9", len(idx.Docs))
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	v := view(t, fixture(t), "internal")
	first := mustBuild(t, v)[search.IndexFile]
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := mustBuild(t, v)[search.IndexFile]; !bytes.Equal(got, first) {
				t.Error("a second build wrote different bytes")
			}
		})
	}
	wg.Wait()
}

func mustBuild(t testing.TB, v *access.View) map[string][]byte {
	t.Helper()
	files, err := search.Build(v)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// big writes and opens a 10,000-item synthetic site once per test binary.
var big = sync.OnceValues(func() (*model.Site, error) {
	dir, err := tempDir()
	if err != nil {
		return nil, err
	}
	if err := testsite.Write(dir, testsite.Options{Items: 10000, Seed: 1}); err != nil {
		return nil, err
	}
	res, err := site.Open(context.Background(), dir, today)
	if err != nil {
		return nil, err
	}
	return res.Site, nil
})

func gzipSize(t testing.TB, b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// maxGzip is the payload budget for a 10,000-item portal.
const maxGzip = 1 << 20

// TestSize10000: the internal portal (every item) of a 10,000-item site
// has an index under 1 MB gzipped. Size is deterministic, so this is a
// plain test; BenchmarkBuild reports the figure.
func TestSize10000(t *testing.T) {
	if testing.Short() {
		testtool.Skip(t, "-short: TestSize10000 writes a 10,000-item site")
	}
	s, err := big()
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, s, "internal")
	if n := len(v.Items()); n != 10000 {
		t.Fatalf("internal portal sees %d items, want 10000", n)
	}
	b := mustBuild(t, v)[search.IndexFile]
	gz := gzipSize(t, b)
	t.Logf("10,000 items: index %d bytes, %d gzipped", len(b), gz)
	if gz >= maxGzip {
		t.Errorf("index is %d bytes gzipped, over the %d budget", gz, maxGzip)
	}
	// The index must still answer: an IP of some configuration finds it.
	idx := decode(t, map[string][]byte{search.IndexFile: b})
	var it *model.Item
	for _, x := range v.Items() {
		if x.Type == "configurations" && x.Value("primary_ip") != nil {
			it = x
			break
		}
	}
	if it == nil {
		t.Fatal("no configuration with a primary_ip in the synthetic site")
	}
	ip := it.Value("primary_ip").Str
	if got := query(t, idx, ip); len(got) == 0 || !contains(got, it.Title) {
		t.Errorf("query %q = %q, want %q among them", ip, got, it.Title)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// BenchmarkBuild builds the internal portal's index of a 10,000-item site
// and reports its size raw and gzipped.
func BenchmarkBuild(b *testing.B) {
	s, err := big()
	if err != nil {
		b.Fatal(err)
	}
	v := view(b, s, "internal")
	var out []byte
	ops, start := 0, cpuTime()
	for b.Loop() {
		out = mustBuild(b, v)[search.IndexFile]
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(len(out)), "index-bytes")
	b.ReportMetric(float64(gzipSize(b, out)), "gzip-bytes")
}
