package forge

import "testing"

func TestProblem(t *testing.T) {
	tests := []struct {
		kind    Kind
		pattern string
		want    string
		offset  int
	}{
		{CommitURL, "https://github.com/org/repo/commit/{commit}", "", 0},
		{CommitURL, "https://gitlab.com/org/repo/-/commit/{commit}", "", 0},
		{CommitURL, "https://gitea.example.com/org/repo/commit/{commit}", "", 0},
		{EditURL, "https://github.com/org/repo/edit/main/{path}", "", 0},
		{EditURL, "https://gitlab.com/org/repo/-/edit/main/{path}", "", 0},
		{EditURL, "https://gitea.example.com/org/repo/_edit/main/{path}", "", 0},
		{CommitURL, "https://github.com/org/repo/commit/{sha}", "has unknown placeholder {sha} (use {commit})", 35},
		{EditURL, "https://github.com/org/repo/edit/{branch}/{path}", "has unknown placeholder {branch} (use {path} or {commit})", 33},
		{CommitURL, "https://github.com/org/repo/commit/{commit", `has a "{" that is not closed`, 35},
		{CommitURL, "https://github.com/org/repo/commit/commit}", `has a "}" without "{"`, 41},
		{CommitURL, "https://github.com/org/repo/commits", "has no {commit} placeholder", 0},
		{EditURL, "https://github.com/org/repo/edit/main/{commit}", "has no {path} placeholder", 0},
		{CommitURL, "javascript:alert(1)//{commit}", "is not an absolute http(s) URL", 0},
		{CommitURL, "/org/repo/commit/{commit}", "is not an absolute http(s) URL", 0},
	}
	for _, tc := range tests {
		got, off := Problem(tc.kind, tc.pattern)
		if got != tc.want || off != tc.offset {
			t.Errorf("Problem(%s, %q) = %q at %d, want %q at %d", tc.kind.Key, tc.pattern, got, off, tc.want, tc.offset)
		}
	}
}

func TestExpand(t *testing.T) {
	vals := map[string]string{Commit: "0123abcd", Path: "docs site/content/a b/x#1.md"}
	tests := []struct{ pattern, want string }{
		{"https://github.com/o/r/commit/{commit}", "https://github.com/o/r/commit/0123abcd"},
		{"https://github.com/o/r/edit/main/{path}", "https://github.com/o/r/edit/main/docs%20site/content/a%20b/x%231.md"},
		{"https://gitea.example.com/o/r/src/commit/{commit}/{path}", "https://gitea.example.com/o/r/src/commit/0123abcd/docs%20site/content/a%20b/x%231.md"},
	}
	for _, tc := range tests {
		if got := Expand(tc.pattern, vals); got != tc.want {
			t.Errorf("Expand(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}
