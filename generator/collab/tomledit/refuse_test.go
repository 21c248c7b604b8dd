package tomledit_test

import (
	"errors"
	"testing"

	"github.com/cairn-it/cairn/generator/collab/tomledit"
)

// TestRefusals checks that edits the package cannot make in place fail
// with ErrNotInPlace and the exact message, instead of reformatting.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name, src string
		edit      func(*tomledit.Doc) error
		want      string
	}{
		{"dotted key", "a.b = 1\n", func(d *tomledit.Doc) error { return d.Set("a", tomledit.Raw("2")) }, `key "a" is dotted: cannot be rewritten in place`},
		{"inline rows", "emails = [{type = \"Work\"}]\n", func(d *tomledit.Doc) error {
			return d.AppendRow("emails", []tomledit.KV{{Key: "type", Value: tomledit.String("x")}})
		}, `"emails" is not written as [[emails]] rows: cannot be rewritten in place`},
		{"missing row", "[[emails]]\ntype = \"Work\"\n", func(d *tomledit.Doc) error { return d.DeleteRow("emails", 1) }, `"emails" has no row 2`},
		{"shared line", "a = 1 ; b = 2\n", nil, ""},
		{"twice", "a = 1\n", func(d *tomledit.Doc) error {
			if err := d.Set("a", tomledit.Raw("2")); err != nil {
				return err
			}
			return d.Set("a", tomledit.Raw("3"))
		}, `two edits of the same place: cannot be rewritten in place`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tomledit.Parse([]byte(tc.src))
			if tc.edit == nil {
				if err == nil {
					t.Fatal("invalid TOML parsed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			err = tc.edit(d)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if tc.want != `"emails" has no row 2` && !errors.Is(err, tomledit.ErrNotInPlace) {
				t.Errorf("error does not wrap ErrNotInPlace")
			}
		})
	}
}

// TestBadValueRefused checks that a Raw value that breaks the document is
// caught by Bytes rather than written.
func TestBadValueRefused(t *testing.T) {
	d, err := tomledit.Parse([]byte("a = 1\nb = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Set("a", tomledit.Raw("1\nb = 3")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Bytes(); !errors.Is(err, tomledit.ErrNotInPlace) {
		t.Fatalf("error %v, want ErrNotInPlace", err)
	}
}
