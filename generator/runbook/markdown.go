package runbook

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
)

// mdr prints one Markdown text from its goldmark AST.
type mdr struct {
	b      *book
	doc    *markdown.Doc
	src    []byte
	from   string // the item id, or organization slug for quick notes, the text belongs to
	file   string // the file the text was written in, for layout errors
	indent float64
	// marker draws a pending list marker at the y of the next line placed.
	marker func(y float64)
	depth  int // list nesting
}

// renderDoc prints d; title, when set, drops a leading level-1 heading
// that only repeats it.
func (b *book) renderDoc(d *markdown.Doc, from, file, title string) {
	if d == nil {
		return
	}
	root := d.Root()
	r := &mdr{b: b, doc: d, src: d.Source, from: from, file: file}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && title != "" && n == root.FirstChild() && h.Level == 1 && strings.EqualFold(d.PlainText(h), title) {
			continue
		}
		r.block(n)
	}
}

const (
	mdSize = bodySize
	mdLH   = lineH
)

// left is the indent text is printed at: r.indent, but never deeper than
// maxIndent, so deeply nested lists and quotes keep a readable width.
func (r *mdr) left() float64 { return min(r.indent, maxIndent) }

func (r *mdr) width() float64 { return textW - r.left() }

// takeMarker returns the pending list marker, once.
func (r *mdr) takeMarker() func(y float64) {
	m := r.marker
	r.marker = nil
	return m
}

// placeMarker draws a pending marker at the current position (for blocks
// that are not flowed text).
func (r *mdr) placeMarker() {
	if m := r.takeMarker(); m != nil {
		m(r.b.y())
	}
}

func (r *mdr) block(n ast.Node) {
	b := r.b
	if b.err != nil {
		return
	}
	b.at(r.file, lineOf(r.doc, n))
	switch n := n.(type) {
	case *ast.Heading:
		size := map[int]float64{1: 12.5, 2: 11.5, 3: 10.5}[n.Level]
		if size == 0 {
			size = 10
		}
		b.ensure(size*0.5 + 12)
		b.gap(2)
		spans := r.inlines(n, bold, colText)
		r.flowRuns(spans, size, size*0.5)
		b.gap(0.8)
	case *ast.Paragraph:
		r.flowRuns(r.inlines(n, 0, colText), mdSize, mdLH)
		if r.depth == 0 || !isTight(n) {
			b.gap(1.8)
		}
	case *ast.TextBlock:
		r.flowRuns(r.inlines(n, 0, colText), mdSize, mdLH)
	case *ast.List:
		r.list(n)
		if r.depth == 0 {
			b.gap(1.5)
		}
	case *east.Table:
		r.table(n)
		b.gap(2)
	case *ast.FencedCodeBlock:
		r.code(n.Lines())
	case *ast.CodeBlock:
		r.code(n.Lines())
	case *ast.HTMLBlock:
		r.code(n.Lines())
	case *ast.Blockquote:
		// A bar per level, but only while the indent grows: deeper
		// levels would draw the same bar again.
		bar := len(b.bars) == 0 || r.left()+1 > b.bars[len(b.bars)-1]
		if bar {
			b.bars = append(b.bars, r.left()+1)
		}
		r.indent += 5
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c)
		}
		r.indent -= 5
		if bar {
			b.bars = b.bars[:len(b.bars)-1]
		}
		b.gap(1)
	case *ast.ThematicBreak:
		b.ensure(6)
		b.gap(2.5)
		b.pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
		b.pdf.SetLineWidth(0.3)
		b.pdf.Line(marginL+r.left(), b.y(), pageW-marginR, b.y())
		b.gap(3)
	case *east.DefinitionList:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *east.DefinitionTerm:
				r.flowRuns(r.inlines(c, bold, colText), mdSize, mdLH)
			default:
				r.indent += 6
				for cc := c.FirstChild(); cc != nil; cc = cc.NextSibling() {
					r.block(cc)
				}
				r.indent -= 6
			}
		}
		b.gap(1.5)
	case *east.FootnoteList:
		b.gap(2)
		b.pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
		b.pdf.SetLineWidth(0.3)
		b.pdf.Line(marginL+r.left(), b.y(), marginL+r.left()+40, b.y())
		b.gap(1.5)
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			fn, ok := c.(*east.Footnote)
			if !ok {
				continue
			}
			label := fmt.Sprintf("%d.", fn.Index)
			r.withMarker(label, func() {
				for cc := fn.FirstChild(); cc != nil; cc = cc.NextSibling() {
					r.block(cc)
				}
			})
		}
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c)
		}
	}
}

// isTight reports whether a paragraph sits in a tight list (no gap).
func isTight(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if l, ok := p.(*ast.List); ok {
			return l.IsTight
		}
	}
	return false
}

const markerW = 6.0

// withMarker prints body indented by one list step, with label in front of
// its first line.
func (r *mdr) withMarker(label string, body func()) {
	x := marginL + r.left()
	r.marker = func(y float64) {
		if r.b.dry {
			return
		}
		r.b.setFont(0, mdSize)
		r.b.setColor(colText)
		r.b.pdf.SetXY(x, y)
		r.b.pdf.CellFormat(markerW-1, mdLH, label, "", 0, "L", false, 0, "")
	}
	r.indent += markerW
	body()
	r.placeMarker()
	r.indent -= markerW
}

func (r *mdr) list(l *ast.List) {
	num := l.Start
	r.depth++
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		box, checked := taskBox(li)
		label := "•"
		if r.depth%2 == 0 {
			label = "–"
		}
		if l.IsOrdered() {
			label = fmt.Sprintf("%d.", num)
			num++
		}
		body := func() {
			for c := li.FirstChild(); c != nil; c = c.NextSibling() {
				r.block(c)
			}
		}
		if !box {
			r.withMarker(label, body)
			continue
		}
		x := marginL + r.left()
		r.marker = func(y float64) { r.b.checkbox(x+0.3, y+(mdLH-3.2)/2, 3.2, checked) }
		r.indent += markerW
		body()
		r.placeMarker()
		r.indent -= markerW
	}
	r.depth--
}

// taskBox reports whether a list item is a GFM task, and whether it is done.
func taskBox(li ast.Node) (bool, bool) {
	first := li.FirstChild()
	if first == nil {
		return false, false
	}
	if cb, ok := first.FirstChild().(*east.TaskCheckBox); ok {
		return true, cb.IsChecked
	}
	return false, false
}

// checkbox draws a task box, ticked when done. The Go fonts have no
// ballot-box glyphs (U+2610, U+2611), so it is drawn.
func (b *book) checkbox(x, y, s float64, done bool) {
	b.pdf.SetDrawColor(colText.r, colText.g, colText.b)
	b.pdf.SetLineWidth(0.3)
	b.pdf.Rect(x, y, s, s, "D")
	if done {
		b.pdf.SetLineWidth(0.5)
		b.pdf.Line(x+s*0.18, y+s*0.52, x+s*0.42, y+s*0.78)
		b.pdf.Line(x+s*0.42, y+s*0.78, x+s*0.85, y+s*0.2)
	}
}

// run is a stretch of a paragraph: text, or an image on its own.
type run struct {
	spans []span
	image *ast.Image
}

// flowRuns prints a paragraph's runs at the current indent.
func (r *mdr) flowRuns(runs []run, size, lh float64) {
	for _, ru := range runs {
		if ru.image != nil {
			r.placeMarker()
			r.image(ru.image)
			continue
		}
		if len(ru.spans) == 0 {
			continue
		}
		r.b.flow(ru.spans, r.left(), r.width(), size, lh, r.takeMarker())
	}
}

// inlines turns the inline children of n into runs of spans.
func (r *mdr) inlines(n ast.Node, st style, c rgb) []run {
	var runs []run
	var cur []span
	var walk func(n ast.Node, st style, c rgb, link int, url string)
	add := func(text string, st style, c rgb, link int, url string) {
		if text == "" {
			return
		}
		sp := r.b.sp(text, st, c)
		sp.link, sp.url = link, url
		cur = append(cur, sp)
	}
	walk = func(n ast.Node, st style, c rgb, link int, url string) {
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			switch x := ch.(type) {
			case *ast.Text:
				add(string(x.Segment.Value(r.src)), st, c, link, url)
				switch {
				case x.HardLineBreak():
					cur = append(cur, span{brk: true})
				case x.SoftLineBreak():
					add(" ", st, c, link, url)
				}
			case *ast.String:
				add(string(x.Value), st, c, link, url)
			case *ast.CodeSpan:
				var sb strings.Builder
				for cc := x.FirstChild(); cc != nil; cc = cc.NextSibling() {
					if t, ok := cc.(*ast.Text); ok {
						sb.Write(t.Segment.Value(r.src))
					} else if s, ok := cc.(*ast.String); ok {
						sb.Write(s.Value)
					}
				}
				sp := r.b.sp(sb.String(), mono|(st&bold), c)
				sp.link, sp.url, sp.fill = link, url, true
				cur = append(cur, sp)
			case *ast.Emphasis:
				if x.Level >= 2 {
					walk(x, st|bold, c, link, url)
				} else {
					walk(x, st|italic, c, link, url)
				}
			case *east.Strikethrough:
				walk(x, st|strike, c, link, url)
			case *ast.Link:
				r.link(x, st, func(n ast.Node, st style, c rgb, link int, url string) { walk(n, st, c, link, url) }, add)
			case *ast.AutoLink:
				u := string(x.URL(r.src))
				label := string(x.Label(r.src))
				if x.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(u, "mailto:") {
					u = "mailto:" + u
				}
				add(label, st, colLink, 0, u)
			case *markdown.WikiLink:
				r.wiki(x, st, add)
			case *ast.Image:
				runs = append(runs, run{spans: cur})
				cur = nil
				runs = append(runs, run{image: x})
			case *ast.RawHTML:
				var sb strings.Builder
				for i := 0; i < x.Segments.Len(); i++ {
					seg := x.Segments.At(i)
					sb.Write(seg.Value(r.src))
				}
				if strings.HasPrefix(strings.ToLower(sb.String()), "<br") {
					cur = append(cur, span{brk: true})
				}
			case *east.TaskCheckBox:
				// Drawn as the list marker.
			case *east.FootnoteLink:
				add(fmt.Sprintf("[%d]", x.Index), st, colMuted, 0, "")
			case *east.FootnoteBacklink:
			default:
				walk(x, st, c, link, url)
			}
		}
	}
	walk(n, st, c, 0, "")
	if len(cur) > 0 || len(runs) == 0 {
		runs = append(runs, run{spans: cur})
	}
	return runs
}

// link prints an ordinary Markdown link: external URLs with the URL
// printed after the text (paper has no hover), links into the site by the
// target's title, links to attachments with the file's name.
func (r *mdr) link(x *ast.Link, st style, walk func(ast.Node, style, rgb, int, string), add func(string, style, rgb, int, string)) {
	dest := string(x.Destination)
	label := r.doc.PlainText(x)
	if !markdown.IsRelative(dest) {
		walk(x, st, colLink, 0, dest)
		shown := strings.TrimPrefix(strings.TrimPrefix(dest, "mailto:"), "tel:")
		if shown != label && dest != "" {
			add(" <"+shown+">", 0, colMuted, 0, dest)
		}
		return
	}
	target, _, _ := strings.Cut(dest, "#")
	if target == "" { // an anchor on the same page
		walk(x, st, colText, 0, "")
		return
	}
	t, ok := r.b.v.Resolve(r.from, model.RefPath, target)
	if !ok || t.Org {
		walk(x, st, colText, 0, "")
		return
	}
	if t.File != "" {
		walk(x, st, colText, 0, "")
		add(" [file: "+path.Base(t.File)+"]", 0, colMuted, 0, "")
		return
	}
	id := t.ID
	l := r.b.linkTo(id)
	col := colText
	if l != 0 {
		col = colLink
	}
	walk(x, st, col, l, "")
	if title := r.b.titleOf(id); !strings.EqualFold(title, label) {
		add(" ("+title+")", 0, colMuted, l, "")
	}
}

// wiki prints a [[wiki link]]: its text, and the target's title when the
// text is not already the title; a link when the target is in the book.
func (r *mdr) wiki(x *markdown.WikiLink, st style, add func(string, style, rgb, int, string)) {
	t, ok := r.b.v.Resolve(r.from, model.RefID, x.Target)
	if !ok {
		text := x.Label
		if text == "" {
			text = access.HiddenText // the target's id would name what the book may not show
		}
		add(text, st, colMuted, 0, "")
		return
	}
	id := t.ID
	title := r.b.titleOf(id)
	l := r.b.linkTo(id)
	col := colText
	if l != 0 {
		col = colLink
	}
	if x.Label == "" || strings.EqualFold(x.Label, title) {
		add(title, st, col, l, "")
		return
	}
	add(x.Label, st, col, l, "")
	add(" ("+title+")", 0, colMuted, l, "")
}

// table prints a GFM table.
func (r *mdr) table(t *east.Table) {
	r.placeMarker()
	var cols []column
	var rows [][]cell
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []cell
		i := 0
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			var sp []span
			for _, ru := range r.inlines(c, 0, colText) {
				if ru.image != nil {
					label := "[image]"
					if name := r.imageName(ru.image); name != "" {
						label = "[image: " + name + "]"
					}
					sp = append(sp, r.b.sp(label, italic, colMuted))
				}
				sp = append(sp, ru.spans...)
			}
			if _, head := row.(*east.TableHeader); head {
				right := i < len(t.Alignments) && t.Alignments[i] == east.AlignRight
				cols = append(cols, column{title: spansText(sp), right: right})
			} else {
				cells = append(cells, sp)
			}
			i++
		}
		if _, head := row.(*east.TableHeader); !head {
			rows = append(rows, cells)
		}
	}
	if len(cols) == 0 {
		return
	}
	r.b.table(table{header: true, size: 8.5, cols: cols, x0: r.left()}, rows)
}

func spansText(sp []span) string {
	var sb strings.Builder
	for _, s := range sp {
		sb.WriteString(s.text)
	}
	return sb.String()
}

// code prints a code block in mono on a light background; long lines wrap
// at the character that reaches the edge, and the block breaks across
// pages line by line.
func (r *mdr) code(lines *text.Segments) {
	b := r.b
	const size, lh, pad = 8.0, 3.8, 1.6
	r.placeMarker()
	var src []string
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		src = append(src, strings.TrimRight(string(seg.Value(r.src)), "\r\n"))
	}
	for len(src) > 0 && strings.TrimSpace(src[len(src)-1]) == "" {
		src = src[:len(src)-1]
	}
	if len(src) == 0 {
		return
	}
	width := r.width() - 2*pad
	var vis []string
	for _, l := range src {
		l = b.m.clean(strings.ReplaceAll(l, "\t", "    "))
		if l == "" {
			vis = append(vis, l)
			continue
		}
		// fit stops at the edge, so a huge line costs its length once,
		// not its length once per printed line.
		for l != "" {
			head := b.m.fit(l, mono, size, width)
			if head == "" {
				_, n := utf8.DecodeRuneInString(l)
				head = l[:n]
			}
			vis = append(vis, head)
			l = l[len(head):]
		}
	}
	x := marginL + r.left()
	w := r.width()
	b.ensure(lh*float64(min(len(vis), 3)) + 2*pad)
	b.pdf.SetFillColor(colCodeFill.r, colCodeFill.g, colCodeFill.b)
	b.pdf.Rect(x, b.y(), w, pad, "F")
	b.gap(pad)
	for _, l := range vis {
		if b.err != nil {
			return
		}
		if b.y()+lh+pad > bottom {
			b.newPage()
		}
		y := b.y()
		if b.dry {
			b.pdf.SetXY(marginL, y+lh)
			continue
		}
		b.pdf.SetFillColor(colCodeFill.r, colCodeFill.g, colCodeFill.b)
		b.pdf.Rect(x, y, w, lh, "F")
		b.drawBars(y, lh)
		b.setFont(mono, size)
		b.setColor(colText)
		b.pdf.SetXY(x+pad, y)
		b.pdf.CellFormat(w-2*pad, lh, l, "", 0, "L", false, 0, "")
		b.pdf.SetXY(marginL, y+lh)
	}
	b.pdf.SetFillColor(colCodeFill.r, colCodeFill.g, colCodeFill.b)
	b.pdf.Rect(x, b.y(), w, pad, "F")
	b.gap(pad + 2)
}
