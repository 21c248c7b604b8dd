package load_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
)

// Markdown that is not UTF-8 or exceeds a limit on its shape is an error
// at its place in the file, wherever the Markdown is.
func TestMarkdownProblemsArePositioned(t *testing.T) {
	cases := []struct{ rel, src, want string }{
		{"content/acme/documents/sop.md", "+++\ntitle = \"SOP\"\n+++\n\nok\nbad \xfe byte\n",
			"content/acme/documents/sop.md:6:5: error: invalid UTF-8 (byte 0xFE)"},
		{"checklists/onboarding.md", "+++\ntitle = \"On\"\n+++\n" + strings.Repeat("> ", 40) + "x\n",
			"checklists/onboarding.md:4:65: error: more than 32 lists or quotes nested on one line"},
		{"content/acme/locations/hq.toml", "name = \"HQ\"\nnotes = \"\"\"\n" + strings.Repeat("- ", 40) + "x\"\"\"\n",
			"content/acme/locations/hq.toml:3:65: error: more than 32 lists or quotes nested on one line"},
		{"content/acme/org.toml", "name = \"Acme\"\nquick_notes = \"" + strings.Repeat("[a](", 20) + "\"\n",
			"content/acme/org.toml:2:82: error: more than 16 links in one word"},
	}
	for _, c := range cases {
		t.Run(c.rel, func(t *testing.T) {
			files := baseSite()
			files[c.rel] = c.src
			_, ds, err := load.Load(context.Background(), writeSite(t, files))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			_ = diag.WriteText(&b, ds.Sorted())
			if !strings.Contains(b.String(), c.want) {
				t.Errorf("diagnostics:\n%s\nwant %s", b.String(), c.want)
			}
		})
	}
}

// A textbox value over a limit is reported by check (which parses
// textboxes only for their links) rather than rendered empty.
func TestTextboxOverALimitIsAnError(t *testing.T) {
	res := fuzzSite(t, "content/acme/locations/hq.toml", []byte("name = \"HQ\"\naccess_instructions = \"\"\"\n"+strings.Repeat("> ", 40)+"x\"\"\"\n"))
	var b strings.Builder
	_ = diag.WriteText(&b, res.Diags.Sorted())
	if want := "content/acme/locations/hq.toml:3:65: error: more than 32 lists or quotes nested on one line"; !strings.Contains(b.String(), want) {
		t.Errorf("diagnostics:\n%s\nwant %s", b.String(), want)
	}
}

func TestValueTooLargeAndBOM(t *testing.T) {
	files := baseSite()
	files["content/acme/locations/hq.toml"] = "name = \"HQ\"\nnotes = \"" + strings.Repeat("x", 3<<19) + "\"\n"
	files["content/acme/org.toml"] = "\xef\xbb\xbfname = \"Acme\"\n"
	files["checklists/onboarding.md"] = "\xef\xbb\xbf" + files["checklists/onboarding.md"]
	_, ds, err := load.Load(context.Background(), writeSite(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = diag.WriteText(&b, ds.Sorted())
	want := "content/acme/locations/hq.toml:2:9: error: the string is 1572864 bytes long; the limit for one value is 1 MiB (1048576 bytes)\n" +
		"    hint: move long text into a document (documents/<slug>.md) or an attachment (files/)\n"
	if b.String() != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", b.String(), want)
	}
}
