// Package themes embeds cairn's built-in theme, themes/default: the
// html/template templates (templates/*.html) and the static assets
// (static/...) every portal is rendered with. A site overrides any of these
// files by putting its own copy at the same path under its themes/default/
// folder (see docs/theming.md).
package themes

import "embed"

// Default holds the default theme, rooted at "default": files are read as
// "default/templates/layout.html", "default/static/cairn.css" and so on.
//
//go:embed default
var Default embed.FS
