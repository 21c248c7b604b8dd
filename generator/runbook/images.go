package runbook

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"path"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark/ast"

	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
)

// imageData is an attachment ready for the PDF: PNGs re-encoded as 8-bit,
// non-interlaced (what fpdf reads), JPEGs as they are.
type imageData struct {
	typ  string // "PNG" or "JPG"
	data []byte
	w, h int // pixels
	err  error
}

// Limits on the pictures a book prints. A PNG is decoded to 4 bytes a
// pixel (twice: as read, then as 8-bit RGBA for fpdf), so its size in
// pixels, not in bytes, decides the memory it takes: a 389 KB PNG of
// 20,000 × 20,000 pixels would need over 3 GB. The header is read first
// (image.DecodeConfig) and anything over these limits is not decoded.
const (
	maxImageSide   = 10000      // pixels, width or height
	maxImagePixels = 50_000_000 // width × height: at most 200 MB a copy
	maxImageBytes  = 32 << 20   // the file itself
)

// imageTooBig says why a picture of w × h pixels and size bytes is not
// printed, or returns nil.
func imageTooBig(file string, w, h int, size int64) error {
	if size > maxImageBytes {
		return fmt.Errorf("%s is %d MB; pictures over %d MB are not printed: make it smaller", file, size>>20, maxImageBytes>>20)
	}
	if w > maxImageSide || h > maxImageSide || int64(w)*int64(h) > maxImagePixels {
		return fmt.Errorf("%s is %d × %d pixels; pictures over %d pixels a side or %d megapixels are not printed: scale it down", file, w, h, maxImageSide, maxImagePixels/1_000_000)
	}
	return nil
}

// loadImage reads an attachment (a path below content/) once per book.
// Errors name the file; pictures over the limits above are refused from
// their header, before any pixel is decoded.
func (b *book) loadImage(rest string) *imageData {
	if d, ok := b.images[rest]; ok {
		return d
	}
	d := &imageData{}
	b.images[rest] = d
	file := "content/" + rest
	// OS errors name the builder's absolute path: the book says only
	// which attachment.
	st, err := b.v.Stat(rest)
	if err != nil {
		d.err = fmt.Errorf("%s cannot be read", file)
		return d
	}
	if err := imageTooBig(file, 0, 0, st.Size()); err != nil {
		d.err = err
		return d
	}
	raw, err := b.v.ReadFile(rest)
	if err != nil {
		d.err = fmt.Errorf("%s cannot be read", file)
		return d
	}
	var cfg image.Config
	switch strings.ToLower(path.Ext(rest)) {
	case ".png":
		cfg, err = png.DecodeConfig(bytes.NewReader(raw))
	case ".jpg", ".jpeg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(raw))
	default:
		err = fmt.Errorf("%s is not a PNG or JPEG", file)
	}
	if err == nil {
		err = imageTooBig(file, cfg.Width, cfg.Height, int64(len(raw)))
	}
	if err == nil && (cfg.Width <= 0 || cfg.Height <= 0) {
		err = fmt.Errorf("%s is an empty image", file)
	}
	if err != nil {
		d.err = err
		return d
	}
	if strings.EqualFold(path.Ext(rest), ".png") {
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			d.err = fmt.Errorf("%s: %w", file, err)
			return d
		}
		rgba := image.NewNRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			d.err = fmt.Errorf("%s: %w", file, err)
			return d
		}
		d.typ, d.data, d.w, d.h = "PNG", buf.Bytes(), rgba.Bounds().Dx(), rgba.Bounds().Dy()
		return d
	}
	d.typ, d.data, d.w, d.h = "JPG", raw, cfg.Width, cfg.Height
	return d
}

// attachment returns the attachment a relative link or image destination
// written in r.file names ("acme/files/lan.png"), when the view may see
// it: the portal carries exactly the files CanSeeFile allows, so the book
// names and embeds no other.
func (r *mdr) attachment(dest string) (string, bool) {
	if !markdown.IsRelative(dest) {
		return "", false
	}
	target, _, _ := strings.Cut(dest, "#")
	t, ok := r.b.v.Resolve(r.from, model.RefPath, target)
	if !ok || t.File == "" {
		return "", false
	}
	return t.File, true
}

// imageName is what a caption calls an image: its alt text, else the
// file name of a URL or of an attachment the view may see, else nothing
// (a hidden attachment is not named).
func (r *mdr) imageName(img *ast.Image) string {
	if alt := r.doc.PlainText(img); alt != "" {
		return alt
	}
	dest := string(img.Destination)
	if _, ok := r.attachment(dest); ok || !markdown.IsRelative(dest) {
		return path.Base(dest)
	}
	return ""
}

// image prints a Markdown image: a PNG or JPEG from the organization's
// files/ folder that the view may see, scaled to the text width; anything
// else as a caption "[image: name]".
func (r *mdr) image(img *ast.Image) {
	b := r.b
	name := r.imageName(img)
	dest := string(img.Destination)
	caption := func(note string) {
		s := "[image]"
		switch {
		case name != "" && note != "":
			s = "[image: " + name + " — " + note + "]"
		case name != "":
			s = "[image: " + name + "]"
		case note != "":
			s = "[image — " + note + "]"
		}
		b.flow([]span{b.sp(s, italic, colMuted)}, r.left(), r.width(), 8.5, 4.2, nil)
		b.gap(1)
	}
	if !markdown.IsRelative(dest) {
		caption(dest)
		return
	}
	rest, ok := r.attachment(dest)
	if !ok {
		caption("")
		return
	}
	ext := strings.ToLower(path.Ext(rest))
	if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
		_, name, _ := strings.Cut(rest, "/files/")
		caption("files/" + name)
		return
	}
	d := b.loadImage(rest)
	if d.err != nil {
		caption("not printed: " + d.err.Error())
		return
	}
	// 96 dpi, no wider than the text, no taller than half a page.
	w := float64(d.w) * 25.4 / 96
	h := float64(d.h) * 25.4 / 96
	if maxW := r.width(); w > maxW {
		w, h = maxW, h*maxW/w
	}
	if maxH := 120.0; h > maxH {
		w, h = w*maxH/h, maxH
	}
	b.ensure(h + 6)
	opts := fpdf.ImageOptions{ImageType: d.typ}
	y := b.y()
	if !b.dry {
		if b.pdf.GetImageInfo(rest) == nil {
			b.pdf.RegisterImageOptionsReader(rest, opts, bytes.NewReader(d.data))
		}
		b.pdf.ImageOptions(rest, marginL+r.left(), y, w, h, false, opts, 0, "")
	}
	b.pdf.SetXY(marginL, y+h+1)
	if alt := r.doc.PlainText(img); alt != "" {
		b.flow([]span{b.sp(alt, italic, colMuted)}, r.left(), r.width(), 8, 4, nil)
	}
	b.gap(2)
}
