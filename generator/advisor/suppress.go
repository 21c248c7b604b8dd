package advisor

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// ignoreComment is an in-place suppression in Markdown:
// <!-- cairn:ignore RULE reason -->.
var ignoreComment = regexp.MustCompile(`<!--[ \t]*cairn:ignore[ \t]+([^ \t\n>]*)([^\n]*?)-->`)

// suppressions collects every suppression of the site and reports the
// ones that are wrong:
//
//   - cairn.toml [[advisor.ignore]] entries (rule, file, reason) cover a
//     rule's findings in one file;
//   - an item's suppress key covers a rule's findings in the item's file;
//   - a Markdown comment <!-- cairn:ignore RULE reason --> covers a rule's
//     findings on its own line and the line after it;
//   - the suppress key of an org.toml, or of a group, user or portal of
//     access.toml, covers a rule's findings about that entry.
func (a *advisor) suppressions() suppressions {
	s := suppressions{}
	if c := a.site.Config.Advisor; c != nil {
		for _, ig := range c.Ignore {
			pos := diag.Pos{File: cfgFile, Line: ig.Pos.Line, Col: ig.Pos.Col}
			if ig.File == "" {
				a.diags.ErrorHint(pos, ConfigCode, `name the file the findings are in: file = "content/acme/documents/x.md"`, "[[advisor.ignore]] names no file")
				continue
			}
			if a.checkSuppress(pos, ig.Rule, ig.Reason) {
				// The same file however written: ./content/x.md, content//x.md.
				s[fileKey(ig.Rule, path.Clean(filepath.ToSlash(ig.File)))] = suppression{rule: ig.Rule, reason: ig.Reason, pos: pos}
			}
		}
	}
	for _, it := range a.site.Items {
		if v := it.Value("suppress"); v != nil {
			a.itemSuppress(s, it, v)
		}
		if it.Body != nil {
			a.commentSuppress(s, it.File, it.Body)
		}
	}
	for _, t := range a.site.Templates {
		if t.Body != nil {
			a.commentSuppress(s, t.File, t.Body)
		}
	}
	for _, o := range a.site.Orgs {
		a.entrySuppress(s, o.File, o.Suppress, "org:"+o.Slug)
	}
	acc := a.site.Access
	for name, g := range acc.Groups {
		if g != nil {
			a.entrySuppress(s, "access.toml", g.Suppress, "group:"+name)
		}
	}
	for _, u := range acc.Users {
		a.entrySuppress(s, "access.toml", u.Suppress, "user:"+u.Email)
	}
	for name, p := range acc.Portals {
		if p != nil {
			a.entrySuppress(s, "access.toml", p.Suppress, "portal:"+name)
		}
	}
	return s
}

func (a *advisor) entrySuppress(s suppressions, file string, list []model.Suppress, subject string) {
	for _, e := range list {
		pos := diag.Pos{File: file, Line: e.Pos.Line, Col: e.Pos.Col}
		if a.checkSuppress(pos, e.Rule, e.Reason) {
			s[subjectKey(e.Rule, subject)] = suppression{rule: e.Rule, reason: e.Reason, pos: pos}
		}
	}
}

const suppressShape = `write suppress = [{rule = "data-in-document", reason = "why the advice does not apply"}]`

// itemSuppress reads an item's suppress key.
func (a *advisor) itemSuppress(s suppressions, it *model.Item, v *tomldoc.Value) {
	if v.Kind != tomldoc.KindArray {
		a.diags.ErrorHint(it.Pos(v.Pos), ConfigCode, suppressShape, "suppress must be an array of tables, got %s", tomldoc.Describe(v))
		return
	}
	for _, e := range v.Array {
		pos := it.Pos(e.Pos)
		if e.Kind != tomldoc.KindTable {
			a.diags.ErrorHint(pos, ConfigCode, suppressShape, "suppress entries must be tables, got %s", tomldoc.Describe(e))
			continue
		}
		var ruleID, reason string
		bad := false
		for _, k := range e.Table.Keys() {
			kv := e.Table.Get(k)
			switch {
			case (k == "rule" || k == "reason") && kv.Kind != tomldoc.KindString:
				a.diags.Errorf(it.Pos(kv.Pos), ConfigCode, "suppress %s must be a string, got %s", k, tomldoc.Describe(kv))
				bad = true
			case k == "rule":
				ruleID = kv.Str
			case k == "reason":
				reason = kv.Str
			default:
				a.diags.ErrorHint(it.Pos(kv.KeyPos), ConfigCode, "suppress entries have the keys rule and reason", "unknown key %q in suppress", k)
				bad = true
			}
		}
		if !bad && a.checkSuppress(pos, ruleID, reason) {
			s[fileKey(ruleID, it.File)] = suppression{rule: ruleID, reason: reason, pos: pos}
		}
	}
}

// commentSuppress reads the <!-- cairn:ignore RULE reason --> comments of
// the Markdown of a document, checklist or checklist template in file.
func (a *advisor) commentSuppress(s suppressions, file string, body *markdown.Doc) {
	src := body.Source
	if !bytes.Contains(src, []byte("cairn:ignore")) {
		return
	}
	for _, m := range ignoreComment.FindAllSubmatchIndex(src, -1) {
		line, col := body.Pos(m[0])
		pos := diag.Pos{File: file, Line: line, Col: col}
		ruleID := string(src[m[2]:m[3]])
		reason := string(bytes.TrimSpace(src[m[4]:m[5]]))
		if a.checkSuppress(pos, ruleID, reason) {
			sup := suppression{rule: ruleID, reason: reason, pos: pos}
			s[lineKey(ruleID, file, line)] = sup
			s[lineKey(ruleID, file, line+1)] = sup
		}
	}
}

// unused reports the suppressions that covered no finding of a rule that
// is on: the advice they answered has gone (the value was linked, the
// item removed), and a stale suppression would hide the next finding.
func (a *advisor) unused(s suppressions, used map[diag.Pos]bool) {
	seen := map[diag.Pos]bool{}
	for _, x := range s {
		if used[x.pos] || seen[x.pos] {
			continue
		}
		seen[x.pos] = true
		if _, on := a.cfg.severity(x.rule); !on || (x.rule == RuleSharedSecret && a.opts.Secrets == nil) {
			continue // the rule did not run: its findings are unknown
		}
		a.diags.Add(diag.Diagnostic{Pos: x.pos, Severity: diag.Warning, Code: ConfigCode,
			Message: fmt.Sprintf("suppression of %s covers no finding", x.rule),
			Hint:    "remove it: the advice it answered no longer applies here"})
	}
}
