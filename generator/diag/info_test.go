package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// advice is one diagnostic of each severity.
func advice() []Diagnostic {
	return []Diagnostic{
		{Pos: Pos{File: "a.toml", Line: 1, Col: 1}, Severity: Error, Code: "e", Message: "an error"},
		{Pos: Pos{File: "a.toml", Line: 2, Col: 1}, Severity: Warning, Code: "w", Message: "a warning"},
		{Pos: Pos{File: "a.toml", Line: 3, Col: 1}, Severity: Info, Code: "i", Message: "advice", Hint: "do this"},
	}
}

func TestInfoSeverity(t *testing.T) {
	l := &List{}
	for _, d := range advice() {
		l.Add(d)
	}
	if e, w := l.Count(); e != 1 || w != 1 || l.CountInfo() != 1 {
		t.Errorf("Count = %d errors, %d warnings, %d infos; want 1, 1, 1", e, w, l.CountInfo())
	}
	for word, want := range map[string]Severity{"error": Error, "warning": Warning, "info": Info} {
		if got, ok := ParseSeverity(word); !ok || got != want || got.String() != word {
			t.Errorf("ParseSeverity(%q) = %v, %v", word, got, ok)
		}
	}
	if _, ok := ParseSeverity("off"); ok {
		t.Error(`ParseSeverity("off") is a severity`)
	}

	var b bytes.Buffer
	if err := WriteTextColor(&b, advice()[2:], true); err != nil {
		t.Fatal(err)
	}
	if want := "a.toml:3:1: \x1b[1;36minfo\x1b[0m: advice\n    hint: do this\n"; b.String() != want {
		t.Errorf("text: %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := WriteGitHub(&b, advice()[2:]); err != nil {
		t.Fatal(err)
	}
	if want := "::notice file=a.toml,line=3,col=1,title=cairn i::advice%0Ahint: do this\n"; b.String() != want {
		t.Errorf("github: %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := WriteSARIF(&b, advice(), SARIFTool{Name: "cairn"}); err != nil {
		t.Fatal(err)
	}
	for _, level := range []string{`"level": "error"`, `"level": "warning"`, `"level": "note"`} {
		if !strings.Contains(b.String(), level) {
			t.Errorf("sarif lacks %s:\n%s", level, b.String())
		}
	}
}

func TestWriteJSONSuppressed(t *testing.T) {
	sup := []Suppressed{{Diagnostic: advice()[1], Reason: "on purpose", By: Pos{File: "a.toml", Line: 2, Col: 20}}}
	var b bytes.Buffer
	if err := WriteJSONSuppressed(&b, advice()[:1], sup, map[string]int{"errors": 1}); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Diagnostics []map[string]any
		Suppressed  []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Diagnostics) != 1 || len(r.Suppressed) != 1 || r.Suppressed[0]["reason"] != "on purpose" ||
		r.Suppressed[0]["suppressed_by"] != "a.toml:2:20" || r.Suppressed[0]["code"] != "w" {
		t.Errorf("got %s", b.String())
	}
	b.Reset()
	if err := WriteJSON(&b, advice()[:1], nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "suppressed") {
		t.Errorf("no suppressions, but a suppressed key:\n%s", b.String())
	}
}
