package runbook

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// Page geometry, in millimetres (A4 portrait).
const (
	pageW   = 210.0
	pageH   = 297.0
	marginL = 18.0
	marginR = 18.0
	marginT = 22.0 // below the running header
	marginB = 20.0 // above the footer
	textW   = pageW - marginL - marginR
	bottom  = pageH - marginB

	bodySize = 9.5 // points
	lineH    = 4.6 // body line height, mm
)

// style is a text style: a combination of the flags below.
type style uint8

const (
	bold style = 1 << iota
	italic
	mono
	strike
)

// family and fpdf style string for a style.
func (s style) font() (family, st string) {
	if s&mono != 0 {
		family = "GoMono"
	} else {
		family = "Go"
		if s&bold != 0 {
			st += "B"
		}
		if s&italic != 0 {
			st += "I"
		}
	}
	if s&strike != 0 {
		st += "S"
	}
	return family, st
}

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette: print-friendly, readable in greyscale.
var (
	colText     = rgb{20, 20, 20}
	colMuted    = rgb{105, 105, 105}
	colLink     = rgb{20, 70, 160}
	colRule     = rgb{190, 190, 190}
	colHeadFill = rgb{232, 234, 238}
	colCodeFill = rgb{243, 243, 243}
	colCritical = rgb{176, 24, 24}
	colWarning  = rgb{166, 100, 0}
	colInfo     = rgb{30, 90, 170}
)

// newPDF returns an A4 document with every source of non-determinism
// fixed: dates come from asOf and resource catalogs are written in sorted
// order. With fonts, every font of fontFiles is registered; without, a
// document registers a font when it first uses it (book.useFont), or
// never for the dry layout passes, which draw no text. A document that
// prints "{nb}" (the page count) calls AliasNbPages once it is laid out:
// fonts registered before that carry the digits in their subsets.
func newPDF(title string, fonts bool) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetCatalogSort(true)
	pdf.SetCompression(false) // compressPages does it, cheaper
	if fonts {
		// fpdf's font subsetter writes into the bytes it is given, so each
		// document gets its own copy: runbooks written at the same time
		// (cairn build writes one per organization in parallel) would
		// otherwise corrupt each other's fonts and differ from run to run.
		for i := range fontFiles {
			addFont(pdf, i)
		}
	}
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(false, marginB) // every break is placed by hand
	pdf.SetCellMargin(0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("cairn", true)
	pdf.SetProducer("cairn", true)
	return pdf
}

// fontFiles are the fonts of a runbook, in the order they are registered.
// The index of each is its fontIndex.
var fontFiles = [...]struct {
	family, style string
	ttf           []byte
}{
	{"Go", "", goregular.TTF},
	{"Go", "B", gobold.TTF},
	{"Go", "I", goitalic.TTF},
	{"Go", "BI", gobolditalic.TTF},
	{"GoMono", "", gomono.TTF},
}

// addFont registers font i of fontFiles with pdf.
func addFont(pdf *fpdf.Fpdf, i int) {
	f := fontFiles[i]
	pdf.AddUTF8FontFromBytes(f.family, f.style, bytes.Clone(f.ttf))
}

// fontIndex is the index in fontFiles of the font a style prints in.
func (s style) fontIndex() int {
	if s&mono != 0 {
		return 4
	}
	return int(s & (bold | italic))
}

// Fonts measures text exactly as the PDF writer will: each font's advance
// widths by character, taken from fpdf once, and the fonts' glyph
// coverage. Registering fonts with fpdf reads every glyph's width and
// hashes the table, so a book that measured with a document of its own
// paid that on every book; a Fonts is made once (NewFonts) and shared.
// It is never changed once made: any number of goroutines may use one.
type Fonts struct {
	k       float64 // fpdf's user units (mm) per point
	widths  [len(fontFiles)][]int
	missing [len(fontFiles)]int
	regular *sfnt.Font
	monoF   *sfnt.Font
}

// NewFonts reads the runbook fonts' metrics. cairn build makes one per
// build and passes it to every book (Options.Fonts).
func NewFonts() (*Fonts, error) {
	pdf := newPDF("", true)
	f := &Fonts{k: pdf.GetConversionRatio()}
	var buf [utf8.UTFMax]byte
	for i, ff := range fontFiles {
		pdf.SetFont(ff.family, ff.style, 10)
		// One character at a time, as fpdf adds them up: a character's
		// width, 0 for the ones fpdf counts as 0, the font's missing
		// width for those it has no width for.
		tab := make([]int, 0x10000)
		for r := range tab {
			n := utf8.EncodeRune(buf[:], rune(r))
			tab[r] = pdf.GetStringSymbolWidth(string(buf[:n]))
		}
		f.widths[i] = tab
		f.missing[i] = 500
		if mw := pdf.GetFontDesc(ff.family, ff.style).MissingWidth; mw != 0 {
			f.missing[i] = mw
		}
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("registering fonts: %w", err)
	}
	var err error
	if f.regular, err = sfnt.Parse(goregular.TTF); err != nil {
		return nil, fmt.Errorf("reading the Go font: %w", err)
	}
	if f.monoF, err = sfnt.Parse(gomono.TTF); err != nil {
		return nil, fmt.Errorf("reading the Go Mono font: %w", err)
	}
	return f, nil
}

// metrics measures text for one book: the shared Fonts, and the book's
// own cache of glyph coverage. It is not safe for concurrent use.
type metrics struct {
	f   *Fonts
	buf sfnt.Buffer
	has map[rune]bool
}

func newMetrics(f *Fonts) (*metrics, error) {
	if f == nil {
		var err error
		if f, err = NewFonts(); err != nil {
			return nil, err
		}
	}
	return &metrics{f: f, has: map[rune]bool{}}, nil
}

// width returns the width of s in mm, in style st at size points: the sum
// fpdf's GetStringWidth makes, in the same order, so the same float.
func (m *metrics) width(s string, st style, size float64) float64 {
	i := st.fontIndex()
	tab, miss := m.f.widths[i], m.f.missing[i]
	w := 0
	for _, r := range s {
		if r >= 0 && int(r) < len(tab) {
			w += tab[r]
		} else {
			w += miss
		}
	}
	return float64(w) * (size / m.f.k) / 1000
}

// covered reports whether both the text and the mono font have a glyph for r.
func (m *metrics) covered(r rune) bool {
	if ok, seen := m.has[r]; seen {
		return ok
	}
	ok := true
	for _, f := range []*sfnt.Font{m.f.regular, m.f.monoF} {
		if g, err := f.GlyphIndex(&m.buf, r); err != nil || g == 0 {
			ok = false
		}
	}
	m.has[r] = ok
	return ok
}

// clean makes text printable with the Go fonts: NFC-composed (so "u" plus a
// combining diaeresis prints as "ü"), tabs as spaces, control characters
// dropped and characters the fonts lack replaced by "?" rather than printed
// as empty boxes or zero-width gaps.
func (m *metrics) clean(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r == '\n':
			b.WriteByte('\n')
		case r == utf8.RuneError || unicode.IsControl(r):
		case r == '\u00a0':
			b.WriteByte(' ')
		case r < 0x80 || m.covered(r):
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// span is a run of text in one style: the unit of rich text.
type span struct {
	text  string
	st    style
	color rgb
	// link is an internal link id (0 for none); url an external link.
	link int
	url  string
	// fill paints a background behind the text (inline code).
	fill bool
	// brk is a hard line break; text is ignored.
	brk bool
}

// piece is a placed part of a span on a line.
type piece struct {
	x, w float64
	sp   *span
	text string
}

// line is one laid-out line of rich text.
type line []piece

// wrap lays spans out in lines no wider than width at size points. Words
// break at spaces; a word wider than the line is cut where it must be, so
// nothing runs off the page (URLs, hashes, long paths).
func (m *metrics) wrap(spans []span, width, size float64) []line {
	var lines []line
	var cur line
	x := 0.0
	pendingSpace := 0.0
	newline := func() {
		lines = append(lines, cur)
		cur, x, pendingSpace = nil, 0, 0
	}
	place := func(sp *span, word string, w float64) {
		if n := len(cur); n > 0 && cur[n-1].sp == sp && pendingSpace > 0 {
			// Same span: extend the piece, space included.
			cur[n-1].text += " " + word
			cur[n-1].w += pendingSpace + w
		} else if n > 0 && cur[n-1].sp == sp && pendingSpace == 0 && cur[n-1].x+cur[n-1].w == x {
			cur[n-1].text += word
			cur[n-1].w += w
		} else {
			cur = append(cur, piece{x: x + pendingSpace, w: w, sp: sp, text: word})
		}
		x += pendingSpace + w
		pendingSpace = 0
	}
	for i := range spans {
		sp := &spans[i]
		if sp.brk {
			newline()
			continue
		}
		spaceW := m.width(" ", sp.st, size)
		text := sp.text
		for len(text) > 0 {
			if text[0] == ' ' || text[0] == '\n' {
				if len(cur) > 0 {
					pendingSpace += spaceW
				}
				text = text[1:]
				continue
			}
			end := strings.IndexAny(text, " \n")
			if end < 0 {
				end = len(text)
			}
			word := text[:end]
			text = text[end:]
			w := m.width(word, sp.st, size)
			if x+pendingSpace+w <= width {
				place(sp, word, w)
				continue
			}
			if len(cur) > 0 && w <= width {
				newline()
				place(sp, word, w)
				continue
			}
			// Too wide for any line: cut it, filling the current line first
			// when there is useful room left.
			for word != "" {
				room := width - x - pendingSpace
				if room < width/4 && len(cur) > 0 {
					newline()
					room = width
				}
				head := m.fit(word, sp.st, size, room)
				if head == "" { // not even one character fits: new line
					if len(cur) == 0 {
						_, n := utf8.DecodeRuneInString(word)
						head = word[:n]
					} else {
						newline()
						continue
					}
				}
				place(sp, head, m.width(head, sp.st, size))
				word = word[len(head):]
				if word != "" {
					newline()
				}
			}
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// fit returns the longest prefix of word no wider than room, preferring to
// end after a '/', '-', '.', '_' or '=' when one is near the end.
func (m *metrics) fit(word string, st style, size, room float64) string {
	end, w := 0, 0.0
	for i, r := range word {
		cw := m.width(string(r), st, size)
		if w+cw > room {
			break
		}
		w += cw
		end = i + utf8.RuneLen(r)
	}
	if end == 0 || end == len(word) {
		return word[:end]
	}
	if j := strings.LastIndexAny(word[:end], "/-._=&?"); j > end*2/3 {
		return word[:j+1]
	}
	return word[:end]
}

// naturalWidth is the width of spans on one line, unwrapped.
func (m *metrics) naturalWidth(spans []span, size float64) float64 {
	w := 0.0
	for _, sp := range spans {
		if !sp.brk {
			w += m.width(sp.text, sp.st, size)
		}
	}
	return w
}

// longestWord is the width of the widest word in spans.
func (m *metrics) longestWord(spans []span, size float64) float64 {
	best := 0.0
	for _, sp := range spans {
		for _, word := range strings.Fields(sp.text) {
			best = math.Max(best, m.width(word, sp.st, size))
		}
	}
	return best
}
