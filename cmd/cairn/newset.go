package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// setValues checks the --set FIELD=VALUE assignments of cairn new against
// the type's schema and returns them as TOML literals by field: numbers,
// checkboxes and dates bare, everything else a string, a field that takes
// several values an array of every --set of it. Every value is checked
// with the checker's own rules, so a written item never fails cairn check
// on a value given here.
func setValues(s *schema.Schema, sets []string) (scaffold.Values, error) {
	lits := map[string][]string{}
	var order []string
	fields := map[string]*schema.Field{}
	for _, a := range sets {
		name, val, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, &usageError{fmt.Errorf("--set %q: want FIELD=VALUE, like --set status=Active", a)}
		}
		f, err := setField(s, name)
		if err != nil {
			return nil, &usageError{fmt.Errorf("--set %s: %w", name, err)}
		}
		lit, err := setLiteral(f, val)
		if err != nil {
			return nil, &usageError{fmt.Errorf("--set %s: %w", name, err)}
		}
		if len(lits[name]) > 0 && !f.Multiple {
			return nil, &usageError{fmt.Errorf("--set %s: given twice, but %q takes one value", name, name)}
		}
		if lits[name] == nil {
			order = append(order, name)
		}
		lits[name] = append(lits[name], lit)
		fields[name] = f
	}
	out := scaffold.Values{}
	for _, name := range order {
		if fields[name].Multiple {
			out[name] = "[" + strings.Join(lits[name], ", ") + "]"
		} else {
			out[name] = lits[name][0]
		}
	}
	return out, nil
}

// setField returns the field --set may fill: a top-level field of the
// schema that holds a plain value, or "name" for a type without title
// fields.
func setField(s *schema.Schema, name string) (*schema.Field, error) {
	names := s.FieldNames()
	if len(s.TitleFields()) == 0 {
		if name == "name" {
			return &schema.Field{Name: "name", Kind: schema.Text}, nil
		}
		names = append([]string{"name"}, names...)
	}
	f := s.Field(name)
	if f == nil || f.Kind == schema.Header {
		hint := diag.SuggestHint(name, names, "fields: "+strings.Join(names, ", "))
		return nil, fmt.Errorf("%s has no field %q: %s", s.Type, name, hint)
	}
	switch f.Kind {
	case schema.Password:
		return nil, fmt.Errorf("%q is a password field: once the item exists, store it with cairn secret set ID %s", name, name)
	case schema.Group:
		return nil, fmt.Errorf("%q is a group of records: write its [[%s]] tables in the file", name, name)
	}
	return f, nil
}

// setLiteral returns val as the TOML literal of one value of f, checked
// with schema.CheckValue.
func setLiteral(f *schema.Field, val string) (string, error) {
	if !utf8.ValidString(val) {
		return "", fmt.Errorf("the value is not valid UTF-8")
	}
	bare := false
	switch f.Kind {
	case schema.Number, schema.Percent, schema.Checkbox, schema.Date:
		bare = true
	}
	lit := tomldoc.Quote(val)
	if bare {
		lit = strings.TrimSpace(val)
	}
	v := parseLiteral(lit)
	if v == nil { // not a TOML value: check it as the string it is
		lit, bare = tomldoc.Quote(val), false
		v = parseLiteral(lit)
	}
	if v == nil {
		return "", fmt.Errorf("%q is not a value cairn can write", val)
	}
	one := *f
	one.Multiple = false // each --set is one value of the field
	if p := schema.CheckValue(&one, v); p != nil {
		// The checker's hints about how to write TOML (quotes, the schema's
		// multiple) do not apply to a command-line value.
		if p.Hint != "" && !strings.Contains(p.Hint, "quotes") && !strings.Contains(p.Hint, "schema") {
			return "", fmt.Errorf("%s; %s", p.Msg, p.Hint)
		}
		return "", fmt.Errorf("%s", p.Msg)
	}
	return lit, nil
}

// parseLiteral parses lit as the one value of a one-line TOML key/value
// pair, or returns nil when it is not exactly one value on one line.
func parseLiteral(lit string) *tomldoc.Value {
	if lit == "" || strings.ContainsAny(lit, "\r\n") {
		return nil
	}
	root, err := tomldoc.Parse([]byte("v = " + lit + "\n"))
	if err != nil || root.Len() != 1 {
		return nil
	}
	return root.Get("v")
}
