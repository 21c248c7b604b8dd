package site_test

import "testing"

// The [forge] URL patterns of cairn.toml: a valid pair passes, and each
// fault is an error at the value (at the placeholder for placeholder
// faults) saying what to write.
func TestForgePatternRules(t *testing.T) {
	const head = "title = \"Test site\"\nexpiry_window_days = 30\n[forge]\n"
	runRules(t, []ruleCase{
		{"valid GitHub patterns", []fault{write("cairn.toml", head+
			"commit_url = \"https://github.com/org/docs/commit/{commit}\"\nedit_url = \"https://github.com/org/docs/edit/main/{path}\"\n")}, ""},
		{"unknown placeholder", []fault{write("cairn.toml", head+"commit_url = \"https://github.com/org/docs/commit/{sha}\"\n")},
			`cairn.toml:4:50: error [invalid-value]: [forge] commit_url "https://github.com/org/docs/commit/{sha}" has unknown placeholder {sha} (use {commit})
    hint: write a URL with placeholders, like commit_url = "https://github.com/ORG/REPO/commit/{commit}" (docs/history.md)
`},
		{"edit URL without a path", []fault{write("cairn.toml", head+"edit_url = \"https://gitlab.com/org/docs/-/edit/main\"\n")},
			`cairn.toml:4:12: error [invalid-value]: [forge] edit_url "https://gitlab.com/org/docs/-/edit/main" has no {path} placeholder
    hint: write a URL with placeholders, like edit_url = "https://github.com/ORG/REPO/edit/main/{path}" (docs/history.md)
`},
		{"not a web address", []fault{write("cairn.toml", head+"commit_url = \"javascript:alert(1)//{commit}\"\n")},
			`cairn.toml:4:14: error [invalid-value]: [forge] commit_url "javascript:alert(1)//{commit}" is not an absolute http(s) URL
    hint: write a URL with placeholders, like commit_url = "https://github.com/ORG/REPO/commit/{commit}" (docs/history.md)
`},
		{"unknown key", []fault{write("cairn.toml", head+"commits_url = \"https://github.com/org/docs/commit/{commit}\"\n")},
			`cairn.toml:4:1: error [unknown-field]: unknown key "forge.commits_url"
    hint: did you mean "commit_url"?
`},
	})
}
