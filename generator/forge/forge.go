// Package forge turns the URL patterns of cairn.toml's [forge] table into
// links to a forge's commit and edit pages (GitHub, GitLab, Gitea), and
// says what is wrong with a pattern.
package forge

import (
	"fmt"
	"net/url"
	"strings"
)

// Placeholders a pattern may hold.
const (
	// Commit is the full hex hash of a commit.
	Commit = "commit"
	// Path is a file's path relative to the repository's top, each
	// segment percent-escaped.
	Path = "path"
)

// Kind is one of cairn.toml's patterns: which placeholders it must and may
// hold.
type Kind struct {
	Key      string   // the key in [forge], for messages
	Required []string // placeholders it must hold
	Allowed  []string // every placeholder it may hold
	Example  string   // a valid pattern, for hints
}

// The patterns of [forge].
var (
	CommitURL = Kind{Key: "commit_url", Required: []string{Commit}, Allowed: []string{Commit},
		Example: "https://github.com/ORG/REPO/commit/{commit}"}
	EditURL = Kind{Key: "edit_url", Required: []string{Path}, Allowed: []string{Path, Commit},
		Example: "https://github.com/ORG/REPO/edit/main/{path}"}
)

// Problem says what is wrong with a pattern of kind k, "" when it is
// valid: an unknown or unclosed placeholder, a required one missing, or
// something other than an absolute http(s) URL once placeholders are
// filled. Offset is the byte offset in the pattern the problem is at.
func Problem(k Kind, pattern string) (problem string, offset int) {
	seen := map[string]bool{}
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '}':
			return "has a \"}\" without \"{\"", i
		case '{':
			end := strings.IndexByte(pattern[i:], '}')
			if end < 0 {
				return "has a \"{\" that is not closed", i
			}
			name := pattern[i+1 : i+end]
			if !contains(k.Allowed, name) {
				return fmt.Sprintf("has unknown placeholder {%s} (%s)", name, placeholders(k.Allowed)), i
			}
			seen[name] = true
			i += end
		}
	}
	for _, r := range k.Required {
		if !seen[r] {
			return fmt.Sprintf("has no {%s} placeholder", r), 0
		}
	}
	vals := map[string]string{Commit: strings.Repeat("0", 40), Path: "content/a.toml"}
	u, err := url.Parse(Expand(pattern, vals))
	if err != nil {
		return "is not a URL: " + strings.TrimPrefix(err.Error(), "parse "), 0
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "is not an absolute http(s) URL", 0
	}
	return "", 0
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func placeholders(names []string) string {
	var b []string
	for _, n := range names {
		b = append(b, "{"+n+"}")
	}
	return "use " + strings.Join(b, " or ")
}

// Expand fills the placeholders of a pattern that Problem accepts: values
// of Path are escaped segment by segment, others as one path segment.
// Placeholders without a value stay as they are.
func Expand(pattern string, vals map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		end := strings.IndexByte(pattern[i:], '}')
		if end < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		name := pattern[i+1 : i+end]
		v, ok := vals[name]
		b.WriteString(pattern[:i])
		switch {
		case !ok:
			b.WriteString(pattern[i : i+end+1])
		case name == Path:
			segs := strings.Split(v, "/")
			for j, s := range segs {
				segs[j] = url.PathEscape(s)
			}
			b.WriteString(strings.Join(segs, "/"))
		default:
			b.WriteString(url.PathEscape(v))
		}
		pattern = pattern[i+end+1:]
	}
}
