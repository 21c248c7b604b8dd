// Package runbook writes an organization's PDF runbook: the printed or
// offline book a technician has when the network, and the documentation
// portal with it, is down. It reads the site only through an access.View,
// so a runbook made for a portal holds exactly what that portal may show.
package runbook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/provenance"
	"github.com/cairn-it/cairn/generator/schema"
)

// SecretSource gives the secret values of an item: its password-kind
// fields by name. Write calls it once per item that has password fields and
// a secrets file (Item.Secrets != ""), before it lays out any page; an
// error fails the whole runbook, so no book is ever written with some
// secrets missing. Write calls it from one goroutine, never concurrently.
type SecretSource interface {
	Secrets(ctx context.Context, it *model.Item) (map[string]string, error)
}

// SecretSourceFunc adapts a function to a SecretSource.
type SecretSourceFunc func(ctx context.Context, it *model.Item) (map[string]string, error)

// Secrets calls f.
func (f SecretSourceFunc) Secrets(ctx context.Context, it *model.Item) (map[string]string, error) {
	return f(ctx, it)
}

// Options say what goes into a runbook.
type Options struct {
	// Types limits the book to these type folders ("configurations",
	// "assets/backup", or "assets" for every flexible type); empty means
	// every type the view shows.
	Types []string
	// IncludeArchived keeps archived items, when the view shows them (the
	// portal has archived = true); otherwise they are left out.
	IncludeArchived bool
	// AsOf is the book's date: printed on the cover, stamped as the PDF's
	// creation date, and the day expiries are measured from (its calendar
	// date counts, not its time). Required. Callers take it, Commit and
	// Dirty from provenance.Of, so every output agrees on them.
	AsOf time.Time
	// Commit is the full hash of the site's git commit the book was made
	// from ("" when unknown), printed on the cover and in the footer in
	// provenance's one short length.
	Commit string
	// Dirty says the site's files differ from Commit: the cover and the
	// footer say "with uncommitted changes".
	Dirty bool
	// Portal is the name of the portal the book is made for, printed on
	// the cover; the View decides what it contains.
	Portal string
	// Fonts measures text; nil makes one for this call (NewFonts). Pass
	// one Fonts to every book of a build: making it is a large part of a
	// small book's time.
	Fonts *Fonts
	// Secrets, when not nil, supplies secret values: password fields print
	// their values and the book is marked as containing secrets. Nil means
	// no secret value is printed.
	Secrets SecretSource
}

// Write renders the runbook of organization org as the view v may see it
// and writes the PDF to w. It writes nothing unless the whole book was
// made: on any error (an unknown organization or type, a secret that
// cannot be read, a cancelled ctx) w is untouched. The same view and
// options always give the same bytes. Write may be called concurrently;
// it does not modify v.
func Write(ctx context.Context, w io.Writer, v *access.View, org string, opts Options) error {
	_, _, err := write(ctx, w, v, org, opts, nil)
	return err
}

// write is Write with a first guess of each anchor's page (nil for none),
// returning the pages the book was printed with and how many layout
// passes it took. The guess only saves work: a book is printed with the
// pages its own layout finds, whatever the guess was (see below).
func write(ctx context.Context, w io.Writer, v *access.View, org string, opts Options, guess map[string]int) (map[string]int, int, error) {
	b, err := newBook(ctx, v, org, opts)
	if err != nil {
		return nil, 0, err
	}
	// Page numbers are known only after layout: lay the book out, note the
	// page of every section and item, and lay it out again with those
	// numbers in the contents and tables. Page numbers sit in columns of
	// fixed width, so where things fall does not depend on the numbers
	// printed: the second layout paginates like the first, and a book is
	// done when a pass finds the pages it printed (the loop guards that).
	// The first layout only counts pages, so it skips drawing; with a
	// guess (another portal's layout of the same organization) the first
	// pass draws, and is the last when the guess was right.
	pages := guess
	var pdf *fpdf.Fpdf
	passes := 0
	for pass := 0; pass < 4; pass++ {
		var found map[string]int
		pdf, found, err = b.render(pages, pass == 0 && pages == nil)
		passes++
		if err != nil {
			return nil, passes, err
		}
		if pages != nil && maps.Equal(found, pages) {
			break
		}
		pages = found
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, passes, fmt.Errorf("runbook for %s: writing the PDF: %w", org, err)
	}
	out, err := compressPages(buf.Bytes())
	if err != nil {
		return nil, passes, fmt.Errorf("runbook for %s: %w", org, err)
	}
	if _, err := w.Write(out); err != nil {
		return nil, passes, fmt.Errorf("runbook for %s: %w", org, err)
	}
	return pages, passes, nil
}

// book is one runbook being made: what goes in it, and the state of the
// current layout pass.
type book struct {
	ctx  context.Context
	v    *access.View
	org  *model.Org
	opts Options
	asOf time.Time // AsOf's calendar date, UTC midnight
	m    *metrics
	md   *markdown.Parser

	types   []string                 // type folders in the book, display order
	byType  map[string][]*model.Item // items per type, by title
	inBook  map[string]bool          // item ids and section keys in the book
	secrets map[string]map[string]string
	images  map[string]*imageData // attachments read so far, by path
	// textboxes are the Markdown fields parsed so far, by item id and
	// field name: parsed once per book, not once per layout pass.
	textboxes map[string]*markdown.Doc
	// expiringList is what the expiring section lists, collected once.
	expiringList []expiry.Entry

	// per pass
	pdf *fpdf.Fpdf
	// dry is set on layout passes whose output is thrown away: positions
	// and pages are computed exactly as in the real pass, but text and
	// lines are not drawn.
	dry      bool
	pages    map[string]int // page of each anchor, from the previous pass
	found    map[string]int // page of each anchor, this pass
	placed   map[string]anchorPos
	links    map[string]int
	cur      style
	curSize  float64
	curColor rgb
	fontSet  bool
	fonts    [len(fontFiles)]bool // fonts registered with pdf
	bars     []float64            // x of block-quote bars beside flowed lines
	// err stops the pass: a LayoutError (see fail) or ctx's error.
	err error
	// srcFile and srcLine are the source being printed, for errors.
	srcFile string
	srcLine int
}

type anchorPos struct {
	page int
	y    float64
}

// Section keys: anchors that are not item ids.
const (
	keyContents = "#contents"
	keyOverview = "#overview"
	keyContacts = "#contacts"
	keyExpiring = "#expiring"
	keyTypeOf   = "#type:"
)

func newBook(ctx context.Context, v *access.View, org string, opts Options) (*book, error) {
	if v == nil {
		return nil, fmt.Errorf("runbook: no site view")
	}
	o := v.Org(org)
	if o == nil {
		var slugs []string
		for _, x := range v.Orgs() {
			slugs = append(slugs, x.Slug)
		}
		return nil, fmt.Errorf("runbook: no organization %q in this portal (organizations: %s)", org, strings.Join(slugs, ", "))
	}
	if opts.AsOf.IsZero() {
		return nil, fmt.Errorf("runbook for %s: Options.AsOf is not set (the book's date, from git or --today)", org)
	}
	if err := CheckTypes(v, opts.Types); err != nil {
		return nil, fmt.Errorf("runbook for %s: %w", org, err)
	}
	m, err := newMetrics(opts.Fonts)
	if err != nil {
		return nil, fmt.Errorf("runbook for %s: %w", org, err)
	}
	y, mo, d := opts.AsOf.Date()
	b := &book{ctx: ctx, v: v, org: o, opts: opts, asOf: time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), m: m,
		md: markdown.NewParser(), byType: map[string][]*model.Item{}, inBook: map[string]bool{},
		secrets: map[string]map[string]string{}, images: map[string]*imageData{}, textboxes: map[string]*markdown.Doc{}}
	for _, it := range v.OrgItems(org) {
		if !opts.prints(it) {
			continue
		}
		b.byType[it.Type] = append(b.byType[it.Type], it)
		b.inBook[it.ID] = true
	}
	for _, t := range v.Types(org) {
		items := b.byType[t]
		if len(items) == 0 {
			continue
		}
		sort.SliceStable(items, func(i, j int) bool {
			a, c := strings.ToLower(items[i].Title), strings.ToLower(items[j].Title)
			if a != c {
				return a < c
			}
			return items[i].ID < items[j].ID
		})
		b.types = append(b.types, t)
		b.inBook[keyTypeOf+t] = true
	}
	for _, k := range []string{keyContents, keyOverview, keyContacts, keyExpiring} {
		b.inBook[k] = true
	}
	if err := b.loadSecrets(); err != nil {
		return nil, err
	}
	b.expiringList = b.collectExpiries()
	return b, nil
}

// CheckTypes rejects names in an Options.Types list that are not types of
// the site (nor "assets"); Write calls it too, so callers use it only to
// report the problem as theirs (a flag).
func CheckTypes(v *access.View, types []string) error {
	known := v.Schemas().Types()
	for _, t := range types {
		ok := t == "assets"
		for _, k := range known {
			if k == t {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("unknown type %q (types: %s, or assets for every flexible type)", t, strings.Join(known, ", "))
		}
	}
	return nil
}

// prints reports whether a visible item goes into a book made with opts:
// archived ones only with IncludeArchived, and only types Types wants.
func (opts Options) prints(it *model.Item) bool {
	return (!it.Archived || opts.IncludeArchived) && wanted(opts.Types, it.Type)
}

// wanted reports whether type typ passes the Types filter.
func wanted(filter []string, typ string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, t := range filter {
		if t == typ || (t == "assets" && strings.HasPrefix(typ, "assets/")) {
			return true
		}
	}
	return false
}

// hasPasswords reports whether an item's type has password fields.
func hasPasswords(it *model.Item) bool {
	if it.Schema == nil {
		return false
	}
	for _, f := range it.Schema.Fields {
		if f.Kind == schema.Password {
			return true
		}
	}
	return false
}

func (b *book) loadSecrets() error {
	if b.opts.Secrets == nil {
		return nil
	}
	for _, t := range b.types {
		for _, it := range b.byType[t] {
			if !hasPasswords(it) || it.Secrets == "" {
				continue
			}
			if err := b.ctx.Err(); err != nil {
				return err
			}
			vals, err := b.opts.Secrets.Secrets(b.ctx, it)
			if err != nil {
				return fmt.Errorf("runbook for %s: secrets of %s: %w", b.org.Slug, it.ID, err)
			}
			b.secrets[it.ID] = vals
		}
	}
	return nil
}

// render lays the whole book out once. pages holds the page of each anchor
// from an earlier pass (nil on the first); dry skips drawing.
func (b *book) render(pages map[string]int, dry bool) (*fpdf.Fpdf, map[string]int, error) {
	b.pdf, b.dry = newPDF(b.org.Name+" runbook", false), dry
	b.fonts = [len(fontFiles)]bool{}
	b.pdf.SetCreationDate(b.opts.AsOf)
	b.pdf.SetModificationDate(b.opts.AsOf)
	b.pdf.SetSubject("Runbook of "+b.org.Name+" for portal "+b.opts.Portal, true)
	b.pages, b.found, b.placed, b.links = pages, map[string]int{}, map[string]anchorPos{}, map[string]int{}
	b.fontSet, b.bars = false, nil
	b.err = nil
	b.at("content/"+b.org.Slug+"/org.toml", 0)
	b.pdf.SetHeaderFuncMode(b.header, false)
	b.pdf.SetFooterFunc(b.footer)

	steps := []func() error{b.cover, b.contents, b.overview, b.contacts, b.expiring}
	for _, t := range b.types {
		steps = append(steps, func() error { return b.typeSection(t) })
	}
	for _, step := range steps {
		if err := b.ctx.Err(); err != nil {
			return nil, nil, err
		}
		if err := step(); err != nil {
			return nil, nil, err
		}
		if b.err != nil {
			if _, ok := b.err.(*LayoutError); ok {
				return nil, nil, fmt.Errorf("runbook for %s: %w", b.org.Slug, b.err)
			}
			return nil, nil, b.err
		}
		if err := b.pdf.Error(); err != nil {
			return nil, nil, fmt.Errorf("runbook for %s: %w", b.org.Slug, err)
		}
	}
	b.pdf.AliasNbPages("{nb}")
	// Every link made must have a target, or the PDF is broken.
	for k, id := range b.links {
		if _, ok := b.placed[k]; !ok {
			b.pdf.SetLink(id, 0, 1)
		}
	}
	return b.pdf, b.found, nil
}

// textbox returns the parsed Markdown of a textbox field's text, written
// at line and col of its file, parsing it on first use under key.
func (b *book) textbox(key, text string, line, col int) *markdown.Doc {
	if d, ok := b.textboxes[key]; ok {
		return d
	}
	d := b.md.Parse([]byte(text), line, col)
	b.textboxes[key] = d
	return d
}

// --- page furniture ------------------------------------------------------

func (b *book) header() {
	if b.pdf.PageNo() == 1 || b.dry {
		return
	}
	p := b.pdf
	b.useFont(bold, 8.5)
	p.SetTextColor(colText.r, colText.g, colText.b)
	p.SetXY(marginL, 9)
	name := b.m.clean(b.org.Name)
	p.CellFormat(textW*0.6, 5, b.fitText(name, bold, 8.5, textW*0.6), "", 0, "L", false, 0, "")
	b.useFont(0, 8)
	p.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
	p.SetXY(marginL+textW*0.6, 9)
	p.CellFormat(textW*0.4, 5, "Runbook · "+b.fitText(b.m.clean(b.portalTitle()), 0, 8, textW*0.4-20), "", 0, "R", false, 0, "")
	p.SetDrawColor(colRule.r, colRule.g, colRule.b)
	p.SetLineWidth(0.3)
	p.Line(marginL, 15, pageW-marginR, 15)
	p.SetXY(marginL, marginT)
}

func (b *book) footer() {
	if b.dry {
		return
	}
	p := b.pdf
	b.useFont(0, 7.5)
	p.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
	p.SetXY(marginL, pageH-13)
	left := "CONFIDENTIAL · " + b.provenance().String()
	if b.opts.Secrets != nil {
		left = "CONTAINS SECRETS · " + left
	}
	p.CellFormat(textW*0.75, 4, b.fitText(b.m.clean(left), 0, 7.5, textW*0.75), "", 0, "L", false, 0, "")
	p.SetXY(marginL+textW*0.75, pageH-13)
	p.CellFormat(textW*0.25, 4, fmt.Sprintf("Page %d of {nb}", p.PageNo()), "", 0, "R", false, 0, "")
}

func (b *book) portalTitle() string {
	if p := b.v.Portal; p != nil && p.Title != "" {
		return p.Title
	}
	return b.opts.Portal
}

// provenance is what the book was made from, as every output says it.
func (b *book) provenance() provenance.Provenance {
	return provenance.Provenance{Commit: b.opts.Commit, Dirty: b.opts.Dirty, AsOf: b.asOf}
}

// fitText shortens s with an ellipsis until it fits width.
func (b *book) fitText(s string, st style, size, width float64) string {
	if b.m.width(s, st, size) <= width {
		return s
	}
	// One pass over s: fit stops at the first character that overflows.
	head := b.m.fit(s, st, size, width-b.m.width("…", st, size))
	if head == "" {
		_, n := utf8.DecodeRuneInString(s)
		head = s[:n]
	}
	return head + "…"
}

// --- drawing primitives ------------------------------------------------------

func (b *book) setFont(st style, size float64) {
	if b.fontSet && st == b.cur && size == b.curSize {
		return
	}
	if !b.dry { // a dry pass's document has no fonts, and draws no text
		b.useFont(st, size)
	}
	b.cur, b.curSize, b.fontSet = st, size, true
}

// useFont sets the document's font, registering it on first use: a
// book embeds only the fonts it prints in.
func (b *book) useFont(st style, size float64) {
	if i := st.fontIndex(); !b.fonts[i] {
		addFont(b.pdf, i)
		b.fonts[i] = true
	}
	fam, fs := st.font()
	b.pdf.SetFont(fam, fs, size)
}

func (b *book) setColor(c rgb) {
	if b.fontSet && c == b.curColor {
		return
	}
	b.pdf.SetTextColor(c.r, c.g, c.b)
	b.curColor = c
}

// newPage starts a page. Once the pass has failed (the page limit, a
// cancelled ctx) it only moves to the top of the current page, so loops
// still running end quickly; they must check b.err if they could run on.
func (b *book) newPage() {
	if b.err == nil {
		if err := b.ctx.Err(); err != nil {
			b.err = err
		} else if b.pdf.PageNo() >= maxPages {
			b.fail("the runbook would have more than %d pages; shorten this text or leave its type out (--types)", maxPages)
		}
	}
	if b.err != nil {
		b.pdf.SetXY(marginL, marginT)
		return
	}
	b.pdf.AddPage()
	b.fontSet = false // AddPage restores fonts and colours its own way
	b.setFont(0, bodySize)
	b.setColor(colText)
	b.pdf.SetXY(marginL, marginT)
}

func (b *book) y() float64 { return b.pdf.GetY() }

// ensure starts a new page unless h mm fit above the bottom margin; it
// reports whether it did.
func (b *book) ensure(h float64) bool {
	if b.y()+h > bottom {
		b.newPage()
		return true
	}
	return false
}

func (b *book) gap(h float64) {
	if b.y()+h <= bottom {
		b.pdf.SetY(b.y() + h)
	}
}

// anchor marks the current position as the target of key: for the page
// numbers of the next pass and for links.
func (b *book) anchor(key string) {
	b.found[key] = b.pdf.PageNo()
	pos := anchorPos{b.pdf.PageNo(), b.y()}
	b.placed[key] = pos
	if id, ok := b.links[key]; ok {
		b.pdf.SetLink(id, pos.y, pos.page)
	}
}

// linkTo returns the internal link id of key, or 0 when key is not in
// the book.
func (b *book) linkTo(key string) int {
	if !b.inBook[key] {
		return 0
	}
	if id, ok := b.links[key]; ok {
		return id
	}
	id := b.pdf.AddLink()
	b.links[key] = id
	if pos, ok := b.placed[key]; ok {
		b.pdf.SetLink(id, pos.y, pos.page)
	}
	return id
}

// pageOf returns the page number of key as text, from the last pass.
func (b *book) pageOf(key string) string {
	if !b.inBook[key] {
		return ""
	}
	if p, ok := b.pages[key]; ok {
		return fmt.Sprint(p)
	}
	return "0"
}

// bookmark adds an outline entry at the current position.
func (b *book) bookmark(title string, level int) {
	if b.dry {
		return
	}
	b.pdf.Bookmark(b.m.clean(title), level, -1)
}

// sp makes a span of cleaned text.
func (b *book) sp(text string, st style, c rgb) span {
	return span{text: b.m.clean(text), st: st, color: c}
}

// flow lays spans out from the current position across the text width (at
// x0 mm from the left margin, width wide), breaking pages as needed.
// first, if set, is called with the y of the first line once it is placed
// (list markers use it).
func (b *book) flow(spans []span, x0, width, size, lh float64, first func(y float64)) {
	lines := b.m.wrap(spans, width, size)
	for i, ln := range lines {
		if b.err != nil {
			return
		}
		if b.y()+lh > bottom {
			b.newPage()
		}
		y := b.y()
		if i == 0 && first != nil {
			first(y)
		}
		b.drawLine(ln, marginL+x0, y, size, lh)
		b.pdf.SetXY(marginL, y+lh)
	}
}

// drawLine draws one laid-out line with its top-left corner at x, y.
func (b *book) drawLine(ln line, x, y, size, lh float64) {
	if b.dry {
		return
	}
	b.drawBars(y, lh)
	for _, p := range ln {
		b.setFont(p.sp.st, size)
		b.setColor(p.sp.color)
		b.pdf.SetXY(x+p.x, y)
		if p.sp.fill {
			b.pdf.SetFillColor(colCodeFill.r, colCodeFill.g, colCodeFill.b)
		}
		b.pdf.CellFormat(p.w, lh, p.text, "", 0, "L", p.sp.fill, p.sp.link, p.sp.url)
	}
}

// drawBars draws the bars of enclosing block quotes beside a line.
func (b *book) drawBars(y, lh float64) {
	if len(b.bars) == 0 {
		return
	}
	b.pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	b.pdf.SetLineWidth(0.8)
	for _, x := range b.bars {
		b.pdf.Line(marginL+x, y, marginL+x, y+lh)
	}
}

// text writes one paragraph of plain text in one style.
func (b *book) text(s string, st style, c rgb, size float64) {
	b.flow([]span{b.sp(s, st, c)}, 0, textW, size, size*0.48, nil)
}

// rule draws a horizontal line across the text width.
func (b *book) rule(width float64, c rgb) {
	b.pdf.SetDrawColor(c.r, c.g, c.b)
	b.pdf.SetLineWidth(width)
	b.pdf.Line(marginL, b.y(), pageW-marginR, b.y())
}

// sectionTitle starts a section on a new page: title, anchor, bookmark.
func (b *book) sectionTitle(key, title string) {
	b.newPage()
	b.anchor(key)
	b.bookmark(title, 0)
	b.setFont(bold, 17)
	b.setColor(colText)
	b.flow([]span{b.sp(title, bold, colText)}, 0, textW, 17, 8, nil)
	b.rule(0.6, colText)
	b.gap(4)
}

// subTitle is a small heading inside a section or item, kept with at
// least keep mm of what follows.
func (b *book) subTitle(title string, keep float64) {
	b.ensure(6 + keep)
	b.gap(1.5)
	b.flow([]span{b.sp(title, bold, colMuted)}, 0, textW, 9, 5, nil)
}
