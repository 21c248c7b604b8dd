package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONErrors: with --format json every error is one JSON object on
// stderr with the message the text form prints, usage errors included,
// and the exit code does not change.
func TestJSONErrors(t *testing.T) {
	notSite := t.TempDir()
	cases := []struct {
		name string
		args []string
		kind string
		code int
	}{
		{"not a site", []string{"check", "-C", notSite, "--format", "json"}, "fatal", exitFatal},
		{"unknown flag after --format", []string{"check", "--format", "json", "--bogus"}, "usage", exitUsage},
		{"unknown flag before --format", []string{"check", "--bogus", "--format=json"}, "usage", exitUsage},
		{"an argument check does not take", []string{"check", "--format", "json", "extra"}, "usage", exitUsage},
		{"a bad --today", []string{"check", "-C", "../..", "--format", "json", "--today", "spring"}, "usage", exitUsage},
		{"unknown command", []string{"chek", "--format", "json"}, "usage", exitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := cli(t, c.args...)
			var e jsonError
			dec := json.NewDecoder(strings.NewReader(errOut))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&e); err != nil || dec.More() || !strings.HasSuffix(errOut, "}\n") {
				t.Fatalf("stderr is not one JSON object (%v): %q", err, errOut)
			}
			if code != c.code || e.Error.Kind != c.kind || out != "" {
				t.Errorf("exit %d, kind %q, stdout %q; want %d, %q", code, e.Error.Kind, out, c.code, c.kind)
			}
			// The same command without JSON prints the same message as text.
			var text []string
			for i := 0; i < len(c.args); i++ {
				switch a := c.args[i]; {
				case a == "--format":
					i++
				case a != "--format=json":
					text = append(text, a)
				}
			}
			_, _, textErr := cli(t, text...)
			msg, _ := strings.CutPrefix(textErr, "cairn: ")
			msg, _ = strings.CutSuffix(msg, "Run 'cairn --help' for usage.\n")
			if msg != e.Error.Message+"\n" {
				t.Errorf("JSON message %q, text message %q", e.Error.Message, msg)
			}
		})
	}
	// A text format keeps text errors, even with json elsewhere on the line.
	code, _, errOut := cli(t, "check", "--format", "text", "--bogus", "json")
	if code != exitUsage || errOut != "cairn: unknown flag: --bogus\nRun 'cairn --help' for usage.\n" {
		t.Errorf("text: exit %d, %q", code, errOut)
	}
	// Problems in the site: the report is the JSON on stdout, stderr stays
	// empty.
	dir := newSite(t)
	writeFile(t, dir, "content/example/configurations/bad.toml", "name = \"bad\"\nconfiguration_type = \"Toaster\"\n")
	code, out, errOut := cli(t, "check", "-C", dir, "--format", "json")
	if code != exitProblem || errOut != "" || !json.Valid([]byte(out)) {
		t.Errorf("problems: exit %d, stderr %q, stdout JSON %v", code, errOut, json.Valid([]byte(out)))
	}
}

func TestPrintErrorJSONEscapes(t *testing.T) {
	var b strings.Builder
	printError(&b, true, "fatal", "content/a\x1b[2J<b>.toml: \"bad\"\nnext", "")
	if want := `{"error":{"kind":"fatal","message":"content/a\u001b[2J<b>.toml: \"bad\"\nnext"}}` + "\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
