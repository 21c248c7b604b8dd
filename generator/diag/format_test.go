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

func TestWriteTextColor(t *testing.T) {
	ds := append(hostile(), Diagnostic{Pos: Pos{File: "a.toml", Line: 1, Col: 2}, Severity: Warning, Message: "old"})
	var plain, coloured, off strings.Builder
	if err := WriteText(&plain, ds); err != nil {
		t.Fatal(err)
	}
	if err := WriteTextColor(&coloured, ds, true); err != nil {
		t.Fatal(err)
	}
	if err := WriteTextColor(&off, ds, false); err != nil {
		t.Fatal(err)
	}
	if off.String() != plain.String() {
		t.Error("WriteTextColor without colour differs from WriteText")
	}
	want := strings.Replace(plain.String(), ": error: link", ": \x1b[1;31merror\x1b[0m: link", 1)
	want = strings.Replace(want, "a.toml:1:2: warning: old", "a.toml:1:2: \x1b[1;33mwarning\x1b[0m: old", 1)
	if coloured.String() != want {
		t.Errorf("got  %q\nwant %q", coloured.String(), want)
	}
	// The only escape sequences are the colours: the site's text stays escaped.
	rest := strings.NewReplacer("\x1b[1;31m", "", "\x1b[1;33m", "", "\x1b[0m", "").Replace(coloured.String())
	if rest != plain.String() {
		t.Errorf("colour changed the text:\n%q", rest)
	}
}
