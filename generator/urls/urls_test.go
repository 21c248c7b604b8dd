package urls

import "testing"

func TestFile(t *testing.T) {
	for _, c := range []struct{ in, path, href string }{
		{"acme/files/lan.pdf", "acme/files/lan.pdf", "acme/files/lan.pdf"},
		{"acme/files/Scan.PNG", "acme/files/Scan.PNG", "acme/files/Scan.PNG"},
		{"acme/files/notes.txt", "acme/files/notes.txt", "acme/files/notes.txt"},
		{"acme/files/a#b?c.pdf", "acme/files/a#b?c.pdf", "acme/files/a%23b%3Fc.pdf"},
		{"acme/files/50% off plan.pdf", "acme/files/50% off plan.pdf", "acme/files/50%25%20off%20plan.pdf"},
		{"acme/files/dir #2/x.zip", "acme/files/dir #2/x.zip", "acme/files/dir%20%232/x.zip"},
		{"acme/files/r\u00e9seau.pdf", "acme/files/r\u00e9seau.pdf", "acme/files/r%C3%A9seau.pdf"},
		// Active or unknown types are published as text.
		{"acme/files/export.html", "acme/files/export.html.txt", "acme/files/export.html.txt"},
		{"acme/files/export.HTM", "acme/files/export.HTM.txt", "acme/files/export.HTM.txt"},
		{"acme/files/page.xhtml", "acme/files/page.xhtml.txt", "acme/files/page.xhtml.txt"},
		{"acme/files/diagram.svg", "acme/files/diagram.svg.txt", "acme/files/diagram.svg.txt"},
		{"acme/files/feed.xml", "acme/files/feed.xml.txt", "acme/files/feed.xml.txt"},
		{"acme/files/tool.js", "acme/files/tool.js.txt", "acme/files/tool.js.txt"},
		{"acme/files/mod.mjs", "acme/files/mod.mjs.txt", "acme/files/mod.mjs.txt"},
		{"acme/files/page.shtml", "acme/files/page.shtml.txt", "acme/files/page.shtml.txt"},
		{"acme/files/readme.md", "acme/files/readme.md.txt", "acme/files/readme.md.txt"},
		{"acme/files/router.conf", "acme/files/router.conf.txt", "acme/files/router.conf.txt"},
		{"acme/files/NOTES", "acme/files/NOTES.txt", "acme/files/NOTES.txt"},
		{"acme/files/x.svg#y.html", "acme/files/x.svg#y.html.txt", "acme/files/x.svg%23y.html.txt"},
	} {
		if got := FilePath(c.in); got != c.path {
			t.Errorf("FilePath(%q) = %q, want %q", c.in, got, c.path)
		}
		if got := File(c.in); got != c.href {
			t.Errorf("File(%q) = %q, want %q", c.in, got, c.href)
		}
	}
}
