package itglue

import (
	"regexp"
	"strings"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	mdtable "github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
)

// wikiScheme marks, between the rewrite of the HTML and the Markdown it
// becomes, a link that is to turn into a [[wiki link]].
const wikiScheme = "cairn-wiki:"

// rewrite says what a link or an image in imported HTML becomes: ref is
// the href or src as written; the result is the new one ("" keeps it, a
// wikiScheme+id makes a wiki link).
type rewrite func(ref string) string

// looksHTML reports whether a cell holds HTML markup rather than text.
var htmlTag = regexp.MustCompile(`(?i)<(p|br|div|span|a|b|i|u|strong|em|ul|ol|li|table|tr|td|th|h[1-6]|img|pre|code|font|hr|blockquote)\b[^>]*>`)

func looksHTML(s string) bool { return htmlTag.MatchString(s) }

// newConverter returns the HTML to Markdown converter imported text goes
// through: CommonMark with GFM tables and strikethrough.
func newConverter() *htmltomarkdown.Converter {
	return htmltomarkdown.NewConverter(htmltomarkdown.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		mdtable.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
}

// toMarkdown converts an HTML fragment or page to Markdown, with links
// and image sources passed through link and img first (either may be
// nil). Text that holds no HTML is returned as it is, trimmed.
func toMarkdown(conv *htmltomarkdown.Converter, src string, link, img rewrite) (string, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if !looksHTML(src) && link == nil && img == nil {
		return strings.TrimSpace(src), nil
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", err
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for i, a := range n.Attr {
				switch {
				case n.Data == "a" && a.Key == "href" && link != nil:
					if v := link(a.Val); v != "" {
						n.Attr[i].Val = v
					}
				case n.Data == "img" && a.Key == "src" && img != nil:
					if v := img(a.Val); v != "" {
						n.Attr[i].Val = v
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	out, err := conv.ConvertNode(doc)
	if err != nil {
		return "", err
	}
	return wikiLinks(strings.TrimSpace(string(out))), nil
}

var wikiMD = regexp.MustCompile(`\[((?:[^\[\]\\]|\\.)*)\]\(<?` + regexp.QuoteMeta(wikiScheme) + `([a-z0-9/-]+)>?(?: "[^"]*")?\)`)

var mdEscape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

// wikiLinks turns the Markdown links the rewrite marked into [[id|label]]
// links; in a table row the separator is written \| so as not to split
// the cell.
func wikiLinks(md string) string {
	if !strings.Contains(md, wikiScheme) {
		return md
	}
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		sep := "|"
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			sep = `\|`
		}
		lines[i] = wikiMD.ReplaceAllStringFunc(l, func(m string) string {
			sub := wikiMD.FindStringSubmatch(m)
			label := mdEscape.ReplaceAllString(sub[1], "$1")
			label = strings.NewReplacer("[", "", "]", "", "|", "/", "\\", "").Replace(label)
			label = strings.TrimSpace(label)
			if label == "" {
				return "[[" + sub[2] + "]]"
			}
			return "[[" + sub[2] + sep + label + "]]"
		})
	}
	return strings.Join(lines, "\n")
}
