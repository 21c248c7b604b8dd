package build

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/portal"
)

// TestAttachmentLinksReachFiles: every attachment link on a page, resolved
// as a browser resolves it, names a file the build wrote with the
// attachment's bytes, whatever its name holds ('#', '?', '%', spaces);
// active types are written as NAME.txt, never under their own name.
func TestAttachmentLinksReachFiles(t *testing.T) {
	names := map[string]string{
		"plan #2?.pdf":       "%PDF-1.4 plan\n",
		"50% off.png":        "\x89PNG fake\n",
		"export.html":        "<script>alert(1)</script>\n",
		"diagram.svg":        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>\n",
		"a&b;c=d.txt":        "plain\n",
		"dir #1/notes?.conf": "x=1\n",
	}
	files := map[string]string{}
	for k, v := range canarySite {
		files[k] = v
	}
	var md strings.Builder
	md.WriteString("+++\ntitle = \"Files\"\n+++\n\n")
	for name, body := range names {
		files["content/acme/files/"+name] = body
		md.WriteString("- [" + strings.NewReplacer("#", "", "?", "", "%", "").Replace(name) + "](../files/" + (&url.URL{Path: name}).EscapedPath() + ")\n")
	}
	files["content/acme/documents/files.md"] = md.String()
	s := openSite(t, writeSite(t, files))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	tree := readTree(t, filepath.Join(out, "internal"))
	const page = "acme/documents/files/index.html"
	html, ok := tree[page]
	if !ok {
		t.Fatalf("no page %s", page)
	}
	base, _ := url.Parse("http://portal.example/" + page)
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="([^"]*files/[^"]*)"`).FindAllSubmatch(html, -1) {
		ref, err := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		if err != nil {
			t.Errorf("href %q: %v", m[1], err)
			continue
		}
		u := base.ResolveReference(ref)
		if u.RawQuery != "" || u.Fragment != "" {
			t.Errorf("href %q has a query or fragment: the name was not escaped", m[1])
		}
		written := strings.TrimPrefix(u.Path, "/")
		name := strings.TrimPrefix(written, "acme/files/")
		orig := strings.TrimSuffix(name, ".txt")
		if _, ok := names[orig]; !ok {
			orig = name
		}
		want, ok := names[orig]
		if !ok {
			t.Errorf("href %q reaches %s, which is no attachment", m[1], written)
			continue
		}
		if got := tree[written]; !bytes.Equal(got, []byte(want)) {
			t.Errorf("href %q reaches %s, which holds %q, want %q", m[1], written, got, want)
		}
		seen[orig] = true
	}
	for name := range names {
		if !seen[name] {
			t.Errorf("no link reaches %s", name)
		}
		ext := path.Ext(name)
		active := ext == ".html" || ext == ".svg" || ext == ".conf"
		if _, ok := tree["acme/files/"+name]; ok == active {
			t.Errorf("%s written under its own name: %v, want %v", name, ok, !active)
		}
	}
}

// TestEveryPageDeclaresCSP: every page carries the portal's Content
// Security Policy before any script or style sheet, where it applies to
// them.
func TestEveryPageDeclaresCSP(t *testing.T) {
	s := openSite(t, writeSite(t, canarySite))
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, out)
	meta := []byte(`<meta http-equiv="Content-Security-Policy" content="` + template.HTMLEscapeString(portal.ContentSecurityPolicy) + `">`)
	pages := 0
	for _, p := range []string{"internal", "helpdesk", "acme"} {
		for name, data := range readTree(t, filepath.Join(out, p)) {
			if !strings.HasSuffix(name, ".html") {
				continue
			}
			pages++
			i := bytes.Index(data, meta)
			if i < 0 {
				t.Errorf("%s/%s has no CSP meta", p, name)
				continue
			}
			for _, tag := range []string{"<script", "<link", "<style"} {
				if j := bytes.Index(data, []byte(tag)); j >= 0 && j < i {
					t.Errorf("%s/%s: %s comes before the CSP meta", p, name, tag)
				}
			}
		}
	}
	if pages < 10 {
		t.Errorf("only %d pages checked", pages)
	}
	for _, want := range []string{"script-src 'self';", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-src 'none'"} {
		if !strings.Contains(portal.ContentSecurityPolicy, want) {
			t.Errorf("the policy lacks %s: %s", want, portal.ContentSecurityPolicy)
		}
	}
	if strings.Contains(portal.ContentSecurityPolicy, "unsafe-eval") || strings.Contains(strings.SplitN(strings.SplitN(portal.ContentSecurityPolicy, "script-src", 2)[1], ";", 2)[0], "unsafe-inline") {
		t.Errorf("the policy allows inline script or eval: %s", portal.ContentSecurityPolicy)
	}
}
