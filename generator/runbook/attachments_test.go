package runbook

import (
	"bytes"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestHiddenAttachmentsAreNotNamed: a book names and embeds exactly the
// attachments its portal carries. Portal "client" may not see passwords;
// a document, the quick notes and a textbox field (all visible) refer to
// attachments, which the portal therefore carries, and a password item
// refers to others, which it does not. Every file the book names must be
// one the portal carries (before the View was the one door, the book
// named files from quick notes and textboxes that no portal carried).
func TestHiddenAttachmentsAreNotNamed(t *testing.T) {
	root := hostileSite(t, "Visible: ![](../files/shown.png) and [the shown plan](../files/shown-plan.pdf).\n", map[string]string{
		"access.toml": "[groups.staff]\norgs = [\"*\"]\n[groups.client]\norgs = [\"acme\"]\ndeny = [\"acme/passwords\"]\n" +
			"[portals.internal]\ngroups = [\"staff\"]\n[portals.client]\ngroups = [\"client\"]\n",
		"content/acme/org.toml": `name = "Acme"
kind = "client"
quick_notes = """
Notes: ![](files/notes-net.png) and [the plan](files/notes-plan.pdf).
"""
`,
		"content/acme/locations/hq.toml": `name = "HQ"
access_instructions = """
Map: [door map](../files/textbox-map.pdf).
"""
`,
		"content/acme/passwords/wifi.toml": `name = "Wi-Fi"
notes = "Codes: ![](../files/hidden-net.png) [the codes](../files/hidden-codes.txt)"
`,
		"content/acme/files/shown.png":        testPNG(t),
		"content/acme/files/shown-plan.pdf":   "%PDF-1.4\n",
		"content/acme/files/notes-net.png":    tallPNG(t, 30, 20), // unlike shown.png, so not shared in the PDF
		"content/acme/files/notes-plan.pdf":   "%PDF-1.4\n",
		"content/acme/files/textbox-map.pdf":  "%PDF-1.4\n",
		"content/acme/files/hidden-net.png":   tallPNG(t, 20, 30),
		"content/acme/files/hidden-codes.txt": "1234\n",
	})
	v := openView(t, root, "client")
	carried := map[string]bool{}
	for _, f := range v.Files() {
		carried[path.Base(f)] = true
	}
	for _, f := range []string{"shown.png", "shown-plan.pdf", "notes-net.png", "notes-plan.pdf", "textbox-map.pdf"} {
		if !carried[f] {
			t.Errorf("portal client does not carry %s, which a visible text refers to", f)
		}
	}
	for _, f := range []string{"hidden-net.png", "hidden-codes.txt"} {
		if carried[f] {
			t.Fatalf("the fixture is wrong: portal client carries %s", f)
		}
	}
	pdf := render(t, v, "acme", Options{Portal: "client"})
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	named := regexp.MustCompile(`\[file: ([^\]]+)\]`).FindAllStringSubmatch(text, -1)
	if len(named) != 3 {
		t.Errorf("the book names %d files, want 3 (shown-plan.pdf, notes-plan.pdf, textbox-map.pdf): %q", len(named), named)
	}
	for _, m := range named {
		if !carried[m[1]] {
			t.Errorf("the book names %s, which the portal does not carry", m[1])
		}
	}
	for _, hidden := range []string{"hidden-net", "hidden-codes", "1234"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the book shows %s, which only a hidden item refers to", hidden)
		}
	}
	// shown.png and notes-net.png are embedded, nothing else.
	if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 2 {
		t.Errorf("%d images embedded, want 2", n)
	}
}
