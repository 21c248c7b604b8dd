package check

import (
	"fmt"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// TargetAllowed reports whether a tag field with these targets may point
// at an item of type typ (no targets: any type; "assets": every flexible
// type). cairn collab offers only such items in its tag pickers.
func TargetAllowed(typ string, targets []string) bool { return targetAllowed(typ, targets) }

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
	text := strings.TrimSpace(v.Str)
	target, le := ic.c.resolver.ID(ic.it.Org, text)
	if le == nil && target.Org {
		le = &resolve.Error{Code: "broken-link", Msg: fmt.Sprintf("%q is an organization, not an item", v.Str), Hint: "link an item: <type>/<slug>"}
	}
	if le != nil {
		what := "related item"
		if kind == model.LinkTag {
			what = fmt.Sprintf("%q", field)
		}
		ic.c.diags.ErrorHint(pos, le.Code, le.Hint, "%s: %s", what, le.Msg)
		return
	}
	if t := ic.c.resolver.Item(target.ID); !targetAllowed(t.Type, targets) {
		ic.c.diags.ErrorHint(pos, "wrong-target", fmt.Sprintf("%q may point to %s", field, strings.Join(targets, ", ")),
			"%q: %s is %s, which this field does not allow", field, v.Str, article(t.Schema.DisplaySingular()))
		return
	}
	ic.r.Links = append(ic.r.Links, model.Link{From: ic.it.ID, To: target.ID, Kind: kind, Field: field, Text: text, Pos: pos})
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
			target, le := c.resolver.ID(org, l.Target)
			if le != nil {
				c.diags.ErrorHint(pos, le.Code, le.Hint, "wiki link [[%s]]: %s", l.Target, le.Msg)
				continue
			}
			if l.Anchor != "" {
				if le := c.anchor(target, l.Anchor); le != nil {
					c.diags.ErrorHint(pos, le.Code, le.Hint, "wiki link [[%s#%s]]: %s", l.Target, l.Anchor, le.Msg)
					continue
				}
			}
			*out = append(*out, model.Link{From: fromID, To: target.ID, Anchor: l.Anchor, Kind: model.LinkWiki, Text: l.Target, Pos: pos})
			continue
		}
		c.relative(out, org, fromID, file, doc, l, pos, self)
	}
	return len(doc.Links)
}

func (c *checker) anchor(target model.Target, anchor string) *resolve.Error {
	var it *model.Item
	if !target.Org {
		it = c.resolver.Item(target.ID)
	}
	if it == nil || it.Body == nil {
		return &resolve.Error{Code: "broken-anchor", Msg: fmt.Sprintf("%s has no headings to link to", target.ID), Hint: "heading anchors (#...) work on documents and checklists"}
	}
	if !it.Body.HasAnchor(anchor) {
		return &resolve.Error{Code: "broken-anchor", Msg: fmt.Sprintf("%s has no heading with anchor #%s", target.ID, anchor), Hint: diag.SuggestHint(anchor, it.Body.Anchors(), "anchors: "+strings.Join(it.Body.Anchors(), ", "))}
	}
	return nil
}

func (c *checker) relative(out *[]model.Link, org, fromID, file string, doc *markdown.Doc, l markdown.Link, pos diag.Pos, self *model.Item) {
	if l.Target == "" { // #anchor on the same page
		if !doc.HasAnchor(l.Anchor) {
			c.diags.ErrorHint(pos, "broken-anchor", diag.SuggestHint(l.Anchor, doc.Anchors(), ""), "link #%s: no heading with that anchor on this page", l.Anchor)
		}
		return
	}
	target, le := c.resolver.Path(org, file, l.Target)
	if le != nil {
		c.diags.ErrorHint(pos, le.Code, le.Hint, "%s", le.Msg)
		return
	}
	if target.File != "" {
		*out = append(*out, model.Link{From: fromID, To: target.File, Kind: model.LinkFile, Text: l.Target, Pos: pos})
		return
	}
	if l.Anchor != "" {
		if le := c.anchor(target, l.Anchor); le != nil {
			c.diags.ErrorHint(pos, le.Code, le.Hint, "link %q: %s", l.Target+"#"+l.Anchor, le.Msg)
			return
		}
	}
	*out = append(*out, model.Link{From: fromID, To: target.ID, Anchor: l.Anchor, Kind: model.LinkRelative, Text: l.Target, Pos: pos})
}
