package runbook

import "math"

// cell is the rich text of one table cell.
type cell []span

// column is one column of a table.
type column struct {
	title string
	// width fixes the column's width in mm; 0 sizes it from its content.
	width float64
	right bool // right-aligned (page numbers)
}

// table describes a table's look.
type table struct {
	cols   []column
	header bool    // draw (and repeat) a header row
	size   float64 // font size, points
	lh     float64 // line height, mm
	x0     float64 // indent from the left margin
	width  float64 // total width; 0 is the text width less x0
}

const (
	padH = 1.4
	padV = 0.9
)

// widths sizes the columns: fixed ones as given, the others from their
// content, like an HTML table: each gets at least its longest word (capped,
// so one long URL cannot starve the rest) and the room left is shared by
// how much more each would use unwrapped.
func (b *book) widths(t table, rows [][]cell) []float64 {
	total := t.width
	if total == 0 {
		total = textW - t.x0
	}
	n := len(t.cols)
	minW, natW := make([]float64, n), make([]float64, n)
	free := total
	var autos []int
	for i, c := range t.cols {
		if c.width > 0 {
			free -= c.width
			continue
		}
		autos = append(autos, i)
		if t.header {
			hs := []span{{text: c.title, st: bold}}
			minW[i] = b.m.longestWord(hs, t.size)
			natW[i] = b.m.naturalWidth(hs, t.size)
		}
	}
	for _, r := range rows {
		for _, i := range autos {
			if i >= len(r) {
				continue
			}
			minW[i] = math.Max(minW[i], b.m.longestWord(r[i], t.size))
			natW[i] = math.Max(natW[i], b.m.naturalWidth(r[i], t.size))
		}
	}
	out := make([]float64, n)
	var sumMin, sumNat float64
	for _, i := range autos {
		minW[i] = math.Min(minW[i], 60) + 2*padH
		natW[i] = math.Max(natW[i]+2*padH, minW[i])
		sumMin += minW[i]
		sumNat += natW[i]
	}
	for i, c := range t.cols {
		out[i] = c.width
	}
	switch {
	case len(autos) == 0:
	case sumNat <= free:
		for _, i := range autos {
			out[i] = natW[i] + (free-sumNat)*natW[i]/sumNat
		}
	case sumMin >= free:
		for _, i := range autos {
			out[i] = free * minW[i] / sumMin
		}
	default:
		extra := sumNat - sumMin
		for _, i := range autos {
			out[i] = minW[i] + (free-sumMin)*(natW[i]-minW[i])/extra
		}
	}
	return out
}

// table draws rows in columns. Cells wrap; a row that does not fit the
// rest of the page moves to the next one, and a row taller than a page is
// split between pages; the header row is repeated on every page the table
// reaches.
func (b *book) table(t table, rows [][]cell) {
	if t.size == 0 {
		t.size = 8.5
	}
	if t.lh == 0 {
		t.lh = t.size * 0.45
	}
	ws := b.widths(t, rows)
	xs := make([]float64, len(ws))
	x := marginL + t.x0
	for i, w := range ws {
		xs[i] = x
		x += w
	}
	right := x
	wrapRow := func(r []cell, st style) ([][]line, int) {
		cells := make([][]line, len(ws))
		n := 1
		for i := range ws {
			var c cell
			if i < len(r) {
				c = r[i]
			}
			if st != 0 {
				c = cell{{text: t.cols[i].title, st: st, color: colText}}
			}
			cells[i] = b.m.wrap(c, ws[i]-2*padH, t.size)
			n = max(n, len(cells[i]))
		}
		return cells, n
	}
	var head [][]line
	headH := 0.0
	cut := false
	if t.header {
		head, _ = wrapRow(nil, bold)
		head, cut = b.capHeader(t, ws, head)
		headH = float64(maxLines(head))*t.lh + 2*padV
	}
	drawChunk := func(cells [][]line, from, k int, fill bool) {
		y := b.y()
		h := float64(k)*t.lh + 2*padV
		if b.dry {
			b.pdf.SetXY(marginL, y+h)
			return
		}
		if fill {
			b.pdf.SetFillColor(colHeadFill.r, colHeadFill.g, colHeadFill.b)
			b.pdf.Rect(marginL+t.x0, y, right-marginL-t.x0, h, "F")
		}
		for i, lines := range cells {
			for j := from; j < from+k && j < len(lines); j++ {
				lx := xs[i] + padH
				if t.cols[i].right {
					lx = xs[i] + ws[i] - padH - lineWidth(lines[j])
				}
				b.drawLine(lines[j], lx, y+padV+float64(j-from)*t.lh, t.size, t.lh)
			}
		}
		b.pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
		b.pdf.SetLineWidth(0.2)
		b.pdf.Line(marginL+t.x0, y+h, right, y+h)
		b.pdf.SetXY(marginL, y+h)
	}
	drawHead := func() {
		if t.header {
			drawChunk(head, 0, maxLines(head), true)
		}
	}
	first := true
	for _, r := range rows {
		cells, n := wrapRow(r, 0)
		if first {
			// Keep the header with the first row (or its first lines).
			b.ensure(headH + float64(min(n, 3))*t.lh + 2*padV)
			drawHead()
			first = false
		}
		// Every turn draws at least one line or starts a page; a fresh
		// page always has room for a line (capHeader keeps the header to
		// a quarter of a page), and if it ever has not, the table fails
		// rather than adding pages for ever.
		fresh := false
		for drawn := 0; drawn < n; {
			if b.err != nil {
				return
			}
			avail := bottom - b.y() - 2*padV
			fit := int(avail / t.lh)
			rest := n - drawn
			wholeOnFresh := float64(rest)*t.lh+2*padV <= bottom-marginT-headH
			if fit < 1 && fresh {
				b.fail("table header taller than a page: shorten the header cells")
				return
			}
			if fit < 1 || (fit < rest && drawn == 0 && wholeOnFresh) {
				b.newPage()
				drawHead()
				fresh = true
				continue
			}
			k := min(fit, rest)
			drawChunk(cells, drawn, k, false)
			drawn += k
			fresh = false
			if drawn < n {
				b.newPage()
				drawHead()
				fresh = true
			}
		}
	}
	if first && t.header { // no rows: the header alone
		b.ensure(headH)
		drawHead()
	}
	if cut {
		b.gap(0.8)
		b.flow([]span{b.sp("[Header cut: a header cell of this table is longer than a quarter of a page; see the source.]", italic, colMuted)},
			t.x0, textW-t.x0, 7.5, 3.6, nil)
		b.gap(1)
	}
}

// maxHeadShare is the share of a page a table header may fill: it is
// drawn again on every page the table reaches, so a taller one would
// leave no room for rows (or, taller than the page, none at all).
const maxHeadShare = 0.25

// capHeader cuts header cells taller than maxHeadShare of a page to that
// height, ending the last line kept with "…"; it reports whether it cut.
func (b *book) capHeader(t table, ws []float64, head [][]line) ([][]line, bool) {
	keep := max(1, int(((bottom-marginT)*maxHeadShare-2*padV)/t.lh))
	cut := false
	for i, lines := range head {
		if len(lines) <= keep {
			continue
		}
		cut = true
		lines = lines[:keep:keep]
		last := append(line(nil), lines[keep-1]...)
		ell := b.m.width("…", bold, t.size)
		if n := len(last); n > 0 {
			p := last[n-1]
			room := ws[i] - 2*padH - p.x - ell
			p.text = b.m.fit(p.text, p.sp.st, t.size, room)
			p.w = b.m.width(p.text, p.sp.st, t.size)
			last[n-1] = p
			sp := last[n-1].sp
			last = append(last, piece{x: p.x + p.w, w: ell, sp: sp, text: "…"})
		}
		lines[keep-1] = last
		head[i] = lines
	}
	return head, cut
}

func maxLines(cells [][]line) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

func lineWidth(l line) float64 {
	if len(l) == 0 {
		return 0
	}
	p := l[len(l)-1]
	return p.x + p.w
}
