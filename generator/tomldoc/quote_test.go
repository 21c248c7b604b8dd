package tomldoc

import "testing"

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`a "b" \c`, `"a \"b\" \\c"`},
		{"tab\tnl\ndel\x7f", `"tab\tnl\ndel\u007F"`},
		{"ret\r esc\x1b[2J", `"ret\r esc\u001B[2J"`},
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
