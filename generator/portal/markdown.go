package portal

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"

	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/urls"
)

// typeFolders are the first segments that make an id relative to the
// linking item's organization, as in the checker.
var typeFolders = map[string]bool{"configurations": true, "contacts": true, "locations": true, "passwords": true,
	"domains": true, "ssl-certificates": true, "assets": true, "documents": true, "checklists": true}

// resolveRef turns a reference written in an item of org ("configurations/
// sv1", "vendors/contacts/x", "vendors") into an item id or org slug. The
// checker has already verified every reference of a site that is built.
func resolveRef(org, ref string) string {
	ref = strings.TrimSpace(ref)
	first, _, _ := strings.Cut(ref, "/")
	if typeFolders[first] {
		return org + "/" + ref
	}
	return ref
}

// resolver resolves the links of one Markdown text for one page.
type resolver struct {
	r    *Renderer
	from string // the page's path
	org  string // the organization the text belongs to
	file string // the file the text was written in, relative to the site root
}

// Wiki implements markdown.Resolver.
func (rs resolver) Wiki(target, anchor string) (string, string, bool) {
	id := resolveRef(rs.org, target)
	if !rs.r.v.CanSee(id) {
		return "", "", false
	}
	to, label := "", ""
	if it := rs.r.v.Site.Item(id); it != nil {
		to, label = urls.ItemID(id), titleOf(it)
	} else if o := rs.r.v.Site.Org(id); o != nil {
		to, label = urls.Org(id), o.Name
	} else {
		return "", "", false
	}
	href := urls.Rel(rs.from, to)
	if anchor != "" {
		href += "#" + anchor
	}
	return href, label, true
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
	if p, err := url.PathUnescape(target); err == nil {
		target = p
	}
	full := path.Join(path.Dir(rs.file), target)
	rest, ok := strings.CutPrefix(full, "content/")
	if !ok {
		return ""
	}
	if f := rs.r.file(rest); f != "" {
		return urls.Rel(rs.from, urls.File(f)) + suffix
	}
	if it := rs.r.itemByPath(rest); it != nil && rs.r.v.CanSee(it.ID) {
		return urls.Rel(rs.from, urls.Item(it)) + suffix
	}
	return ""
}

// itemByPath finds the item a relative link's path below content/ names:
// a .md or .toml file, or a documents folder with an index.md.
func (r *Renderer) itemByPath(rest string) *model.Item {
	rest = strings.TrimSuffix(rest, "/")
	site := r.v.Site
	for _, ext := range []string{".md", ".toml"} {
		if id, ok := strings.CutSuffix(rest, ext); ok {
			id = strings.TrimSuffix(id, "/index")
			if it := site.Item(id); it != nil && path.Ext(it.File) == ext {
				return it
			}
			return nil
		}
	}
	if it := site.Item(rest); it != nil && strings.HasSuffix(it.File, "/index.md") {
		return it
	}
	return nil
}

// renderMarkdown renders doc for the page at from and sanitizes it.
func (r *Renderer) renderMarkdown(doc *markdown.Doc, from, org, file string) (template.HTML, error) {
	if doc == nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := markdown.RenderHTML(&buf, doc, resolver{r: r, from: from, org: org, file: file}); err != nil {
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
