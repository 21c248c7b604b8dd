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
	// Types are allowed type folders; empty means all.
	Types []string `toml:"types"`
	// Deny are "<org|*>/<type|*>" pairs never shown.
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

// Portal is one static site for one audience.
type Portal struct {
	Name     string      `toml:"-"`
	Title    string      `toml:"title"`
	Groups   []string    `toml:"groups"`
	Secrets  string      `toml:"secrets"`
	Archived bool        `toml:"archived"`
	Pos      tomldoc.Pos `toml:",pos"`
}

// Roles are the allowed values of User.Role.
var Roles = []string{"admin", "manager", "editor", "creator", "readonly", "lite"}
