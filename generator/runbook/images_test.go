package runbook

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
)

// pngHeader returns a tiny PNG whose header claims w × h 8-bit grey
// pixels, followed by a few bytes of image data: a decoder that trusts the
// header allocates w × h bytes (or more) before it finds the data short.
func pngHeader(w, h int) string {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 0 // 8-bit greyscale
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01}) // zlib of one zero byte
	chunk("IEND", nil)
	return b.String()
}

func TestImageDimensionsBoundedBeforeDecoding(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		want string // the note printed instead of the picture; "" when not refused for size
	}{
		{"20000 square", 20000, 20000, "content/acme/files/pic.png is 20000 × 20000 pixels; pictures over 10000 pixels a side or 50 megapixels are not printed: scale it down"},
		{"too wide", 10001, 1, "content/acme/files/pic.png is 10001 × 1 pixels"},
		{"too tall", 1, 60000, "content/acme/files/pic.png is 1 × 60000 pixels"},
		{"too many pixels", 9000, 9000, "content/acme/files/pic.png is 9000 × 9000 pixels"},
		{"at the limits", 10000, 5000, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := pngHeader(c.w, c.h)
			if len(data) > 100 {
				t.Fatalf("test PNG of %d bytes", len(data))
			}
			root := hostileSite(t, "![pic](../files/pic.png)\n", map[string]string{"content/acme/files/pic.png": data})
			pdf, err := writeBounded(t, root)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
			if c.want != "" && !strings.Contains(text, c.want) {
				t.Errorf("book lacks %q", c.want)
			}
			if c.want == "" && strings.Contains(text, "are not printed") {
				t.Error("a picture within the limits was refused for its size")
			}
		})
	}
}

func TestImageTooBig(t *testing.T) {
	cases := []struct {
		w, h int
		size int64
		want string
	}{
		{10000, 5000, 1 << 20, ""},
		{10000, 5001, 1 << 20, "content/a.png is 10000 × 5001 pixels; pictures over 10000 pixels a side or 50 megapixels are not printed: scale it down"},
		{100, 100, 33 << 20, "content/a.png is 33 MB; pictures over 32 MB are not printed: make it smaller"},
	}
	for _, c := range cases {
		err := imageTooBig("content/a.png", c.w, c.h, c.size)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("imageTooBig(%d, %d, %d) = %q, want %q", c.w, c.h, c.size, got, c.want)
		}
	}
}
