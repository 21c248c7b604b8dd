package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText writes diagnostics as `file:line:col: severity: message`, with
// an indented hint line where there is one: the format editors and
// compilers use, so terminals and editors can jump to the place.
func WriteText(w io.Writer, ds []Diagnostic) error {
	for _, d := range ds {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return err
		}
		if d.Hint != "" {
			if _, err := fmt.Fprintf(w, "    hint: %s\n", d.Hint); err != nil {
				return err
			}
		}
	}
	return nil
}

type jsonDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// JSONReport is the document `cairn check --format json` prints.
type JSONReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     any              `json:"summary"`
}

// WriteJSON writes the diagnostics and a summary value as one JSON document.
func WriteJSON(w io.Writer, ds []Diagnostic, summary any) error {
	r := JSONReport{Diagnostics: make([]jsonDiagnostic, 0, len(ds)), Summary: summary}
	for _, d := range ds {
		r.Diagnostics = append(r.Diagnostics, jsonDiagnostic{
			File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col,
			Severity: d.Severity.String(), Code: d.Code, Message: d.Message, Hint: d.Hint,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteGitHub writes diagnostics as GitHub Actions workflow commands, so a
// pull request shows each one on the line it is about.
func WriteGitHub(w io.Writer, ds []Diagnostic) error {
	for _, d := range ds {
		props := "file=" + escapeProperty(d.Pos.File)
		if d.Pos.Line > 0 {
			props += fmt.Sprintf(",line=%d", d.Pos.Line)
		}
		if d.Pos.Col > 0 {
			props += fmt.Sprintf(",col=%d", d.Pos.Col)
		}
		props += ",title=" + escapeProperty("cairn "+d.Code)
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", d.Severity, props, escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
