package model

import (
	"fmt"
	"strings"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Access is access.toml: who may see what.
type Access struct {
	Groups  map[string]*Group  `toml:"groups"`
	Users   []User             `toml:"users"`
	Portals map[string]*Portal `toml:"portals"`
	// Codeowners is the [codeowners] table; nil when there is none.
	Codeowners *Codeowners `toml:"codeowners"`
}

// Codeowners is access.toml's [codeowners] table: settings of the
// CODEOWNERS file cairn codeowners writes.
type Codeowners struct {
	// Site are the forge handles that own the site-wide files (schemas,
	// themes, access.toml, ...). nil (no site key) means the forge handles
	// of every admin; an explicit empty list is an error in check.
	Site []string    `toml:"site"`
	Pos  tomldoc.Pos `toml:",pos"`
}

// Group is a set of readers and what they may see.
type Group struct {
	Description string `toml:"description"`
	// Orgs are org slugs, or "*" for all.
	Orgs []string `toml:"orgs"`
	// Types are allowed type folders; nil (no types key) means all. An
	// explicit empty list (types = []) is non-nil and allows no type; check
	// reports it as an error.
	Types []string `toml:"types"`
	// Deny are "<org|*>/<type|*>" pairs never shown; empty denies nothing.
	Deny []string `toml:"deny"`
	// Team is the forge team (or group) whose members edit what the group
	// sees, like "@northwind-it/technicians"; "" for none. It owns those
	// folders in CODEOWNERS.
	Team string `toml:"team"`
	// Edit are the group's rights in cairn collab; nil when its members
	// may suggest no change.
	Edit *Edit       `toml:"edit"`
	Pos  tomldoc.Pos `toml:",pos"`
	// Suppress are advisor findings about the group suppressed in place.
	Suppress []Suppress `toml:"suppress"`
}

// Edit is a group's [groups.<name>.edit] table: what its members may
// suggest changing through cairn collab. Every right is bounded by what the
// group may see; check rejects rights beyond it.
type Edit struct {
	// Types are the type folders (or "assets" for every flexible type)
	// whose items the members may change.
	Types []string `toml:"types"`
	// Fields limit, per type folder, which fields may be changed; a type
	// without an entry allows every field of its schema (never reserved
	// keys such as access, never secret values).
	Fields map[string][]string `toml:"fields"`
	// Create are the type folders in which members may add items.
	Create []string `toml:"create"`
	// Tasks is which checklist tasks members may tick: EditTasksAll,
	// EditTasksAssigned, or "" for none.
	Tasks string      `toml:"tasks"`
	Pos   tomldoc.Pos `toml:",pos"`
}

// Values of Edit.Tasks.
const (
	// EditTasksAll lets members tick every task of the checklists they see.
	EditTasksAll = "all"
	// EditTasksAssigned lets members tick the tasks assigned to them
	// ("@handle" matching their forge handle).
	EditTasksAssigned = "assigned"
)

// User is a person, for roles and portal membership.
type User struct {
	Email  string   `toml:"email"`
	Name   string   `toml:"name"`
	Role   string   `toml:"role"`
	Groups []string `toml:"groups"`
	// Forge is the user's handle on the git forge (GitHub, GitLab,
	// Gitea), like "@dana"; "" for none. It names the user in CODEOWNERS.
	Forge string      `toml:"forge"`
	Pos   tomldoc.Pos `toml:",pos"`
	// Suppress are advisor findings about the user suppressed in place.
	Suppress []Suppress `toml:"suppress"`
}

// Portal is one static site for one audience. History is what its
// "recently changed" lists show of each commit: HistoryDates,
// HistoryFull, or "" for the default that access.View.ShowsGitMetadata
// decides.
type Portal struct {
	Name     string      `toml:"-"`
	Title    string      `toml:"title"`
	Groups   []string    `toml:"groups"`
	Secrets  string      `toml:"secrets"`
	Archived bool        `toml:"archived"`
	History  string      `toml:"history"`
	Pos      tomldoc.Pos `toml:",pos"`
	// Suppress are advisor findings about the portal suppressed in place.
	Suppress []Suppress `toml:"suppress"`
}

// Values of Portal.History.
const (
	// HistoryDates shows only the date of each change: no commit subject,
	// no author name.
	HistoryDates = "dates"
	// HistoryFull shows the date, the commit subject and the author name.
	HistoryFull = "full"
)

// Roles are the allowed values of User.Role.
var Roles = []string{"admin", "manager", "editor", "creator", "readonly", "lite"}

// OwnerRoles are the roles whose users own, in CODEOWNERS, what their
// groups see: the roles that may change and delete documentation.
var OwnerRoles = []string{"admin", "manager", "editor"}

// ForgeHandleProblem says what is wrong with a forge handle written in
// access.toml, or "" when it is valid. A handle is "@" and a name of
// letters, digits, ".", "_" and "-" (not starting with "." or "-"); a
// team handle (team true) may name a team or nested group after slashes:
// "@org/team", "@group/subgroup". The rule keeps every handle one token
// of a CODEOWNERS line: no spaces, "#" or line breaks.
func ForgeHandleProblem(h string, team bool) string {
	const max = 255
	if len(h) > max {
		return fmt.Sprintf("is longer than %d characters", max)
	}
	if !strings.HasPrefix(h, "@") {
		return "does not start with @"
	}
	segs := strings.Split(h[1:], "/")
	if len(segs) > 1 && !team {
		return "names a team (it has a /); a user's handle is one name"
	}
	for _, seg := range segs {
		if seg == "" {
			return "has an empty name"
		}
		if seg[0] == '.' || seg[0] == '-' {
			return fmt.Sprintf("has a name starting with %q", seg[0])
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				return fmt.Sprintf("has the character %q (names are letters, digits, \".\", \"_\" and \"-\")", r)
			}
		}
	}
	return ""
}
