package schema

import "strings"

// portalFolders are the folders a portal writes beside its organization
// folders, and why each is there.
var portalFolders = []struct{ name, why string }{
	{"runbooks", "portals keep the PDF runbooks in runbooks/"},
	{"search", "portals keep their search index in search/"},
	{"static", "portals keep their style sheets and scripts in static/"},
}

// ReservedOrgSlug returns why slug cannot name an organization, or ""
// when it can. Type folder names are reserved so that a relative id
// (configurations/sv1) never reads as an organization's; a portal's own
// folders so that an organization's pages never overwrite them. The load
// stage and cairn new both ask here.
func ReservedOrgSlug(slug string) string {
	for _, t := range typeFolders() {
		if t == slug {
			return "type folder names cannot be organization slugs"
		}
	}
	for _, f := range portalFolders {
		if f.name == slug {
			return f.why
		}
	}
	return ""
}

// ReservedOrgSlugs lists every slug ReservedOrgSlug refuses, for messages.
func ReservedOrgSlugs() string {
	names := typeFolders()
	for _, f := range portalFolders {
		names = append(names, f.name)
	}
	return strings.Join(names, ", ")
}

// typeFolders are the names of the type folders inside an organization.
func typeFolders() []string {
	return append(append([]string(nil), CoreTypes...), "assets", "files")
}
