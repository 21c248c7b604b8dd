package site_test

import (
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// FuzzResolveLinks writes one link target as a related id, a tag value, a
// wiki link and a relative link in the base site, and checks the result:
// never a panic, every diagnostic positioned on a line of the file the
// link is in, with a known code.
func FuzzResolveLinks(f *testing.F) {
	for _, s := range []string{"configurations/sv1", "acme/configurations/sv1", "vendors", "other/configurations/x1",
		"documents/network/vlans#plan", "../x", "/etc/passwd", "SV1", "a//b", "", "#", "documents/restore#verify",
		"network/vlans.md#plan", "../../files/lan.pdf", "%2e%2e/%2e%2e/cairn.toml", "assets/kit/k1", "c:\\x"} {
		f.Add(s)
	}
	// markdown: a target of invalid UTF-8, or one that passes a Markdown
	// limit, makes the document unreadable (see markdown.Limits).
	codes := map[string]bool{"broken-link": true, "broken-anchor": true, "bad-slug": true, "bad-path": true, "cross-org": true, "wrong-target": true, "invalid-value": true, "markdown": true}
	f.Fuzz(func(t *testing.T, target string) {
		if strings.ContainsAny(target, "\n\r]|") || strings.Contains(target, "+++") {
			return // would change the document's structure, not the link
		}
		res := openWith(t,
			edit(sv1, `"vendors/contacts/rep"`, tomldoc.Quote(target)),
			edit(sv1, `location = "locations/hq"`, "location = "+tomldoc.Quote(target)),
			write("content/acme/documents/fuzz.md", "+++\ntitle = \"Fuzz\"\n+++\n\n# Fuzz\n\nSee [["+target+"]] and [this](<"+target+">).\n"),
		)
		for _, d := range res.Diags.Sorted() {
			if d.Pos.File == "" || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position: %+v", d)
			}
			if !codes[d.Code] {
				t.Fatalf("unexpected diagnostic: %s [%s] (hint %s)", d, d.Code, d.Hint)
			}
			if d.Pos.File != sv1 && d.Pos.File != "content/acme/documents/fuzz.md" {
				t.Fatalf("diagnostic in a file the fuzzer did not touch: %s", d)
			}
		}
	})
}
