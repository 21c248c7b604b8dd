package runbook

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// TestCompressPages checks the rewritten PDF: every page stream is
// compressed, each decompresses to fpdf's plain stream, and every
// cross-reference offset points at its object.
func TestCompressPages(t *testing.T) {
	t.Parallel()
	v := openView(t, testSite(t), "internal")
	b, err := newBook(t.Context(), v, "muller", Options{Portal: "internal", AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _, err := b.render(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if err := pdf.Output(&plain); err != nil {
		t.Fatal(err)
	}
	packed, err := compressPages(plain.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(packed) >= plain.Len() {
		t.Errorf("compressed %d bytes to %d", plain.Len(), len(packed))
	}
	if bytes.Contains(packed, []byte("<</Length")) && regexp.MustCompile(`obj\n<</Length \d+>>\nstream`).Match(packed) {
		t.Error("a plain stream is left")
	}
	plainStreams := regexp.MustCompile(`(?s)(\d+) 0 obj\n<</Length \d+>>\nstream\n(.*?)\nendstream`).FindAllSubmatch(plain.Bytes(), -1)
	if len(plainStreams) < 10 {
		t.Fatalf("only %d plain streams in fpdf's output", len(plainStreams))
	}
	for _, s := range plainStreams {
		re := regexp.MustCompile(`(?s)\n` + string(s[1]) + ` 0 obj\n<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
		m := re.FindSubmatchIndex(packed)
		if m == nil {
			t.Fatalf("object %s is not compressed", s[1])
		}
		n, _ := strconv.Atoi(string(packed[m[2]:m[3]]))
		zr, err := zlib.NewReader(bytes.NewReader(packed[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, s[2]) {
			t.Fatalf("object %s decompresses to something else (%v)", s[1], err)
		}
	}
	xm := regexp.MustCompile(`(?s)startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(packed)
	if xm == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(xm[1]))
	if !bytes.HasPrefix(packed[xref:], []byte("xref\n0 ")) {
		t.Fatal("startxref does not point at the table")
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(packed[xref:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := strconv.Itoa(i+1) + " 0 obj\n"; !bytes.HasPrefix(packed[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i+1, packed[off:off+12])
		}
	}
}
