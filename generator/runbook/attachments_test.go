package runbook

import (
	"bytes"
	"strings"
	"testing"
)

// TestHiddenAttachmentsAreNotNamed links and embeds attachments the portal
// does not carry (access.View.CanSeeFile says no: they are referenced only
// from the organization's quick notes and from a textbox field) and one it
// does (from a document). The book names and embeds only the latter.
func TestHiddenAttachmentsAreNotNamed(t *testing.T) {
	png := testPNG(t)
	root := hostileSite(t, "Visible: ![](../files/shown.png) and [the shown plan](../files/shown-plan.pdf).\n", map[string]string{
		"content/acme/org.toml": `name = "Acme"
kind = "client"
quick_notes = """
Notes: ![](files/notes-net.png) and [the plan](files/notes-plan.pdf).
"""
`,
		"content/acme/locations/hq.toml": `name = "HQ"
access_instructions = """
Map: ![](../files/textbox-map.png) and [door codes](../files/textbox-codes.txt).
"""
`,
		"content/acme/files/shown.png":         png,
		"content/acme/files/shown-plan.pdf":    "%PDF-1.4\n",
		"content/acme/files/notes-net.png":     tallPNG(t, 30, 20), // unlike shown.png, so not shared in the PDF
		"content/acme/files/notes-plan.pdf":    "%PDF-1.4\n",
		"content/acme/files/textbox-map.png":   tallPNG(t, 20, 30),
		"content/acme/files/textbox-codes.txt": "1234\n",
	})
	v := openView(t, root, "internal")
	for _, f := range []string{"acme/files/notes-net.png", "acme/files/notes-plan.pdf", "acme/files/textbox-map.png", "acme/files/textbox-codes.txt"} {
		if v.CanSeeFile(f) {
			t.Fatalf("the fixture is wrong: the portal carries %s", f)
		}
	}
	pdf := render(t, v, "acme", Options{Portal: "internal"})
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, hidden := range []string{"notes-net", "notes-plan", "textbox-map", "textbox-codes"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the book names %s, which the portal does not carry", hidden)
		}
	}
	for _, want := range []string{"the plan", "door codes", "[file: shown-plan.pdf]"} {
		if !strings.Contains(text, want) {
			t.Errorf("book lacks %q", want)
		}
	}
	// Only shown.png is embedded: one image object.
	if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 1 {
		t.Errorf("%d images embedded, want 1 (shown.png only)", n)
	}
}
