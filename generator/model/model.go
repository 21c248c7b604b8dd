// Package model is the site model every stage reads: organizations, items,
// schemas, access rules and the link graph. The loader builds it once;
// after that it is never changed, so any number of goroutines may read it.
package model

import (
	"crypto/sha256"
	"sort"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Config is cairn.toml.
type Config struct {
	Title            string `toml:"title"`
	Output           string `toml:"output"`
	BaseURL          string `toml:"base_url"`
	ExpiryWindowDays int    `toml:"expiry_window_days"`
	// SopsAgeKeyFile names an age key file, relative to the site root, that
	// secrets commands use besides the user's own keys. Only the project's
	// demo sets it (its key is public); a real site must never do this.
	SopsAgeKeyFile string `toml:"sops_age_key_file"`
	// PortalPassphraseFile names a file, relative to the site root, holding
	// the passphrase of sealed portals when neither the environment nor a
	// flag gives one. Demo only, like SopsAgeKeyFile.
	PortalPassphraseFile string `toml:"portal_passphrase_file"`
	// Forge holds URL patterns of the forge's commit and edit pages, for
	// the links of item pages' revisions (docs/history.md).
	Forge Forge `toml:"forge"`

	// Rotation is the [rotation] table (how old password items may get,
	// per type and per organization) and Review the [review] table (how
	// often documents are reviewed, per folder below documents/), raw;
	// expiry.NewPolicy reads them and check reports their mistakes.
	Rotation *tomldoc.Value `toml:"rotation"`
	Review   *tomldoc.Value `toml:"review"`

	// Collab is the [collab] table: where cairn collab runs and which
	// forge it opens pull requests on; nil when there is none.
	Collab *Collab `toml:"collab"`

	// Advisor is the [advisor] table: the best-practice rules' severities
	// and settings (docs/advisor.md); nil when there is none.
	Advisor *AdvisorConfig `toml:"advisor"`
}

// Forge is cairn.toml's [forge] table: URL patterns with placeholders
// (generator/forge). An empty pattern means no such links.
type Forge struct {
	// CommitURL links a revision to its commit page: {commit}.
	CommitURL string `toml:"commit_url"`
	// EditURL links an item page to its file's edit page: {path}, and
	// optionally {commit}.
	EditURL string `toml:"edit_url"`
	// Fields is the [forge] table, for positions; nil without one.
	Fields *tomldoc.Table `toml:",table"`
}

// Collab is cairn.toml's [collab] table.
type Collab struct {
	// URL is the collab server's public address (https://docs.example.com/
	// collab/); portals link "Suggest a change" to it. "" for no links.
	URL string `toml:"url"`
	// Forge is github, gitlab, gitea or forgejo; "" for none (suggestions
	// are pushed as branches only).
	Forge string `toml:"forge"`
	// ForgeAPI is the forge's REST API base URL.
	ForgeAPI string `toml:"forge_api"`
	// Repo is the repository on the forge: "owner/name" (GitLab: the
	// project's path).
	Repo string `toml:"repo"`
	// Branch is the default branch suggestions start from; "" is "main".
	Branch string      `toml:"branch"`
	Pos    tomldoc.Pos `toml:",pos"`
}

// AdvisorConfig is cairn.toml's [advisor] table (docs/advisor.md).
type AdvisorConfig struct {
	// Rules sets a rule's severity by its id: "error", "warning", "info"
	// or "off".
	Rules map[string]string `toml:"rules"`
	// RestrictedShare is the percentage of an organization's items that
	// may have their own access key before restricted-share reports it;
	// nil for the default.
	RestrictedShare *float64 `toml:"restricted_share"`
	// SimilarTypes is the Jaccard similarity (0..1) of two types' field
	// names and labels at or above which similar-types reports them; nil
	// for the default.
	SimilarTypes *float64 `toml:"similar_types"`
	// Naming maps a type folder ("configurations", "assets/backup") to a
	// regular expression its items' titles must match.
	Naming map[string]string `toml:"naming"`
	// Ignore suppresses a rule's findings in one file, with a reason.
	Ignore []AdvisorIgnore `toml:"ignore"`
	// Table is the [advisor] table, for the positions of its keys.
	Table *tomldoc.Table `toml:",table"`
}

// AdvisorIgnore is one [[advisor.ignore]] entry of cairn.toml.
type AdvisorIgnore struct {
	Rule   string      `toml:"rule"`
	File   string      `toml:"file"`
	Reason string      `toml:"reason"`
	Pos    tomldoc.Pos `toml:",pos"`
}

// Suppress is one entry of a suppress key (on a group, user or portal of
// access.toml, or an org.toml): the advisor rule whose finding about this
// entry is suppressed, and why.
type Suppress struct {
	Rule   string      `toml:"rule"`
	Reason string      `toml:"reason"`
	Pos    tomldoc.Pos `toml:",pos"`
}

// Alert is a notice on an organization: shown first on its page and in its
// runbook.
type Alert struct {
	Level   string      `toml:"level"`
	Message string      `toml:"message"`
	Pos     tomldoc.Pos `toml:",pos"`
}

// Org is an organization: a client, the MSP itself, a vendor.
type Org struct {
	Slug        string  `toml:"-"`
	File        string  `toml:"-"`
	Name        string  `toml:"name"`
	Kind        string  `toml:"kind"`
	Status      string  `toml:"status"`
	Shared      bool    `toml:"shared"`
	ShortName   string  `toml:"short_name"`
	Description string  `toml:"description"`
	QuickNotes  string  `toml:"quick_notes"`
	Alerts      []Alert `toml:"alerts"`
	// Suppress are advisor findings about the organization suppressed in
	// place (docs/advisor.md).
	Suppress []Suppress `toml:"suppress"`
	// ImportID is the id of the organization in the system it was
	// imported from (cairn import), which a later import merges by.
	ImportID string `toml:"import_id"`

	// Notes is QuickNotes parsed, or nil.
	Notes *markdown.Doc `toml:"-"`
	// Fields is the parsed org.toml, for positions.
	Fields *tomldoc.Table `toml:"-"`
	// Broken is true when org.toml could not be parsed (the syntax error
	// is reported); checks of its values are skipped.
	Broken bool `toml:"-"`
	// Digest is the SHA-256 of org.toml's bytes: what incremental stages
	// compare to tell whether the organization changed.
	Digest Digest `toml:"-"`
}

// OrgKinds and OrgStatuses are the allowed values of Org.Kind and Org.Status.
var (
	OrgKinds    = []string{"internal", "client", "vendor", "partner"}
	OrgStatuses = []string{"active", "inactive", "prospect"}
)

// Item is one documented thing: a core item, a flexible asset, a document
// or a checklist.
type Item struct {
	// ID is the item's path below content/ without extension:
	// "acme/configurations/sv-dc01", "acme/documents/sops/restore".
	ID string
	// Org is the organization slug.
	Org string
	// Type is the type folder: "configurations", "assets/backup",
	// "documents", "checklists".
	Type string
	// Slug is the ID below the type folder: "sv-dc01", "sops/restore".
	Slug string
	// File is the item's file relative to the site root.
	File string
	// Schema is the item's type.
	Schema *schema.Schema
	// Fields holds the TOML keys (the front matter for Markdown items).
	Fields *tomldoc.Table
	// FieldsLine is the line of the file where Fields begin (2 for front
	// matter after a +++ line, 1 for TOML files).
	FieldsLine int

	Title string
	// Access is the item's access key: the groups that may see it. It is
	// nil when the item has no access key (no item-level restriction) and
	// non-nil but empty when the key names no group (access = [], an
	// error in check), which no portal's groups satisfy.
	Access    []string
	Archived  bool
	ManagedBy string

	// Body is the Markdown body of documents and checklists, nil otherwise.
	Body *markdown.Doc
	// Notes is the notes key parsed as Markdown, or nil.
	Notes *markdown.Doc
	// Tasks are a checklist's tasks, in order.
	Tasks []markdown.Task
	// Broken is true when the file could not be parsed: its fields are
	// empty, and checks of its values are skipped (the syntax error is
	// reported), but links to it still resolve.
	Broken bool
	// Secrets is the item's <slug>.sops.yaml beside it, relative to the site
	// root, or "" when it has none.
	Secrets string
	// Digest is the SHA-256 of the item's file bytes: what incremental
	// stages compare to tell whether the item changed.
	Digest Digest
}

// IsMarkdown reports whether the item is a document or a checklist.
func (it *Item) IsMarkdown() bool { return it.Body != nil }

// Value returns the value of a top-level field, or nil.
func (it *Item) Value(name string) *tomldoc.Value { return it.Fields.Get(name) }

// Pos returns the position of a value in the item's file.
func (it *Item) Pos(p tomldoc.Pos) diag.Pos {
	return diag.Pos{File: it.File, Line: p.Line + it.FieldsLine - 1, Col: p.Col}
}

// Template is a checklist template (checklists/<slug>.md).
type Template struct {
	Slug   string
	File   string
	Title  string
	Fields *tomldoc.Table
	// FieldsLine is the file line where the front matter starts.
	FieldsLine int
	Body       *markdown.Doc
	// Broken is true when the front matter could not be read (the problem
	// is reported); checks of its values are skipped.
	Broken bool
	// Digest is the SHA-256 of the template's file bytes.
	Digest Digest
}

// Digest is the SHA-256 of a source file's bytes.
type Digest [sha256.Size]byte

// DigestOf returns the digest of a source file's bytes.
func DigestOf(data []byte) Digest { return sha256.Sum256(data) }

// Site is a whole documentation site, loaded and resolved.
type Site struct {
	// Root is the site's folder on disk.
	Root    string
	Config  Config
	Access  Access
	Schemas *schema.Registry
	// Orgs are sorted by slug; Items by ID.
	Orgs      []*Org
	Items     []*Item
	Templates []*Template
	// Files are the attachments under content/<org>/files/, as paths
	// relative to content/ ("acme/files/lan.pdf"), sorted.
	Files []string
	Graph *Graph

	orgs  map[string]*Org
	items map[string]*Item
	files map[string]bool
}

// NewSite assembles a site from loaded parts and indexes it. It sorts orgs,
// items, templates and files so every later stage sees one order.
func NewSite(root string, cfg Config, acc Access, reg *schema.Registry, orgs []*Org, items []*Item, templates []*Template, files []string) *Site {
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].Slug < orgs[j].Slug })
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	sort.Slice(templates, func(i, j int) bool { return templates[i].Slug < templates[j].Slug })
	sort.Strings(files)
	s := &Site{Root: root, Config: cfg, Access: acc, Schemas: reg, Orgs: orgs, Items: items, Templates: templates, Files: files,
		orgs: map[string]*Org{}, items: map[string]*Item{}, files: map[string]bool{}, Graph: &Graph{}}
	for _, o := range orgs {
		s.orgs[o.Slug] = o
	}
	for _, it := range items {
		s.items[it.ID] = it
	}
	for _, f := range files {
		s.files[f] = true
	}
	return s
}

// Org returns the organization with the slug, or nil.
func (s *Site) Org(slug string) *Org { return s.orgs[slug] }

// Item returns the item with the id, or nil.
func (s *Site) Item(id string) *Item { return s.items[id] }

// HasFile reports whether an attachment exists ("acme/files/lan.pdf").
func (s *Site) HasFile(path string) bool { return s.files[path] }

// Template returns the checklist template with the slug, or nil.
func (s *Site) Template(slug string) *Template {
	for _, t := range s.Templates {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}

// OrgItems returns the items of one organization, in ID order.
func (s *Site) OrgItems(org string) []*Item {
	i := sort.Search(len(s.Items), func(i int) bool { return s.Items[i].ID >= org+"/" })
	j := i
	for j < len(s.Items) && s.Items[j].Org == org {
		j++
	}
	return s.Items[i:j]
}

// WithGraph returns a copy of the site that holds the resolved link graph.
// The loader's site has an empty graph; the checker resolves links, and the
// pipeline attaches them here once, before any later stage sees the site.
func (s *Site) WithGraph(g *Graph) *Site {
	c := *s
	c.Graph = g
	return &c
}
