// Package jsonschema turns item types into JSON Schemas (draft 2020-12)
// for editors: Even Better TOML in VS Code, taplo and other tools that
// validate and complete TOML against a JSON Schema. The schemas are made
// from the same definitions the checker uses (generator/schema), so an
// editor rejects, as the item is typed, most of what cairn check would.
//
// Editors validate a TOML file converted to JSON: tables become objects,
// and dates (which JSON lacks) become strings, a local date "YYYY-MM-DD".
// Value does the same conversion; date fields are therefore strings of
// format "date" here, which a TOML date and a quoted date both satisfy,
// as both pass cairn check.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Draft is the JSON Schema dialect every generated schema declares.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// FileName returns the file a type's schema is written to:
// "configurations.schema.json", "assets-backup.schema.json".
func FileName(typ string) string {
	return strings.ReplaceAll(typ, "/", "-") + ".schema.json"
}

// Generate returns the JSON Schema of an item of type s, as indented JSON
// with sorted keys and a final newline: the same schema gives the same
// bytes. For documents and checklists it describes the front matter.
func Generate(s *schema.Schema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(object(s)); err != nil {
		return nil, fmt.Errorf("JSON Schema of %s: %w", s.Type, err)
	}
	return buf.Bytes(), nil
}

// obj is a JSON object; encoding/json writes its keys sorted.
type obj = map[string]any

// object returns the JSON Schema of an item of type s as a JSON value
// (maps, slices, strings, numbers, booleans), before encoding.
func object(s *schema.Schema) map[string]any {
	props := obj{}
	var required []string
	for _, f := range s.Fields {
		if f.Kind == schema.Header {
			continue // holds no value: the key is an error
		}
		props[f.Name] = field(f)
		if mustHave(f) {
			required = append(required, f.Name)
		}
	}
	for name, p := range reserved(s) {
		props[name] = p
	}
	if s.Field("name") == nil && len(s.TitleFields()) == 0 {
		required = append(required, "name") // the item's title
	}
	sort.Strings(required)
	out := obj{
		"$schema":              Draft,
		"title":                s.DisplaySingular(),
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	desc := s.Description
	if s.Type == "documents" || s.Type == "checklists" {
		desc = strings.TrimSpace(desc + " These are the keys of the front matter between the +++ lines.")
	}
	if desc != "" {
		out["description"] = desc
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// mustHave reports whether the checker reports a field that is absent,
// as its required pass does (defaults fill the rest).
func mustHave(f *schema.Field) bool {
	return f.Required && f.Kind != schema.Header && f.Kind != schema.Password && f.Default == nil
}

// reserved returns the schemas of the reserved keys an item of s may
// have beside its fields. name is allowed only where it is the title: a
// type whose title comes from fields rejects it, as the checker does.
func reserved(s *schema.Schema) obj {
	out := obj{}
	for _, key := range schema.Reserved {
		if s.Field(key) != nil {
			continue // the type defines it as a field
		}
		switch key {
		case "name":
			if len(s.TitleFields()) == 0 {
				out[key] = obj{"type": "string", "pattern": `\S`, "title": "Name", "description": "The item's title."}
			}
		case "related":
			out[key] = obj{"type": "array", "items": obj{"type": "string"}, "title": "Related",
				"description": `Ids of related items: "configurations/sv1", or "acme/configurations/sv1" in another organization.`}
		case "access":
			out[key] = obj{"type": "array", "items": obj{"type": "string"}, "minItems": 1, "title": "Access",
				"description": "The groups of access.toml that may see this item, instead of its organization's."}
		case "archived":
			out[key] = obj{"type": "boolean", "title": "Archived", "description": "An archived item is kept but no longer in use: no expiry warnings."}
		case "managed_by":
			out[key] = obj{"type": "string", "title": "Managed by"}
		case "import_id":
			out[key] = obj{"type": "string", "title": "Import id", "description": "The item's id in the system it was imported from (cairn import merges by it)."}
		case "notes":
			out[key] = obj{"type": "string", "title": "Notes", "description": "Markdown notes; link items with [[type/slug]]."}
		case "suppress":
			out[key] = obj{"type": "array", "title": "Suppress", "description": "Advisor findings about this item suppressed in place, each with a reason (cairn help advisor).",
				"items": obj{"type": "object", "required": []string{"rule", "reason"}, "additionalProperties": false,
					"properties": obj{"rule": obj{"type": "string"}, "reason": obj{"type": "string", "pattern": `\S`}}}}
		default:
			out[key] = obj{} // a reserved key this version does not describe: any value
		}
	}
	return out
}

// field returns the schema of one field's value.
func field(f *schema.Field) obj {
	var out obj
	switch {
	case f.Kind == schema.Group:
		out = group(f)
	case f.Kind == schema.Password:
		out = obj{"type": "string", "maxLength": 0}
	case f.Multiple:
		one := scalar(f)
		many := obj{"type": "array", "items": scalar(f)}
		if f.Required {
			many["minItems"] = 1
		}
		out = obj{"anyOf": []any{one, many}}
	default:
		out = scalar(f)
	}
	out["title"] = f.DisplayLabel()
	desc := f.Hint
	if f.Kind == schema.Password {
		desc = strings.TrimSpace(desc + " A secret: leave it out here and store it with cairn secret set.")
	}
	if desc != "" {
		out["description"] = desc
	}
	if f.Default != nil && f.Kind != schema.Group && f.Kind != schema.Password {
		out["default"] = Value(f.Default)
	}
	return out
}

// scalar returns the schema of one value of a field that is not a group.
func scalar(f *schema.Field) obj {
	str := obj{"type": "string"}
	switch f.Kind {
	case schema.Checkbox:
		return obj{"type": "boolean"}
	case schema.Number, schema.Percent:
		n := obj{"type": "number"}
		if f.Kind == schema.Percent {
			n["minimum"], n["maximum"] = 0, 100
		}
		if f.Min != nil {
			n["minimum"] = *f.Min
		}
		if f.Max != nil {
			n["maximum"] = *f.Max
		}
		return n
	case schema.Date:
		// A TOML date reaches the validator as this string (package doc).
		return obj{"type": "string", "format": "date", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
	case schema.Select:
		opts := make([]any, len(f.Options))
		for i, o := range f.Options {
			opts[i] = o
		}
		return obj{"type": "string", "enum": opts}
	case schema.Text:
		str["pattern"] = `^[^\n\r]*$`
	case schema.URL:
		str["format"] = "uri"
		str["pattern"] = urlPattern()
	case schema.Email:
		str["format"] = "email"
		str["pattern"] = schema.Pattern(schema.Email)
	case schema.Phone:
		str["pattern"] = schema.Pattern(schema.Phone)
	case schema.IP:
		// Format ipv6 has no zone (fe80::1%eth0), which the checker takes.
		return obj{"type": "string", "anyOf": []any{obj{"format": "ipv4"}, obj{"format": "ipv6"},
			obj{"pattern": `^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*%.+$`}}}
	case schema.CIDR:
		str["pattern"] = `^[0-9A-Fa-f.:]+/[0-9]{1,3}$`
	}
	if f.Required && (f.Kind == schema.Text || f.Kind == schema.Textbox) {
		// Blank text is empty to the checker: require a visible character.
		if p, ok := str["pattern"]; ok {
			str["allOf"] = []any{obj{"pattern": p}, obj{"pattern": `\S`}}
			delete(str, "pattern")
		} else {
			str["pattern"] = `\S`
		}
	}
	return str
}

// group returns the schema of a group field: records as tables, one
// ([name]) or several ([[name]]).
func group(f *schema.Field) obj {
	props := obj{}
	var required []string
	for _, sf := range f.Fields {
		if sf.Kind == schema.Header {
			continue
		}
		props[sf.Name] = field(sf)
		if mustHave(sf) {
			required = append(required, sf.Name)
		}
	}
	sort.Strings(required)
	rec := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		rec["required"] = required
	}
	list := obj{"type": "array", "items": rec}
	if f.Multiple {
		return list
	}
	list["maxItems"] = 1
	return obj{"anyOf": []any{rec, list}}
}

// urlPattern matches what the checker takes for a URL: one of its
// schemes, in any case, then "://" and a host.
func urlPattern() string {
	alts := make([]string, len(schema.URLSchemes))
	for i, s := range schema.URLSchemes {
		var b strings.Builder
		for _, c := range s {
			if lc, uc := strings.ToLower(string(c)), strings.ToUpper(string(c)); lc != uc {
				b.WriteString("[" + lc + uc + "]")
			} else {
				b.WriteRune(c)
			}
		}
		alts[i] = b.String()
	}
	return `^(?:` + strings.Join(alts, "|") + `)://[^/?#\s]`
}

// Value converts a TOML value to the JSON value an editor validates, as
// taplo does: tables become objects, arrays arrays, integers and floats
// numbers (json.Number, in decimal, so no integer loses digits; TOML's inf
// and nan stay float64), and dates and times the strings TOML writes them
// as (a local date is "YYYY-MM-DD"). cairn export writes the same values
// (export.Plain).
func Value(v *tomldoc.Value) any {
	switch v.Kind {
	case tomldoc.KindString:
		return v.Str
	case tomldoc.KindInteger:
		return json.Number(strconv.FormatInt(v.Int, 10))
	case tomldoc.KindFloat:
		if math.IsInf(v.Float, 0) || math.IsNaN(v.Float) {
			return v.Float // inf and nan are no JSON number
		}
		return json.Number(strconv.FormatFloat(v.Float, 'g', -1, 64))
	case tomldoc.KindBool:
		return v.Bool
	case tomldoc.KindDate:
		return v.Time.Format("2006-01-02")
	case tomldoc.KindDateTime:
		return v.Time.Format("2006-01-02T15:04:05.999999999Z07:00")
	case tomldoc.KindLocalDateTime:
		return v.Time.Format("2006-01-02T15:04:05.999999999")
	case tomldoc.KindLocalTime:
		return v.Raw
	case tomldoc.KindArray:
		out := make([]any, len(v.Array))
		for i, e := range v.Array {
			out[i] = Value(e)
		}
		return out
	case tomldoc.KindTable:
		return Table(v.Table)
	}
	return nil
}

// Table converts a TOML table the way Value does.
func Table(t *tomldoc.Table) map[string]any {
	out := make(map[string]any, t.Len())
	for _, k := range t.Keys() {
		out[k] = Value(t.Get(k))
	}
	return out
}
