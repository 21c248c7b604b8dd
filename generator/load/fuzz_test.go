package load_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/testsite"

	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// seedFiles adds every file of the demo content (../../content) and of the
// project's schemas with one of the extensions as fuzz seeds. The demo may
// be missing in a partial checkout; the named seeds in testdata/fuzz still
// run.
func seedFiles(f *testing.F, exts ...string) {
	for _, root := range []string{"../../content", "../../checklists"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			for _, ext := range exts {
				if strings.HasSuffix(p, ext) {
					if data, err := os.ReadFile(p); err == nil {
						f.Add(data)
					}
				}
			}
			return nil
		})
	}
}

// fuzzSite writes a one-organization site with one file planted at rel and
// opens it.
func fuzzSite(t *testing.T, rel string, data []byte) *site.Result {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"cairn.toml":                     "title = \"fuzz\"\n",
		"content/acme/org.toml":          "name = \"Acme\"\n",
		"content/acme/locations/hq.toml": "name = \"HQ\"\n",
		"content/acme/documents/sop.md":  "+++\ntitle = \"SOP\"\n+++\n\n## Steps\n",
		rel:                              string(data),
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	res, err := site.Open(context.Background(), dir, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("site.Open: %v", err)
	}
	return res
}

// checkDiags asserts the fuzz property: every diagnostic names a file, and
// when the planted file had a TOML syntax error it is reported, positioned
// at a line of that file.
func checkDiags(t *testing.T, res *site.Result, rel string, syntaxErr bool, lines int) {
	t.Helper()
	found := false
	for _, d := range res.Diags.Sorted() {
		if d.Pos.File == "" || d.Message == "" || d.Code == "" {
			t.Fatalf("diagnostic without file, message or code: %+v", d)
		}
		if d.Pos.File == rel && d.Code == "toml-syntax" {
			found = true
			if d.Pos.Line < 1 || d.Pos.Line > lines+1 || d.Pos.Col < 1 {
				t.Fatalf("syntax error outside the file (%d lines): %+v", lines, d)
			}
		}
	}
	if syntaxErr && !found {
		t.Fatalf("TOML syntax error not reported; diagnostics:\n%v", res.Diags.Sorted())
	}
}

func lineCount(b []byte) int { return strings.Count(string(b), "\n") + 1 }

// FuzzLoadItem feeds bytes as a configuration item file through load and
// check.
func FuzzLoadItem(f *testing.F) {
	seedFiles(f, ".toml")
	f.Add([]byte("name = \"sv1\"\nconfiguration_type = \"Server\"\n[[interfaces]]\nname = \"eth0\"\nip = \"192.0.2.1\"\n"))
	f.Add([]byte("name = \"sv1\"\nrelated = [\"locations/hq\", \"documents/sop#steps\", 3]\nnotes = \"\"\"\n[[locations/hq]] [x](../documents/sop.md#steps)\n\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const rel = "content/acme/configurations/fuzz.toml"
		_, perr := tomldoc.Parse(data)
		res := fuzzSite(t, rel, data)
		checkDiags(t, res, rel, perr != nil, lineCount(data))
	})
}

// FuzzLoadDocument feeds bytes as a document (front matter and Markdown)
// through load and check.
func FuzzLoadDocument(f *testing.F) {
	seedFiles(f, ".md")
	f.Add([]byte("+++\ntitle = \"x\"\nrelated = [\"locations/hq\"]\n+++\n# X\n[[locations/hq|HQ]] [[documents/sop#steps]] [s](sop.md#steps) [a](#x)\n- [ ] task @sam due:2026-13-01\n"))
	f.Add([]byte("+++\ntitle = \n+++\n"))
	f.Add([]byte("+++\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const rel = "content/acme/documents/fuzz.md"
		syntaxErr := false
		if front, _, _, _, err := markdown.SplitFrontMatter(data); err == nil {
			_, perr := tomldoc.Parse(front)
			syntaxErr = perr != nil
		} else if !errors.Is(err, markdown.ErrNoFrontMatter) {
			var fe *markdown.FrontMatterError
			if !errors.As(err, &fe) {
				t.Fatalf("SplitFrontMatter: unexpected error type %T", err)
			}
		}
		res := fuzzSite(t, rel, data)
		checkDiags(t, res, rel, syntaxErr, lineCount(data))
		for _, d := range res.Diags.Sorted() {
			if d.Pos.File == rel && d.Pos.Line > lineCount(data)+1 {
				t.Fatalf("diagnostic past the end of the file: %+v", d)
			}
		}
	})
}
