package expiry

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

func TestParseDuration(t *testing.T) {
	jan31 := day(2026, 1, 31)
	cases := []struct {
		in    string
		after string // jan31 plus the duration
		str   string
		err   string
	}{
		{in: "30d", after: "2026-03-02", str: "30d"},
		{in: " 2w ", after: "2026-02-14", str: "14d"},
		{in: "6mo", after: "2026-07-31", str: "6mo"},
		{in: "1mo", after: "2026-03-03", str: "1mo"},
		{in: "1y", after: "2027-01-31", str: "1y"},
		{in: "0d", after: "2026-01-31", str: "0d"},
		{in: "", err: `not a duration: "" does not start with a number (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "d", err: `not a duration: "d" does not start with a number (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "30", err: `not a duration: "30" has no unit (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "6m", err: `not a duration: "6m" has an unknown unit "m" (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "1.5y", err: `not a duration: "1.5y" has an unknown unit ".5y" (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "-3d", err: `not a duration: "-3d" does not start with a number (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "99999999999999999999d", err: `not a duration: "99999999999999999999d" is too large (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{in: "3660001d", err: `not a duration: "3660001d" is too large (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
	}
	for _, c := range cases {
		d, err := ParseDuration(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseDuration(%q) error = %v, want %s", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", c.in, err)
			continue
		}
		if got := d.After(jan31).Format("2006-01-02"); got != c.after {
			t.Errorf("%q after 2026-01-31 = %s, want %s", c.in, got, c.after)
		}
		if d.String() != c.str {
			t.Errorf("%q String = %s, want %s", c.in, d, c.str)
		}
		if back := d.Before(d.After(day(2026, 3, 15))); c.in != "1mo" && !back.Equal(day(2026, 3, 15)) {
			t.Errorf("%q: Before(After(x)) = %s", c.in, back)
		}
	}
	if got := (Duration{Days: 30}).DaysFrom(day(2026, 11, 23)); got != 30 {
		t.Errorf("DaysFrom = %d", got)
	}
	if d, _ := ParseDuration("3660000y"); d.After(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		t.Error("the largest duration overflows")
	}
}

func TestNewPolicyProblems(t *testing.T) {
	cases := []struct {
		name, toml string
		want       []string
	}{
		{"good", "[rotation]\npasswords = \"365d\"\n[rotation.orgs.acme]\npasswords = \"90d\"\n[review]\n\"*\" = \"1y\"\nsops = \"6mo\"\n", nil},
		{"bad duration", "[rotation]\npasswords = \"a year\"\n", []string{`2:13: rotation.passwords: "a year" is not a duration (write a whole number and a unit: 30d, 2w, 6mo, 1y)`}},
		{"not a string", "[review]\nsops = 6\n", []string{`2:8: review.sops must be a duration string, got integer 6 (write sops = "365d")`}},
		{"orgs not a table", "[rotation]\norgs = \"acme\"\n", []string{`2:8: rotation.orgs must be a table of organizations, got the string "acme" (write [rotation.orgs.<org>] tables: passwords = "90d")`}},
		{"org not a table", "[rotation.orgs]\nacme = \"90d\"\n", []string{`2:8: rotation.orgs.acme must be a table of types, got the string "90d" (write [rotation.orgs.acme] with passwords = "90d")`}},
		{"quoted folder key", "[review]\n\"kb/network\" = \"1 year\"\n", []string{`2:16: review."kb/network": "1 year" is not a duration (write a whole number and a unit: 30d, 2w, 6mo, 1y)`}},
		{"zero rotation", "[rotation]\npasswords = \"0d\"\n", []string{`2:13: rotation.passwords: "0d" is no time at all (a cadence is at least 1d: 30d, 2w, 6mo, 1y)`}},
		{"zero review", "[review]\n\"*\" = \"0mo\"\n", []string{`2:7: review."*": "0mo" is no time at all (a cadence is at least 1d: 30d, 2w, 6mo, 1y)`}},
		{"rotation not a table", "rotation = \"365d\"\n", []string{`1:12: rotation must be a table, got the string "365d" (write a [rotation] table: passwords = "365d")`}},
	}
	for _, c := range cases {
		doc, err := tomldoc.Parse([]byte(c.toml))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var cfg model.Config
		if errs := tomldoc.Decode(doc, &cfg); len(errs) > 0 {
			t.Fatalf("%s: %v", c.name, errs)
		}
		_, probs := NewPolicy(cfg)
		var got []string
		for _, p := range probs {
			got = append(got, fmt.Sprintf("%d:%d: %s (%s)", p.Pos.Line, p.Pos.Col, p.Msg, p.Hint))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestPolicyLookups(t *testing.T) {
	doc, _ := tomldoc.Parse([]byte("[rotation]\npasswords = \"365d\"\n[rotation.orgs.acme]\npasswords = \"90d\"\n\"assets/wifi\" = \"2y\"\n[review]\n\"*\" = \"1y\"\nsops = \"6mo\"\n\"sops/network\" = \"3mo\"\n"))
	var cfg model.Config
	tomldoc.Decode(doc, &cfg)
	p, _ := NewPolicy(cfg)
	for _, c := range []struct{ org, typ, want string }{
		{"acme", "passwords", "90d"}, {"beta", "passwords", "365d"}, {"acme", "assets/wifi", "2y"}, {"beta", "assets/wifi", "none"},
	} {
		got := "none"
		if d, ok := p.MaxAge(c.org, c.typ); ok {
			got = d.String()
		}
		if got != c.want {
			t.Errorf("MaxAge(%s, %s) = %s, want %s", c.org, c.typ, got, c.want)
		}
	}
	if got := strings.Join(p.RotationTypes(), ","); got != "assets/wifi,passwords" {
		t.Errorf("RotationTypes = %s", got)
	}
	for _, c := range []struct{ slug, want string }{
		{"readme", `1y [review] "*"`}, {"sops/restore", "6mo [review] sops"}, {"sops/network/vpn", `3mo [review] "sops/network"`}, {"kb/sops/x", `1y [review] "*"`},
	} {
		it := &model.Item{Type: "documents", Slug: c.slug, Fields: &tomldoc.Table{}}
		d, from, _ := p.Cadence(it)
		if got := d.String() + " " + from; got != c.want {
			t.Errorf("Cadence(%s) = %s, want %s", c.slug, got, c.want)
		}
	}
}
