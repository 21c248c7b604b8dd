package itglue

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

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
		// IT Glue's tables rarely have a header row and often hold
		// several lines in a cell: keep them tables (a cell's lines
		// joined by <br />), not paragraphs whose cells run together.
		mdtable.NewTablePlugin(mdtable.WithNewlineBehavior(mdtable.NewlineBehaviorPreserve),
			mdtable.WithHeaderPromotion(true), mdtable.WithSpanCellBehavior(mdtable.SpanBehaviorEmpty),
			mdtable.WithCellPaddingBehavior(mdtable.CellPaddingBehaviorMinimal)),
		strikethrough.NewStrikethroughPlugin(),
	))
}

// toMarkdown converts an HTML fragment or page to Markdown, with links
// and image sources passed through link and img first (either may be
// nil). Text that holds no HTML is returned as it is, trimmed.
func toMarkdown(conv *htmltomarkdown.Converter, src string, link, img rewrite) (string, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if !looksHTML(src) {
		return plainText(src), nil
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", err
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			walk(c)
			c = next
		}
		if n.Type != html.ElementNode || (n.Data != "a" && n.Data != "img") {
			return
		}
		key, fn := "href", link
		if n.Data == "img" {
			key, fn = "src", img
		}
		ref, i := attr(n, key)
		v := ""
		if fn != nil && i >= 0 {
			v = fn(ref)
		}
		switch {
		case v != "":
			n.Attr[i].Val = v
		case !isRelative(ref) && !unsafeRef(ref) || n.Parent == nil:
		case n.Data == "a":
			// A link into the export that names nothing imported (or
			// an anchor of the old page) would be a broken link: keep
			// its text only.
			for c := n.FirstChild; c != nil; {
				next := c.NextSibling
				n.RemoveChild(c)
				n.Parent.InsertBefore(c, n)
				c = next
			}
			n.Parent.RemoveChild(n)
		default:
			// An image that is not in the export: its alt text.
			if alt, _ := attr(n, "alt"); strings.TrimSpace(alt) != "" {
				n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: alt}, n)
			}
			n.Parent.RemoveChild(n)
		}
	}
	walk(doc)
	out, err := conv.ConvertNode(doc)
	if err != nil {
		return "", err
	}
	return wikiLinks(tidyTableBreaks(dropBlankParagraphs(strings.TrimSpace(string(out))))), nil
}

// tableBreaks are the line breaks of a table cell as the converter writes
// them: a hard break's spaces, and one <br /> per line of each paragraph.
var tableBreaks = regexp.MustCompile(`(?:[ \t]*<br />)+[ \t]*`)

// tidyTableBreaks makes each run of line breaks in a table's cells one
// <br />.
func tidyTableBreaks(md string) string {
	if !strings.Contains(md, "<br />") {
		return md
	}
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "|") {
			lines[i] = tableBreaks.ReplaceAllString(l, "<br />")
		}
	}
	return strings.Join(lines, "\n")
}

// unsafeRef reports whether a link or image source has a scheme a
// portal should not carry: a script (javascript:, vbscript:), an inline
// blob (data:, an image pasted into IT Glue), a local file. Such a link
// keeps its text, such an image its alt text.
func unsafeRef(ref string) bool {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return true
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto", "tel", "ftp":
		return false
	}
	return true
}

// blankLines are runs of lines holding only spaces and no-break spaces
// (an empty paragraph of the IT Glue editor, "<p>&nbsp;</p>").
var blankLines = regexp.MustCompile(`\n[ \t\x{00a0}]*(?:\n[ \t\x{00a0}]*)+\n`)

// dropBlankParagraphs collapses blank lines, and lines of no-break
// spaces, to one blank line.
func dropBlankParagraphs(md string) string {
	if !strings.Contains(md, "\u00a0") {
		return md
	}
	return blankLines.ReplaceAllString(md, "\n\n")
}

// plainText returns a cell of plain text as Markdown: as it is, but with
// the brackets of what would read as a link escaped, so that a cell such
// as "see [[runbook]]" does not become a link to an item that does not
// exist.
func plainText(src string) string {
	src = strings.TrimSpace(src)
	if strings.Contains(src, "[[") || strings.Contains(src, "](") || strings.Contains(src, "][") {
		src = strings.ReplaceAll(src, "[", `\[`)
	}
	return src
}

// htmlText returns the text of an HTML fragment, without markup (an
// alert is one line of plain text); text with no HTML as it is.
func htmlText(src string) string {
	if !looksHTML(src) {
		return src
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return src
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

// attr returns the value of an attribute and its index, -1 when absent.
func attr(n *html.Node, key string) (string, int) {
	for i, a := range n.Attr {
		if a.Key == key {
			return a.Val, i
		}
	}
	return "", -1
}

// isRelative reports whether a link or image source points into the
// export (a path, or an anchor of the page) rather than at a URL.
func isRelative(ref string) bool {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "//") {
		return false
	}
	u, err := url.Parse(ref)
	return err != nil || u.Scheme == ""
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
	return padTables(strings.Join(lines, "\n"))
}

// padTables aligns the columns of the GFM tables in md again (a wiki link
// is not as long as the link it replaced), so the table reads as a table
// in the file too.
func padTables(md string) string {
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); {
		if !isTableLine(lines[i]) {
			i++
			continue
		}
		j := i
		for j < len(lines) && isTableLine(lines[j]) {
			j++
		}
		rows := make([][]string, 0, j-i)
		var widths []int
		for _, l := range lines[i:j] {
			cells := splitRow(l)
			for k, c := range cells {
				if k == len(widths) {
					widths = append(widths, 3)
				}
				if n := utf8.RuneCountInString(c); !isDashes(c) && n > widths[k] {
					widths[k] = n
				}
			}
			rows = append(rows, cells)
		}
		for r, cells := range rows {
			var b strings.Builder
			b.WriteString("|")
			for k, c := range cells {
				if isDashes(c) {
					left, right := strings.HasPrefix(c, ":"), strings.HasSuffix(c, ":")
					n := widths[k]
					c = strings.Repeat("-", n)
					if left {
						c = ":" + c[1:]
					}
					if right {
						c = c[:n-1] + ":"
					}
				}
				b.WriteString(" " + c + strings.Repeat(" ", widths[k]-utf8.RuneCountInString(c)) + " |")
			}
			lines[i+r] = b.String()
		}
		i = j
	}
	return strings.Join(lines, "\n")
}

func isTableLine(l string) bool {
	l = strings.TrimSpace(l)
	return len(l) > 1 && l[0] == '|' && l[len(l)-1] == '|'
}

func isDashes(c string) bool { return c != "" && strings.Trim(c, "-:") == "" }

// splitRow splits a table row into its trimmed cells; \| does not split.
func splitRow(l string) []string {
	l = strings.TrimSpace(l)
	l = l[1 : len(l)-1]
	var cells []string
	start := 0
	for k := 0; k < len(l); k++ {
		if l[k] == '\\' {
			k++
			continue
		}
		if l[k] == '|' {
			cells = append(cells, strings.TrimSpace(l[start:k]))
			start = k + 1
		}
	}
	return append(cells, strings.TrimSpace(l[start:]))
}
