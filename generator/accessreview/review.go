// Package accessreview is cairn access review: the least-privilege audit
// of a site. For every group, user and portal of access.toml it says which
// organizations, types, items and secrets that audience can read and
// through which portals, and, between two revisions, what each gained and
// lost. It never interprets access.toml itself: every answer comes from
// the views portals are built from (access.View), so the review cannot
// disagree with what the portals show.
package accessreview

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// Kinds of rows, in the order a review lists them.
const (
	KindGroup  = "group"
	KindUser   = "user"
	KindPortal = "portal"
)

// Row is what one audience (a group, a user or a portal) can read. Lists
// are sorted and never nil, so JSON shows [] for "none".
type Row struct {
	// Kind is KindGroup, KindUser or KindPortal.
	Kind string `json:"kind"`
	// Name is the group's or portal's name, or the user's email.
	Name string `json:"name"`
	// Role is a user's role ("" for groups and portals). Roles decide who
	// approves changes (cairn codeowners), not what a portal shows.
	Role string `json:"role,omitempty"`
	// SecretsPolicy is a portal's secrets setting, "none" or "sealed"
	// ("" for groups and users).
	SecretsPolicy string `json:"secrets_policy,omitempty"`
	// Groups are a user's or a portal's groups as access.toml lists them;
	// for a group, the group itself.
	Groups []string `json:"groups"`
	// Portals are the portals that reach the audience: for a group, those
	// that list it; for a user, those listing one of the user's groups;
	// for a portal, itself.
	Portals []string `json:"portals"`
	// Orgs are the organizations (slugs) those portals show.
	Orgs []string `json:"orgs"`
	// Types are the type folders of the items those portals show.
	Types []string `json:"types"`
	// Withheld are "ORG/TYPE" pairs of a shown organization and a shown
	// type of which the site has items but those portals show none: what
	// a deny pair hides (or item access lists or archiving hide, when
	// they hide every item of the pair).
	Withheld []string `json:"withheld"`
	// Items is how many items those portals show.
	Items int `json:"items"`
	// Restricted are the ids of the shown items that have an item-level
	// access list.
	Restricted []string `json:"restricted"`
	// Secrets are the secret fields of the shown items: the keys their
	// secrets files hold, never a value.
	Secrets []Secret `json:"secrets"`
	// Notes point out what an auditor should look at (a group in no
	// portal, a portal that widens a group, a user in no group).
	Notes []string `json:"notes"`

	items map[string]bool // the ids shown, for Changes
}

// Secret is one secret field of an item an audience can see: by name
// only. The audience sees that it exists ("stored encrypted") on every
// portal that shows the item; its value travels only in portals with
// secrets = "sealed", encrypted with the portal's passphrase.
type Secret struct {
	// Item is the item's id, Key the field ("password", "otp_secret").
	Item string `json:"item"`
	Key  string `json:"key"`
	// SealedIn are the reaching portals that carry the value sealed.
	SealedIn []string `json:"sealed_in"`
}

// String is "ITEM#KEY".
func (s Secret) String() string { return s.Item + "#" + s.Key }

// Review is the audit of one site.
type Review struct {
	// Rows are the groups (by name), then the users (by email), then the
	// portals (by name).
	Rows []Row `json:"rows"`

	items map[string]bool // every item id of the site
	orgs  map[string]bool // every organization of the site
	types map[string]bool // every type folder with items
}

// Build reviews a site. It reads the top-level keys of the visible items'
// secrets files (never decrypting anything) from files, rooted at the
// site: the site's folder (sitefs.FS) or the tree of the revision it was
// loaded from (gitrev). A secrets file that cannot be read fails the
// review, since its keys would otherwise silently drop out of it.
func Build(site *model.Site, files fs.FS) (*Review, error) {
	b := &builder{site: site, files: files, views: map[string]*access.View{}, keys: map[string][]string{}, reach: map[string]Row{}}
	names := access.Portals(site)
	for _, name := range names {
		v, err := access.NewView(site, name)
		if err != nil {
			return nil, err
		}
		b.views[name] = v
	}
	r := &Review{items: map[string]bool{}, orgs: map[string]bool{}, types: map[string]bool{}}
	for _, it := range site.Items {
		r.items[it.ID] = true
		r.types[it.Type] = true
	}
	for _, o := range site.Orgs {
		r.orgs[o.Slug] = true
	}
	for _, g := range sortedKeys(site.Access.Groups) {
		row, err := b.groupRow(g)
		if err != nil {
			return nil, err
		}
		r.Rows = append(r.Rows, row)
	}
	users := append([]model.User(nil), site.Access.Users...)
	sort.SliceStable(users, func(i, j int) bool { return users[i].Email < users[j].Email })
	times := map[string]int{}
	for _, u := range users {
		times[u.Email]++
	}
	for _, u := range users {
		row, err := b.userRow(u)
		if err != nil {
			return nil, err
		}
		if n := times[u.Email]; n > 1 {
			row.Notes = append(row.Notes, fmt.Sprintf("this email is listed %d times in access.toml", n))
		}
		r.Rows = append(r.Rows, row)
	}
	for _, p := range names {
		row, err := b.row(KindPortal, p, []string{p})
		if err != nil {
			return nil, err
		}
		row.Groups = sortedCopy(site.Access.Portals[p].Groups)
		pol := site.Access.Portals[p].Secrets
		if pol == "" {
			pol = "none"
		}
		row.SecretsPolicy = pol
		row.Notes = append(row.Notes, fmt.Sprintf("secrets = %q", pol))
		if site.Access.Portals[p].Archived {
			row.Notes = append(row.Notes, "shows archived items")
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

type builder struct {
	site  *model.Site
	files fs.FS // the site's files, for the secrets files' keys
	views map[string]*access.View
	keys  map[string][]string // item id -> secret keys, read once
	reach map[string]Row      // portals joined by NUL -> what they show
}

// portalsOf returns the portals that list one of groups, sorted.
func (b *builder) portalsOf(groups []string) []string {
	in := map[string]bool{}
	for _, g := range groups {
		in[g] = true
	}
	out := []string{}
	for _, name := range access.Portals(b.site) {
		for _, g := range b.site.Access.Portals[name].Groups {
			if in[g] && b.site.Access.Groups[g] != nil {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

func (b *builder) groupRow(g string) (Row, error) {
	portals := b.portalsOf([]string{g})
	row, err := b.row(KindGroup, g, portals)
	if err != nil {
		return row, err
	}
	row.Groups = []string{g}
	if len(portals) == 0 {
		own := access.NewGroupsView(b.site, []string{g}, false)
		row.Notes = append(row.Notes, fmt.Sprintf("in no portal: its members read nothing (in a portal it would show %s in %s)", count(len(own.Items()), "item"), count(len(own.Orgs()), "organization")))
	}
	for _, p := range portals {
		if len(b.site.Access.Portals[p].Groups) < 2 {
			continue
		}
		own := access.NewGroupsView(b.site, []string{g}, b.site.Access.Portals[p].Archived)
		extra := 0
		for _, it := range b.views[p].Items() {
			if own.Item(it.ID) == nil {
				extra++
			}
		}
		if extra > 0 {
			row.Notes = append(row.Notes, fmt.Sprintf("portal %s also shows it %d items its own rules do not grant (another group of the portal does)", p, extra))
		}
	}
	return row, nil
}

func (b *builder) userRow(u model.User) (Row, error) {
	row, err := b.row(KindUser, u.Email, b.portalsOf(u.Groups))
	if err != nil {
		return row, err
	}
	row.Role = u.Role
	row.Groups = sortedCopy(u.Groups)
	switch {
	case len(u.Groups) == 0:
		row.Notes = append(row.Notes, "in no group: reaches no portal")
	case len(row.Portals) == 0:
		row.Notes = append(row.Notes, "none of its groups is in a portal")
	}
	for _, g := range row.Groups {
		if b.site.Access.Groups[g] == nil {
			row.Notes = append(row.Notes, fmt.Sprintf("group %q is not defined in access.toml", g))
		}
	}
	return row, nil
}

// row is what the union of the portals' views shows, for one audience.
// Audiences reached by the same portals (the users of one group) share
// one computation.
func (b *builder) row(kind, name string, portals []string) (Row, error) {
	key := strings.Join(portals, "\x00")
	r, ok := b.reach[key]
	if !ok {
		var err error
		if r, err = b.union(portals); err != nil {
			return r, err
		}
		b.reach[key] = r
	}
	r.Kind, r.Name, r.Groups, r.Notes = kind, name, []string{}, []string{}
	return r, nil
}

// union computes what the union of the portals' views shows; the row's
// Kind, Name, Groups and Notes are left for row to fill.
func (b *builder) union(portals []string) (Row, error) {
	row := Row{Portals: portals, Orgs: []string{}, Types: []string{},
		Withheld: []string{}, Restricted: []string{}, Secrets: []Secret{}, items: map[string]bool{}}
	var views []*access.View
	for _, p := range portals {
		views = append(views, b.views[p])
	}
	for _, o := range b.site.Orgs {
		for _, v := range views {
			if v.CanSeeOrg(o.Slug) {
				row.Orgs = append(row.Orgs, o.Slug)
				break
			}
		}
	}
	types := map[string]bool{}
	for _, it := range b.site.Items {
		var sealed []string
		seen := false
		for i, v := range views {
			if v.Item(it.ID) == nil {
				continue
			}
			seen = true
			if v.Portal.Secrets == "sealed" {
				sealed = append(sealed, portals[i])
			}
		}
		if !seen {
			continue
		}
		row.items[it.ID] = true
		row.Items++
		types[it.Type] = true
		if it.Access != nil {
			row.Restricted = append(row.Restricted, it.ID)
		}
		keys, err := b.secretKeys(it)
		if err != nil {
			return row, err
		}
		for _, k := range keys {
			row.Secrets = append(row.Secrets, Secret{Item: it.ID, Key: k, SealedIn: append([]string{}, sealed...)})
		}
	}
	row.Types = sortedKeys(types)
	shownOrg := set(row.Orgs)
	pairs := map[string]bool{}
	for _, it := range b.site.Items {
		if shownOrg[it.Org] && types[it.Type] && !row.items[it.ID] {
			pairs[it.Org+"/"+it.Type] = true
		}
	}
	for _, id := range sortedKeys(row.items) {
		it := b.site.Item(id)
		delete(pairs, it.Org+"/"+it.Type)
	}
	row.Withheld = sortedKeys(pairs)
	return row, nil
}

// secretKeys returns the password fields of the item's type that its
// secrets file holds, in the type's order.
func (b *builder) secretKeys(it *model.Item) ([]string, error) {
	if it.Secrets == "" {
		return nil, nil
	}
	if k, ok := b.keys[it.ID]; ok {
		return k, nil
	}
	data, err := sitefs.ReadFS(b.files, it.Secrets, sitefs.MaxSourceFile)
	if err != nil {
		return nil, fmt.Errorf("reading the keys of %s: %w", it.Secrets, err)
	}
	have := map[string]bool{}
	for _, k := range sopsfile.Keys(data) {
		have[k.Name] = true
	}
	var keys []string
	for _, f := range sopsfile.SecretFields(it.Schema) {
		if have[f] {
			keys = append(keys, f)
		}
	}
	b.keys[it.ID] = keys
	return keys, nil
}

// SealedCount is how many of the row's secrets some reaching portal
// carries sealed.
func (r Row) SealedCount() int {
	n := 0
	for _, s := range r.Secrets {
		if len(s.SealedIn) > 0 {
			n++
		}
	}
	return n
}

// count is "1 item", "2 items".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}
