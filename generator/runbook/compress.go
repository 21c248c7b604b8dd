package runbook

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"sort"
	"strconv"
)

// fpdf compresses each page's content stream with a new zlib writer, and
// a zlib writer costs about a megabyte to set up: for a 600-page book that
// was a third of the run time and most of its allocations. So the book is
// written uncompressed and compressPages compresses the plain streams
// afterwards with one reused writer, rewriting the cross-reference table.
// The result is the same PDF, compressed as fpdf would (zlib BestSpeed).

var (
	xrefRe     = regexp.MustCompile(`(?s)\nxref\n0 (\d+)\n(.*?)trailer\n(.*?)startxref\n(\d+)\n%%EOF\n?$`)
	plainObjRe = regexp.MustCompile(`^(\d+) 0 obj\n<</Length (\d+)>>\nstream\n`)
)

// compressPages returns pdf (as written by fpdf with compression off) with
// every plain stream compressed.
func compressPages(pdf []byte) ([]byte, error) {
	m := xrefRe.FindSubmatchIndex(pdf)
	if m == nil {
		return nil, fmt.Errorf("compressing the PDF: no cross-reference table")
	}
	xrefStart := m[0] + 1
	count, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
	entries := pdf[m[4]:m[5]]
	trailer := pdf[m[6]:m[7]]
	if len(entries) != 20*count {
		return nil, fmt.Errorf("compressing the PDF: cross-reference table has %d bytes for %d objects", len(entries), count)
	}
	type obj struct{ num, off int }
	objs := make([]obj, 0, count)
	for i := 1; i < count; i++ {
		off, err := strconv.Atoi(string(entries[20*i : 20*i+10]))
		if err != nil {
			return nil, fmt.Errorf("compressing the PDF: cross-reference entry %d: %w", i, err)
		}
		objs = append(objs, obj{i, off})
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].off < objs[j].off })
	if len(objs) == 0 || objs[0].off <= 0 || objs[len(objs)-1].off >= xrefStart {
		return nil, fmt.Errorf("compressing the PDF: bad object offsets")
	}

	out := bytes.NewBuffer(make([]byte, 0, len(pdf)/3))
	out.Write(pdf[:objs[0].off])
	newOff := make([]int, count)
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	for i, o := range objs {
		end := xrefStart
		if i+1 < len(objs) {
			end = objs[i+1].off
		}
		seg := pdf[o.off:end]
		newOff[o.num] = out.Len()
		sm := plainObjRe.FindSubmatch(seg)
		if sm == nil {
			out.Write(seg)
			continue
		}
		n, _ := strconv.Atoi(string(sm[2]))
		body := len(sm[0])
		tail := []byte("\nendstream\nendobj\n")
		if body+n+len(tail) != len(seg) || !bytes.Equal(seg[body+n:], tail) {
			out.Write(seg) // not the shape fpdf writes: leave it alone
			continue
		}
		z.Reset()
		zw.Reset(&z)
		if _, err := zw.Write(seg[body : body+n]); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "%s 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", sm[1], z.Len())
		out.Write(z.Bytes())
		out.Write(tail)
	}
	xref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", count)
	for i := 1; i < count; i++ {
		fmt.Fprintf(out, "%010d 00000 n \n", newOff[i])
	}
	out.WriteString("trailer\n")
	out.Write(trailer)
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}
