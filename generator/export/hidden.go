package export

import (
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/resolve"
)

// hider rewrites what an export for a Scope carries so that no reference
// names an item or organization the scope does not see: a tag or related
// value that resolves to one becomes access.HiddenText, and a [[wiki
// link]] to one becomes its label, or access.HiddenText when it has none
// (as the portal shows it). A nil *hider (no scope) changes nothing.
type hider struct {
	site  *model.Site
	scope Scope
	res   *resolve.Resolver
}

func newHider(s *model.Site, scope Scope) *hider {
	if scope == nil {
		return nil
	}
	return &hider{site: s, scope: scope, res: resolve.New(s)}
}

// hidden reports whether ref, written in organization org, resolves to
// an item or organization the scope does not see.
func (h *hider) hidden(org, ref string) bool {
	t, err := h.res.ID(org, ref)
	return err == nil && !h.scope.CanSee(t.ID)
}

// value rewrites one value (export data, Plain) written in from, an
// item's id or an organization's slug, of organization org: a string the
// checker resolved as a reference (a tag or related value) to what the
// scope does not see, and the wiki links of every string, at any depth
// (group records, lists, an organization's alerts).
func (h *hider) value(from, org string, v any) any {
	switch v := v.(type) {
	case string:
		if t, ok := h.site.Graph.Resolve(from, model.RefID, strings.TrimSpace(v)); ok && t.File == "" && !h.scope.CanSee(t.ID) {
			return access.HiddenText
		}
		return h.text(org, v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = h.value(from, org, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = h.value(from, org, e)
		}
		return out
	}
	return v
}

// table rewrites every value of the export data of an item or an
// organization's org.toml (from is the item's id or the organization's
// slug).
func (h *hider) table(from, org string, m map[string]any) map[string]any {
	if h == nil {
		return m
	}
	for k, v := range m {
		m[k] = h.value(from, org, v)
	}
	return m
}

// cell rewrites one value of item it, for a CSV cell.
func (h *hider) cell(it *model.Item, v any) any {
	if h == nil {
		return v
	}
	return h.value(it.ID, it.Org, v)
}

// text rewrites the [[wiki links]] of Markdown text written in
// organization org that lead to what the scope does not see.
func (h *hider) text(org, s string) string {
	if h == nil || !strings.Contains(s, "[[") {
		return s
	}
	return markdown.ReplaceWikiLinks(s, func(link, target, label string) string {
		switch {
		case !h.hidden(org, target):
			return link
		case label != "":
			return label
		}
		return access.HiddenText
	})
}

// markdown rewrites the source of a document or checklist: its body's
// wiki links as text does; each tag or related value of its front matter
// (a quoted TOML string) that resolves to what the scope does not see as
// access.HiddenText; and a relative link to a hidden item's file,
// [text](../contacts/sam.md), loses its path, [text]().
func (h *hider) markdown(it *model.Item, src []byte) []byte {
	if h == nil {
		return src
	}
	s := h.text(it.Org, string(src))
	for _, l := range h.site.Graph.Out(it.ID) {
		if h.scope.CanSee(l.To) {
			continue
		}
		switch l.Kind {
		case model.LinkTag, model.LinkRelated:
			s = strings.ReplaceAll(s, `"`+l.Text+`"`, `"`+access.HiddenText+`"`)
		case model.LinkRelative:
			s = strings.ReplaceAll(s, "]("+l.Text, "](")
		}
	}
	return []byte(s)
}
