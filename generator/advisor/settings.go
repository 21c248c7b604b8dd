package advisor

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Defaults of the per-rule settings.
const (
	defaultRestrictedShare = 20.0 // percent of an organization's items
	defaultSimilarTypes    = 0.5  // Jaccard similarity of field names and labels
	maxPattern             = 1000 // bytes of a naming pattern
)

// settings are cairn.toml's [advisor] table, checked.
type settings struct {
	levels          map[string]string // rule id -> "error", "warning", "info", "off"
	restrictedShare float64
	similarTypes    float64
	naming          []namingRule
}

type namingRule struct {
	typ     string
	pattern string
	re      *regexp.Regexp
}

const cfgFile = "cairn.toml"

// severity returns the severity of a rule's findings, and false when the
// rule is off.
func (s settings) severity(id string) (diag.Severity, bool) {
	r, _ := rule(id)
	switch s.levels[id] {
	case "off":
		return 0, false
	case "":
		return r.Severity, !r.Off
	}
	sev, _ := diag.ParseSeverity(s.levels[id])
	return sev, true
}

// keyPos returns the position in cairn.toml of key inside the [advisor]
// table's sub-table sub ("" for the table itself).
func keyPos(t *tomldoc.Table, sub, key string) diag.Pos {
	if t == nil {
		return diag.Pos{File: cfgFile}
	}
	if sub != "" {
		v := t.Get(sub)
		if v == nil || v.Kind != tomldoc.KindTable {
			return diag.Pos{File: cfgFile, Line: t.Pos.Line, Col: t.Pos.Col}
		}
		t = v.Table
	}
	if v := t.Get(key); v != nil {
		return diag.Pos{File: cfgFile, Line: v.KeyPos.Line, Col: v.KeyPos.Col}
	}
	return diag.Pos{File: cfgFile, Line: t.Pos.Line, Col: t.Pos.Col}
}

// written reports whether key of the [advisor] table's sub-table sub ("" for
// the table itself) is written as a value of one of the kinds. A value of
// another kind was reported by the loader that read cairn.toml and left at
// its zero value, which the advisor must not report again.
func written(t *tomldoc.Table, sub, key string, kinds ...tomldoc.Kind) bool {
	if t == nil {
		return true
	}
	if sub != "" {
		v := t.Get(sub)
		if v == nil || v.Kind != tomldoc.KindTable {
			return true
		}
		t = v.Table
	}
	v := t.Get(key)
	return v == nil || slices.Contains(kinds, v.Kind)
}

// settings reads and checks cairn.toml's [advisor] table; mistakes are
// advisor-config errors, and the defaults stand in for what is wrong.
func (a *advisor) settings() settings {
	s := settings{levels: map[string]string{}, restrictedShare: defaultRestrictedShare, similarTypes: defaultSimilarTypes}
	c := a.site.Config.Advisor
	if c == nil {
		return s
	}
	ids := ruleIDs()
	for _, id := range slices.Sorted(maps.Keys(c.Rules)) {
		level := c.Rules[id]
		pos := keyPos(c.Table, "rules", id)
		if !written(c.Table, "rules", id, tomldoc.KindString) {
			continue
		}
		if _, ok := rule(id); !ok {
			a.diags.ErrorHint(pos, ConfigCode, diag.SuggestHint(id, ids, "advisor rules: "+strings.Join(ids, ", ")), "unknown advisor rule %q", id)
			continue
		}
		if _, ok := diag.ParseSeverity(level); !ok && level != "off" {
			a.diags.ErrorHint(pos, ConfigCode, `write "error", "warning", "info" or "off"`, "advisor rule %s: unknown severity %q", id, level)
			continue
		}
		s.levels[id] = level
	}
	number := []tomldoc.Kind{tomldoc.KindInteger, tomldoc.KindFloat}
	if p := c.RestrictedShare; p != nil && written(c.Table, "", "restricted_share", number...) {
		if *p < 0 || *p > 100 {
			a.diags.ErrorHint(keyPos(c.Table, "", "restricted_share"), ConfigCode, "a percentage of an organization's items, like 20", "restricted_share is %g, not between 0 and 100", *p)
		} else {
			s.restrictedShare = *p
		}
	}
	if j := c.SimilarTypes; j != nil && written(c.Table, "", "similar_types", number...) {
		if *j <= 0 || *j > 1 {
			a.diags.ErrorHint(keyPos(c.Table, "", "similar_types"), ConfigCode, "a share of the fields two types have in common, like 0.5", "similar_types is %g, not above 0 and at most 1", *j)
		} else {
			s.similarTypes = *j
		}
	}
	for _, t := range slices.Sorted(maps.Keys(c.Naming)) {
		pat := c.Naming[t]
		pos := keyPos(c.Table, "naming", t)
		if a.site.Schemas.Get(t) == nil {
			known := a.site.Schemas.Types()
			a.diags.ErrorHint(pos, ConfigCode, diag.SuggestHint(t, known, "types: "+strings.Join(known, ", ")), "naming: unknown type %q", t)
			continue
		}
		if len(pat) > maxPattern {
			a.diags.Errorf(pos, ConfigCode, "naming pattern for %s is longer than %d bytes", t, maxPattern)
			continue
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			a.diags.ErrorHint(pos, ConfigCode, "write a Go regular expression (RE2), like '^[A-Z]{2,4}-[A-Z0-9-]+$'", "naming pattern for %s is not a regular expression: %v", t, err)
			continue
		}
		s.naming = append(s.naming, namingRule{typ: t, pattern: pat, re: re})
	}
	return s
}

// suppression is one place a finding is suppressed, with its reason.
type suppression struct {
	rule   string
	reason string
	pos    diag.Pos
}

// suppressions index where findings are suppressed: by rule and file, by
// rule and subject, and by rule, file and line.
type suppressions map[string]suppression

func fileKey(rule, file string) string       { return rule + "\x00f\x00" + file }
func subjectKey(rule, subject string) string { return rule + "\x00s\x00" + subject }
func lineKey(rule, file string, line int) string {
	return fmt.Sprintf("%s\x00l\x00%s\x00%d", rule, file, line)
}

// match returns the suppression that covers f, if any.
func (s suppressions) match(f finding) (suppression, bool) {
	if x, ok := s[fileKey(f.rule, f.pos.File)]; ok {
		return x, true
	}
	if f.subject != "" {
		if x, ok := s[subjectKey(f.rule, f.subject)]; ok {
			return x, true
		}
	}
	if f.pos.Line > 0 {
		if x, ok := s[lineKey(f.rule, f.pos.File, f.pos.Line)]; ok {
			return x, true
		}
	}
	return suppression{}, false
}

// checkSuppress reports what is wrong with one suppression (an unknown
// rule, no reason) and says whether it may be used.
func (a *advisor) checkSuppress(pos diag.Pos, ruleID, reason string) bool {
	ids := ruleIDs()
	switch {
	case ruleID == "":
		a.diags.ErrorHint(pos, ConfigCode, `name the rule: rule = "data-in-document"`, "suppression names no rule")
	case !known(ruleID):
		a.diags.ErrorHint(pos, ConfigCode, diag.SuggestHint(ruleID, ids, "advisor rules: "+strings.Join(ids, ", ")), "suppression names unknown advisor rule %q", ruleID)
	case strings.TrimSpace(reason) == "":
		a.diags.ErrorHint(pos, ConfigCode, `say why the advice does not apply here: reason = "..."`, "suppression of %s gives no reason", ruleID)
	default:
		return true
	}
	return false
}

func known(id string) bool { _, ok := rule(id); return ok }
