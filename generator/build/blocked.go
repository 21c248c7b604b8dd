package build

import (
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// Blocked sorts a checked site's error diagnostics by the portals they
// stop, so that one client's typo does not hold another client's portal
// hostage.
//
// An error belongs to an organization when its file is below
// content/<org>/ and <org> is an organization of the site; it then stops
// every portal of names whose view sees that organization at all, even
// when the file itself is hidden from the portal (a file with errors
// cannot be trusted to say who may see it). Every other error (in
// cairn.toml, access.toml, schemas/, themes/, checklists/, a file of
// content/ outside an organization, or with no file) is site-wide: it is
// returned in siteWide and stops every portal. Warnings are ignored.
//
// byPortal holds, for each portal of names that is stopped, its errors in
// the order given; portals that may be built are absent.
func Blocked(s *model.Site, diags []diag.Diagnostic, names []string) (siteWide []diag.Diagnostic, byPortal map[string][]diag.Diagnostic, err error) {
	orgs := map[string]bool{}
	for _, o := range s.Orgs {
		orgs[o.Slug] = true
	}
	views := make([]*access.View, len(names))
	for i, n := range names {
		if views[i], err = access.NewView(s, n); err != nil {
			return nil, nil, err
		}
	}
	byPortal = map[string][]diag.Diagnostic{}
	for _, d := range diags {
		if d.Severity != diag.Error {
			continue
		}
		org := diagOrg(d.Pos.File)
		if !orgs[org] {
			siteWide = append(siteWide, d)
			continue
		}
		for i, v := range views {
			if v.CanSeeOrg(org) {
				byPortal[names[i]] = append(byPortal[names[i]], d)
			}
		}
	}
	return siteWide, byPortal, nil
}

// diagOrg returns the organization folder a diagnostic's file lies in
// ("content/acme/configurations/fw.toml" is "acme"), or "" when it is
// not below content/<org>/.
func diagOrg(file string) string {
	rest, ok := strings.CutPrefix(file, "content/")
	if !ok {
		return ""
	}
	org, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return org
}
