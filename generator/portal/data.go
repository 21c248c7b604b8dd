package portal

import (
	"html/template"
)

// The structs below are the data the theme's templates receive. Every
// field is documented in docs/theming.md; keep the two in step. URLs are
// relative to the page being rendered and typed template.URL only where
// cairn built them itself (relative paths, http(s), mailto:, tel:).

// Base is what every page has: the frame around its content.
type Base struct {
	// CSP is ContentSecurityPolicy, for the page's
	// <meta http-equiv="Content-Security-Policy">.
	CSP string
	// SiteTitle is cairn.toml's title; PortalTitle the portal's title
	// (its name when access.toml gives none); Portal its name.
	SiteTitle   string
	PortalTitle string
	Portal      string
	// Title is the page's own title, for <title> and the heading.
	Title string
	// Kind is "home", "org", "list" or "item".
	Kind string
	// Path is the page's path in the portal; Root the relative URL of the
	// portal root from it ("" or "../../"), ending in "/" when not empty.
	Path string
	Root string
	// Home is the URL of the portal home.
	Home template.URL
	// Static maps a theme asset name to its URL: {{index .Static
	// "cairn.css"}}. It holds every file of the theme's static/ folder;
	// pages of one depth share one map, which templates only read.
	Static map[string]template.URL
	// SearchScript is the URL of static/search.js, or "" when the portal
	// has no search.
	SearchScript template.URL
	// Breadcrumbs lead from the home page to this one; the last is the
	// page itself (Href "").
	Breadcrumbs []Link
	// Nav is the sidebar of the page's organization, nil on the home page.
	Nav *OrgNav
	// Orgs are the portal's organizations, for the home page and menus.
	// Pages of one depth share one slice: templates must not change it.
	Orgs []Link
	// OrgsScript is the URL of the portal's organization list as a script
	// (portal.OrgsScript), which the default theme's sidebar loads when
	// its organization switcher is opened instead of carrying the list on
	// every page.
	OrgsScript template.URL
	// Sidebar is the theme's "sidebar" template executed with this Base
	// (Nav and Orgs). It is the same for every page of one organization,
	// type and depth, so it is rendered once per such group and reused:
	// on a large portal the sidebar is most of each page's links.
	Sidebar template.HTML
	// AsOf is the date expiry badges are measured against (YYYY-MM-DD);
	// ExpiryWindow is cairn.toml's expiry_window_days.
	AsOf         string
	ExpiryWindow int
	// Calendar is the URL of the portal's calendar feed (expiring.ics:
	// what expires or falls due, only what this portal may see), for a
	// subscribe link; "" when the build writes none.
	Calendar template.URL
}

// Link is a link to a page, or plain text when Href is empty (a target the
// portal may not see, or the current page).
type Link struct {
	Text string
	Href template.URL
	// Download is the file name to save an attachment as, set when it is
	// published under another name (urls.FilePath): <a download>.
	Download string
	// Hint is extra text: an item's type, an organization's kind.
	Hint string
}

// OrgNav is an organization's sidebar: its overview and its types.
type OrgNav struct {
	Org   Link
	Types []TypeCount
	// Active is the type of the current page ("" on the overview).
	Active string
	// Runbook is the URL of the organization's PDF runbook, or "".
	Runbook template.URL
}

// TypeCount is a type of an organization with how many items the portal
// shows of it.
type TypeCount struct {
	Type  string // type folder: "configurations", "assets/backup"
	Name  string // display name: "Configurations", "Backup"
	Count int
	Href  template.URL
}

// Badge is an expiry badge. Class is "expired", "soon" or "ok"; Text is
// what it says as of the build's date ("Expired 3 days ago", "Expires in
// 12 days", "" for ok). Date (YYYY-MM-DD) and Window let static/cairn.js
// recompute it when the page is viewed.
type Badge struct {
	Class  string
	Text   string
	Date   string
	Days   int
	Window int
}

// Expiry is one expiring date of an item.
type Expiry struct {
	Item  Link
	Org   Link
	Field string // the date field's label
	Badge Badge
}

// HomeData is the portal home page.
type HomeData struct {
	Base
	Orgs []OrgSummary
	// Expiring lists what expires within the window (or has expired),
	// across every organization, soonest first.
	Expiring []Expiry
	// Items is how many items the portal shows in all.
	Items int
}

// OrgSummary is one organization on the home page.
type OrgSummary struct {
	Link
	Slug        string
	Kind        string
	Status      string
	Description string
	Items       int
	Expiring    int
	Alerts      int
}

// OrgData is an organization's overview page.
type OrgData struct {
	Base
	Org        OrgInfo
	Alerts     []Alert
	QuickNotes template.HTML
	Important  []ContactCard
	Locations  []LocationCard
	Counts     []TypeCount
	Expiring   []Expiry
	// RecentlyChanged is filled from Options.History: the latest changes
	// to items this portal may see, newest first. It is empty when the
	// build has no history.
	RecentlyChanged []ChangeView
	// Backlinks are the items (of shared organizations' pages) that link
	// to this organization, grouped by type.
	Backlinks []LinkGroup
	// Checklists are the open checklist runs the portal may see, by due
	// date.
	Checklists []ChecklistRun
}

// OrgInfo is an organization's own fields.
type OrgInfo struct {
	Slug, Name, Kind, Status, ShortName, Description string
	Shared                                           bool
}

// Alert is an organization alert; Level is info, warning or critical.
type Alert struct {
	Level   string
	Message string
}

// ContactCard is an important contact.
type ContactCard struct {
	Link
	JobTitle string
	Emails   []Value
	Phones   []Value
}

// LocationCard is a location with its list fields (city, phone, ...).
type LocationCard struct {
	Link
	Fields []FieldView
}

// ChangeView is one recent change. Author and Summary are empty when the
// portal shows dates only (access.View.ShowsGitMetadata).
type ChangeView struct {
	Item    Link
	Date    string // YYYY-MM-DD
	Author  string
	Summary string
}

// ListData is a type list page: a table of the type's items.
type ListData struct {
	Base
	Type        string
	Name        string
	Singular    string
	Description string
	Columns     []Column
	Rows        []Row
}

// Column is a list column: the title column first, then the schema's
// show_in_list fields. Kind is the field kind ("title" for the first),
// for sorting dates and numbers by value.
type Column struct {
	Label string
	Kind  string
}

// Row is one item of a list.
type Row struct {
	Item  Link
	Cells []Cell
	// Review is a document's review state, nil when it has no cadence.
	Review *Review
}

// Cell is one value of a row. Sort is the key list.js sorts by (dates as
// YYYY-MM-DD, numbers zero-padded).
type Cell struct {
	Values []Value
	Sort   string
	// Progress is set in a list of checklists' progress column.
	Progress *Checklist
}

// ItemData is an item's page.
type ItemData struct {
	Base
	Item ItemInfo
	// Sections are the item's fields in schema order, split at header
	// fields; the first section has no heading.
	Sections []Section
	// Body is a document's or checklist's Markdown, rendered and
	// sanitized; Notes the item's notes key. Both "" when absent.
	Body  template.HTML
	Notes template.HTML
	// BodyTitled is true when the body's first heading is a level-1
	// heading repeating the item's title (the theme then hides it).
	BodyTitled bool
	// TOC are the body's headings of level 2 and 3.
	TOC []Heading
	// Checklist is set for checklists.
	Checklist *Checklist
	// Related are the items this one links to (tags, related, Markdown
	// links) and Backlinks those linking to it, grouped by type; only
	// items the portal may see.
	Related   []LinkGroup
	Backlinks []LinkGroup
	// Attachments are the files the item uploads or links to.
	Attachments []Link
	// History is the item's history from git; nil when the build has
	// none (outside git, or cairn serve).
	History *ItemHistoryView
}

// ItemHistoryView is an item's "last changed" line and revisions list.
// Author, Summary, Commit and CommitURL are empty when the portal shows
// dates only (access.View.ShowsGitMetadata).
type ItemHistoryView struct {
	// LastChanged is the newest revision's date (YYYY-MM-DD), "" when
	// none is known; LastAuthor its author.
	LastChanged string
	LastAuthor  string
	Revisions   []RevisionView
	// Omitted is true when older revisions are not listed.
	Omitted bool
	// TruncatedAt is the date (YYYY-MM-DD) before which the history is
	// unknown (a shallow clone), "" when it is complete.
	TruncatedAt string
	// EditURL is the forge's edit page of the item's file, from
	// cairn.toml's [forge] edit_url; "" without one.
	EditURL string
}

// RevisionView is one revision of an item.
type RevisionView struct {
	Date      string // YYYY-MM-DD, in the author's time zone
	Commit    string // the first 12 digits of the hash
	CommitURL string // from cairn.toml's [forge] commit_url; "" without one
	Author    string
	Summary   string
}

// ItemInfo describes the item itself.
type ItemInfo struct {
	ID        string
	Title     string
	Type      string
	TypeName  string
	Singular  string
	Archived  bool
	ManagedBy string
	// Restricted is true when the item has an access list.
	Restricted bool
	// File is the item's source file, relative to the site root.
	File string
	// Review is a document's review state, nil when it has no cadence.
	Review *Review
	// SuggestURL is the cairn collab form for the item when the portal's
	// audience may suggest changes to it, else "" (access.View.SuggestURL).
	SuggestURL string
}

// Section is a group of fields under an optional header.
type Section struct {
	Title  string
	Fields []FieldView
}

// FieldView is one field with its values rendered by kind.
type FieldView struct {
	Name  string
	Label string
	// Kind is the schema kind: text, date, url, password, group, ...
	Kind string
	// Values are the field's values (one unless the field is multiple).
	Values []Value
	// HTML is a textbox field's Markdown, rendered and sanitized.
	HTML template.HTML
	// Group is a group field's records as a table.
	Group *GroupTable
	// Secret is set for password-kind fields.
	Secret *Secret
}

// Secret is a password-kind field: its value is never in the page, only
// a placeholder, and Sealed when the portal carries sealed secrets.
type Secret struct {
	Field  string
	Sealed string
}

// Value is one rendered value. Href is set for links (tag targets the
// portal may see, http(s) URLs, mailto:, tel:, attachments); Badge for
// expiring dates; Date (YYYY-MM-DD) for every date; Hidden for a tag
// whose target this portal may not see (Text is then the reference as
// written).
type Value struct {
	Text string
	Href template.URL
	// Download is as in Link.
	Download string
	Date     string
	Badge    *Badge
	Hidden   bool
	// External is true for links off the portal (http(s) URLs).
	External bool
}

// GroupTable is a group field's records: one row per record, one column
// per sub-field that any record sets.
type GroupTable struct {
	Columns []string
	Rows    [][][]Value
}

// Heading is a body heading, for the table of contents.
type Heading struct {
	Level  int
	Text   string
	Anchor string
}

// Checklist is a checklist's progress. The tasks themselves are shown
// once, in the body (with links to items by their titles); a theme must
// not list them a second time.
type Checklist struct {
	Done, Total, Percent int
	// Overdue counts the open tasks due before the as-of date;
	// OverdueSince is the earliest of their due dates (YYYY-MM-DD).
	Overdue      int
	OverdueSince string
}

// ChecklistRun is an open checklist on its organization's page: the link,
// its due date ("" when none) and its progress.
type ChecklistRun struct {
	Item Link
	Due  string
	Checklist
}

// LinkGroup is a list of links to items of one type.
type LinkGroup struct {
	Name  string
	Links []Link
}

// frame gives the renderer the Base of any page's data.
func (b *Base) frame() *Base { return b }
