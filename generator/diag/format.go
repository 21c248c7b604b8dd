package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteText writes diagnostics as `file:line:col: severity: message`, with
// an indented hint line where there is one: the format editors and
// compilers use, so terminals and editors can jump to the place.
//
// Messages quote what a pull request wrote (paths, link targets, keys),
// so every control character in them is written escaped (\x1b, \n, \r,
// \u202e for a bidirectional override): no escape sequence reaches the
// terminal and no line break forges a diagnostic line. A hint keeps its
// line breaks, each followed by an indentation, so no line of a hint
// can pass for a diagnostic.
func WriteText(w io.Writer, ds []Diagnostic) error { return WriteTextColor(w, ds, false) }

// Severity colours of WriteTextColor: bold red, bold yellow, bold cyan.
const (
	colorError   = "\x1b[1;31m"
	colorWarning = "\x1b[1;33m"
	colorInfo    = "\x1b[1;36m"
	colorReset   = "\x1b[0m"
)

// WriteTextColor is WriteText with, when color is true, the severity word
// of each line in colour (ANSI SGR sequences). Only the caller knows
// whether w is a terminal that wants colour; everything taken from the
// site stays escaped as WriteText escapes it.
func WriteTextColor(w io.Writer, ds []Diagnostic, color bool) error {
	for _, d := range ds {
		sev := d.Severity.String()
		if color {
			c := colorError
			switch d.Severity {
			case Warning:
				c = colorWarning
			case Info:
				c = colorInfo
			}
			sev = c + sev + colorReset
		}
		if _, err := fmt.Fprintf(w, "%s: %s: %s\n", Escape(d.Pos.String()), sev, Escape(d.Message)); err != nil {
			return err
		}
		if d.Hint != "" {
			if _, err := fmt.Fprintf(w, "    hint: %s\n", escapeLines(d.Hint, "\n    ")); err != nil {
				return err
			}
		}
	}
	return nil
}

// Escape returns s with every control character (C0, DEL, C1) and every
// bidirectional formatting character written as a Go escape, and invalid
// UTF-8 as \xNN: safe to print on a terminal. Other text is unchanged.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escapeLines escapes each line of s and joins them with sep.
func escapeLines(s, sep string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, sep)
}

// unsafeRune reports whether r must not reach a terminal as it is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
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

// jsonSuppressed is a suppressed diagnostic with the reason given and
// where the suppression is written.
type jsonSuppressed struct {
	jsonDiagnostic
	Reason string `json:"reason"`
	By     string `json:"suppressed_by"`
}

// JSONReport is the document `cairn check --format json` prints.
type JSONReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	// Suppressed are the findings a site suppressed in place with a
	// reason; left out when there are none.
	Suppressed []jsonSuppressed `json:"suppressed,omitempty"`
	Summary    any              `json:"summary"`
}

// Suppressed is a diagnostic that a site suppressed, with the reason it
// gave and where it gave it.
type Suppressed struct {
	Diagnostic
	Reason string
	By     Pos
}

func toJSON(d Diagnostic) jsonDiagnostic {
	return jsonDiagnostic{
		File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col,
		Severity: d.Severity.String(), Code: d.Code, Message: d.Message, Hint: d.Hint,
	}
}

// WriteJSON writes the diagnostics and a summary value as one JSON document.
func WriteJSON(w io.Writer, ds []Diagnostic, summary any) error {
	return WriteJSONSuppressed(w, ds, nil, summary)
}

// WriteJSONSuppressed is WriteJSON with the suppressed findings listed
// under "suppressed", each with its reason and the place of its
// suppression.
func WriteJSONSuppressed(w io.Writer, ds []Diagnostic, sup []Suppressed, summary any) error {
	r := JSONReport{Diagnostics: make([]jsonDiagnostic, 0, len(ds)), Summary: summary}
	for _, d := range ds {
		r.Diagnostics = append(r.Diagnostics, toJSON(d))
	}
	for _, s := range sup {
		r.Suppressed = append(r.Suppressed, jsonSuppressed{jsonDiagnostic: toJSON(s.Diagnostic), Reason: s.Reason, By: s.By.String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteGitHub writes diagnostics as GitHub Actions workflow commands, so a
// pull request shows each one on the line it is about.
func WriteGitHub(w io.Writer, ds []Diagnostic) error {
	for _, d := range ds {
		props := "file=" + escapeProperty(Escape(d.Pos.File))
		if d.Pos.Line > 0 {
			props += fmt.Sprintf(",line=%d", d.Pos.Line)
		}
		if d.Pos.Col > 0 {
			props += fmt.Sprintf(",col=%d", d.Pos.Col)
		}
		props += ",title=" + escapeProperty("cairn "+d.Code)
		msg := Escape(d.Message)
		if d.Hint != "" {
			msg += "\nhint: " + escapeLines(d.Hint, "\n")
		}
		cmd := d.Severity.String()
		if d.Severity == Info {
			cmd = "notice" // GitHub's word for the lowest level
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, props, escapeData(msg)); err != nil {
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
