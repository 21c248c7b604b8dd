package access_test

import (
	"testing"

	"github.com/cairn-it/cairn/generator/access"
)

// TestGroupsViewIsAPortalsView: the view of a set of groups is the view
// of a portal of those groups, by the same rule.
func TestGroupsViewIsAPortalsView(t *testing.T) {
	s := openDoor(t)
	for _, portal := range access.Portals(s) {
		p := view(t, s, portal)
		g := access.NewGroupsView(s, p.Portal.Groups, p.Portal.Archived)
		if ids(g.Items()) != ids(p.Items()) || len(g.Orgs()) != len(p.Orgs()) {
			t.Errorf("portal %s: groups view %s, portal view %s", portal, ids(g.Items()), ids(p.Items()))
		}
	}
	if got := ids(access.NewGroupsView(s, []string{"other", "no-such-group"}, false).Items()); got != "other/configurations/x1" {
		t.Errorf("other and an unknown group: %s", got)
	}
	if got := ids(access.NewGroupsView(s, nil, false).Items()); got != "" {
		t.Errorf("no groups: %s", got)
	}
}
