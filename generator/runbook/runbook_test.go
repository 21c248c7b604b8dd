package runbook

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/internal/testtool"
)

// squash joins text on single spaces, so titles that wrap still match.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestBookHasEveryVisibleItemAndNothingElse(t *testing.T) {
	t.Parallel()
	root := testSite(t)
	cases := []struct {
		portal   string
		archived bool
		want     []string // must appear
		not      []string // must not
	}{
		{"internal", true,
			[]string{"Müller Maschinenbau GmbH", "sv-fs01", "fw-łódź", "old-nas", "Jürgen Müller", "Anna Ærø", "Łódź plant", "sv-fs01 local admin",
				"mueller.example", "Restore the file server", "Onboarding Anna Ærø", "Nightly file server backup", "Zofia Wójcik (Łódź Serwis)",
				"CONFIDENTIAL", "Technicians (internal)", "The server room in Ærøskøbing floods"},
			[]string{"Færgeri", "ferry-pc", "siem-collector-secret", "CONTAINS SECRETS"}},
		{"internal", false,
			[]string{"sv-fs01", "fw-łódź"},
			[]string{"old-nas", "Færgeri", "siem-collector-secret"}},
		{"security", false,
			[]string{"siem-collector-secret", "sv-fs01"},
			[]string{"Færgeri", "ferry-pc"}},
		{"muller", false,
			[]string{"sv-fs01", "Jürgen Müller", "Restore the file server", "Onboarding Anna Ærø", "Müller IT (muller)"},
			// Types the portal does not show, the vendor org it cannot see,
			// the restricted item.
			[]string{"sv-fs01 local admin", "Gandi", "Domains (", "Nightly file server backup", "Wójcik", "Łódź Serwis", "siem-collector-secret", "Færgeri"}},
	}
	for _, c := range cases {
		t.Run(c.portal+"/archived="+strconv.FormatBool(c.archived), func(t *testing.T) {
			v := openView(t, root, c.portal)
			text := squash(pdfText(t, render(t, v, "muller", Options{Portal: c.portal, IncludeArchived: c.archived})))
			for _, it := range v.OrgItems("muller") {
				if !it.Archived || c.archived {
					if !strings.Contains(text, squash(it.Title)) {
						t.Errorf("visible item %s (%q) is missing", it.ID, it.Title)
					}
				}
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("book lacks %q", w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(text, n) {
					t.Errorf("book shows %q, which the portal must not see", n)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	v := openView(t, testSite(t), "internal")
	opts := Options{Portal: "internal", Commit: "abc1234", IncludeArchived: true}
	a := render(t, v, "muller", opts)
	b := render(t, v, "muller", opts)
	if !bytes.Equal(a, b) {
		t.Fatalf("two runs differ (%d and %d bytes)", len(a), len(b))
	}
	opts.Commit = "def5678"
	if c := render(t, v, "muller", opts); bytes.Equal(a, c) {
		t.Fatal("a different commit gave the same bytes: the comparison proves nothing")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261123")) {
		t.Error("creation date is not AsOf")
	}
}

// outline returns the titles of a PDF's bookmarks (fpdf writes them as
// plain objects with UTF-16 titles).
func outline(t *testing.T, pdf []byte) []string {
	t.Helper()
	if !bytes.Contains(pdf, []byte("/Type /Outlines")) {
		t.Fatal("the PDF has no outline")
	}
	var out []string
	re := regexp.MustCompile(`/Title \(((?:\\.|[^\\)])*)\)\s*/Parent`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		out = append(out, pdfString(m[1]))
	}
	return out
}

// pdfString decodes a PDF literal string: escapes, then UTF-16BE with a BOM.
func pdfString(raw []byte) string {
	var b []byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b = append(b, c)
			continue
		}
		i++
		switch raw[i] {
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		default:
			if raw[i] >= '0' && raw[i] <= '7' {
				n := 0
				j := i
				for ; j < len(raw) && j < i+3 && raw[j] >= '0' && raw[j] <= '7'; j++ {
					n = n*8 + int(raw[j]-'0')
				}
				b = append(b, byte(n))
				i = j - 1
			} else {
				b = append(b, raw[i])
			}
		}
	}
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	return string(b)
}

func TestOutlineAndPages(t *testing.T) {
	t.Parallel()
	v := openView(t, testSite(t), "internal")
	pdf := render(t, v, "muller", Options{Portal: "internal"})
	titles := strings.Join(outline(t, pdf), "\n") + "\n"
	for _, want := range []string{"Contents", "Overview", "Important contacts", "Configurations", "Documents", "Backup", "sv-fs01", "fw-łódź", "Restore the file server", "Onboarding Anna Ærø"} {
		if !strings.Contains(titles, want+"\n") {
			t.Errorf("outline lacks %q; it has:\n%s", want, titles)
		}
	}

	// The contents page's numbers are where the sections really are.
	text := pdfText(t, pdf)
	pages := strings.Split(text, "\f")
	info, err := exec.Command(testtool.Find(t, "poppler-utils", "pdfinfo"), writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", info)
	}
	n, _ := strconv.Atoi(string(m[1]))
	if n < 10 || n != len(pages)-1 {
		t.Fatalf("pdfinfo says %d pages, pdftotext found %d", n, len(pages)-1)
	}
	if !strings.Contains(pages[n-1], "Page "+strconv.Itoa(n)+" of "+strconv.Itoa(n)) {
		t.Errorf("last page has no footer \"Page %d of %d\"", n, n)
	}
	if strings.Contains(pages[0], "Runbook ·") {
		t.Error("the cover has the running header")
	}
	toc := squash(pages[1])
	for _, sec := range []string{"Configurations", "Documents", "Checklists", "Important contacts"} {
		m := regexp.MustCompile(regexp.QuoteMeta(sec) + `(?: \(\d+\))?[ .]*?(\d+)\b`).FindStringSubmatch(toc)
		if m == nil {
			t.Errorf("contents has no line for %s:\n%s", sec, toc)
			continue
		}
		p, _ := strconv.Atoi(m[1])
		if p < 1 || p > n || !strings.Contains(pages[p-1], sec) {
			t.Errorf("contents puts %s on page %d, which does not show it", sec, p)
		}
	}
}

func writeTemp(t *testing.T, pdf []byte) string {
	f := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	root := testSite(t)
	writeFiles(t, root, map[string]string{"content/muller/passwords/fs-admin.sops.yaml": "password: ENC[placeholder]\n"})
	res, err := site.Open(context.Background(), root, asOf)
	if err != nil {
		t.Fatal(err)
	}
	v, err := access.NewView(res.Site, "internal")
	if err != nil {
		t.Fatal(err)
	}
	if v.Item("muller/passwords/fs-admin").Secrets == "" {
		t.Fatal("the loader did not see the secrets file")
	}
	calls := 0
	src := SecretSourceFunc(func(ctx context.Context, it *model.Item) (map[string]string, error) {
		calls++
		return map[string]string{"password": "Kennwort-Ä1!"}, nil
	})
	text := squash(pdfText(t, render(t, v, "muller", Options{Portal: "internal", Secrets: src})))
	for _, w := range []string{"Kennwort-Ä1!", "CONTAINS SECRETS — store encrypted"} {
		if !strings.Contains(text, w) {
			t.Errorf("book with secrets lacks %q", w)
		}
	}
	if calls != 1 {
		t.Errorf("secret source called %d times, want once (one item has secrets)", calls)
	}
	plain := squash(pdfText(t, render(t, v, "muller", Options{Portal: "internal"})))
	if strings.Contains(plain, "Kennwort") || !strings.Contains(plain, "cairn secret get muller/passwords/fs-admin password") {
		t.Error("book without secrets should say where the password is, not print it")
	}

	var buf bytes.Buffer
	boom := errors.New("no key can decrypt it")
	err = Write(context.Background(), &buf, v, "muller", Options{Portal: "internal", AsOf: asOf,
		Secrets: SecretSourceFunc(func(context.Context, *model.Item) (map[string]string, error) { return nil, boom })})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "muller/passwords/fs-admin") {
		t.Errorf("err = %v, want the source's error naming the item", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a failed book wrote %d bytes", buf.Len())
	}
}

func TestBadOptions(t *testing.T) {
	t.Parallel()
	v := openView(t, testSite(t), "muller")
	for _, c := range []struct {
		org  string
		opts Options
		want string
	}{
		{"aero", Options{AsOf: asOf}, `no organization "aero" in this portal`},
		{"muller", Options{}, "AsOf is not set"},
		{"muller", Options{AsOf: asOf, Types: []string{"servers"}}, `unknown type "servers"`},
	} {
		var buf bytes.Buffer
		err := Write(context.Background(), &buf, v, c.org, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Write(%s, %+v) = %v, want %q", c.org, c.opts, err, c.want)
		}
		if buf.Len() != 0 {
			t.Error("a failed book wrote bytes")
		}
	}
}

func TestTypesFilter(t *testing.T) {
	t.Parallel()
	v := openView(t, testSite(t), "internal")
	text := squash(pdfText(t, render(t, v, "muller", Options{Portal: "internal", Types: []string{"configurations", "assets"}})))
	for _, w := range []string{"sv-fs01", "Nightly file server backup"} {
		if !strings.Contains(text, w) {
			t.Errorf("filtered book lacks %q", w)
		}
	}
	// sv-fs01's notes name the restore SOP (the portal may see it), but
	// its details are not in this book.
	for _, n := range []string{"muller/documents/restore", "sv-fs01 local admin", "Documents ("} {
		if strings.Contains(text, n) {
			t.Errorf("filtered book shows %q", n)
		}
	}
}

// TestPagesRender rasterises every page for a person to look at, and checks
// that poppler reads each one.
func TestPagesRender(t *testing.T) {
	t.Parallel()
	tool := testtool.Find(t, "poppler-utils", "pdftoppm")
	v := openView(t, testSite(t), "internal")
	pdf := render(t, v, "muller", Options{Portal: "internal", Commit: "abc1234", IncludeArchived: true})
	dir := outDir(t)
	f := filepath.Join(dir, "muller.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, "-r", "60", "-png", f, filepath.Join(dir, "page")).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(pngs) < 10 {
		t.Fatalf("%d pages rendered", len(pngs))
	}
	t.Logf("pages in %s", dir)
}

// TestDemoSite makes a book of every organization of the project's demo
// site, as the internal portal sees it, and checks that no other
// organization's items leak in.
func TestDemoSite(t *testing.T) {
	t.Parallel()
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		testtool.Skip(t, "no demo content in %s", root)
	}
	res, err := site.Open(context.Background(), root, asOf)
	if err != nil {
		t.Fatal(err)
	}
	v, err := access.NewView(res.Site, "internal")
	if err != nil {
		t.Fatalf("the demo site has no internal portal: %v", err)
	}
	for _, o := range v.Orgs() {
		t.Run(o.Slug, func(t *testing.T) {
			text := squash(pdfText(t, render(t, v, o.Slug, Options{Portal: "internal", IncludeArchived: true})))
			own := map[string]bool{}
			for _, it := range v.OrgItems(o.Slug) {
				own[it.Title] = true
				if !strings.Contains(text, squash(it.Title)) {
					t.Errorf("item %s (%q) is missing", it.ID, it.Title)
				}
			}
			for _, other := range v.Orgs() {
				if other.Slug == o.Slug {
					continue
				}
				if strings.Contains(text, " "+other.Slug+"/") {
					t.Errorf("book shows an id of organization %s", other.Slug)
				}
				if other.Shared {
					continue // may be linked to, by title
				}
				// Titles long enough not to be ordinary words of this org.
				for _, it := range v.OrgItems(other.Slug) {
					if !own[it.Title] && len(it.Title) >= 12 && strings.Contains(text, squash(it.Title)) {
						t.Errorf("book shows %q of organization %s", it.Title, other.Slug)
					}
				}
			}
		})
	}
}

// TestLongTableRowBreaksAcrossPages: a table row taller than a page is
// split between pages, every word printed once and in order, with the
// header row repeated on each page the table reaches.
func TestLongTableRowBreaksAcrossPages(t *testing.T) {
	t.Parallel()
	root := testSite(t)
	var words []string
	for i := 0; i < 1500; i++ {
		words = append(words, "w"+strconv.Itoa(10000+i))
	}
	writeFiles(t, root, map[string]string{"content/muller/documents/huge.md": "+++\ntitle = \"Huge table\"\n+++\n\n" +
		"| Key | Value |\n| --- | --- |\n| first | " + strings.Join(words, " ") + " |\n| second | short |\n"})
	v := openView(t, root, "internal")
	pdf := render(t, v, "muller", Options{Portal: "internal", Types: []string{"documents"}})
	if err := os.WriteFile(filepath.Join(outDir(t), "huge-table.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	var seen []string
	keys := 0
	for _, f := range strings.Fields(text) {
		if len(f) == 6 && strings.HasPrefix(f, "w1") {
			seen = append(seen, f)
		}
		if f == "Key" {
			keys++
		}
	}
	if strings.Join(seen, " ") != strings.Join(words, " ") {
		t.Errorf("the long cell printed %d words, not the 1500 in order", len(seen))
	}
	if keys < 2 {
		t.Errorf("header row printed %d times, want it on every page of the table", keys)
	}
	if !strings.Contains(text, "second") || !strings.Contains(text, "short") {
		t.Error("the row after the long one is missing")
	}
}
