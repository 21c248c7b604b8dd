package portal

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/urls"
)

// resolver renders the links of one Markdown text for one page. It
// resolves nothing itself: it looks up what the checker resolved, through
// the view, so a link the portal may not see renders as plain text.
type resolver struct {
	r    *Renderer
	page string // the page's path
	src  string // the item id, or the organization slug for quick notes, the text belongs to
}

// Wiki implements markdown.Resolver.
func (rs resolver) Wiki(target, anchor string) (string, string, bool) {
	t, ok := rs.r.v.Resolve(rs.src, model.RefID, target)
	if !ok {
		return "", access.HiddenText, false
	}
	to, label := "", ""
	if t.Org {
		o := rs.r.v.Org(t.ID)
		to, label = urls.Org(o.Slug), o.Name
	} else {
		it := rs.r.v.Item(t.ID)
		to, label = urls.Item(it), titleOf(it)
	}
	href := urls.Rel(rs.page, to)
	if anchor != "" {
		href += "#" + anchor
	}
	return href, label, true
}

// TaskClass implements markdown.TaskMarker: an open task due before the
// as-of date is "task-overdue", as checklist.Of counts it.
func (rs resolver) TaskClass(done bool, due string) string {
	if p := checklist.Of([]markdown.Task{{Done: done, Due: due}}, rs.r.today); len(p.Overdue) > 0 {
		return "task-overdue"
	}
	return ""
}

// Relative implements markdown.Resolver: files become links to the copied
// attachment, .md and .toml files links to their item's page. A target
// the portal may not see becomes "" (a link to nothing).
func (rs resolver) Relative(dest string) string {
	target, anchor, hasAnchor := strings.Cut(dest, "#")
	suffix := ""
	if hasAnchor {
		suffix = "#" + anchor
	}
	if target == "" {
		return suffix
	}
	t, ok := rs.r.v.Resolve(rs.src, model.RefPath, target)
	switch {
	case !ok:
		return ""
	case t.File != "":
		return urls.Rel(rs.page, urls.File(t.File)) + suffix
	case t.Org:
		return urls.Rel(rs.page, urls.Org(t.ID)) + suffix
	}
	return urls.Rel(rs.page, urls.Item(rs.r.v.Item(t.ID))) + suffix
}

// renderMarkdown renders doc, written in src (an item id, or an
// organization slug for quick notes), for the page at page and sanitizes
// it.
func (r *Renderer) renderMarkdown(doc *markdown.Doc, page, src string) (template.HTML, error) {
	if doc == nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := markdown.RenderHTML(&buf, doc, resolver{r: r, page: page, src: src}); err != nil {
		return "", err
	}
	return sanitize(buf.Bytes()), nil
}

// policy is the sanitizer every rendered Markdown text goes through: a
// user-generated-content policy that also keeps heading ids, disabled
// task-list checkboxes, code language classes, table alignment and
// footnote links. A bluemonday policy is safe for concurrent use once
// built; it is never changed after this.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	idRe := regexp.MustCompile(`^[\p{L}\p{N}_:.-]+$`)
	p.AllowAttrs("id").Matching(idRe).OnElements("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "section")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]+$`)).OnElements("code")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(footnote-ref|footnote-backref|wikilink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(footnotes|link-hidden)$`)).OnElements("div", "span", "section")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^task-overdue$`)).OnElements("li")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|endnotes|backlink)$`)).OnElements("a", "div", "section", "sup")
	p.AllowElements("input")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	return p
}

var inputRe = regexp.MustCompile(`<input([^>]*)>`)

// sanitize cleans rendered Markdown and makes every remaining checkbox
// read-only: a portal is not a form.
func sanitize(html []byte) template.HTML {
	clean := policy.SanitizeBytes(html)
	clean = inputRe.ReplaceAllFunc(clean, func(m []byte) []byte {
		if bytes.Contains(m, []byte("disabled")) {
			return m
		}
		return append([]byte(`<input disabled=""`), m[len("<input"):]...)
	})
	return template.HTML(clean)
}
