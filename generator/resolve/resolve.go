// Package resolve holds cairn's one set of rules for what a reference
// points to: a tag or related value, a [[wiki link]], a relative
// [text](path) link or an upload field's value, written in an item or an
// organization's notes. The checker resolves every reference of a site
// through it once and stores the answers in the link graph
// (model.Graph.Resolve); renderers look the answers up instead of
// resolving again, so check, portals, search and runbooks can never
// disagree about where a link goes.
package resolve

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
)

// Error is why a reference does not resolve: a check code ("broken-link",
// "bad-slug", "cross-org", "bad-path"), a message and a hint that says how
// to fix it.
type Error struct {
	Code, Msg, Hint string
}

func (e *Error) Error() string { return e.Msg }

// TypeFolders are the first segments that make an id relative to the
// linking item's organization: the core types and "assets", in display
// order.
func TypeFolders() []string { return append(slices.Clone(schema.CoreTypes), "assets") }

// IsTypeFolder reports whether s is one of TypeFolders.
func IsTypeFolder(s string) bool { return s == "assets" || slices.Contains(schema.CoreTypes, s) }

// Resolver resolves references against one site. It only reads the site
// and is safe for concurrent use.
type Resolver struct {
	site *model.Site
	deps *Deps // nil: lookups are not recorded
}

// New returns a resolver for site.
func New(site *model.Site) *Resolver { return &Resolver{site: site} }

// ID resolves an id reference (a tag or related value, a wiki link's
// target) written in an item or the notes of organization fromOrg: to an
// item, or to an organization (Target.Org). It enforces id syntax and the
// rule that links cross into shared organizations only.
func (r *Resolver) ID(fromOrg, ref string) (model.Target, *Error) {
	if ref == "" {
		return model.Target{}, &Error{"broken-link", "empty link", "write an id like configurations/sv-dc01"}
	}
	segs := strings.Split(ref, "/")
	for _, s := range segs {
		if !schema.IsSlug(s) {
			hint := "ids are <org>/<type>/<slug> or, within one organization, <type>/<slug>; slugs are lower-case letters, digits and hyphens"
			if s != "" && s != "." && s != ".." && schema.IsSlug(strings.ToLower(s)) {
				hint = fmt.Sprintf("ids are lower case: %q", strings.ToLower(ref))
			}
			return model.Target{}, &Error{"bad-slug", fmt.Sprintf("%q is not a valid id", ref), hint}
		}
	}
	if IsTypeFolder(segs[0]) {
		segs = append([]string{fromOrg}, segs...)
	}
	org := r.org(segs[0])
	if org == nil {
		slugs := r.orgSlugs()
		hint := diag.SuggestHint(segs[0], slugs, "")
		if hint == "" && len(segs) > 1 {
			folders := TypeFolders()
			hint = diag.SuggestHint(segs[0], folders, fmt.Sprintf("an id starts with an organization or a type folder (%s)", strings.Join(folders, ", ")))
		}
		return model.Target{}, &Error{"broken-link", fmt.Sprintf("%q: no organization %q", ref, segs[0]), hint}
	}
	if org.Slug != fromOrg && !org.Shared {
		return model.Target{}, &Error{"cross-org", fmt.Sprintf("%q links into organization %q, which is not shared", ref, org.Slug),
			fmt.Sprintf("a portal for %s must never reveal %s: link only within the organization or into a shared one (shared = true in content/%s/org.toml)", fromOrg, org.Slug, org.Slug)}
	}
	if len(segs) == 1 {
		return model.Target{ID: org.Slug, Org: true}, nil
	}
	id := strings.Join(segs, "/")
	if r.item(id) == nil {
		return model.Target{}, &Error{"broken-link", fmt.Sprintf("%q: no such item", ref), r.nearestItem(segs)}
	}
	return model.Target{ID: id}, nil
}

// nearestItem suggests an existing id close to a broken one.
func (r *Resolver) nearestItem(segs []string) string {
	if len(segs) < 3 {
		return "ids are <org>/<type>/<slug>"
	}
	typ := segs[1]
	if typ == "assets" && len(segs) > 3 {
		typ = "assets/" + segs[2]
	}
	var ids []string
	for _, it := range r.orgItems(segs[0]) {
		ids = append(ids, it.ID)
	}
	want := strings.Join(segs, "/")
	if s := diag.Suggest(want, ids); s != "" {
		return fmt.Sprintf("did you mean %q?", strings.TrimPrefix(s, segs[0]+"/"))
	}
	if r.site.Schemas.Get(typ) == nil && typ != "documents" && typ != "checklists" {
		return fmt.Sprintf("%q is not a type folder", typ)
	}
	return fmt.Sprintf("there is no file for it under content/%s/%s/", segs[0], typ)
}

// Path resolves a relative link's path (target, without its #anchor, as
// written: percent-escapes are decoded here) written in file, which
// belongs to organization org: to an item (a .md or .toml file, or a
// documents folder with an index.md) or to an attachment under an
// organization's files/ folder.
func (r *Resolver) Path(org, file, target string) (model.Target, *Error) {
	dest, err := url.PathUnescape(target)
	if err != nil {
		dest = target
	}
	if strings.HasPrefix(dest, "/") || strings.Contains(dest, "\\") {
		return model.Target{}, &Error{"bad-path", fmt.Sprintf("link %q: absolute paths do not work in every portal", target), "use a path relative to this file, like ../files/lan.pdf"}
	}
	p := path.Join(path.Dir(file), dest)
	rest, ok := strings.CutPrefix(p, "content/")
	if !ok {
		return model.Target{}, &Error{"bad-path", fmt.Sprintf("link %q points outside the site's content", target), "links may point to documents, items and files under content/"}
	}
	targetOrg, _, _ := strings.Cut(rest, "/")
	if targetOrg != org {
		o := r.org(targetOrg)
		if o == nil {
			return model.Target{}, &Error{"broken-link", fmt.Sprintf("link %q: no organization %q", target, targetOrg), "check the number of ../ steps"}
		}
		if !o.Shared {
			return model.Target{}, &Error{"cross-org", fmt.Sprintf("link %q points into organization %q, which is not shared", target, targetOrg), "link only within the organization or into a shared one"}
		}
	}
	if strings.HasPrefix(rest, targetOrg+"/files/") {
		if !r.hasFile(rest) {
			return model.Target{}, &Error{"broken-link", fmt.Sprintf("link %q: file %s does not exist", target, p), "put the file at " + p + " or fix the path"}
		}
		return model.Target{File: rest}, nil
	}
	it := r.itemByPath(rest)
	if it == nil {
		return model.Target{}, &Error{"broken-link", fmt.Sprintf("link %q: %s does not exist", target, p), "check the path; wiki links ([[documents/...]]) do not depend on where the file is"}
	}
	return model.Target{ID: it.ID}, nil
}

// itemByPath finds the item a relative link's path (below content/) names:
// a .md or .toml file, or a documents folder with an index.md.
func (r *Resolver) itemByPath(rest string) *model.Item {
	rest = strings.TrimSuffix(rest, "/")
	for _, ext := range []string{".md", ".toml"} {
		if id, ok := strings.CutSuffix(rest, ext); ok {
			id = strings.TrimSuffix(id, "/index")
			if it := r.item(id); it != nil && path.Ext(it.File) == ext {
				return it
			}
			return nil
		}
	}
	if it := r.item(rest); it != nil && strings.HasSuffix(it.File, "/index.md") {
		return it
	}
	return nil
}

// Upload resolves an upload field's value, written in an item of org, to
// the attachment below content/<org>/files/ it names. field is the field's
// name, for the message.
func (r *Resolver) Upload(org, field, value string) (model.Target, *Error) {
	clean := path.Clean(value)
	if value == "" || strings.HasPrefix(value, "/") || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(value, "\\") {
		return model.Target{}, &Error{"bad-path", fmt.Sprintf("%q: %q is not a path below the organization's files/", field, value), "give the file's path below content/" + org + "/files/, like diagrams/lan.pdf"}
	}
	full := org + "/files/" + clean
	if !r.hasFile(full) {
		return model.Target{}, &Error{"broken-link", fmt.Sprintf("%q: attachment %q does not exist", field, value), "put the file at content/" + full}
	}
	return model.Target{File: full}, nil
}
