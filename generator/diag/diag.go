// Package diag holds the positioned diagnostics every stage of cairn reports:
// a file, line and column, a severity, a message and an optional hint.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Severity says whether a diagnostic fails a check.
type Severity int

const (
	// Error fails `cairn check` and stops a build.
	Error Severity = iota
	// Warning is reported but fails only under --strict.
	Warning
	// Info is advice: reported, never failing a check, not even under
	// --strict. Only advisor rules use it (docs/advisor.md).
	Info
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// ParseSeverity returns the severity a word names ("error", "warning",
// "info"), and false for any other word.
func ParseSeverity(word string) (Severity, bool) {
	switch word {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "info":
		return Info, true
	}
	return Error, false
}

// Pos is a place in a file of the site. File is slash-separated and relative
// to the site root. Line and Col start at 1; zero means unknown (the whole
// file, or the whole line).
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// Diagnostic is one problem found in a site.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	// Code names the rule that found the problem (e.g. "unknown-field"); it
	// is stable, documented in docs/check.md, and usable in filters.
	Code    string
	Message string
	// Hint, when set, says how to fix the problem.
	Hint string
}

// String formats the diagnostic as `file:line:col: severity: message`.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Message)
}

// List collects diagnostics. It is safe for concurrent use; the zero value
// is ready.
type List struct {
	mu    sync.Mutex
	items []Diagnostic
}

// Add records a diagnostic.
func (l *List) Add(d Diagnostic) {
	l.mu.Lock()
	l.items = append(l.items, d)
	l.mu.Unlock()
}

// Errorf records an error at pos.
func (l *List) Errorf(pos Pos, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Error, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at pos.
func (l *List) Warnf(pos Pos, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Warning, Code: code, Message: fmt.Sprintf(format, args...)})
}

// ErrorHint records an error at pos with a hint on how to fix it.
func (l *List) ErrorHint(pos Pos, code, hint, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Error, Code: code, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Merge appends every diagnostic of other.
func (l *List) Merge(other *List) {
	if other == nil {
		return
	}
	for _, d := range other.Sorted() {
		l.Add(d)
	}
}

// Sorted returns the diagnostics ordered by file, line, column, then
// message, so output is the same whatever order workers finished in.
func (l *List) Sorted() []Diagnostic {
	l.mu.Lock()
	out := append([]Diagnostic(nil), l.items...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Message < b.Message
	})
	return out
}

// Count returns how many errors and warnings the list holds; info
// diagnostics count as neither (CountInfo).
func (l *List) Count() (errors, warnings int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range l.items {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// CountInfo returns how many info diagnostics the list holds.
func (l *List) CountInfo() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, d := range l.items {
		if d.Severity == Info {
			n++
		}
	}
	return n
}

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	n, _ := l.Count()
	return n > 0
}

// Err returns nil when the list has no errors, and otherwise an error that
// summarises them (the first few, then a count), for callers such as build
// that must refuse to go on.
func (l *List) Err() error {
	var errs []Diagnostic
	for _, d := range l.Sorted() {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	var b strings.Builder
	for i, d := range errs {
		if i == 5 {
			fmt.Fprintf(&b, "\n... and %d more (run cairn check)", len(errs)-5)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(Escape(d.String()))
	}
	return &Errors{List: errs, summary: b.String()}
}

// Errors is the error returned by List.Err: the site has check errors.
type Errors struct {
	List    []Diagnostic
	summary string
}

// Error lists the first errors.
func (e *Errors) Error() string { return e.summary }

// SuggestHint returns a "did you mean" hint for word among candidates,
// or fallback when none is close.
func SuggestHint(word string, candidates []string, fallback string) string {
	if s := Suggest(word, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return fallback
}

// Suggest returns the candidate closest to word by edit distance when it is
// close enough to be a plausible typo, or "" when none is.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", len(word)/2+2
	if bestDist > 4 {
		bestDist = 4
	}
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(word), strings.ToLower(c))
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	if best == "" && len(word) >= 4 {
		for _, c := range candidates {
			if strings.HasPrefix(c, word) || strings.HasPrefix(word, c) {
				return c
			}
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev[j-1]) // transposition, approximated
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
