package secrets

import "testing"

func TestEditTOMLDate(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"replace", "name = \"x\"\nlast_rotated = 2020-01-01 # old\n", "name = \"x\"\nlast_rotated = 2026-11-20 # old\n"},
		{"add after scalars", "# c\nname = \"x\"\nnotes = \"\"\"\na = 1\n\"\"\"\n\n[[interfaces]]\nname = \"e0\"\n", "# c\nname = \"x\"\nlast_rotated = 2026-11-20\nnotes = \"\"\"\na = 1\n\"\"\"\n\n[[interfaces]]\nname = \"e0\"\n"},
		{"no newline at end", "name = \"x\"", "name = \"x\"\nlast_rotated = 2026-11-20\n"},
		{"empty", "", "last_rotated = 2026-11-20\n"},
	} {
		got, err := EditTOMLDate([]byte(c.in), "last_rotated", "2026-11-20")
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}
