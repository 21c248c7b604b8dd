package schema

import (
	"fmt"
	"strings"
	"testing"
)

func TestSchemaLimits(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ", ")
	}
	cases := []struct {
		name, src, want string
	}{
		{"huge decimals", "name = \"N\"\n[[fields]]\nname = \"speed\"\nkind = \"number\"\ndecimals = 1000000000\n",
			`5:12: field "speed": decimals is 1000000000; it must be between 0 and 15 (hint: decimals is the number of digits after the decimal point, 0 to 15)`},
		{"negative decimals", "name = \"N\"\n[[fields]]\nname = \"speed\"\nkind = \"number\"\ndecimals = -5\n",
			`5:12: field "speed": decimals is -5; it must be between 0 and 15 (hint: decimals is the number of digits after the decimal point, 0 to 15)`},
		{"infinite min", "name = \"N\"\n[[fields]]\nname = \"speed\"\nkind = \"number\"\nmin = -inf\n",
			`5:7: field "speed": min must be a finite number (hint: leave it out for no bound)`},
		{"nan max", "name = \"N\"\n[[fields]]\nname = \"speed\"\nkind = \"number\"\nmax = nan\n",
			`5:7: field "speed": max must be a finite number (hint: leave it out for no bound)`},
		{"too many options", "name = \"N\"\n[[fields]]\nname = \"os\"\nkind = \"select\"\noptions = [" + many(1001, func(i int) string { return fmt.Sprintf("%q", fmt.Sprint(i)) }) + "]\n",
			`5:12: field "os": 1001 options; the limit is 1000 (hint: use a text field, or a tag field linking to items)`},
		{"empty option", "name = \"N\"\n[[fields]]\nname = \"os\"\nkind = \"select\"\noptions = [\"a\", \" \"]\n",
			`5:17: field "os": option 2 is empty (hint: remove it)`},
		{"duplicate option", "name = \"N\"\n[[fields]]\nname = \"os\"\nkind = \"select\"\noptions = [\"a\", \"a\"]\n",
			`5:17: field "os": option "a" is listed twice (hint: remove the second one)`},
		{"long option", "name = \"N\"\n[[fields]]\nname = \"os\"\nkind = \"select\"\noptions = [\"" + strings.Repeat("é", 201) + "\"]\n",
			`5:12: field "os": option 1 is 201 characters long; the limit is 200 (hint: shorten it)`},
		{"option with line break", "name = \"N\"\n[[fields]]\nname = \"os\"\nkind = \"select\"\noptions = [\"a\\nb\"]\n",
			`5:12: field "os": option 1 has a line break (hint: an option is one line)`},
		{"too many targets", "name = \"N\"\n[[fields]]\nname = \"t\"\nkind = \"tag\"\ntargets = [" + many(101, func(int) string { return `"assets"` }) + "]\n",
			`5:12: field "t": 101 targets; the limit is 100 (hint: target "assets" for every flexible type)`},
		{"long label", "name = \"N\"\n[[fields]]\nname = \"t\"\nkind = \"text\"\nlabel = \"" + strings.Repeat("x", 201) + "\"\n",
			`5:9: field "t": label is 201 characters long; the limit is 200 (hint: shorten it; longer explanations belong in a document)`},
		{"long description", "name = \"N\"\ndescription = \"" + strings.Repeat("x", 2001) + "\"\n",
			`2:15: description is 2001 characters long; the limit is 2000 (hint: shorten it; longer explanations belong in a document)`},
		{"long field name", "name = \"N\"\n[[fields]]\nname = \"" + strings.Repeat("a", 65) + "\"\nkind = \"text\"\n",
			`3:8: field "` + strings.Repeat("a", 65) + `": the name is 65 bytes long; the limit is 64 (hint: use a shorter name and set label for display)`},
		{"too many fields", "name = \"N\"\n" + strings.Repeat("[[fields]]\nname = \"f\"\nkind = \"text\"\n", 201),
			`2:3: the schema has 201 fields; the limit is 200 (hint: split the type in two)`},
		{"too many group fields", "name = \"N\"\n[[fields]]\nname = \"g\"\nkind = \"group\"\n" + strings.Repeat("[[fields.fields]]\nname = \"f\"\nkind = \"text\"\n", 201),
			`5:3: group field "g" has 201 fields; the limit is 200 (hint: split the type in two)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, probs := Parse("schemas/x.toml", []byte(c.src), "x", false)
			var got []string
			for _, p := range probs {
				s := fmt.Sprintf("%d:%d: %s", p.Pos.Line, p.Pos.Col, p.Msg)
				if p.Hint != "" {
					s += " (hint: " + p.Hint + ")"
				}
				got = append(got, s)
			}
			for _, g := range got {
				if g == c.want {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), c.want)
		})
	}
}

// Options within the limits pass.
func TestSchemaWithinLimits(t *testing.T) {
	src := "name = \"N\"\n[[fields]]\nname = \"speed\"\nkind = \"number\"\ndecimals = 15\nmin = -1e300\nmax = 1e300\n" +
		"[[fields]]\nname = \"zero\"\nkind = \"number\"\ndecimals = 0\n"
	if _, probs := Parse("schemas/x.toml", []byte(src), "x", false); len(probs) > 0 {
		t.Fatalf("problems: %+v", probs)
	}
}
