// Package semdiff says what a change to a site means: between two loaded
// and checked sides (two git revisions, or a revision and the working
// tree) it lists the items added, removed and renamed, every changed
// value (group rows matched, Markdown as a unified diff), the secret keys
// added, removed and changed (by name only), the links added and removed,
// the check errors the change introduces, and per portal what its
// audience gains and loses. It never prints a secret value: password
// fields are hidden, and a file in which check finds a secret in plain
// text has its values hidden too.
package semdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sopsfile"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Side is one side of a comparison: a site loaded and checked.
type Side struct {
	// Label names the side in the report: "main (3f2a9c1d0e4b)",
	// "working tree".
	Label string
	// Site is the checked site, with its link graph.
	Site *model.Site
	// Diags are the site's check results.
	Diags *diag.List
	// Read reads a file of the side (relative to the site root, bounded
	// as sitefs bounds it): secrets files, configuration files and the
	// item files compared for renames.
	Read func(rel string) ([]byte, error)
}

// Decrypter decrypts a secrets file's bytes (rel names it in errors) to
// its values. The report compares values in memory and never prints one.
type Decrypter interface {
	Decrypt(rel string, data []byte) (map[string]string, error)
}

// DecryptFunc adapts a function to Decrypter.
type DecryptFunc func(rel string, data []byte) (map[string]string, error)

// Decrypt calls f.
func (f DecryptFunc) Decrypt(rel string, data []byte) (map[string]string, error) { return f(rel, data) }

// Options tune a comparison.
type Options struct {
	// Decrypter tells a changed secret value from a re-encryption; nil
	// when no key is available (the report says it cannot tell).
	Decrypter Decrypter
}

// Report is what a change means. Every list is sorted; empty lists are
// empty, never absent, in JSON.
type Report struct {
	Base string `json:"base"`
	Head string `json:"head"`
	// Access is what each portal's audience gains and loses, by portal
	// name; portals without a change are left out.
	Access []PortalChange `json:"access"`
	// AccessUnknown, when set, says why Access could not be computed
	// (access.toml does not parse on a side) and Access is empty.
	AccessUnknown string          `json:"access_unknown,omitempty"`
	Added         []Item          `json:"added"`
	Removed       []Item          `json:"removed"`
	Renamed       []Rename        `json:"renamed"`
	Changed       []Change        `json:"changed"`
	Secrets       []SecretsChange `json:"secrets"`
	Links         LinkChanges     `json:"links"`
	// NewErrors are check errors of Head that Base does not have; Fixed
	// the errors of Base that Head no longer has.
	NewErrors   []Problem `json:"new_errors"`
	FixedErrors []Problem `json:"fixed_errors"`
	// Commits are the commits of Head that Base does not have, newest
	// first, when the caller gives them (the CLI does); MoreCommits
	// counts those left out.
	Commits     []gitrev.LogEntry `json:"commits"`
	MoreCommits int               `json:"more_commits,omitempty"`
}

// Empty reports whether the change changes nothing the report covers.
func (r *Report) Empty() bool {
	return len(r.Access)+len(r.AccessUnknown)+len(r.Added)+len(r.Removed)+len(r.Renamed)+len(r.Changed)+len(r.Secrets)+
		len(r.Links.Added)+len(r.Links.Removed)+len(r.NewErrors)+len(r.FixedErrors) == 0
}

// Item names an item, an organization ("acme"), a checklist template
// ("checklists/onboarding.md"), an attachment ("acme/files/lan.pdf") or
// a configuration file ("access.toml").
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	File  string `json:"file"`
}

// Rename is an item whose file moved, with how alike the two files are.
type Rename struct {
	From       Item `json:"from"`
	To         Item `json:"to"`
	Similarity int  `json:"similarity"` // percent
	// Changed is true when the content changed too (see Report.Changed).
	Changed bool `json:"changed"`
}

// Change is an item present on both sides whose values or body differ.
type Change struct {
	Item
	Fields []FieldChange `json:"fields"`
	// Body is the unified diff of a document's or checklist's Markdown.
	Body string `json:"body,omitempty"`
	// Hidden, when set, says why values are not shown.
	Hidden string `json:"hidden,omitempty"`
}

// SecretsChange is what changed in one item's secrets file: key names
// only.
type SecretsChange struct {
	Item    string   `json:"item"`
	File    string   `json:"file"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	// Changed keys have a new value; Reencrypted keys the same value
	// under new encryption; Unknown keys a new ciphertext that no key
	// could open to tell which.
	Changed     []string `json:"changed"`
	Reencrypted []string `json:"reencrypted"`
	Unknown     []string `json:"unknown"`
	// RecipientsAdded and RecipientsRemoved are the keys (age public
	// keys, PGP fingerprints, ...) that can newly, or no longer, decrypt
	// the file, read from its SOPS metadata.
	RecipientsAdded   []string `json:"recipients_added"`
	RecipientsRemoved []string `json:"recipients_removed"`
	// Note says why Unknown keys are unknown, or that the whole file was
	// re-encrypted without a value change, or that only its metadata
	// (recipients, MAC) changed.
	Note string `json:"note,omitempty"`
}

// SecretRef is one secret: an item and a key of its secrets file.
type SecretRef struct {
	Item string `json:"item"`
	Key  string `json:"key"`
}

// PortalChange is what one portal's audience gains and loses.
type PortalChange struct {
	Portal string `json:"portal"`
	Title  string `json:"title,omitempty"`
	// Status is "added" or "removed" for a portal on one side only, ""
	// otherwise.
	Status string `json:"status,omitempty"`
	// SecretsPolicy is "old → new" when the portal's secrets setting
	// changed.
	SecretsPolicy string `json:"secrets_policy,omitempty"`
	// Shows are items the audience now sees; Hides items it no longer
	// sees (named as on the side that had them).
	Shows []Item `json:"shows"`
	Hides []Item `json:"hides"`
	// Changed are items the audience sees on both sides whose content
	// changed: values, body, secret keys, and for a sealed portal secret
	// values (a re-encryption alone is no change to anyone).
	Changed []string `json:"changed"`
	// SecretsGained and SecretsLost are secrets carried (sealed) in the
	// portal's pages.
	SecretsGained []SecretRef `json:"secrets_gained"`
	SecretsLost   []SecretRef `json:"secrets_lost"`
}

// Link is one link between items (or to an organization).
type Link struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
}

// LinkChanges are the links added and removed.
type LinkChanges struct {
	Added   []Link `json:"added"`
	Removed []Link `json:"removed"`
}

// Problem is one check error.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// record is anything compared value by value: an item, an organization,
// a checklist template, a configuration file.
type record struct {
	Item
	typ    string
	fields *tomldoc.Table
	body   string
	// bodyLine is the file line body starts at.
	bodyLine int
	schema   *schema.Schema
	item     *model.Item // nil for non-items
}

// maxRenamePairs bounds the pairs of removed and added files compared for
// renames; past it only identical files count as renames.
const maxRenamePairs = 40000

// maxRenameWork bounds the lines compared for renames in one report;
// past it only identical files count as renames.
const maxRenameWork = 20_000_000

// Compare says what changed from base to head. It reads files of both
// sides through their Read and fails only when ctx is cancelled or a
// file cannot be read at all.
func Compare(ctx context.Context, base, head *Side, opts Options) (*Report, error) {
	r := &Report{Base: base.Label, Head: head.Label, Access: []PortalChange{}, Added: []Item{}, Removed: []Item{}, Renamed: []Rename{},
		Changed: []Change{}, Secrets: []SecretsChange{}, Links: LinkChanges{Added: []Link{}, Removed: []Link{}}, NewErrors: []Problem{}, FixedErrors: []Problem{}, Commits: []gitrev.LogEntry{}}
	c := &comparer{base: base, head: head, opts: opts, r: r, rename: map[string]string{}, keyCache: map[*Side]map[string][]string{},
		diffs: &budget{until: time.Now().Add(diffBudget)}}
	oldRecs, err := records(base)
	if err != nil {
		return nil, err
	}
	newRecs, err := records(head)
	if err != nil {
		return nil, err
	}
	if err := c.items(ctx, oldRecs, newRecs); err != nil {
		return nil, err
	}
	if err := c.secrets(ctx); err != nil {
		return nil, err
	}
	c.links()
	c.errors()
	switch {
	case unparsed(base, accessFile):
		r.AccessUnknown = accessFile + " does not parse in " + base.Label + " (see Check)"
	case unparsed(head, accessFile):
		r.AccessUnknown = accessFile + " does not parse in " + head.Label + " (see Check); cairn build refuses the site until it does"
	default:
		c.access()
	}
	return r, nil
}

// accessFile is the file portals are read from.
const accessFile = "access.toml"

// unparsed reports whether check finds file's TOML or front matter
// unreadable on side s: its values on that side are unknown, not empty.
func unparsed(s *Side, file string) bool { return hasDiag(s, file, syntaxCodes) }

// syntaxCodes are the check codes that mean a file could not be read.
var syntaxCodes = map[string]bool{"toml-syntax": true}

type comparer struct {
	base, head *Side
	opts       Options
	r          *Report
	// rename maps a renamed item's base id to its head id.
	rename map[string]string
	// changed holds the head ids of items whose content changed.
	changed map[string]bool
	// secretChanged says, by head id, what changed in an item's secrets.
	secretChanged map[string]secretDelta
	// keyCache holds the key names of secrets files, by side and file.
	keyCache map[*Side]map[string][]string
	// diffs is the time left for line diffs.
	diffs *budget
}

// mapID returns the head id of a base id.
func (c *comparer) mapID(id string) string {
	if to, ok := c.rename[id]; ok {
		return to
	}
	return id
}

func records(s *Side) (map[string]*record, error) {
	out := map[string]*record{}
	for _, it := range s.Site.Items {
		rec := &record{Item: Item{ID: it.ID, Title: it.Title, File: it.File}, typ: it.Type, fields: it.Fields, schema: it.Schema, item: it}
		if it.Body != nil {
			rec.body, rec.bodyLine = string(it.Body.Source), it.Body.Line
		}
		out[it.ID] = rec
	}
	for _, o := range s.Site.Orgs {
		out[o.Slug] = &record{Item: Item{ID: o.Slug, Title: o.Name, File: o.File}, typ: "org", fields: o.Fields}
	}
	for _, t := range s.Site.Templates {
		rec := &record{Item: Item{ID: t.File, Title: t.Title, File: t.File}, typ: "template", fields: t.Fields}
		if t.Body != nil {
			rec.body, rec.bodyLine = string(t.Body.Source), t.Body.Line
		}
		out[t.File] = rec
	}
	// Attachments: added and removed only (their bytes are not compared).
	empty, _ := tomldoc.Parse(nil)
	for _, f := range s.Site.Files {
		out[f] = &record{Item: Item{ID: f, File: "content/" + f}, typ: "file", fields: empty}
	}
	for _, name := range []string{"cairn.toml", "access.toml"} {
		data, err := s.Read(name)
		if err != nil {
			if isNotExist(err) {
				continue
			}
			return nil, fmt.Errorf("%s: %w", s.Label, err)
		}
		t, err := tomldoc.Parse(data)
		if err != nil {
			t, _ = tomldoc.Parse(nil) // check reports the syntax error
		}
		out[name] = &record{Item: Item{ID: name, File: name}, typ: "config", fields: t, body: ""}
	}
	return out, nil
}

// items finds added, removed, renamed and changed records.
func (c *comparer) items(ctx context.Context, oldRecs, newRecs map[string]*record) error {
	var removed, added []*record
	for id, o := range oldRecs {
		if newRecs[id] == nil {
			removed = append(removed, o)
		}
	}
	for id, n := range newRecs {
		if oldRecs[id] == nil {
			added = append(added, n)
		}
	}
	sortRecs(removed)
	sortRecs(added)
	pairs, err := c.renames(ctx, removed, added)
	if err != nil {
		return err
	}
	c.changed = map[string]bool{}
	renamedFrom, renamedTo := map[string]bool{}, map[string]bool{}
	for _, p := range pairs {
		renamedFrom[p.a.ID], renamedTo[p.b.ID] = true, true
		c.rename[p.a.ID] = p.b.ID
		ch := c.change(p.a, p.b)
		rn := Rename{From: p.a.Item, To: p.b.Item, Similarity: p.score, Changed: ch != nil}
		c.r.Renamed = append(c.r.Renamed, rn)
		if ch != nil {
			c.r.Changed = append(c.r.Changed, *ch)
			c.changed[p.b.ID] = true
		}
	}
	for _, o := range removed {
		if !renamedFrom[o.ID] {
			c.r.Removed = append(c.r.Removed, o.Item)
		}
	}
	for _, n := range added {
		if !renamedTo[n.ID] {
			c.r.Added = append(c.r.Added, n.Item)
		}
	}
	ids := make([]string, 0, len(newRecs))
	for id := range newRecs {
		if oldRecs[id] != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		if ch := c.change(oldRecs[id], newRecs[id]); ch != nil {
			c.r.Changed = append(c.r.Changed, *ch)
			c.changed[id] = true
		}
	}
	sort.Slice(c.r.Changed, func(i, j int) bool { return c.r.Changed[i].ID < c.r.Changed[j].ID })
	return nil
}

func sortRecs(rs []*record) { sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID }) }

type renamePair struct {
	a, b  *record
	score int
}

// renames pairs removed and added items of the same type whose files are
// at least half alike (git's rule), best pairs first. It is bounded: past
// maxRenamePairs pairs or maxRenameWork lines compared, only identical
// files pair.
func (c *comparer) renames(ctx context.Context, removed, added []*record) ([]renamePair, error) {
	var olds, news []*record
	for _, r := range removed {
		if r.item != nil {
			olds = append(olds, r)
		}
	}
	for _, r := range added {
		if r.item != nil {
			news = append(news, r)
		}
	}
	if len(olds) == 0 || len(news) == 0 {
		return nil, nil
	}
	exactOnly := len(olds)*len(news) > maxRenamePairs
	read := func(s *Side, recs []*record) ([][]byte, error) {
		out := make([][]byte, len(recs))
		for i, r := range recs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			b, err := s.Read(r.File)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Label, err)
			}
			out[i] = b
		}
		return out, nil
	}
	oldData, err := read(c.base, olds)
	if err != nil {
		return nil, err
	}
	newData, err := read(c.head, news)
	if err != nil {
		return nil, err
	}
	lines := func(data [][]byte) []lineSet {
		out := make([]lineSet, len(data))
		if !exactOnly {
			for i, d := range data {
				out[i] = newLineSet(d)
			}
		}
		return out
	}
	oldLines, newLines := lines(oldData), lines(newData)
	work := 0
	var cands []renamePair
	for i, o := range olds {
		for j, n := range news {
			if o.typ != n.typ {
				continue
			}
			score := 0
			a, b := oldLines[i], newLines[j]
			switch {
			case bytes.Equal(oldData[i], newData[j]):
				score = 100
			case exactOnly || work > maxRenameWork:
				continue
			case 3*min(a.n, b.n) < max(a.n, b.n):
				continue // under 50% whatever they share
			default:
				work += min(a.n, b.n)
				score = similarity(a, b)
			}
			if score >= 50 {
				cands = append(cands, renamePair{o, n, score})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		if cands[i].a.ID != cands[j].a.ID {
			return cands[i].a.ID < cands[j].a.ID
		}
		return cands[i].b.ID < cands[j].b.ID
	})
	usedA, usedB := map[string]bool{}, map[string]bool{}
	var out []renamePair
	for _, p := range cands {
		if usedA[p.a.ID] || usedB[p.b.ID] {
			continue
		}
		usedA[p.a.ID], usedB[p.b.ID] = true, true
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].a.ID < out[j].a.ID })
	return out, nil
}

// leakCodes are the check codes that mean a file holds a secret in plain
// text: a report shows none of that file's values.
var leakCodes = map[string]bool{"secret-leak": true, "plaintext-secret": true}

func hasLeak(s *Side, file string) bool { return hasDiag(s, file, leakCodes) }

// hasDiag reports whether check finds one of codes in file on side s.
func hasDiag(s *Side, file string, codes map[string]bool) bool {
	for _, d := range s.Diags.Sorted() {
		if d.Pos.File == file && codes[d.Code] {
			return true
		}
	}
	return false
}

// change compares two records, nil when they are the same.
func (c *comparer) change(a, b *record) *Change {
	d := &fieldDiffer{schema: b.schema, diffs: c.diffs}
	if b.item != nil {
		it := b.item
		d.hide = func(key string) bool { return sopsfile.IsSecretField(it, key) }
	}
	d.tables("", "", a.fields, b.fields, nil)
	ch := &Change{Item: b.Item, Fields: d.out, Body: c.diffs.unified(a.body, b.body, max(a.bodyLine, 1), max(b.bodyLine, 1))}
	if len(ch.Fields) == 0 && ch.Body == "" {
		return nil
	}
	if ch.Fields == nil {
		ch.Fields = []FieldChange{}
	}
	if unparsed(c.base, a.File) || unparsed(c.head, b.File) {
		ch.Hidden = "values not compared: the file does not parse on one side, see Check"
		ch.Fields, ch.Body = []FieldChange{}, ""
		return ch
	}
	if hasLeak(c.base, a.File) || hasLeak(c.head, b.File) {
		ch.Hidden = "values not shown: cairn check finds a secret in plain text in this file"
		ch.Body = ""
		if a.body != b.body {
			ch.Body = hiddenValue
		}
		for i := range ch.Fields {
			ch.Fields[i].hideValues()
		}
	}
	return ch
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
