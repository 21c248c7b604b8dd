package serve

import (
	"strings"
	"testing"
)

// A problem names files and values from the site, which a pull request
// controls: printed on the terminal, it must carry no control character.
func TestProblemStringEscapesControlCharacters(t *testing.T) {
	p := Problem{Pos: "content/acme/documents/x\x1b[2J.md:3:1", Message: "link \"a\x1b]0;owned\x07\nb\": no such item"}
	got := p.String()
	if strings.ContainsAny(got, "\x1b\x07\n") {
		t.Fatalf("String() = %q: control characters reach the terminal", got)
	}
	if !strings.Contains(got, `\x1b`) {
		t.Errorf("String() = %q: the escape is not shown as text", got)
	}
}
