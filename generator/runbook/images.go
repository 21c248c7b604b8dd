package runbook

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path"
	"path/filepath"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark/ast"

	"github.com/cairn-it/cairn/generator/markdown"
)

// imageData is an attachment ready for the PDF: PNGs re-encoded as 8-bit,
// non-interlaced (what fpdf reads), JPEGs as they are.
type imageData struct {
	typ  string // "PNG" or "JPG"
	data []byte
	w, h int // pixels
	err  error
}

// loadImage reads an attachment (a path below content/) once per book.
func (b *book) loadImage(rest string) *imageData {
	if d, ok := b.images[rest]; ok {
		return d
	}
	d := &imageData{}
	b.images[rest] = d
	raw, err := os.ReadFile(filepath.Join(b.v.Site.Root, "content", filepath.FromSlash(rest)))
	if err != nil {
		d.err = err
		return d
	}
	switch strings.ToLower(path.Ext(rest)) {
	case ".png":
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			d.err = err
			return d
		}
		rgba := image.NewNRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			d.err = err
			return d
		}
		d.typ, d.data, d.w, d.h = "PNG", buf.Bytes(), rgba.Bounds().Dx(), rgba.Bounds().Dy()
	case ".jpg", ".jpeg":
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			d.err = err
			return d
		}
		d.typ, d.data, d.w, d.h = "JPG", raw, cfg.Width, cfg.Height
	default:
		d.err = fmt.Errorf("not a PNG or JPEG")
	}
	if d.err == nil && (d.w <= 0 || d.h <= 0) {
		d.err = fmt.Errorf("empty image")
	}
	return d
}

// imageName is what a caption calls an image: its alt text, else its file
// name.
func imageName(img *ast.Image, d *markdown.Doc) string {
	if alt := d.PlainText(img); alt != "" {
		return alt
	}
	return path.Base(string(img.Destination))
}

// image prints a Markdown image: a PNG or JPEG from the organization's
// files/ folder that the view may see, scaled to the text width; anything
// else as a caption "[image: name]".
func (r *mdr) image(img *ast.Image) {
	b := r.b
	name := imageName(img, r.doc)
	dest := string(img.Destination)
	caption := func(note string) {
		s := "[image: " + name + "]"
		if note != "" {
			s = "[image: " + name + " — " + note + "]"
		}
		b.flow([]span{b.sp(s, italic, colMuted)}, r.left(), r.width(), 8.5, 4.2, nil)
		b.gap(1)
	}
	if !markdown.IsRelative(dest) {
		caption(dest)
		return
	}
	target, _, _ := strings.Cut(dest, "#")
	rest, ok := strings.CutPrefix(path.Join(path.Dir(r.file), target), "content/")
	orgNotes := r.file == "content/"+b.org.Slug+"/org.toml"
	if !ok || !strings.HasPrefix(rest, r.org+"/files/") || !(b.v.CanSeeFile(rest) || (orgNotes && b.v.Site.HasFile(rest))) {
		caption("")
		return
	}
	ext := strings.ToLower(path.Ext(rest))
	if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
		caption("files/" + strings.TrimPrefix(rest, r.org+"/files/"))
		return
	}
	d := b.loadImage(rest)
	if d.err != nil {
		caption("cannot be read: " + d.err.Error())
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
