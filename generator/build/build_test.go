package build

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/cairn-it/cairn/generator/model"
)

// demoRoot is the project root, which is itself the demo site.
var demoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

var (
	demoOnce sync.Once
	demoSite *model.Site
	demoOut  string
	demoErr  error
)

// demoBuild builds the demo once for the tests that read its output.
func demoBuild(t *testing.T) (*model.Site, string) {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cairn-demo-build-")
		if err != nil {
			demoErr = err
			return
		}
		demoOut = filepath.Join(dir, "public")
		demoSite = openSite(t, demoRoot)
		_, demoErr = Build(context.Background(), demoSite, Options{Output: demoOut, OutputOutsideSite: true, Today: asOf})
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoSite, demoOut
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoOut != "" {
		_ = os.RemoveAll(filepath.Dir(demoOut))
	}
	os.Exit(code)
}

// checkLinks parses every HTML file below dir and reports each internal
// href or src that names no file of the tree, and any resource (script,
// stylesheet, image, icon) loaded from another host.
func checkLinks(t *testing.T, dir string) (pages, links int) {
	t.Helper()
	tree := readTree(t, dir)
	for name, data := range tree {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		z := html.NewTokenizer(bytes.NewReader(data))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			for _, a := range tok.Attr {
				if a.Key != "href" && a.Key != "src" {
					continue
				}
				u, err := url.Parse(a.Val)
				if err != nil {
					t.Errorf("%s: <%s %s=%q>: %v", name, tok.Data, a.Key, a.Val, err)
					continue
				}
				if u.Scheme != "" || u.Host != "" {
					if tok.Data != "a" {
						t.Errorf("%s: <%s %s=%q> loads from another host", name, tok.Data, a.Key, a.Val)
					}
					continue
				}
				if u.Path == "" {
					continue // #anchor on the same page
				}
				links++
				if strings.HasPrefix(u.Path, "/") {
					t.Errorf("%s: <%s %s=%q> is absolute: it breaks under a sub-path and from disk", name, tok.Data, a.Key, a.Val)
					continue
				}
				target := path.Join(path.Dir(name), u.Path)
				if _, ok := tree[target]; !ok {
					t.Errorf("%s: <%s %s=%q>: broken link, no %s", name, tok.Data, a.Key, a.Val, target)
				}
			}
		}
	}
	return pages, links
}

func TestDemoHasNoBrokenLinks(t *testing.T) {
	s, out := demoBuild(t)
	for _, o := range []string{"internal", "helpdesk"} {
		if s.Access.Portals[o] == nil {
			t.Fatalf("the demo has no %s portal", o)
		}
	}
	for name := range s.Access.Portals {
		pages, links := checkLinks(t, filepath.Join(out, name))
		if pages < 2 || links < pages {
			t.Errorf("portal %s: %d pages with %d internal links: too few to be a real portal", name, pages, links)
		}
		t.Logf("portal %s: %d pages, %d internal links checked", name, pages, links)
	}
}

func TestCanarySiteHasNoBrokenLinks(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	for name := range s.Access.Portals {
		checkLinks(t, filepath.Join(out, name))
	}
}

// TestCanaries plants strings that some portals may not see and checks
// every file of every portal for them.
func TestCanaries(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	want := map[string][]string{ // canary -> portals that must show it
		"CANARYVISIBLE":    {"acme", "helpdesk", "internal"},
		"CANARYRESTRICTED": {"internal"},
		"restricted-box":   {"internal"},
		"CANARYOTHERORG":   {"helpdesk", "internal"},
		"Other client":     {"helpdesk", "internal"},
		"CANARYDENIEDTYPE": {"internal"},
		"Domain admin":     {"internal"},
		"CANARYARCHIVED":   {"internal"},
		"old-box":          {"internal"},
		"CANARYFILE":       {"internal"},
	}
	trees := map[string]map[string][]byte{}
	for _, p := range []string{"acme", "helpdesk", "internal"} {
		trees[p] = readTree(t, filepath.Join(out, p))
	}
	for canary, shows := range want {
		for p, tree := range trees {
			should := false
			for _, s := range shows {
				should = should || s == p
			}
			var found []string
			for name, data := range tree {
				if bytes.Contains(data, []byte(canary)) {
					found = append(found, name)
				}
			}
			sort.Strings(found)
			if should && len(found) == 0 {
				t.Errorf("portal %s: %q appears in no file, but the portal may see it", p, canary)
			}
			if !should && len(found) > 0 {
				t.Errorf("portal %s: %q leaked into %s", p, canary, strings.Join(found, ", "))
			}
		}
	}
	// The restricted attachment is copied only where it may be seen.
	for p, tree := range trees {
		_, has := tree["acme/files/secret-plan.txt"]
		if has != (p == "internal") {
			t.Errorf("portal %s: has acme/files/secret-plan.txt = %v", p, has)
		}
	}
}

func TestDeterministic(t *testing.T) {
	s, out := demoBuild(t)
	again := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Output: again, OutputOutsideSite: true, Today: asOf, Workers: 3}); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, out), readTree(t, again)
	pdfs := 0
	for name := range a {
		if strings.HasSuffix(name, ".pdf") {
			pdfs++
		}
	}
	// Runbooks are written in parallel: they are where shared state would
	// show (fpdf once rewrote a font shared between documents).
	if pdfs < 5 {
		t.Fatalf("only %d runbooks in the demo build", pdfs)
	}
	if len(a) < 50 {
		t.Fatalf("only %d files in the demo build", len(a))
	}
	sameTree(t, a, b)
}

func TestFailedBuildLeavesOutputUntouched(t *testing.T) {
	root := writeSite(t, canarySite)
	s := openSite(t, root)
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	before := readTree(t, out)

	// A real failure midway: a site theme override whose item template
	// fails when executed, after other pages were written.
	bad := filepath.Join(root, "themes", "default", "templates", "item.html")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{{define "content"}}{{.NoSuchField}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf.AddDate(0, 1, 0)})
	if err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Fatalf("want a template error naming NoSuchField, got %v", err)
	}
	sameTree(t, before, readTree(t, out))

	// A cancelled build changes nothing either.
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, s, Options{Output: out, OutputOutsideSite: true, Today: asOf.AddDate(0, 1, 0)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	sameTree(t, before, readTree(t, out))

	// An output that cannot be created fails before anything is written.
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, Options{Output: filepath.Join(file, "public"), OutputOutsideSite: true, Today: asOf}); err == nil {
		t.Fatal("build into a path below a file succeeded")
	}

	// No temporary folder is left behind, and a later good build with a
	// new date replaces the output.
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			t.Errorf("temporary folder %s left in the output", e.Name())
		}
	}
	buildTo(t, s, out)
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf.AddDate(0, 1, 0), Portals: []string{"acme"}}); err != nil {
		t.Fatal(err)
	}
	after := readTree(t, out)
	if bytes.Equal(before["acme/index.html"], after["acme/index.html"]) {
		t.Error("a good build with another date did not replace acme/index.html")
	}
	if !bytes.Equal(before["internal/index.html"], after["internal/index.html"]) {
		t.Error("building only acme changed the internal portal")
	}
}

func TestSitemapOnlyWithBaseURL(t *testing.T) {
	files := map[string]string{}
	for k, v := range canarySite {
		files[k] = v
	}
	s := openSite(t, writeSite(t, files))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	if _, err := os.Stat(filepath.Join(out, "acme", "sitemap.xml")); err == nil {
		t.Error("sitemap.xml written without base_url")
	}
	files["cairn.toml"] = "title = \"Canary docs\"\nbase_url = \"https://{portal}.docs.example.com\"\n"
	s = openSite(t, writeSite(t, files))
	buildTo(t, s, out)
	sm, err := os.ReadFile(filepath.Join(out, "acme", "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<loc>https://acme.docs.example.com/</loc>", "<loc>https://acme.docs.example.com/acme/configurations/visible/</loc>"} {
		if !strings.Contains(string(sm), want) {
			t.Errorf("sitemap lacks %s:\n%s", want, sm)
		}
	}
	if strings.Contains(string(sm), "restricted") {
		t.Errorf("the acme sitemap lists a restricted page:\n%s", sm)
	}
	if got := portalURL("https://docs.example.com/it/", "acme"); got != "https://docs.example.com/it/acme/" {
		t.Errorf("portalURL = %s", got)
	}
}

// dangerous matches what must never reach a page from content: script
// URLs, event handler attributes and active elements.
var dangerousURL = regexp.MustCompile(`(?i)^\s*(javascript|vbscript|data):`)

func TestXSSIsInert(t *testing.T) {
	vectors := "<script>alert('XSS1')</script>\n\n" +
		`<img src=x onerror="alert('XSS2')">` + "\n\n" +
		`<a href="javascript:alert('XSS3')">click</a>` + "\n\n" +
		`<iframe src="https://evil.example/XSS4"></iframe>` + "\n\n" +
		`<svg onload="alert('XSS5')"><circle r="1"/></svg>` + "\n\n" +
		`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>` + "\n\n" +
		`<a href="JaVaScRiPt:alert('XSS6')">x</a> <a href="  javascript:alert(7)">y</a>` + "\n\n" +
		`<meta http-equiv="refresh" content="0;url=javascript:alert('XSS8')">` + "\n\n" +
		`<object data="javascript:alert(9)"></object> <embed src="javascript:alert(12)"> <base href="https://evil.example/">` + "\n\n" +
		`<form action="https://evil.example"><input type="text" name="q"></form>` + "\n\n" +
		"- [ ] <input type=checkbox onclick=alert(10)> task\n"
	files := map[string]string{}
	for k, v := range canarySite {
		files[k] = v
	}
	files["content/acme/documents/xss.md"] = "+++\ntitle = \"<script>alert('XSSTITLE')</script>\"\n+++\n\n" + vectors
	files["content/acme/contacts/xss.toml"] = `first_name = "<img src=x onerror=alert('XSSNAME')>"
title = "\"><script>alert('XSSJOB')</script>"
notes = """` + vectors + `"""
[[emails]]
value = "x@example.com"
`
	files["content/acme/locations/xss.toml"] = `name = "Loc"
access_instructions = """` + vectors + `"""
`
	files["content/acme/configurations/xssurl.toml"] = `name = "xss-url"
configuration_type = "Server"
`
	files["content/acme/org.toml"] = "name = \"Acme <script>alert('XSSORG')</script>\"\nkind = \"client\"\nquick_notes = \"\"\"\n" + vectors + "\"\"\"\n\n[[alerts]]\nlevel = \"info\"\nmessage = \"<b onmouseover=alert(11)>hi</b>\"\n"
	files["schemas/links.toml"] = `name = "Links"
[[fields]]
name = "name"
kind = "text"
use_for_title = true
[[fields]]
name = "site"
kind = "url"
show_in_list = true
`
	files["content/acme/assets/links/one.toml"] = `name = "one"
site = "https://example.com/\"><script>alert('XSSURL')</script>"
`
	s := openSite(t, writeSite(t, files))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	tree := readTree(t, filepath.Join(out, "internal"))
	sawEscaped := false
	for name, data := range tree {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		if bytes.Contains(data, []byte("&lt;script&gt;alert(")) {
			sawEscaped = true
		}
		z := html.NewTokenizer(bytes.NewReader(data))
		inScript := false
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			tok := z.Token()
			switch tt {
			case html.TextToken:
				if inScript && strings.TrimSpace(tok.Data) != "" {
					t.Errorf("%s: inline script %q", name, tok.Data)
				}
			case html.EndTagToken:
				if tok.Data == "script" {
					inScript = false
				}
			case html.StartTagToken, html.SelfClosingTagToken:
				switch tok.Data {
				case "iframe", "object", "embed", "form", "frame", "base":
					t.Errorf("%s: <%s> element in the output", name, tok.Data)
				case "meta":
					for _, a := range tok.Attr {
						if a.Key == "http-equiv" && !strings.EqualFold(a.Val, "Content-Security-Policy") {
							t.Errorf("%s: <meta http-equiv=%q> in the output", name, a.Val)
						}
					}
				case "script":
					inScript = true
					src := ""
					for _, a := range tok.Attr {
						if a.Key == "src" {
							src = a.Val
						}
					}
					if !strings.Contains(src, "static/") && !strings.Contains(src, "search/") {
						t.Errorf("%s: <script src=%q> is not one of the theme's", name, src)
					}
				case "input":
					isSearch := false
					for _, a := range tok.Attr {
						isSearch = isSearch || (a.Key == "type" && a.Val == "search")
					}
					disabled := false
					for _, a := range tok.Attr {
						disabled = disabled || a.Key == "disabled"
					}
					if !isSearch && !disabled {
						t.Errorf("%s: an enabled <input> from content: %s", name, tok.String())
					}
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Errorf("%s: event handler %s=%q on <%s>", name, a.Key, a.Val, tok.Data)
					}
					switch a.Key {
					case "href", "src", "action", "formaction", "xlink:href", "srcset", "poster":
						if dangerousURL.MatchString(a.Val) {
							t.Errorf("%s: <%s %s=%q>", name, tok.Data, a.Key, a.Val)
						}
					case "style":
						if strings.Contains(strings.ToLower(a.Val), "url(") || strings.Contains(strings.ToLower(a.Val), "expression") {
							t.Errorf("%s: <%s style=%q>", name, tok.Data, a.Val)
						}
					}
				}
			}
		}
	}
	if !sawEscaped {
		t.Error("no escaped <script> text found: the vectors were not rendered at all")
	}
	for _, page := range []string{"acme/documents/xss/index.html", "acme/contacts/xss/index.html", "acme/locations/xss/index.html", "acme/assets/links/one/index.html", "acme/index.html"} {
		if _, ok := tree[page]; !ok {
			t.Errorf("no page %s", page)
		}
	}
}
