package schema

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Limits on schema options. A schema comes from a pull request like any
// other file; these bound what one can make a check or a build spend
// (docs/format.md, "Limits"). They are far above any real schema.
const (
	// MaxDecimals is the largest decimals option: a float64 holds about
	// 15 significant decimal digits.
	MaxDecimals = 15
	// MaxFields is the most fields a schema or a group may have.
	MaxFields = 200
	// MaxOptions is the most options a select field may have.
	MaxOptions = 1000
	// MaxTargets is the most targets a tag field may have.
	MaxTargets = 100
	// MaxNameLen is the longest field name, in bytes.
	MaxNameLen = 64
	// MaxLabelLen is the longest label, option, schema name or singular,
	// in characters.
	MaxLabelLen = 200
	// MaxHintLen is the longest hint or description, in characters.
	MaxHintLen = 2000
)

// checkLimits range-checks the options of a schema and of its fields,
// each problem positioned at the offending value. An out-of-range
// decimals is dropped after it is reported, so that no renderer (say
// serve, which shows a site with errors) formats a number with it.
func checkLimits(s *Schema) []Problem {
	var probs []Problem
	at := func(t *tomldoc.Table, key string, fallback tomldoc.Pos) tomldoc.Pos {
		if t != nil {
			if v := t.Get(key); v != nil {
				return v.Pos
			}
		}
		return fallback
	}
	text := func(t *tomldoc.Table, owner, key, val string, max int, fallback tomldoc.Pos) {
		if n := utf8.RuneCountInString(val); n > max {
			probs = append(probs, Problem{Pos: at(t, key, fallback), Msg: fmt.Sprintf("%s%s is %d characters long; the limit is %d", owner, key, n, max),
				Hint: "shorten it; longer explanations belong in a document"})
		}
	}
	start := tomldoc.Pos{Line: 1, Col: 1}
	text(s.Table, "", "name", s.Name, MaxLabelLen, start)
	text(s.Table, "", "singular", s.Singular, MaxLabelLen, start)
	text(s.Table, "", "description", s.Description, MaxHintLen, start)
	var walk func(fields []*Field, owner string, pos tomldoc.Pos, t *tomldoc.Table)
	walk = func(fields []*Field, owner string, pos tomldoc.Pos, t *tomldoc.Table) {
		if len(fields) > MaxFields {
			probs = append(probs, Problem{Pos: at(t, "fields", pos), Msg: fmt.Sprintf("%s has %d fields; the limit is %d", owner, len(fields), MaxFields),
				Hint: "split the type in two"})
		}
		for _, f := range fields {
			probs = append(probs, fieldLimits(f, at, text)...)
			if len(f.Fields) > 0 {
				walk(f.Fields, fmt.Sprintf("group field %q", f.Name), f.Pos, f.Table)
			}
		}
	}
	walk(s.Fields, "the schema", start, s.Table)
	return probs
}

func fieldLimits(f *Field, at func(*tomldoc.Table, string, tomldoc.Pos) tomldoc.Pos,
	text func(t *tomldoc.Table, owner, key, val string, max int, fallback tomldoc.Pos)) []Problem {
	var probs []Problem
	add := func(key, hint, format string, args ...any) {
		probs = append(probs, Problem{Pos: at(f.Table, key, f.Pos), Msg: fmt.Sprintf("field %q: ", f.Name) + fmt.Sprintf(format, args...), Hint: hint})
	}
	if len(f.Name) > MaxNameLen {
		add("name", "use a shorter name and set label for display", "the name is %d bytes long; the limit is %d", len(f.Name), MaxNameLen)
	}
	owner := fmt.Sprintf("field %q: ", f.Name)
	text(f.Table, owner, "label", f.Label, MaxLabelLen, f.Pos)
	text(f.Table, owner, "hint", f.Hint, MaxHintLen, f.Pos)
	if f.Decimals != nil && (*f.Decimals < 0 || *f.Decimals > MaxDecimals) {
		add("decimals", fmt.Sprintf("decimals is the number of digits after the decimal point, 0 to %d", MaxDecimals),
			"decimals is %d; it must be between 0 and %d", *f.Decimals, MaxDecimals)
		f.Decimals = nil // reported; no later stage formats with it
	}
	for _, b := range []struct {
		key string
		v   *float64
	}{{"min", f.Min}, {"max", f.Max}} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			add(b.key, "leave it out for no bound", "%s must be a finite number", b.key)
		}
	}
	if len(f.Options) > MaxOptions {
		add("options", "use a text field, or a tag field linking to items", "%d options; the limit is %d", len(f.Options), MaxOptions)
	}
	seen := make(map[string]bool, len(f.Options))
	for i, o := range f.Options {
		pos := f.Pos
		if v := f.Table.Get("options"); v != nil && v.Kind == tomldoc.KindArray && i < len(v.Array) {
			pos = v.Array[i].Pos
		}
		opt := func(hint, format string, args ...any) {
			probs = append(probs, Problem{Pos: pos, Msg: fmt.Sprintf("field %q: ", f.Name) + fmt.Sprintf(format, args...), Hint: hint})
		}
		switch {
		case strings.TrimSpace(o) == "":
			opt("remove it", "option %d is empty", i+1)
		case strings.ContainsAny(o, "\n\r"):
			opt("an option is one line", "option %d has a line break", i+1)
		case utf8.RuneCountInString(o) > MaxLabelLen:
			opt("shorten it", "option %d is %d characters long; the limit is %d", i+1, utf8.RuneCountInString(o), MaxLabelLen)
		case seen[o]:
			opt("remove the second one", "option %q is listed twice", o)
		}
		seen[o] = true
	}
	if len(f.Targets) > MaxTargets {
		add("targets", `target "assets" for every flexible type`, "%d targets; the limit is %d", len(f.Targets), MaxTargets)
	}
	return probs
}
