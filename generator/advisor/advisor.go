// Package advisor runs cairn's best-practice rules over a checked site: the
// principles of the documentation guide (structured data in items, not in
// documents; link data instead of copying it; general passwords; reusable
// types; checklists paired with SOPs; least privilege) as rules with ids,
// default severities and hints, the way a linter enforces a style guide.
//
// It reads the site model only (never the files again) and needs the
// resolved link graph, so it runs after check. Each rule's severity can be
// changed or the rule turned off in cairn.toml's [advisor] table, and a
// single finding can be suppressed in place with a reason; suppressed
// findings are returned beside the diagnostics. docs/advisor.md documents
// every rule.
package advisor

import (
	"context"
	"sort"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// Rule is one best-practice rule.
type Rule struct {
	// ID is the rule's stable id: the diagnostic code of its findings.
	ID string
	// Severity is the default severity.
	Severity diag.Severity
	// Off is true for rules a site must turn on in cairn.toml.
	Off bool
}

// Summary says in one sentence what the rule finds: its line in
// diag.RuleDocs, the one list of every code's documentation.
func (r Rule) Summary() string {
	for _, d := range diag.RuleDocs() {
		if d.Code == r.ID {
			return d.Summary
		}
	}
	return ""
}

// The rule ids.
const (
	RuleDataInDocument         = "data-in-document"
	RuleDuplicateData          = "duplicate-data"
	RuleDocumentsBeforeAssets  = "documents-before-assets"
	RuleUnlinkedPassword       = "unlinked-password"
	RuleDuplicatePasswordTitle = "duplicate-password-title"
	RuleEmbeddedPassword       = "embedded-password"
	RuleSharedSecret           = "shared-secret"
	RuleTypeNotListed          = "type-not-listed"
	RuleUnusedType             = "unused-type"
	RuleSimilarTypes           = "similar-types"
	RuleChecklistWithoutSOP    = "checklist-without-sop"
	RuleRestrictedShare        = "restricted-share"
	RuleGroupSeesAll           = "group-sees-all"
	RuleUserWithoutGroup       = "user-without-group"
	RuleUnsealedPasswords      = "unsealed-passwords"
	RuleNaming                 = "naming"
)

// ConfigCode is the diagnostic code of a mistake in the advisor's
// settings or in a suppression: an error, whatever [advisor] says.
const ConfigCode = "advisor-config"

// Rules returns every advisor rule in the order of docs/advisor.md. The
// slice is new on each call.
func Rules() []Rule {
	return []Rule{
		{RuleDataInDocument, diag.Warning, false},
		{RuleDuplicateData, diag.Warning, false},
		{RuleDocumentsBeforeAssets, diag.Info, false},
		{RuleUnlinkedPassword, diag.Warning, false},
		{RuleDuplicatePasswordTitle, diag.Error, false},
		{RuleEmbeddedPassword, diag.Warning, true},
		{RuleSharedSecret, diag.Warning, false},
		{RuleTypeNotListed, diag.Warning, false},
		{RuleUnusedType, diag.Info, false},
		{RuleSimilarTypes, diag.Warning, false},
		{RuleChecklistWithoutSOP, diag.Warning, false},
		{RuleRestrictedShare, diag.Warning, false},
		{RuleGroupSeesAll, diag.Warning, false},
		{RuleUserWithoutGroup, diag.Warning, false},
		{RuleUnsealedPasswords, diag.Warning, false},
		{RuleNaming, diag.Warning, false},
	}
}

// rule returns the rule with the id, or false.
func rule(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

func ruleIDs() []string {
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	return ids
}

// SecretSource gives the decrypted secret values of an item by field name
// (secrets.Store implements it). The advisor hashes each value at once and
// keeps only the hashes; no value reaches a diagnostic.
type SecretSource interface {
	Secrets(ctx context.Context, it *model.Item) (map[string]string, error)
}

// Options tune an advisor run.
type Options struct {
	// Secrets, when set, lets shared-secret compare secret values; nil
	// skips that rule (no key available).
	Secrets SecretSource
}

// Result is what an advisor run found.
type Result struct {
	// Diags are the findings at their configured severities, and the
	// mistakes in the advisor's settings and suppressions.
	Diags *diag.List
	// Suppressed are the findings suppressed in place, with the reason.
	Suppressed []diag.Suppressed
}

// finding is one rule's finding before severities and suppressions.
type finding struct {
	rule string
	pos  diag.Pos
	// subject names what the finding is about when it is not a file of
	// its own: "group:staff", "user:a@b", "portal:helpdesk", "org:acme".
	subject string
	msg     string
	hint    string
}

// advisor holds one run's state. Rules append findings from one goroutine.
type advisor struct {
	ctx   context.Context
	site  *model.Site
	opts  Options
	cfg   settings
	found []finding
	diags *diag.List
	idx   dataIndex // built on first use by data
	// serialOrgs caches holdsSerials by organization.
	serialOrgs map[string]bool
	// phoneTails caches samePhones' index by organization.
	phoneTails map[string]map[string][]datum
	// shared are the slugs of the shared organizations, found on first use.
	shared   []string
	sharedOK bool
	// sharedDocs are the documents of the shared organizations, found on
	// first use by sharedDocuments.
	sharedDocs []*model.Item
}

// sharedOrgs returns the slugs of the organizations every other may link
// (shared = true in org.toml), in site order.
func (a *advisor) sharedOrgs() []string {
	if !a.sharedOK {
		for _, o := range a.site.Orgs {
			if o.Shared {
				a.shared = append(a.shared, o.Slug)
			}
		}
		a.sharedOK = true
	}
	return a.shared
}

func (a *advisor) add(f finding) { a.found = append(a.found, f) }

// data returns the index of structured data the items hold, building it
// on the first call.
func (a *advisor) data() dataIndex {
	if a.idx == nil {
		a.idx = a.index()
	}
	return a.idx
}

// Run applies every rule to site, which must have its link graph
// (model.Site.WithGraph). It does not change the site. It returns ctx's
// error when cancelled.
func Run(ctx context.Context, site *model.Site, opts Options) (*Result, error) {
	a := &advisor{ctx: ctx, site: site, opts: opts, diags: &diag.List{}, serialOrgs: map[string]bool{}, phoneTails: map[string]map[string][]datum{}}
	a.cfg = a.settings()
	sup := a.suppressions()
	steps := []func(){
		a.documentData, a.duplicateData, a.documentsBeforeAssets,
		a.passwords, a.sharedSecrets, a.types, a.checklists, a.access, a.naming,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step()
	}
	res := &Result{Diags: a.diags}
	used := map[diag.Pos]bool{}
	for _, f := range a.found {
		sev, on := a.cfg.severity(f.rule)
		if !on {
			continue
		}
		d := diag.Diagnostic{Pos: f.pos, Severity: sev, Code: f.rule, Message: f.msg, Hint: f.hint}
		if s, ok := sup.match(f); ok {
			used[s.pos] = true
			res.Suppressed = append(res.Suppressed, diag.Suppressed{Diagnostic: d, Reason: s.reason, By: s.pos})
			continue
		}
		a.diags.Add(d)
	}
	a.unused(sup, used)
	sort.SliceStable(res.Suppressed, func(i, j int) bool {
		x, y := res.Suppressed[i].Pos, res.Suppressed[j].Pos
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Line < y.Line
	})
	return res, nil
}
