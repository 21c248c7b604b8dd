package runbook

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/markdown"
)

// hostileSite writes a site whose one document, content/acme/documents/evil.md,
// has body as its Markdown, and returns the site's folder.
func hostileSite(t testing.TB, body string, extra map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"cairn.toml":                     "title = \"Hostile\"\n",
		"access.toml":                    "[groups.staff]\norgs = [\"*\"]\n[portals.internal]\ngroups = [\"staff\"]\n",
		"content/acme/org.toml":          "name = \"Acme\"\nkind = \"client\"\n",
		"content/acme/documents/evil.md": "+++\ntitle = \"Evil\"\n+++\n\n" + body,
	}
	for k, v := range extra {
		files[k] = v
	}
	writeFiles(t, root, files)
	return root
}

// layoutBound is how long a hostile book may take before the test calls
// it a hang: generous, for a loaded machine; a sound layout takes well
// under a second.
const layoutBound = 60 * time.Second

// writeBounded makes the book of acme within layoutBound and returns its
// bytes and error; it fails the test on a hang.
func writeBounded(t *testing.T, root string) ([]byte, error) {
	t.Helper()
	v := openView(t, root, "internal")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		pdf []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		var buf bytes.Buffer
		err := Write(ctx, &buf, v, "acme", Options{AsOf: asOf, Portal: "internal"})
		done <- result{buf.Bytes(), err}
	}()
	select {
	case r := <-done:
		return r.pdf, r.err
	case <-time.After(layoutBound):
		cancel()
		t.Fatalf("the runbook did not finish within %s: a layout loop makes no progress", layoutBound)
		return nil, nil
	}
}

// maxBookBytes bounds the PDF of a hostile one-document site: the output
// must grow with the input, not without bound.
const maxBookBytes = 4 << 20

func TestHostileLayoutTerminates(t *testing.T) {
	giant := strings.Repeat("header ", 8000/7)
	word := strings.Repeat("x", 200000)
	// As deep and as wide as the checker lets Markdown through (see
	// markdown.Limits): beyond that the text never reaches a renderer.
	nested := ""
	for i := 0; i < 60; i++ {
		nested += strings.Repeat("  ", i) + "- level\n"
	}
	quotes := strings.Repeat(">", 30) + " deep quote\n"
	cases := []struct {
		name string
		body string
	}{
		{"giant table header cell", "| " + giant + " | b |\n| --- | --- |\n| 1 | 2 |\n"},
		{"giant table header cell, no rows", "| " + giant + " |\n| --- |\n"},
		{"many giant header cells", "| " + giant + " | " + giant + " | " + giant + " |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n"},
		{"hundreds of columns", "|" + strings.Repeat(" column |", 250) + "\n|" + strings.Repeat(" --- |", 250) + "\n|" + strings.Repeat(" value |", 250) + "\n"},
		{"giant body cell", "| a | b |\n| --- | --- |\n| " + giant + giant + giant + " | 2 |\n"},
		{"unbreakable word in a header", "| " + word + " |\n| --- |\n| 1 |\n"},
		{"unbreakable word in a paragraph", word + "\n"},
		{"huge code line", "```\n" + word + "\n```\n"},
		{"giant list label", "1. " + giant + "\n2. b\n"},
		{"list item starting with a giant table", "- | " + giant + " |\n  | --- |\n  | 1 |\n"},
		{"huge ordered list start", "123456789012345678901234567890. item\n"},
		{"deeply nested list", nested},
		{"deeply nested quotes", quotes},
		{"giant heading", "# " + giant + giant + "\n\ntext\n"},
		{"giant definition term", giant + "\n: definition\n"},
		{"giant footnote", "text[^1]\n\n[^1]: " + giant + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pdf, err := writeBounded(t, hostileSite(t, c.body, nil))
			if err != nil {
				if !strings.Contains(err.Error(), "content/acme/documents/evil.md:") {
					t.Fatalf("error does not name the document and line: %v", err)
				}
				return
			}
			if len(pdf) > maxBookBytes {
				t.Errorf("book of %d bytes for %d bytes of Markdown", len(pdf), len(c.body))
			}
		})
	}
}

// TestHostileSiteFilesTerminate feeds giant names and labels from TOML
// files into the parts of the book that are not Markdown: the running
// header (the organization's name on every page), alerts, the contents
// (type names), summary tables (field labels as headers), and an image
// taller than a page.
func TestHostileSiteFilesTerminate(t *testing.T) {
	giant := strings.Repeat("Name ", 2000)
	word := strings.Repeat("W", 100000)
	tall := tallPNG(t, 40, 9000)
	cases := []struct {
		name  string
		files map[string]string
	}{
		{"giant organization name", map[string]string{"content/acme/org.toml": "name = \"" + giant + "\"\nkind = \"client\"\n"}},
		{"unbreakable organization name", map[string]string{"content/acme/org.toml": "name = \"" + word + "\"\nkind = \"client\"\n"}},
		{"giant alert", map[string]string{"content/acme/org.toml": "name = \"Acme\"\n[[alerts]]\nlevel = \"critical\"\nmessage = \"" + giant + giant + "\"\n"}},
		{"longest type name and field labels", map[string]string{
			"schemas/evil.toml":               "name = \"" + giant[:200] + "\"\n[[fields]]\nname = \"x\"\nlabel = \"" + giant[:200] + "\"\nkind = \"text\"\nuse_for_title = true\nshow_in_list = true\n[[fields]]\nname = \"y\"\nlabel = \"" + word[:200] + "\"\nkind = \"text\"\nshow_in_list = true\n",
			"content/acme/assets/evil/a.toml": "x = \"a\"\ny = \"b\"\n",
		}},
		{"image taller than a page", map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.files["content/acme/files/tall.png"] = tall
			body := "text\n\n![tall](../files/tall.png)\n"
			pdf, err := writeBounded(t, hostileSite(t, body, c.files))
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(pdf) > maxBookBytes {
				t.Errorf("book of %d bytes", len(pdf))
			}
		})
	}
}

// tallPNG is a w × h grey picture.
func tallPNG(t testing.TB, w, h int) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestGiantHeaderIsCutWithANote checks what a reader sees of a table whose
// header is taller than a page: the header cut to a quarter page ending in
// "…", a note saying so, and every row.
func TestGiantHeaderIsCutWithANote(t *testing.T) {
	giant := strings.Repeat("header ", 8000/7)
	body := "| " + giant + " | Short |\n| --- | --- |\n| row-one | 2 |\n| row-two | 4 |\n"
	pdf, err := writeBounded(t, hostileSite(t, body, nil))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"head…", "[Header cut: a header cell of this table is longer than a quarter of a page; see the source.]", "row-one", "row-two", "Short"} {
		if !strings.Contains(text, want) {
			t.Errorf("book lacks %q", want)
		}
	}
	if n := strings.Count(text, "\f"); n > 8 {
		t.Errorf("%d pages for a two-row table", n)
	}
}

func TestLineOf(t *testing.T) {
	src := "Intro.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```\ncode\n```\n"
	d := markdown.NewParser().Parse([]byte(src), 10, 1)
	var got []int
	for n := d.Root().FirstChild(); n != nil; n = n.NextSibling() {
		got = append(got, lineOf(d, n))
	}
	want := []int{10, 12, 17} // a fenced block by its first line of code
	if len(got) != len(want) {
		t.Fatalf("lines %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("lines %v, want %v", got, want)
		}
	}
}

// TestPageLimit adds pages until the limit: the pass stops with a
// LayoutError naming the source being printed, and adds no page after it.
func TestPageLimit(t *testing.T) {
	v := openView(t, hostileSite(t, "text\n", nil), "internal")
	b, err := newBook(context.Background(), v, "acme", Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	b.pdf, b.dry = newPDF("t", false), true
	b.at("content/acme/documents/evil.md", 7)
	for i := 0; i < maxPages+10; i++ {
		b.newPage()
	}
	if n := b.pdf.PageNo(); n != maxPages {
		t.Errorf("%d pages, want the limit %d", n, maxPages)
	}
	want := "content/acme/documents/evil.md:7: the runbook would have more than 20000 pages; shorten this text or leave its type out (--types)"
	var le *LayoutError
	if !errors.As(b.err, &le) || b.err.Error() != want {
		t.Errorf("err = %v, want %q", b.err, want)
	}
}

// TestCancelStopsLayout cancels the context: the next page ends the pass.
func TestCancelStopsLayout(t *testing.T) {
	v := openView(t, hostileSite(t, "text\n", nil), "internal")
	ctx, cancel := context.WithCancel(context.Background())
	b, err := newBook(ctx, v, "acme", Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	b.pdf = newPDF("t", true)
	b.newPage()
	cancel()
	b.newPage()
	if !errors.Is(b.err, context.Canceled) || b.pdf.PageNo() != 1 {
		t.Errorf("err %v after %d pages; want context.Canceled after 1", b.err, b.pdf.PageNo())
	}
}
