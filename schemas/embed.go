// Package schemas embeds cairn's built-in core type schemas (core/*.toml),
// which no site can change, and the default flexible asset templates
// (*.toml) that `cairn init` copies into a new site.
package schemas

import "embed"

// Core holds core/<type>.toml for every built-in type.
//
//go:embed core/*.toml
var Core embed.FS

// Defaults holds the default flexible asset templates, <type>.toml.
//
//go:embed *.toml
var Defaults embed.FS
