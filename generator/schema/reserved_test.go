package schema

import "testing"

func TestReservedOrgSlug(t *testing.T) {
	for slug, want := range map[string]string{
		"files":          "type folder names cannot be organization slugs",
		"assets":         "type folder names cannot be organization slugs",
		"configurations": "type folder names cannot be organization slugs",
		"checklists":     "type folder names cannot be organization slugs",
		"runbooks":       "portals keep the PDF runbooks in runbooks/",
		"search":         "portals keep their search index in search/",
		"static":         "portals keep their style sheets and scripts in static/",
		"acme":           "",
		"file":           "",
	} {
		if got := ReservedOrgSlug(slug); got != want {
			t.Errorf("ReservedOrgSlug(%q) = %q, want %q", slug, got, want)
		}
	}
	if got, want := ReservedOrgSlugs(), "configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets, files, runbooks, search, static"; got != want {
		t.Errorf("ReservedOrgSlugs() = %q, want %q", got, want)
	}
}
