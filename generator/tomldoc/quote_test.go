package tomldoc

import "testing"

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`a "b" \c`, `"a \"b\" \\c"`},
		{"tab\tnl\ndel\x7f", `"tab\u0009nl\u000Adel\u007F"`},
		{"ünï", `"ünï"`},
	} {
		got := Quote(c.in)
		if got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
		}
		root, err := Parse([]byte("k = " + got))
		if err != nil || root.Get("k").Str != c.in {
			t.Errorf("Quote(%q) = %s does not read back: %v", c.in, got, err)
		}
	}
}
