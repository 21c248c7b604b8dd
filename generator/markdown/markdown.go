// Package markdown parses cairn's Markdown (documents, checklists, notes):
// GFM, footnotes, heading anchors and [[wiki links]]. It extracts what the
// checker needs (links with positions, heading anchors, tasks) and renders
// HTML with links resolved by the caller.
package markdown

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Doc is a parsed Markdown text.
type Doc struct {
	// Source is the Markdown text; the AST's segments index into it.
	Source []byte
	// root is the goldmark AST while it is held; see Root.
	root     ast.Node
	rootOnce sync.Once
	parser   *Parser
	// Links are the wiki and relative links, in source order.
	Links []Link
	// Headings are the document's headings in order, with their anchors.
	Headings []Heading
	// Tasks are the GFM task list items, in order.
	Tasks []Task
	// Line and Col locate Source[0] in the file it came from.
	Line, Col int
	// Err is set when Source is not valid UTF-8 or exceeds a limit on
	// the shape of Markdown (MaxNesting, ...): such text is not parsed,
	// and Root returns an empty document. Callers report Err.
	Err *LimitError

	lines []int
}

// Heading is one heading and its anchor id.
type Heading struct {
	Level  int
	Text   string
	Anchor string
}

// Link is a [[wiki link]] or a relative [text](path) link.
type Link struct {
	Wiki bool
	// Target is the wiki id ("configurations/sv1") or the relative path
	// ("../files/lan.pdf"); Anchor the part after '#', if any.
	Target string
	Anchor string
	Label  string
	// Line and Col are in the file the Markdown came from.
	Line, Col int
}

// Task is one GFM task list item: "- [x] text @assignee due:2026-12-01".
type Task struct {
	Text     string
	Done     bool
	Assignee string
	// Due is the raw due:... value, "" when none.
	Due       string
	Line, Col int
	// Nested is true for a task inside another task's list.
	Nested bool
}

// HasAnchor reports whether a heading has the anchor id.
func (d *Doc) HasAnchor(anchor string) bool {
	for _, h := range d.Headings {
		if h.Anchor == anchor {
			return true
		}
	}
	return false
}

// Anchors returns the heading anchors, sorted, for did-you-mean hints.
func (d *Doc) Anchors() []string {
	out := make([]string, 0, len(d.Headings))
	for _, h := range d.Headings {
		out = append(out, h.Anchor)
	}
	sort.Strings(out)
	return out
}

// Parser parses Markdown. One Parser may be used by many goroutines.
type Parser struct {
	md goldmark.Markdown
}

// NewParser returns a parser with cairn's Markdown dialect.
func NewParser() *Parser {
	return &Parser{md: newGoldmark()}
}

func newGoldmark() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, WikiLinks),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// Parse parses src, which starts at line, col of its file (1, 1 for a
// whole file). Markdown has no syntax errors; text that is not UTF-8 or
// exceeds a limit on its shape is left unparsed, with Doc.Err set.
func (p *Parser) Parse(src []byte, line, col int) *Doc {
	d := &Doc{Source: src, Line: line, Col: col, lines: lineStarts(src), parser: p}
	if d.Err = d.checkText(src); d.Err != nil {
		return d
	}
	d.collect(p.ast(src))
	return d
}

func (p *Parser) ast(src []byte) ast.Node {
	ids := wikiIDs{parser.NewContext().IDs()}
	return p.md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(ids))))
}

// Root returns the goldmark AST, which must not be modified. Parse keeps
// only what checking needs (links, headings, tasks) and lets the tree go:
// on a large site the trees are most of the memory a check would hold.
// The first call to Root parses Source again (the same input gives the
// same tree, heading ids included) and keeps the tree for later calls.
// Root may be called from several goroutines.
func (d *Doc) Root() ast.Node {
	d.rootOnce.Do(func() {
		switch {
		case d.root != nil:
		case d.Err != nil:
			d.root = ast.NewDocument()
		default:
			d.root = d.parser.ast(d.Source)
		}
	})
	return d.root
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos turns a byte offset of Source into a file line and column.
func (d *Doc) pos(off int) (int, int) {
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	col := off - d.lines[i] + 1
	if i == 0 {
		col += d.Col - 1
	}
	return d.Line + i, col
}

// Pos returns the file line and column of a byte offset in Source.
func (d *Doc) Pos(off int) (line, col int) { return d.pos(off) }

func (d *Doc) collect(root ast.Node) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			anchor := ""
			if v, ok := n.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					anchor = string(b)
				}
			}
			d.Headings = append(d.Headings, Heading{Level: n.Level, Text: plainText(n, d.Source, labelOnly), Anchor: anchor})
		case *WikiLink:
			line, col := d.pos(n.Offset)
			d.Links = append(d.Links, Link{Wiki: true, Target: n.Target, Anchor: n.Anchor, Label: n.Label, Line: line, Col: col})
		case *ast.Link:
			d.addRelative(n, string(n.Destination))
		case *ast.Image:
			d.addRelative(n, string(n.Destination))
		case *ast.ListItem:
			if t, ok := d.task(n); ok {
				d.Tasks = append(d.Tasks, t)
			}
		}
		return ast.WalkContinue, nil
	})
}

// IsRelative reports whether a link destination points into the site
// rather than to the web, a mail address or a phone number.
func IsRelative(dest string) bool {
	if dest == "" {
		return false
	}
	if strings.HasPrefix(dest, "//") {
		return false
	}
	if i := strings.IndexAny(dest, ":/?#"); i > 0 && dest[i] == ':' {
		return false // has a scheme: https:, mailto:, tel:
	}
	return true
}

func (d *Doc) addRelative(n ast.Node, dest string) {
	if !IsRelative(dest) {
		return
	}
	target, anchor, _ := strings.Cut(dest, "#")
	line, col := d.nodePos(n)
	d.Links = append(d.Links, Link{Target: target, Anchor: anchor, Label: plainText(n, d.Source, nil), Line: line, Col: col})
}

// nodePos finds a source position for an inline node: its first text
// segment (the link text starts one character after '['), else its block.
func (d *Doc) nodePos(n ast.Node) (int, int) {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			off := t.Segment.Start - 1
			if off < 0 {
				off = 0
			}
			return d.pos(off)
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return d.pos(p.Lines().At(0).Start)
		}
	}
	return d.Line, d.Col
}

func (d *Doc) task(li *ast.ListItem) (Task, bool) {
	t, ok := taskOf(li, d.Source)
	if ok && li.FirstChild().Lines().Len() > 0 {
		t.Line, t.Col = d.pos(li.FirstChild().Lines().At(0).Start)
	}
	return t, ok
}

// taskOf reads a list item as a GFM task, without its position: whether
// it is done, its @assignee and due:... value, and its text without them.
func taskOf(li *ast.ListItem, src []byte) (Task, bool) {
	first := li.FirstChild()
	if first == nil {
		return Task{}, false
	}
	box, ok := first.FirstChild().(*east.TaskCheckBox)
	if !ok {
		return Task{}, false
	}
	t := Task{Done: box.IsChecked}
	for p := li.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.ListItem); ok {
			t.Nested = true
		}
	}
	var words []string
	for _, w := range strings.Fields(plainText(first, src, nil)) {
		switch {
		case t.Assignee == "" && len(w) > 1 && w[0] == '@':
			t.Assignee = strings.TrimRight(w[1:], ".,;:")
		case t.Due == "" && strings.HasPrefix(w, "due:"):
			t.Due = strings.TrimRight(strings.TrimPrefix(w, "due:"), ".,;:)")
		default:
			words = append(words, w)
		}
	}
	t.Text = strings.Join(words, " ")
	return t, true
}

// plainText returns the text content of a node, without markup: the
// text of each block (paragraph, heading, list item, table cell) is
// separated from the next by a space, so words of two blocks never run
// together. Raw HTML, comments and link destinations are not text. A
// wiki link is wiki(link), or its DisplayLabel when wiki is nil.
func plainText(n ast.Node, src []byte, wiki func(*WikiLink) string) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if c.Type() == ast.TypeBlock && b.Len() > 0 && b.Bytes()[b.Len()-1] != ' ' {
			b.WriteByte(' ')
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for cc := c.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if t, ok := cc.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *WikiLink:
			if wiki != nil {
				b.WriteString(wiki(c))
			} else {
				b.WriteString(c.DisplayLabel())
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// PlainText returns the text content of a node of d, without markup: for
// search indexes and summaries.
func (d *Doc) PlainText(n ast.Node) string { return plainText(n, d.Source, nil) }

// PlainTextWiki is PlainText with each wiki link's text given by wiki: a
// portal's search index leaves out the target of a link it may not see,
// whose DisplayLabel (the id's last segment) would name a hidden item.
func (d *Doc) PlainTextWiki(n ast.Node, wiki func(*WikiLink) string) string {
	return plainText(n, d.Source, wiki)
}
