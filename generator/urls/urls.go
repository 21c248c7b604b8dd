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
//	<org>/files/...                     attachments, as in content/
//	runbooks/<org>.pdf                  runbooks
//	static/...                          theme assets
//	search/...                          search index
package urls

import (
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

// File returns the path of an attachment ("acme/files/lan.pdf").
func File(p string) string { return p }

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
