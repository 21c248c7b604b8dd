package accessreview

import (
	"fmt"
	"sort"
)

// Kinds of change.
const (
	// Added and Removed: the group, user or portal itself appeared in or
	// left access.toml (its gains or losses follow on their own lines).
	Added   = "added"
	Removed = "removed"
	// Gained and Lost: the audience can now read, or no longer reads,
	// Value.
	Gained = "gained"
	Lost   = "lost"
	// Changed: a user's role, or a portal's secrets policy; Value is
	// "OLD -> NEW".
	Changed = "changed"
)

// Aspects of a change, in the order Changes lists them.
const (
	AspectRow     = "row" // Added and Removed
	AspectRole    = "role"
	AspectGroup   = "group"
	AspectPortal  = "portal"
	AspectOrg     = "org"
	AspectType    = "type"
	AspectItem    = "item"
	AspectSecret  = "secret"
	AspectSealed  = "sealed"
	AspectSecrets = "secrets" // a portal's secrets policy
)

// Change is one thing an audience gained or lost between two revisions.
type Change struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Change string `json:"change"`
	Aspect string `json:"aspect"`
	// Value is what was gained or lost: an org slug, a type folder, an
	// item id, a portal or group name, a secret as "ITEM#KEY"; for
	// AspectRow, "".
	Value string `json:"value"`
}

// Changes returns what each audience gained and lost from old to now:
// groups first, then users, then portals, each by name, and within one
// audience in the order of the Aspect constants, values sorted.
//
// Item lines list only items that exist in both revisions and whose
// organization was not itself gained or lost (that organization's own line
// says it): an item added to or deleted from the site is a content change,
// which cairn diff reports, not a change of access. Secret lines list every
// secret gained or lost, of items that exist in both revisions; sealed
// lines, such a secret whose value is now (gained) or no longer (lost)
// carried sealed, whether the audience saw it before (or still sees it)
// or not.
func Changes(old, now *Review) []Change {
	type key struct{ kind, name string }
	oldRows, nowRows := map[key]Row{}, map[key]Row{}
	var keys []key
	for _, r := range old.Rows {
		k := key{r.Kind, r.Name}
		oldRows[k] = r
		keys = append(keys, k)
	}
	for _, r := range now.Rows {
		k := key{r.Kind, r.Name}
		if _, ok := oldRows[k]; !ok {
			keys = append(keys, k)
		}
		nowRows[k] = r
	}
	order := map[string]int{KindGroup: 0, KindUser: 1, KindPortal: 2}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].kind != keys[j].kind {
			return order[keys[i].kind] < order[keys[j].kind]
		}
		return keys[i].name < keys[j].name
	})
	var out []Change
	for _, k := range keys {
		o, inOld := oldRows[k]
		n, inNow := nowRows[k]
		add := func(change, aspect, value string) {
			out = append(out, Change{Kind: k.kind, Name: k.name, Change: change, Aspect: aspect, Value: value})
		}
		switch {
		case !inOld:
			add(Added, AspectRow, "")
		case !inNow:
			add(Removed, AspectRow, "")
		}
		if inOld && inNow && o.Role != n.Role {
			add(Changed, AspectRole, fmt.Sprintf("%s -> %s", orNone(o.Role), orNone(n.Role)))
		}
		if k.kind == KindPortal && inOld && inNow {
			if op, np := o.SecretsPolicy, n.SecretsPolicy; op != np {
				add(Changed, AspectSecrets, fmt.Sprintf("%s -> %s", op, np))
			}
		}
		if k.kind != KindGroup {
			diffLists(o.Groups, n.Groups, AspectGroup, add)
		}
		if k.kind != KindPortal {
			diffLists(o.Portals, n.Portals, AspectPortal, add)
		}
		orgGained, orgLost := diffLists(o.Orgs, n.Orgs, AspectOrg, add)
		diffLists(o.Types, n.Types, AspectType, add)

		var gained, lost []string
		for id := range n.items {
			if !o.items[id] && old.items[id] && !orgGained[orgOf(id)] {
				gained = append(gained, id)
			}
		}
		for id := range o.items {
			if !n.items[id] && now.items[id] && !orgLost[orgOf(id)] {
				lost = append(lost, id)
			}
		}
		emit(gained, lost, AspectItem, add)

		both := func(id string) bool { return old.items[id] && now.items[id] }
		oldSec, nowSec := secretsByName(o.Secrets), secretsByName(n.Secrets)
		gained, lost = nil, nil
		var sealedGained, sealedLost []string
		for name, s := range nowSec {
			if !both(s.Item) {
				continue
			}
			was, ok := oldSec[name]
			if !ok {
				gained = append(gained, name)
			}
			if len(was.SealedIn) == 0 && len(s.SealedIn) > 0 {
				sealedGained = append(sealedGained, name)
			}
		}
		for name, s := range oldSec {
			if !both(s.Item) {
				continue
			}
			is, ok := nowSec[name]
			if !ok {
				lost = append(lost, name)
			}
			if len(s.SealedIn) > 0 && len(is.SealedIn) == 0 {
				sealedLost = append(sealedLost, name)
			}
		}
		emit(gained, lost, AspectSecret, add)
		emit(sealedGained, sealedLost, AspectSealed, add)
	}
	return out
}

// diffLists adds the values gained and lost between two lists and returns
// them as sets.
func diffLists(old, now []string, aspect string, add func(change, aspect, value string)) (gained, lost map[string]bool) {
	o, n := set(old), set(now)
	gained, lost = map[string]bool{}, map[string]bool{}
	var g, l []string
	for v := range n {
		if !o[v] {
			g = append(g, v)
			gained[v] = true
		}
	}
	for v := range o {
		if !n[v] {
			l = append(l, v)
			lost[v] = true
		}
	}
	emit(g, l, aspect, add)
	return gained, lost
}

// emit adds the gained values, then the lost ones, each sorted.
func emit(gained, lost []string, aspect string, add func(change, aspect, value string)) {
	sort.Strings(gained)
	sort.Strings(lost)
	for _, v := range gained {
		add(Gained, aspect, v)
	}
	for _, v := range lost {
		add(Lost, aspect, v)
	}
}

func set(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}

func secretsByName(list []Secret) map[string]Secret {
	m := map[string]Secret{}
	for _, s := range list {
		m[s.String()] = s
	}
	return m
}

// orgOf returns the organization of an item id: its first segment.
func orgOf(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			return id[:i]
		}
	}
	return id
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
