package tomledit_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cairn-it/cairn/generator/collab/tomledit"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// FuzzSet sets each top-level key of any valid document to a string: the
// edit either fails with ErrNotInPlace or yields a valid document in which
// that key holds the string and every other top-level key its old value.
// It never panics. Seeds are the golden inputs.
func FuzzSet(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*.in.toml")
	for _, in := range ins {
		b, _ := os.ReadFile(in)
		f.Add(b, "new \"value\"\nline")
	}
	f.Add([]byte("a = 1\nb = [1,\n# c\n2]\nc = '''x'''\nd = 1979-05-27 07:32:00Z\n"), "x")
	f.Fuzz(func(t *testing.T, src []byte, val string) {
		root, err := tomldoc.Parse(src)
		if err != nil || !utf8.ValidString(val) { // forms send UTF-8 only
			return
		}
		for _, key := range root.Keys() {
			d, err := tomledit.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Set(key, tomledit.String(val)); err != nil {
				if !errors.Is(err, tomledit.ErrNotInPlace) {
					t.Fatalf("Set(%q): %v", key, err)
				}
				continue
			}
			out, err := d.Bytes()
			if err != nil {
				if !errors.Is(err, tomledit.ErrNotInPlace) {
					t.Fatalf("Bytes: %v", err)
				}
				continue
			}
			got, err := tomldoc.Parse(out)
			if err != nil {
				t.Fatalf("the result does not parse: %v", err)
			}
			// A multi-line value is written with the document's line
			// breaks (CRLF from a browser becomes one break).
			want := val
			if strings.Contains(val, "\n") {
				want = strings.ReplaceAll(val, "\r\n", "\n")
				if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
					want = strings.ReplaceAll(want, "\n", "\r\n")
				}
			}
			if v := got.Get(key); v == nil || v.Kind != tomldoc.KindString || v.Str != want {
				t.Fatalf("%q is not the new value in:\n%s", key, out)
			}
			for _, k := range root.Keys() {
				if k == key {
					continue
				}
				a, b := root.Get(k), got.Get(k)
				if b == nil || a.Kind != b.Kind || a.Raw != b.Raw {
					t.Fatalf("setting %q changed %q in:\n%s", key, k, out)
				}
			}
		}
	})
}
