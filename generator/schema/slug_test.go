package schema

import (
	"regexp"
	"testing"
)

// slugRe is what IsSlug was, and must answer as.
var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestIsSlug(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"acme", true}, {"acme-2", true}, {"a-b-c", true}, {"0", true},
		{"", false}, {"-", false}, {"-acme", false}, {"acme-", false}, {"ac--me", false},
		{"Acme", false}, {"ac_me", false}, {"ac me", false}, {"acmé", false}, {"a/b", false},
	} {
		if got := IsSlug(c.s); got != c.want {
			t.Errorf("IsSlug(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// FuzzIsSlug: IsSlug answers as the regex it replaces.
func FuzzIsSlug(f *testing.F) {
	for _, s := range []string{"acme", "a-b", "-a", "a--b", "A", "é", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsSlug(s), slugRe.MatchString(s); got != want {
			t.Errorf("IsSlug(%q) = %v, the regex says %v", s, got, want)
		}
	})
}
