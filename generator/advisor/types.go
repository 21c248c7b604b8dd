package advisor

import (
	"fmt"
	"math"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/schema"
)

// schemaPos is the top of a type's schema file.
func schemaPos(s *schema.Schema) diag.Pos {
	p := diag.Pos{File: s.File, Line: 1, Col: 1}
	if s.Table != nil && s.Table.Pos.Line > 0 {
		p.Line, p.Col = s.Table.Pos.Line, s.Table.Pos.Col
	}
	return p
}

// fieldSet is the set of a type's top-level field names and labels
// (lower case), headers left out: a copy whose fields were renamed but
// kept their labels, or relabelled but kept their names, still shares
// half of the set.
func fieldSet(s *schema.Schema) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Fields {
		if f.Kind != schema.Header {
			out["name:"+f.Name] = true
			out["label:"+strings.ToLower(strings.TrimSpace(f.DisplayLabel()))] = true
		}
	}
	return out
}

// jaccard is |a ∩ b| / |a ∪ b|.
func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// types runs the rules about flexible types: no field shown in lists, used
// by no organization, nearly the same fields as another type.
func (a *advisor) types() {
	used := map[string]bool{}
	flexUsed := false
	for _, it := range a.site.Items {
		used[it.Type] = true
		flexUsed = flexUsed || strings.HasPrefix(it.Type, "assets/")
	}
	var flex []*schema.Schema
	for _, s := range a.site.Schemas.Schemas() {
		if s.Core || s.File == "" {
			continue
		}
		flex = append(flex, s)
		listed := false
		for _, f := range s.Fields {
			listed = listed || f.ShowInList
		}
		if !listed {
			a.add(finding{rule: RuleTypeNotListed, pos: schemaPos(s),
				msg:  fmt.Sprintf("type %s shows no field in lists", s.Name),
				hint: "set show_in_list = true on the fields that tell its items apart in a list (the title field, a status, a site)"})
		}
		// A site that uses no flexible type yet (a new one, with the
		// starter types cairn init wrote) has nothing to prune.
		if !used[s.Type] && flexUsed {
			a.add(finding{rule: RuleUnusedType, pos: schemaPos(s),
				msg:  fmt.Sprintf("type %s is used by no organization", s.Name),
				hint: fmt.Sprintf("document something with it (cairn new %s ORG NAME), or remove %s if the site does not need it", s.Type, s.File)})
		}
	}
	sets := make([]map[string]bool, len(flex))
	for i, s := range flex {
		sets[i] = fieldSet(s)
	}
	for i := range flex {
		for j := i + 1; j < len(flex); j++ {
			if len(sets[i]) < 6 || len(sets[j]) < 6 { // 3 fields each
				continue
			}
			sim := jaccard(sets[i], sets[j])
			if sim < a.cfg.similarTypes {
				continue
			}
			a.add(finding{rule: RuleSimilarTypes, pos: schemaPos(flex[j]),
				msg: fmt.Sprintf("type %s has nearly the same fields as %s (%d%% of their field names and labels in common)",
					flex[j].Name, flex[i].Type, int(math.Floor(sim*100))),
				hint: fmt.Sprintf("use one type for both: add what differs to %s (a select field such as platform), move the items of %s there and remove %s",
					flex[i].File, flex[j].Type, flex[j].File)})
		}
	}
}

// naming reports items whose titles break the naming convention the site
// declares for their type in [advisor.naming].
func (a *advisor) naming() {
	if len(a.cfg.naming) == 0 {
		return
	}
	for _, it := range a.site.Items {
		if it.Broken || it.Archived {
			continue
		}
		for _, n := range a.cfg.naming {
			if n.typ != it.Type || n.re.MatchString(it.Title) {
				continue
			}
			a.add(finding{rule: RuleNaming, pos: titlePos(it),
				msg:  fmt.Sprintf("%q does not follow the naming convention for %s: %s", it.Title, it.Type, n.pattern),
				hint: fmt.Sprintf("rename it to match %s (cairn.toml [advisor.naming] %s)", n.pattern, quoteKey(n.typ))})
		}
	}
}

func quoteKey(k string) string {
	if strings.ContainsAny(k, "/. ") {
		return fmt.Sprintf("%q", k)
	}
	return k
}
