package markdown

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func seedMarkdown(f *testing.F) {
	for _, root := range []string{"../../content", "../../checklists"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
			return nil
		})
	}
	f.Add([]byte("+++\ntitle = \"x\"\n+++\n# A\n[[configurations/sv1|the server]] [[documents/x#a]] [r](../x.md#b) ![i](img.png) [a](#a)\n- [x] done @dana due:2026-11-20\n"))
	f.Add([]byte("\xef\xbb\xbf+++\r\ntitle = \"x\"\r\n+++\r\nbody"))
	f.Add([]byte("+++\n+++"))
	f.Add([]byte("[[a|b]] [[ ]] [[x]y]] [[a\n]] `[[code]]`"))
}

// FuzzFrontMatter: SplitFrontMatter never panics, and when it succeeds the
// front matter and body are the file's own bytes at the lines it says.
func FuzzFrontMatter(f *testing.F) {
	seedMarkdown(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		front, frontLine, body, bodyLine, err := SplitFrontMatter(data)
		var fe *FrontMatterError
		switch {
		case errors.Is(err, ErrNoFrontMatter):
			if bodyLine != 1 {
				t.Fatalf("no front matter: body line %d, want 1", bodyLine)
			}
			return
		case errors.As(err, &fe):
			return
		case err != nil:
			t.Fatalf("unexpected error %T %v", err, err)
		}
		if frontLine != 2 || bodyLine < 3 {
			t.Fatalf("front line %d, body line %d", frontLine, bodyLine)
		}
		trimmed := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !bytes.HasSuffix(trimmed, body) || !bytes.Contains(trimmed, front) {
			t.Fatal("front matter or body are not the file's bytes")
		}
		// The body starts on bodyLine: the lines before it are the
		// front matter and its two +++ lines.
		if got := bytes.Count(trimmed[:len(trimmed)-len(body)], []byte("\n")) + 1; len(body) > 0 && got != bodyLine {
			t.Fatalf("body starts on line %d, SplitFrontMatter says %d", got, bodyLine)
		}
	})
}

// FuzzParseLinks: parsing never panics, and every link, heading and task
// is positioned inside the text.
func FuzzParseLinks(f *testing.F) {
	seedMarkdown(f)
	p := NewParser()
	f.Fuzz(func(t *testing.T, data []byte) {
		const line, col = 7, 3
		d := p.Parse(data, line, col)
		last := line + bytes.Count(data, []byte("\n"))
		for _, l := range d.Links {
			if l.Line < line || l.Line > last || l.Col < 1 {
				t.Fatalf("link %+v outside lines %d-%d", l, line, last)
			}
			if l.Wiki && (l.Target != strings.TrimSpace(l.Target) || strings.ContainsAny(l.Target, "[]\n")) {
				t.Fatalf("wiki target %q not trimmed or holds brackets", l.Target)
			}
		}
		for _, tk := range d.Tasks {
			if tk.Line < line || tk.Line > last {
				t.Fatalf("task %+v outside lines %d-%d", tk, line, last)
			}
		}
		for _, h := range d.Headings {
			if !d.HasAnchor(h.Anchor) {
				t.Fatalf("heading %+v: HasAnchor false", h)
			}
		}
	})
}
