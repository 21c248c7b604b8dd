// Package urls is the one place that decides where each page of a portal
// lives, and how one page links to another with a relative URL (so a
// portal works on any host, under any sub-path, and opened from disk).
//
// Layout of a portal:
//
//	index.html                          portal home
//	<org>/index.html                    organization overview
//	<org>/<type>/index.html             type list ("assets/backup" is two levels)
//	<org>/<type>/<slug>/index.html      item page (documents may nest)
//	<org>/files/...                     attachments, as in content/ (active
//	                                    types with .txt added: FilePath)
//	runbooks/<org>.pdf                  runbooks
//	static/...                          theme assets
//	search/...                          search index
package urls

import (
	"net/url"
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
)

// Home is the portal home page.
const Home = "index.html"

// Org returns the path of an organization's page.
func Org(slug string) string { return slug + "/index.html" }

// TypeList returns the path of an organization's list of one type.
func TypeList(org, typ string) string { return org + "/" + typ + "/index.html" }

// Item returns the path of an item's page.
func Item(it *model.Item) string { return ItemID(it.ID) }

// ItemID returns the path of the page of the item with the id.
func ItemID(id string) string { return id + "/index.html" }

// File returns the URL path, relative to the portal root, of the
// attachment at p, a path below content/ ("acme/files/lan.pdf"): where
// FilePath publishes it, each segment percent-escaped, so that names with
// "#", "?", "%" or spaces link to the file written.
func File(p string) string {
	segs := strings.Split(FilePath(p), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// FilePath returns the path, below the portal folder, an attachment is
// written to: p itself when its type is passive (PassiveFile), else p
// with ".txt" appended, so that a static host serves it as text/plain and
// no browser runs it as HTML, SVG or XML in the portal's origin
// (docs/portals.md, "Attachments").
func FilePath(p string) string {
	if PassiveFile(p) {
		return p
	}
	return p + ".txt"
}

// PassiveFile reports whether an attachment is published under its own
// name: its extension (any case) is one that the MIME tables of common
// static hosts (nginx, Apache, Caddy, Go, IIS, GitHub Pages, Netlify, S3
// uploads) map to a type that browsers show without running script, and
// that no browser sniffs into HTML: PDF, images other than SVG, plain
// text, CSV, JSON, archives, office documents, audio and video.
// Everything else (HTML, SVG, XML, JavaScript, Markdown, configuration
// files, names without an extension, any extension a host may not know
// and so serve for sniffing) is not passive.
func PassiveFile(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	switch ext {
	case ".pdf",
		".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
		".txt", ".csv", ".json", ".zip",
		".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
		".mp3", ".mp4", ".webm", ".ogg", ".wav":
		return true
	}
	return false
}

// Runbook returns the path of an organization's runbook.
func Runbook(org string) string { return "runbooks/" + org + ".pdf" }

// Static returns the path of a theme asset ("css/cairn.css").
func Static(name string) string { return "static/" + name }

// Rel returns the relative URL from the page at from to the path to, both
// portal paths as returned by this package. A trailing "index.html" is
// kept, so links work when the portal is opened from disk.
func Rel(from, to string) string {
	depth := strings.Count(path.Dir(from), "/")
	if path.Dir(from) != "." {
		depth++
	}
	return strings.Repeat("../", depth) + to
}

// Root returns the relative URL from the page at from to the portal root,
// "" or "../../" and so on, ending in a slash when not empty.
func Root(from string) string { return Rel(from, "") }
