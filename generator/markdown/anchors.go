package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// wikiIDs makes heading anchors as goldmark does, from the heading's
// text with each [[wiki link]] read as its label, or as nothing without
// one: an anchor is the same in every portal, and one made from a link's
// target would spell out, in a portal that may not see the target, the
// hidden item's id ("## Call [[contacts/sam-okafor]]" gave the anchor
// "call-contactssam-okafor").
type wikiIDs struct{ parser.IDs }

// Generate implements parser.IDs.
func (w wikiIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return w.IDs.Generate([]byte(withoutWikiTargets(string(value))), kind)
}

// labelOnly is a heading's wiki link as its text reads in Heading.Text
// (a page's table of contents): its label, never its target.
func labelOnly(l *WikiLink) string { return l.Label }

// withoutWikiTargets replaces each wiki link of s by its label.
func withoutWikiTargets(s string) string {
	return ReplaceWikiLinks(s, func(_, _, label string) string { return label })
}

// ReplaceWikiLinks returns s with each [[target#anchor|label]], found as
// the parser finds one ("[[", then no bracket or line break up to "]]"),
// replaced by repl(link, target, label): link is the whole "[[...]]",
// target without its #anchor, target and label trimmed. It reads raw
// text (TOML values, whole files), code spans included.
func ReplaceWikiLinks(s string, repl func(link, target, label string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			break
		}
		rest := s[i+2:]
		end := strings.IndexAny(rest, "[]\n")
		if end < 0 || rest[end] != ']' || end+1 >= len(rest) || rest[end+1] != ']' {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		target, label, _ := strings.Cut(strings.Replace(rest[:end], `\|`, "|", 1), "|")
		target, _, _ = strings.Cut(strings.TrimSpace(target), "#")
		b.WriteString(s[:i])
		b.WriteString(repl(s[i:i+2+end+2], strings.TrimSpace(target), strings.TrimSpace(label)))
		s = rest[end+2:]
	}
	b.WriteString(s)
	return b.String()
}
