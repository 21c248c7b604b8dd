package diag

import (
	"bytes"
	"strings"
	"testing"
)

// hostile is a diagnostic quoting what a pull request wrote: a link path
// with %1B and %0A decoded into an escape sequence and a forged line.
func hostile() []Diagnostic {
	return []Diagnostic{{
		Pos:     Pos{File: "content/acme/documents/x\x1b[2J.md", Line: 3, Col: 1},
		Message: "link to \"../files/a\x1b]0;pwned\x07\nfake.md:1:1: error: all good\r\x9b31m\u202etxt.exe\" is broken",
		Hint:    "check \x1b[31mthe path\nsecond line\x00",
	}}
}

func TestWriteTextEscapesControlCharacters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, hostile()); err != nil {
		t.Fatal(err)
	}
	want := `content/acme/documents/x\x1b[2J.md:3:1: error: link to "../files/a\x1b]0;pwned\x07\nfake.md:1:1: error: all good\r\x9b31m\u202etxt.exe" is broken` + "\n" +
		`    hint: check \x1b[31mthe path` + "\n" +
		`    second line\x00` + "\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	assertNoControl(t, b.String())
}

func TestOtherOutputsEscapeControlCharacters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, hostile()); err != nil {
		t.Fatal(err)
	}
	assertNoControl(t, b.String())
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("a GitHub annotation spans several lines:\n%s", b.String())
	}
	var l List
	for _, d := range hostile() {
		l.Add(d)
	}
	assertNoControl(t, l.Err().Error()+"\n")
}

// assertNoControl fails when out has a control character other than the
// line breaks that end lines, or a bidirectional override.
func assertNoControl(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x202e {
			t.Fatalf("control character %U at byte %d reaches the terminal", r, i)
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain, ünïcode ok": "plain, ünïcode ok",
		"tab\there":         `tab\there`,
		"del\x7f":           `del\x7f`,
		"bad \xff utf8":     `bad \xff utf8`,
		"lrm\u200e":         `lrm\u200e`,
		"csi\u009b":         `csi\u009b`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}
