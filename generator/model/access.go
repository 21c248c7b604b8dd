package model

import "github.com/cairn-it/cairn/generator/tomldoc"

// Access is access.toml: who may see what.
type Access struct {
	Groups  map[string]*Group  `toml:"groups"`
	Users   []User             `toml:"users"`
	Portals map[string]*Portal `toml:"portals"`
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
	Deny []string    `toml:"deny"`
	Pos  tomldoc.Pos `toml:",pos"`
}

// User is a person, for roles and portal membership.
type User struct {
	Email  string      `toml:"email"`
	Name   string      `toml:"name"`
	Role   string      `toml:"role"`
	Groups []string    `toml:"groups"`
	Pos    tomldoc.Pos `toml:",pos"`
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
