package markdown

import (
	"io"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Resolver turns links into URLs for one output page. The HTML renderer
// calls it for every wiki link and relative link.
type Resolver interface {
	// Wiki returns the href and default label of a wiki link target, and
	// ok=false when the reader of this output may not follow it (the
	// target is outside their portal): the link's own label, else the
	// returned one, is then shown as text.
	Wiki(target, anchor string) (href, label string, ok bool)
	// Relative returns the href for a relative link or image destination.
	Relative(dest string) string
}

// TaskMarker is a Resolver that also marks task list items: the HTML
// renderer gives a task's <li> the class TaskClass returns ("" for none),
// from whether the task is done and its due:... value as written (the
// portal marks overdue tasks).
type TaskMarker interface {
	TaskClass(done bool, due string) string
}

// RenderHTML writes d as HTML, resolving links with r. Raw HTML in the
// Markdown is passed through: the caller must sanitize the result.
func RenderHTML(w io.Writer, d *Doc, r Resolver) error {
	rd := renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(html.WithUnsafe()), 1000),
		util.Prioritized(extension.NewTableHTMLRenderer(), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500),
		util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
		util.Prioritized(extension.NewDefinitionListHTMLRenderer(), 500),
		util.Prioritized(&linkRenderer{r: r}, 100),
	))
	return rd.Render(w, d.Source, d.Root())
}

type linkRenderer struct{ r Resolver }

func (l *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikiLink, l.wiki)
	reg.Register(ast.KindLink, l.link)
	reg.Register(ast.KindImage, l.image)
	if _, ok := l.r.(TaskMarker); ok {
		reg.Register(ast.KindListItem, l.listItem)
	}
}

// listItem renders a list item as goldmark's HTML renderer does, with the
// class the TaskMarker gives a task.
func (l *linkRenderer) listItem(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</li>\n")
		return ast.WalkContinue, nil
	}
	class := ""
	if t, ok := taskOf(n.(*ast.ListItem), src); ok {
		class = l.r.(TaskMarker).TaskClass(t.Done, t.Due)
	}
	switch {
	case n.Attributes() != nil:
		_, _ = w.WriteString("<li")
		html.RenderAttributes(w, n, html.ListItemAttributeFilter)
		_ = w.WriteByte('>')
	case class != "":
		_, _ = w.WriteString(`<li class="`)
		_, _ = w.Write(util.EscapeHTML([]byte(class)))
		_, _ = w.WriteString(`">`)
	default:
		_, _ = w.WriteString("<li>")
	}
	if fc := n.FirstChild(); fc != nil {
		if _, ok := fc.(*ast.TextBlock); !ok {
			_ = w.WriteByte('\n')
		}
	}
	return ast.WalkContinue, nil
}

func (l *linkRenderer) wiki(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	wl := n.(*WikiLink)
	href, label, ok := l.r.Wiki(wl.Target, wl.Anchor)
	if wl.Label != "" {
		label = wl.Label
	}
	if label == "" {
		label = wl.DisplayLabel()
	}
	if !ok {
		_, _ = w.WriteString(`<span class="link-hidden">`)
		_, _ = w.Write(util.EscapeHTML([]byte(label)))
		_, _ = w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<a class="wikilink" href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(href), true)))
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(util.EscapeHTML([]byte(label)))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}

func (l *linkRenderer) dest(d []byte) []byte {
	if IsRelative(string(d)) && d[0] != '#' {
		return []byte(l.r.Relative(string(d)))
	}
	return d
}

func (l *linkRenderer) link(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	a := n.(*ast.Link)
	if entering {
		_, _ = w.WriteString(`<a href="`)
		dest := l.dest(a.Destination)
		if !html.IsDangerousURL(dest) {
			_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
		}
		_, _ = w.WriteString(`"`)
		if a.Title != nil {
			_, _ = w.WriteString(` title="`)
			_, _ = w.Write(util.EscapeHTML(a.Title))
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString(`>`)
	} else {
		_, _ = w.WriteString(`</a>`)
	}
	return ast.WalkContinue, nil
}

func (l *linkRenderer) image(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	img := n.(*ast.Image)
	_, _ = w.WriteString(`<img src="`)
	dest := l.dest(img.Destination)
	if !html.IsDangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	}
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(plainText(img, src, nil))))
	_, _ = w.WriteString(`"`)
	if img.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(img.Title))
		_, _ = w.WriteString(`"`)
	}
	_, _ = w.WriteString(` loading="lazy">`)
	return ast.WalkSkipChildren, nil
}
