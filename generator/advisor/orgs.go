package advisor

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

const documentsType = "documents"

// documentsBeforeAssets reports organizations with documents but none of
// the core assets documents should link to.
func (a *advisor) documentsBeforeAssets() {
	for _, o := range a.site.Orgs {
		docs, core := 0, 0
		for _, it := range a.site.OrgItems(o.Slug) {
			switch it.Type {
			case documentsType:
				docs++
			case "configurations", "contacts", "locations":
				core++
			}
		}
		if docs > 0 && core == 0 {
			a.add(finding{rule: RuleDocumentsBeforeAssets, pos: diag.Pos{File: o.File, Line: 1, Col: 1}, subject: "org:" + o.Slug,
				msg:  fmt.Sprintf("organization %s has %d documents but no configurations, contacts or locations", o.Slug, docs),
				hint: fmt.Sprintf("document the core assets first (cairn new configurations %s NAME, contacts, locations), then link them from the documents", o.Slug)})
		}
	}
}

// linksDocument reports whether one of links points to a document.
func (a *advisor) linksDocument(links []model.Link) bool {
	for _, l := range links {
		if it := a.site.Item(l.To); it != nil && it.Type == documentsType {
			return true
		}
	}
	return false
}

// checklists reports checklists and checklist templates that link to no
// document: the SOP a checklist follows. A checklist must link its SOP
// itself (the portal shows the link on the checklist's page); when its
// template links one, the hint names it.
func (a *advisor) checklists() {
	templateSOP := map[string]string{} // template slug -> the document it links
	for _, t := range a.site.Templates {
		if t.Broken || t.Body == nil {
			continue
		}
		for _, l := range t.Body.Links {
			if it := a.site.Item(l.Target); l.Wiki && it != nil && it.Type == documentsType {
				templateSOP[t.Slug] = it.ID
				break
			}
		}
		if templateSOP[t.Slug] == "" {
			hint := "link the procedure it follows with its full id, in a shared organization: [[<org>/documents/...]]"
			if d := bestDocument(t.Title+" "+strings.ReplaceAll(t.Slug, "-", " "), a.sharedDocuments("")); d != nil {
				hint = fmt.Sprintf("link the procedure it follows with its full id: [[%s]]", d.ID)
			}
			a.add(finding{rule: RuleChecklistWithoutSOP, pos: diag.Pos{File: t.File, Line: t.FieldsLine, Col: 1},
				msg:  fmt.Sprintf("checklist template %q links to no SOP document", t.Title),
				hint: hint})
		}
	}
	for _, o := range a.site.Orgs {
		items := a.site.OrgItems(o.Slug)
		for _, it := range items {
			if it.Type != "checklists" || it.Broken || it.Archived {
				continue
			}
			if a.linksDocument(a.site.Graph.Out(it.ID)) {
				continue
			}
			hint := `relate it to the SOP it follows: related = ["documents/sops/..."], or write the SOP first`
			if v := it.Value("template"); v != nil && templateSOP[v.Str] != "" {
				sop := strings.TrimPrefix(templateSOP[v.Str], it.Org+"/")
				hint = fmt.Sprintf("relate it to the SOP its template follows: related = [%q], or link [[%s]] in its text", sop, sop)
			} else if d := a.checklistSOP(it, items); d != nil {
				id := linkID(it.Org, d)
				hint = fmt.Sprintf("relate it to the SOP it follows: related = [%q], or link [[%s]] in its text", id, id)
			}
			a.add(finding{rule: RuleChecklistWithoutSOP, pos: titlePos(it),
				msg:  fmt.Sprintf("checklist %q links to no SOP document", it.Title),
				hint: hint})
		}
	}
}

// checklistSOP guesses the SOP a checklist follows: the document of its
// organization whose title shares the most words with the checklist's
// title or template, else such a document of a shared organization, or
// nil when none shares one.
func (a *advisor) checklistSOP(cl *model.Item, items []*model.Item) *model.Item {
	text := cl.Title
	if v := cl.Value("template"); v != nil {
		text += " " + strings.ReplaceAll(v.Str, "-", " ")
	}
	if d := bestDocument(text, items); d != nil {
		return d
	}
	return bestDocument(text, a.sharedDocuments(cl.Org))
}

// sharedDocuments returns the documents of the shared organizations other
// than org, which every organization may link.
func (a *advisor) sharedDocuments(org string) []*model.Item {
	if a.sharedDocs == nil {
		a.sharedDocs = []*model.Item{}
		for _, o := range a.sharedOrgs() {
			for _, it := range a.site.OrgItems(o) {
				if it.Type == documentsType {
					a.sharedDocs = append(a.sharedDocs, it)
				}
			}
		}
	}
	if !slices.Contains(a.sharedOrgs(), org) {
		return a.sharedDocs
	}
	var out []*model.Item
	for _, it := range a.sharedDocs {
		if it.Org != org {
			out = append(out, it)
		}
	}
	return out
}

// bestDocument returns the document among items whose title and slug
// share the most words of four letters or more with text, or nil when
// none shares one.
func bestDocument(text string, items []*model.Item) *model.Item {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
		if len(w) >= 4 {
			words[w] = true
		}
	}
	var best *model.Item
	bestN := 0
	for _, it := range items {
		if it.Type != documentsType {
			continue
		}
		n := 0
		for _, w := range strings.FieldsFunc(strings.ToLower(it.Title+" "+it.Slug), func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
			if words[w] {
				n++
			}
		}
		if n > bestN {
			best, bestN = it, n
		}
	}
	return best
}

// access runs the least-privilege rules: too many item-level
// restrictions, a group that sees everything, a user in no group, and a
// portal that shows passwords but does not seal them.
func (a *advisor) access() {
	for _, o := range a.site.Orgs {
		total, restricted := 0, 0
		for _, it := range a.site.OrgItems(o.Slug) {
			if it.Archived {
				continue
			}
			total++
			if it.Access != nil {
				restricted++
			}
		}
		if restricted >= 2 && float64(restricted)*100 > a.cfg.restrictedShare*float64(total) {
			a.add(finding{rule: RuleRestrictedShare, pos: diag.Pos{File: o.File, Line: 1, Col: 1}, subject: "org:" + o.Slug,
				msg: fmt.Sprintf("%d of %d items of %s (%d%%) have their own access key, more than the %g%% the site allows",
					restricted, total, o.Slug, restricted*100/total, a.cfg.restrictedShare),
				hint: "give groups what they need in access.toml (types, deny) and keep item-level access for the few exceptions; or raise [advisor] restricted_share"})
		}
	}
	acc := a.site.Access
	names := slices.Sorted(maps.Keys(acc.Groups))
	sealed := map[string][]string{} // group -> sealed portals that include it
	inPortal := map[string]bool{}
	portals := slices.Sorted(maps.Keys(acc.Portals))
	for _, pn := range portals {
		p := acc.Portals[pn]
		if p == nil {
			continue
		}
		for _, g := range p.Groups {
			inPortal[g] = true
			if p.Secrets == "sealed" {
				sealed[g] = append(sealed[g], pn)
			}
		}
	}
	const file = "access.toml"
	for _, n := range names {
		g := acc.Groups[n]
		// A group only in unsealed portals sees no secret's value; those
		// portals are unsealed-passwords' concern.
		if g == nil || !a.everyOrg(g) || !a.seesAllPasswords(g) || (inPortal[n] && len(sealed[n]) == 0) {
			continue
		}
		how := "every password item"
		if len(sealed[n]) > 0 {
			how = fmt.Sprintf("every secret (sealed in portal %s)", strings.Join(sealed[n], ", "))
		}
		a.add(finding{rule: RuleGroupSeesAll, pos: diag.Pos{File: file, Line: g.Pos.Line, Col: g.Pos.Col}, subject: "group:" + n,
			msg:  fmt.Sprintf("group %q sees every organization and %s", n, how),
			hint: `give each group only what its people need: orgs = ["..."], a types list, or deny = ["<org>/passwords"]; keep everything for a few admins`})
	}
	for _, u := range acc.Users {
		if len(u.Groups) == 0 {
			a.add(finding{rule: RuleUserWithoutGroup, pos: diag.Pos{File: file, Line: u.Pos.Line, Col: u.Pos.Col}, subject: "user:" + u.Email,
				msg:  fmt.Sprintf("user %q is in no group", u.Email),
				hint: fmt.Sprintf("add groups = [\"...\"] (groups: %s), or remove the user if they have left", strings.Join(names, ", "))})
		}
	}
	for _, pn := range portals {
		p := acc.Portals[pn]
		if p == nil || p.Secrets == "sealed" {
			continue
		}
		if g := a.passwordGroup(p); g != "" {
			a.add(finding{rule: RuleUnsealedPasswords, pos: diag.Pos{File: file, Line: p.Pos.Line, Col: p.Pos.Col}, subject: "portal:" + pn,
				msg:  fmt.Sprintf("portal %q shows password items to group %q, but its secrets are not sealed", pn, g),
				hint: `set secrets = "sealed" if this audience needs the values; otherwise keep passwords from its groups: deny = ["*/passwords"], or a types list without passwords`})
		}
	}
}

// everyOrg reports whether g sees every organization: orgs = ["*"], or a
// list of them all on a site of several.
func (a *advisor) everyOrg(g *model.Group) bool {
	if contains(g.Orgs, "*") {
		return true
	}
	if len(a.site.Orgs) < 2 {
		return false
	}
	for _, o := range a.site.Orgs {
		if !contains(g.Orgs, o.Slug) {
			return false
		}
	}
	return true
}

// seesAllPasswords reports whether g may see the password items of every
// organization.
func (a *advisor) seesAllPasswords(g *model.Group) bool {
	for _, o := range a.site.Orgs {
		if !access.GroupAllows(g, o.Slug, passwordsType) {
			return false
		}
	}
	return true
}

// passwordGroup returns the first of a portal's groups that may see a
// password item of the site, or "".
func (a *advisor) passwordGroup(p *model.Portal) string {
	for _, gn := range p.Groups {
		g := a.site.Access.Groups[gn]
		if g == nil {
			continue
		}
		for _, o := range a.site.Orgs {
			if !access.GroupAllows(g, o.Slug, passwordsType) {
				continue
			}
			for _, it := range a.site.OrgItems(o.Slug) {
				if it.Type == passwordsType && (it.Access == nil || contains(it.Access, gn)) {
					return gn
				}
			}
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
