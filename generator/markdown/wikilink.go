package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindWikiLink is the AST node kind of a [[wiki link]].
var KindWikiLink = ast.NewNodeKind("WikiLink")

// WikiLink is a [[target#anchor|label]] link to an item or organization.
type WikiLink struct {
	ast.BaseInline
	Target string // "configurations/sv1", "acme/documents/sops/x", "vendors"
	Anchor string
	Label  string // "" when none was given
	// Offset is the byte offset of "[[" in the Doc's Source.
	Offset int
}

// Kind implements ast.Node.
func (n *WikiLink) Kind() ast.NodeKind { return KindWikiLink }

// Dump implements ast.Node.
func (n *WikiLink) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Target": n.Target, "Anchor": n.Anchor, "Label": n.Label}, nil)
}

// DisplayLabel returns the label, or the target's last segment when no
// label was given.
func (n *WikiLink) DisplayLabel() string {
	if n.Label != "" {
		return n.Label
	}
	t := n.Target
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		t = t[i+1:]
	}
	return t
}

type wikiParser struct{}

func (wikiParser) Trigger() []byte { return []byte{'['} }

func (wikiParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '[' {
		return nil
	}
	// The target holds no bracket or line break, so the first of those
	// must be the closing "]]". Stopping there (rather than searching
	// the line for "]]") keeps a line of many "[[" linear.
	rest := line[2:]
	end := bytes.IndexAny(rest, "[]\n")
	if end < 0 || rest[end] != ']' || end+1 >= len(rest) || rest[end+1] != ']' {
		return nil
	}
	inner := string(rest[:end])
	if strings.TrimSpace(inner) == "" {
		return nil
	}
	// Inside a GFM table cell the separator is written \| so that it does
	// not split the cell.
	target, label, _ := strings.Cut(strings.Replace(inner, `\|`, "|", 1), "|")
	target, anchor, _ := strings.Cut(strings.TrimSpace(target), "#")
	n := &WikiLink{Target: strings.TrimSpace(target), Anchor: strings.TrimSpace(anchor), Label: strings.TrimSpace(label), Offset: seg.Start}
	block.Advance(2 + end + 2)
	return n
}

type wikiExtension struct{}

// WikiLinks is the goldmark extension that parses [[wiki links]].
var WikiLinks goldmark.Extender = wikiExtension{}

func (wikiExtension) Extend(m goldmark.Markdown) {
	// Before goldmark's link parser (priority 200), which also starts at '['.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(wikiParser{}, 199)))
}
