package portal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
)

// renderMD renders Markdown with a resolver that sees nothing, through the
// sanitizer, as documents are rendered.
func renderMD(t *testing.T, src string) string {
	t.Helper()
	s := model.NewSite(t.TempDir(), model.Config{ExpiryWindowDays: 30}, model.Access{Portals: map[string]*model.Portal{"p": {Name: "p"}}}, nil, nil, nil, nil, nil)
	v, err := access.NewView(s, "p")
	if err != nil {
		t.Fatal(err)
	}
	r := &Renderer{v: v, md: markdown.NewParser(), files: map[string]bool{}}
	h, err := r.renderMarkdown(r.md.Parse([]byte(src), 1, 1), "acme/documents/x/index.html", "acme/documents/x")
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestSanitizerKeepsMarkdownFeatures(t *testing.T) {
	got := renderMD(t, "## Verify the backup\n\n- [x] done\n- [ ] open\n\n```go\nx := 1\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Footnote text.\n\n[[configurations/hidden|the hidden box]]\n")
	for _, want := range []string{
		`<h2 id="verify-the-backup">`,
		`<input checked="" disabled="" type="checkbox"`,
		`<code class="language-go">`,
		`style="text-align: left"`,
		`style="text-align: right"`,
		`href="#fn:1"`,
		`id="fn:1"`,
		`class="footnote-ref"`,
		`<span class="link-hidden">the hidden box</span>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered Markdown lacks %s:\n%s", want, got)
		}
	}
}

func TestSanitizerDisablesEveryCheckbox(t *testing.T) {
	got := renderMD(t, `<input type="checkbox" checked> raw box`)
	if !strings.Contains(got, `<input disabled=""`) {
		t.Errorf("a raw checkbox stays enabled: %s", got)
	}
	got = renderMD(t, `<input type="text" value="x" onfocus="alert(1)">`)
	if strings.Contains(got, "onfocus") || strings.Contains(got, `type="text"`) {
		t.Errorf("a text input kept its type or handler: %s", got)
	}
}

func TestBadge(t *testing.T) {
	s := model.NewSite(t.TempDir(), model.Config{ExpiryWindowDays: 30}, model.Access{Portals: map[string]*model.Portal{"p": {Name: "p"}}}, nil, nil, nil, nil, nil)
	v, _ := access.NewView(s, "p")
	r := &Renderer{v: v, today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		date        string
		class, text string
	}{
		{"2026-11-20", "expired", "Expired 3 days ago"},
		{"2026-11-22", "expired", "Expired yesterday"},
		{"2026-11-23", "soon", "Expires today"},
		{"2026-11-24", "soon", "Expires tomorrow"},
		{"2026-12-23", "soon", "Expires in 30 days"},
		{"2026-12-24", "ok", ""},
	} {
		d, _ := time.Parse("2006-01-02", c.date)
		b := r.badge(d)
		if b.Class != c.class || b.Text != c.text || b.Date != c.date || b.Window != 30 {
			t.Errorf("%s: got %+v, want %s %q", c.date, b, c.class, c.text)
		}
	}
}

func TestTelDigits(t *testing.T) {
	for in, want := range map[string]string{
		"+1 (555) 010-0123":  "+15550100123",
		"0800 123 456 x 12":  "0800123456",
		"+44 20 7946 0958":   "+442079460958",
		"12":                 "",
		"call +1 555 0100 !": "15550100",
	} {
		if got := telDigits(in); got != want {
			t.Errorf("telDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThemeOverlay(t *testing.T) {
	embedded, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"cairn.css", "cairn.js", "list.js", "print.css", "favicon.svg"} {
		if !embedded.HasAsset(a) {
			t.Errorf("the default theme lacks static/%s", a)
		}
	}
	site := t.TempDir()
	writeFile(t, site+"/themes/default/static/cairn.css", "body{color:red}")
	writeFile(t, site+"/themes/default/static/logo.svg", "<svg/>")
	writeFile(t, site+"/themes/default/templates/home.html", `{{define "content"}}CUSTOM HOME{{end}}`)
	th, err := LoadTheme(site)
	if err != nil {
		t.Fatal(err)
	}
	css, _ := th.Asset("cairn.css")
	if string(css) != "body{color:red}" {
		t.Errorf("cairn.css not overridden: %.40q", css)
	}
	if !th.HasAsset("logo.svg") || !th.HasAsset("list.js") {
		t.Errorf("assets = %v: want the site's logo.svg added and list.js kept", th.Assets())
	}
	var buf bytes.Buffer
	if err := th.pages[tmplHome].ExecuteTemplate(&buf, "content", nil); err != nil || buf.String() != "CUSTOM HOME" {
		t.Errorf("home.html not overridden: %q, %v", buf.String(), err)
	}

	// A broken template is reported with its file name.
	_, err = NewTheme(fstest.MapFS{
		"templates/layout.html":   {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"templates/partials.html": {Data: []byte(``)},
		"templates/home.html":     {Data: []byte(`{{define "content"}}{{if}}{{end}}`)},
	})
	if err == nil || !strings.Contains(err.Error(), "templates/home.html") {
		t.Errorf("want an error naming templates/home.html, got %v", err)
	}
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
