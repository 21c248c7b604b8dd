package check

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// typeFolders are the first segments that make an id relative to the
// linking item's organization.
var typeFolders = map[string]bool{"configurations": true, "contacts": true, "locations": true, "passwords": true,
	"domains": true, "ssl-certificates": true, "assets": true, "documents": true, "checklists": true}

// linkError is why a link does not resolve.
type linkError struct {
	code, msg, hint string
}

// resolve finds what ref, written in an item of fromOrg, points to: an
// item id, or an organization slug (isOrg). It enforces id syntax and the
// rule that links cross into shared organizations only.
func (c *checker) resolve(fromOrg, ref string) (target string, isOrg bool, le *linkError) {
	if ref == "" {
		return "", false, &linkError{"broken-link", "empty link", "write an id like configurations/sv-dc01"}
	}
	segs := strings.Split(ref, "/")
	for _, s := range segs {
		if !schema.IsSlug(s) {
			hint := "ids are <org>/<type>/<slug> or, within one organization, <type>/<slug>; slugs are lower-case letters, digits and hyphens"
			if s != "" && s != "." && s != ".." && schema.IsSlug(strings.ToLower(s)) {
				hint = fmt.Sprintf("ids are lower case: %q", strings.ToLower(ref))
			}
			return "", false, &linkError{"bad-slug", fmt.Sprintf("%q is not a valid id", ref), hint}
		}
	}
	if typeFolders[segs[0]] {
		segs = append([]string{fromOrg}, segs...)
	}
	org := c.site.Org(segs[0])
	if org == nil {
		var slugs []string
		for _, o := range c.site.Orgs {
			slugs = append(slugs, o.Slug)
		}
		hint := suggestHint(segs[0], slugs, "")
		if hint == "" && len(segs) > 1 {
			folders := make([]string, 0, len(typeFolders))
			for _, t := range schema.CoreTypes {
				folders = append(folders, t)
			}
			folders = append(folders, "assets")
			hint = suggestHint(segs[0], folders, fmt.Sprintf("an id starts with an organization or a type folder (%s)", strings.Join(folders, ", ")))
		}
		return "", false, &linkError{"broken-link", fmt.Sprintf("%q: no organization %q", ref, segs[0]), hint}
	}
	if org.Slug != fromOrg && !org.Shared {
		return "", false, &linkError{"cross-org", fmt.Sprintf("%q links into organization %q, which is not shared", ref, org.Slug),
			fmt.Sprintf("a portal for %s must never reveal %s: link only within the organization or into a shared one (shared = true in content/%s/org.toml)", fromOrg, org.Slug, org.Slug)}
	}
	if len(segs) == 1 {
		return org.Slug, true, nil
	}
	id := strings.Join(segs, "/")
	if c.site.Item(id) == nil {
		return "", false, &linkError{"broken-link", fmt.Sprintf("%q: no such item", ref), c.nearestItem(segs)}
	}
	return id, false, nil
}

// nearestItem suggests an existing id close to a broken one.
func (c *checker) nearestItem(segs []string) string {
	if len(segs) < 3 {
		return "ids are <org>/<type>/<slug>"
	}
	typ := segs[1]
	if typ == "assets" && len(segs) > 3 {
		typ = "assets/" + segs[2]
	}
	var ids []string
	for _, it := range c.site.OrgItems(segs[0]) {
		ids = append(ids, it.ID)
	}
	want := strings.Join(segs, "/")
	if s := diag.Suggest(want, ids); s != "" {
		return fmt.Sprintf("did you mean %q?", strings.TrimPrefix(s, segs[0]+"/"))
	}
	if c.site.Schemas.Get(typ) == nil && typ != "documents" && typ != "checklists" {
		return fmt.Sprintf("%q is not a type folder", typ)
	}
	return fmt.Sprintf("there is no file for it under content/%s/%s/", segs[0], typ)
}

func targetAllowed(typ string, targets []string) bool {
	if len(targets) == 0 {
		return true
	}
	for _, t := range targets {
		if t == typ || (t == "assets" && strings.HasPrefix(typ, "assets/")) {
			return true
		}
	}
	return false
}

// ref checks a tag or related value and records its link.
func (ic *itemCheck) ref(v *tomldoc.Value, kind model.LinkKind, field string, targets []string) {
	pos := ic.pos(v.Pos)
	target, isOrg, le := ic.c.resolve(ic.it.Org, strings.TrimSpace(v.Str))
	if le == nil && isOrg {
		le = &linkError{"broken-link", fmt.Sprintf("%q is an organization, not an item", v.Str), "link an item: <type>/<slug>"}
	}
	if le != nil {
		what := "related item"
		if kind == model.LinkTag {
			what = fmt.Sprintf("%q", field)
		}
		ic.c.diags.ErrorHint(pos, le.code, le.hint, "%s: %s", what, le.msg)
		return
	}
	if t := ic.c.site.Item(target); !targetAllowed(t.Type, targets) {
		ic.c.diags.ErrorHint(pos, "wrong-target", fmt.Sprintf("%q may point to %s", field, strings.Join(targets, ", ")),
			"%q: %s is %s, which this field does not allow", field, v.Str, article(t.Schema.DisplaySingular()))
		return
	}
	ic.r.links = append(ic.r.links, model.Link{From: ic.it.ID, To: target, Kind: kind, Field: field, Pos: pos})
}

func article(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// markdownLinks checks the wiki and relative links of a Markdown text
// written in file (of org) and appends the resolved ones. self is the item
// whose body doc is, for same-page anchors (nil for notes). It returns how
// many links it checked.
func (c *checker) markdownLinks(out *[]model.Link, org, fromID, file string, doc *markdown.Doc, self *model.Item) int {
	for _, l := range doc.Links {
		pos := diag.Pos{File: file, Line: l.Line, Col: l.Col}
		if l.Wiki {
			target, isOrg, le := c.resolve(org, l.Target)
			if le != nil {
				c.diags.ErrorHint(pos, le.code, le.hint, "wiki link [[%s]]: %s", l.Target, le.msg)
				continue
			}
			if l.Anchor != "" {
				if le := c.anchor(target, isOrg, l.Anchor); le != nil {
					c.diags.ErrorHint(pos, le.code, le.hint, "wiki link [[%s#%s]]: %s", l.Target, l.Anchor, le.msg)
					continue
				}
			}
			*out = append(*out, model.Link{From: fromID, To: target, Anchor: l.Anchor, Kind: model.LinkWiki, Pos: pos})
			continue
		}
		c.relative(out, org, fromID, file, doc, l, pos, self)
	}
	return len(doc.Links)
}

func (c *checker) anchor(target string, isOrg bool, anchor string) *linkError {
	var it *model.Item
	if !isOrg {
		it = c.site.Item(target)
	}
	if it == nil || it.Body == nil {
		return &linkError{"broken-anchor", fmt.Sprintf("%s has no headings to link to", target), "heading anchors (#...) work on documents and checklists"}
	}
	if !it.Body.HasAnchor(anchor) {
		return &linkError{"broken-anchor", fmt.Sprintf("%s has no heading with anchor #%s", target, anchor), suggestHint(anchor, it.Body.Anchors(), "anchors: "+strings.Join(it.Body.Anchors(), ", "))}
	}
	return nil
}

func (c *checker) relative(out *[]model.Link, org, fromID, file string, doc *markdown.Doc, l markdown.Link, pos diag.Pos, self *model.Item) {
	if l.Target == "" { // #anchor on the same page
		if !doc.HasAnchor(l.Anchor) {
			c.diags.ErrorHint(pos, "broken-anchor", suggestHint(l.Anchor, doc.Anchors(), ""), "link #%s: no heading with that anchor on this page", l.Anchor)
		}
		return
	}
	dest, err := url.PathUnescape(l.Target)
	if err != nil {
		dest = l.Target
	}
	if strings.HasPrefix(dest, "/") || strings.Contains(dest, "\\") {
		c.diags.ErrorHint(pos, "bad-path", "use a path relative to this file, like ../files/lan.pdf", "link %q: absolute paths do not work in every portal", l.Target)
		return
	}
	p := path.Join(path.Dir(file), dest)
	rest, ok := strings.CutPrefix(p, "content/")
	if !ok {
		c.diags.ErrorHint(pos, "bad-path", "links may point to documents, items and files under content/", "link %q points outside the site's content", l.Target)
		return
	}
	targetOrg, _, _ := strings.Cut(rest, "/")
	if targetOrg != org {
		o := c.site.Org(targetOrg)
		if o == nil {
			c.diags.ErrorHint(pos, "broken-link", "check the number of ../ steps", "link %q: no organization %q", l.Target, targetOrg)
			return
		}
		if !o.Shared {
			c.diags.ErrorHint(pos, "cross-org", "link only within the organization or into a shared one", "link %q points into organization %q, which is not shared", l.Target, targetOrg)
			return
		}
	}
	if strings.HasPrefix(rest, targetOrg+"/files/") {
		if !c.site.HasFile(rest) {
			c.diags.ErrorHint(pos, "broken-link", "put the file at "+p+" or fix the path", "link %q: file %s does not exist", l.Target, p)
		}
		return
	}
	it := c.itemByPath(rest)
	if it == nil {
		c.diags.ErrorHint(pos, "broken-link", "check the path; wiki links ([[documents/...]]) do not depend on where the file is", "link %q: %s does not exist", l.Target, p)
		return
	}
	if l.Anchor != "" {
		if le := c.anchor(it.ID, false, l.Anchor); le != nil {
			c.diags.ErrorHint(pos, le.code, le.hint, "link %q: %s", l.Target+"#"+l.Anchor, le.msg)
			return
		}
	}
	*out = append(*out, model.Link{From: fromID, To: it.ID, Anchor: l.Anchor, Kind: model.LinkRelative, Pos: pos})
}

// itemByPath finds the item a relative link's path (below content/) names:
// a .md or .toml file, or a documents folder with an index.md.
func (c *checker) itemByPath(rest string) *model.Item {
	rest = strings.TrimSuffix(rest, "/")
	for _, ext := range []string{".md", ".toml"} {
		if id, ok := strings.CutSuffix(rest, ext); ok {
			id = strings.TrimSuffix(id, "/index")
			if it := c.site.Item(id); it != nil && path.Ext(it.File) == ext {
				return it
			}
			return nil
		}
	}
	if it := c.site.Item(rest); it != nil && strings.HasSuffix(it.File, "/index.md") {
		return it
	}
	return nil
}
