package collab_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/collab"
	"github.com/cairn-it/cairn/generator/schema"
)

func kitFields(t *testing.T) []*schema.Field {
	t.Helper()
	s, probs := schema.Parse("schemas/kit.toml", []byte(kitSchema), "kit", false)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var out []*schema.Field
	for _, f := range s.Fields {
		if f.Kind != schema.Password && f.Kind != schema.Upload && f.Kind != schema.Header {
			out = append(out, f)
		}
	}
	return out
}

// TestApplyForm checks what each kind of submitted value writes: absent
// keys leave fields alone, the hidden empty value beside a checkbox or a
// multiple field clears it, numbers and dates are written bare, other
// text quoted, and a changed textbox as a multi-line string.
func TestApplyForm(t *testing.T) {
	const src = "title = \"Kit\"\nspare = true\naliases = [\"a\", \"b\"]\n"
	tests := []struct {
		name    string
		form    url.Values
		want    string
		changed string
	}{
		{"nothing sent", url.Values{}, src, ""},
		{"unchanged values", url.Values{"f.title": {"Kit"}, "f.spare": {"", "true"}, "f.aliases": {"a\r\nb"}}, src, ""},
		{"untick", url.Values{"f.spare": {""}}, "title = \"Kit\"\nspare = false\naliases = [\"a\", \"b\"]\n", "Spare"},
		{"clear a multiple field", url.Values{"f.aliases": {""}}, "title = \"Kit\"\nspare = true\n", "Aliases"},
		{"bare number and date", url.Values{"f.count": {"+12.5"}, "f.bought": {"2026-01-02"}}, src + "bought = 2026-01-02\ncount = 12.5\n", "Bought, Count"},
		{"a bad date stays text for check", url.Values{"f.bought": {"soon"}}, src + "bought = \"soon\"\n", "Bought"},
		{"textbox", url.Values{"f.details": {"a\r\nb"}}, src + "details = \"\"\"\na\nb\"\"\"\n", "Details"},
		{"quotes", url.Values{"f.title": {`Kit "2"`}}, "title = \"Kit \\\"2\\\"\"\nspare = true\naliases = [\"a\", \"b\"]\n", "Title"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, changed, err := collab.ApplyForm([]byte(src), []byte(src), kitFields(t), tc.form)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want || strings.Join(changed, ", ") != tc.changed {
				t.Errorf("got %q (changed %q), want %q (changed %q)", out, changed, tc.want, tc.changed)
			}
		})
	}
}

// TestApplyFormForged checks that keys outside the editable fields are a
// *ForbiddenError naming the key.
func TestApplyFormForged(t *testing.T) {
	fields := kitFields(t)[:2] // title, grade
	for _, key := range []string{"f.count", "f.secret", "f.access", "g.ports.0.port", "g.title.0.x", "f.title.x", "csrf2"} {
		_, _, err := collab.ApplyForm(nil, nil, fields, url.Values{key: {"1"}})
		var fe *collab.ForbiddenError
		if !errors.As(err, &fe) || fe.Key != key {
			t.Errorf("%s: error %v, want a ForbiddenError", key, err)
		}
	}
}

// TestApplyFormTwice checks that a single field sent twice (which value
// would count?) is a *ForbiddenError, while a checkbox's two inputs and a
// multiple field's many values are not.
func TestApplyFormTwice(t *testing.T) {
	fields := kitFields(t)
	src := []byte("title = \"Kit\"\n\n[[ports]]\nport = 1\n")
	tests := []struct {
		form url.Values
		bad  string
	}{
		{url.Values{"f.title": {"A", "B"}}, "f.title"},
		{url.Values{"f.grade": {"A", "A"}}, "f.grade"},
		{url.Values{"g.ports.0.port": {"2", "3"}}, "g.ports.0.port"},
		{url.Values{"g.ports.new.label": {"x", "y"}}, "g.ports.new.label"},
		{url.Values{"f.spare": {"", "true", "true"}}, "f.spare"},
		{url.Values{"f.spare": {"", "true"}}, ""},
		{url.Values{"f.aliases": {"", "a", "b"}}, ""},
	}
	for _, tc := range tests {
		_, _, err := collab.ApplyForm(src, src, fields, tc.form)
		var fe *collab.ForbiddenError
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%v: error %v, want none", tc.form, err)
		case tc.bad != "" && (!errors.As(err, &fe) || fe.Key != tc.bad):
			t.Errorf("%v: error %v, want a ForbiddenError naming %s", tc.form, err, tc.bad)
		}
	}
}

// TestApplyFormRowThatIsNot checks that a form naming a row the item does
// not have (a forged index, or any index of a new item) is a
// *ForbiddenError, not a key silently left out.
func TestApplyFormRowThatIsNot(t *testing.T) {
	fields := kitFields(t)
	src := []byte("title = \"Kit\"\n\n[[ports]]\nport = 1\n")
	tests := []struct {
		name string
		src  []byte
		key  string
	}{
		{"a row past the last", src, "g.ports.1.port"},
		{"a far row", src, "g.ports.99.label"},
		{"a negative row", src, "g.ports.-1.port"},
		{"removing a row past the last", src, "g.ports.3.remove"},
		{"a row of a new item", nil, "g.ports.0.port"},
	}
	for _, tc := range tests {
		_, _, err := collab.ApplyForm(tc.src, tc.src, fields, url.Values{tc.key: {"2"}})
		var fe *collab.ForbiddenError
		if !errors.As(err, &fe) || fe.Key != tc.key {
			t.Errorf("%s: error %v, want a ForbiddenError naming %s", tc.name, err, tc.key)
		}
	}
}
