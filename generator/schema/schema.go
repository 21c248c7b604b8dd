// Package schema defines item types: the built-in core types and the
// flexible asset types a site declares in schemas/, their fields and field
// kinds, and the checks of a single value against its field.
package schema

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/schemas"
)

// Kind is a field kind: what a value means and how it is checked.
type Kind string

// The field kinds: the eleven of hosted documentation platforms, then the
// ones cairn adds (url, email, phone, ip, cidr) and group, a repeated record.
const (
	Checkbox Kind = "checkbox"
	Date     Kind = "date"
	Header   Kind = "header"
	Number   Kind = "number"
	Percent  Kind = "percent"
	Password Kind = "password"
	Select   Kind = "select"
	Tag      Kind = "tag"
	Text     Kind = "text"
	Textbox  Kind = "textbox"
	Upload   Kind = "upload"
	URL      Kind = "url"
	Email    Kind = "email"
	Phone    Kind = "phone"
	IP       Kind = "ip"
	CIDR     Kind = "cidr"
	Group    Kind = "group"
)

// Kinds lists every field kind, in documentation order.
var Kinds = []Kind{Checkbox, Date, Header, Number, Percent, Password, Select, Tag, Text, Textbox, Upload, URL, Email, Phone, IP, CIDR, Group}

// multipleKinds are the kinds whose fields may set multiple = true.
var multipleKinds = map[Kind]bool{Select: true, Tag: true, Upload: true, Text: true, URL: true, Email: true, Phone: true, IP: true, CIDR: true, Group: true}

// Field is one field of a type.
type Field struct {
	Name        string         `toml:"name"`
	Label       string         `toml:"label"`
	Kind        Kind           `toml:"kind"`
	Hint        string         `toml:"hint"`
	Required    bool           `toml:"required"`
	Default     *tomldoc.Value `toml:"default"`
	Options     []string       `toml:"options"`
	Decimals    *int           `toml:"decimals"`
	Min         *float64       `toml:"min"`
	Max         *float64       `toml:"max"`
	UseForTitle bool           `toml:"use_for_title"`
	ShowInList  bool           `toml:"show_in_list"`
	Expires     bool           `toml:"expires"`
	Targets     []string       `toml:"targets"`
	Multiple    bool           `toml:"multiple"`
	Fields      []*Field       `toml:"fields"`
	// Pos is where the field's [[fields]] table starts in its schema file.
	Pos tomldoc.Pos `toml:",pos"`
	// Table is the field's table, for the positions of its options.
	Table *tomldoc.Table `toml:",table"`
}

// DisplayLabel returns Label, or a label made from Name ("serial_number"
// becomes "Serial number").
func (f *Field) DisplayLabel() string {
	if f.Label != "" {
		return f.Label
	}
	s := strings.ReplaceAll(f.Name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Sub returns the sub-field of a group field by name, or nil.
func (f *Field) Sub(name string) *Field {
	for _, s := range f.Fields {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Schema is an item type.
type Schema struct {
	Name        string   `toml:"name"`
	Singular    string   `toml:"singular"`
	Slug        string   `toml:"slug"`
	Description string   `toml:"description"`
	Fields      []*Field `toml:"fields"`

	// Type is the type's folder below an organization: "configurations",
	// or "assets/<slug>" for flexible types.
	Type string `toml:"-"`
	// Core is true for the built-in types.
	Core bool `toml:"-"`
	// File is the schema's file, relative to the site root ("" for core).
	File string `toml:"-"`
	// Table is the schema file's top table, for positions.
	Table *tomldoc.Table `toml:",table"`
}

// Field returns the top-level field called name, or nil.
func (s *Schema) Field(name string) *Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// FieldNames returns the names of the top-level fields, in order.
func (s *Schema) FieldNames() []string {
	names := make([]string, 0, len(s.Fields))
	for _, f := range s.Fields {
		if f.Kind != Header {
			names = append(names, f.Name)
		}
	}
	return names
}

// TitleFields returns the fields whose values make an item's title.
func (s *Schema) TitleFields() []*Field {
	return s.filter(func(f *Field) bool { return f.UseForTitle })
}

// ListFields returns the fields shown as columns in lists and tables.
func (s *Schema) ListFields() []*Field { return s.filter(func(f *Field) bool { return f.ShowInList }) }

// ExpiryFields returns the date fields that feed expiry reports.
func (s *Schema) ExpiryFields() []*Field { return s.filter(func(f *Field) bool { return f.Expires }) }

func (s *Schema) filter(keep func(*Field) bool) []*Field {
	var out []*Field
	for _, f := range s.Fields {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// DisplaySingular returns Singular, or Name when no singular is set.
func (s *Schema) DisplaySingular() string {
	if s.Singular != "" {
		return s.Singular
	}
	return s.Name
}

// Reserved are the keys that mean the same on every item; no schema field
// may use them.
var Reserved = []string{"name", "related", "access", "archived", "managed_by", "notes", "suppress", "import_id"}

// IsReserved reports whether key is a reserved item key.
func IsReserved(key string) bool {
	for _, r := range Reserved {
		if r == key {
			return true
		}
	}
	return false
}

// CoreTypes are the built-in types, in display order.
var CoreTypes = []string{"configurations", "contacts", "locations", "passwords", "domains", "ssl-certificates", "documents", "checklists"}

// Problem is a schema file's error, positioned in that file.
type Problem struct {
	Pos  tomldoc.Pos
	Msg  string
	Hint string
}

var fieldNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// IsSlug reports whether s is a valid slug: lower-case letters, digits and
// single hyphens.
//
// It is the regex ^[a-z0-9]+(-[a-z0-9]+)*$ written out by hand (the
// tests hold the two to the same answers): the checker asks it of
// every reference of a site, and the regex was 3% of a check's time.
func IsSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Parse reads a schema file. typ is the type folder it defines ("backup"
// for schemas/backup.toml becomes "assets/backup"); core marks built-in
// types. It returns the schema (nil when the file cannot be read at all)
// and every problem found in it. Targets are checked later, by Registry,
// once every type is known.
func Parse(file string, data []byte, slug string, core bool) (*Schema, []Problem) {
	root, err := tomldoc.Parse(data)
	if err != nil {
		se := err.(*tomldoc.SyntaxError)
		if se.Hint != "" { // a limit, not syntax
			return nil, []Problem{{Pos: se.Pos, Msg: se.Msg, Hint: se.Hint}}
		}
		return nil, []Problem{{Pos: se.Pos, Msg: "TOML syntax: " + se.Msg}}
	}
	s := &Schema{Slug: slug, Core: core, File: file, Type: "assets/" + slug}
	if core {
		s.Type = slug
	}
	var probs []Problem
	for _, e := range tomldoc.Decode(root, s) {
		probs = append(probs, Problem{Pos: e.Pos, Msg: e.Msg, Hint: e.Hint})
	}
	if v := root.Get("slug"); v != nil && v.Kind == tomldoc.KindString && v.Str != slug {
		probs = append(probs, Problem{Pos: v.Pos, Msg: fmt.Sprintf("slug %q does not match the file name %q", v.Str, slug), Hint: fmt.Sprintf("rename the file to %s.toml or set slug = %q", v.Str, slug)})
	}
	s.Slug = slug
	if !IsSlug(slug) {
		probs = append(probs, Problem{Pos: tomldoc.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("schema file name %q is not a valid slug", slug), Hint: "use lower-case letters, digits and single hyphens"})
	}
	if s.Name == "" {
		probs = append(probs, Problem{Pos: tomldoc.Pos{Line: 1, Col: 1}, Msg: "schema has no name", Hint: `add name = "Display Name" at the top`})
	}
	probs = append(probs, checkLimits(s)...)
	probs = append(probs, checkFields(s.Fields, false)...)
	return s, probs
}

func checkFields(fields []*Field, nested bool) []Problem {
	var probs []Problem
	add := func(f *Field, format string, args ...any) {
		probs = append(probs, Problem{Pos: f.Pos, Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[string]bool{}
	for _, f := range fields {
		switch {
		case f.Name == "":
			add(f, "field has no name")
		case !fieldNameRe.MatchString(f.Name):
			add(f, "field name %q must be lower-case letters, digits and underscores, starting with a letter", f.Name)
		case !nested && IsReserved(f.Name) && f.Name != "name":
			add(f, "field name %q is reserved for every item (%s)", f.Name, strings.Join(Reserved, ", "))
		case seen[f.Name]:
			add(f, "field %q is defined twice", f.Name)
		}
		seen[f.Name] = true
		if !knownKind(f.Kind) {
			p := Problem{Pos: f.Pos, Msg: fmt.Sprintf("field %q has unknown kind %q", f.Name, f.Kind)}
			if s := suggestKind(string(f.Kind)); s != "" {
				p.Hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				p.Hint = "kinds: " + kindList()
			}
			probs = append(probs, p)
			continue
		}
		if f.Kind == Select && len(f.Options) == 0 {
			add(f, "select field %q has no options", f.Name)
		}
		if f.Kind != Select && len(f.Options) > 0 {
			add(f, "field %q has options but is not a select field", f.Name)
		}
		if f.Kind != Tag && len(f.Targets) > 0 {
			add(f, "field %q has targets but is not a tag field", f.Name)
		}
		if f.Kind != Number && (f.Decimals != nil || f.Min != nil || f.Max != nil) {
			add(f, "field %q: decimals, min and max apply to number fields only", f.Name)
		}
		if f.Expires && f.Kind != Date {
			add(f, "field %q: expires applies to date fields only", f.Name)
		}
		if f.Multiple && !multipleKinds[f.Kind] {
			add(f, "field %q: a %s field cannot be multiple", f.Name, f.Kind)
		}
		if f.UseForTitle && f.Kind != Text && f.Kind != Select && f.Kind != Email && f.Kind != IP && f.Kind != URL {
			add(f, "field %q: use_for_title needs a text, select, email, ip or url field", f.Name)
		}
		if (f.Kind == Header || f.Kind == Password) && (f.Required || f.Default != nil) && f.Kind == Header {
			add(f, "header field %q holds no value: it cannot be required or have a default", f.Name)
		}
		if f.Kind == Password && f.Default != nil {
			add(f, "password field %q cannot have a default: secrets live in SOPS files", f.Name)
		}
		if f.Kind == Group {
			if nested {
				add(f, "group field %q cannot be inside another group", f.Name)
			}
			if len(f.Fields) == 0 {
				add(f, "group field %q has no fields", f.Name)
			}
			probs = append(probs, checkFields(f.Fields, true)...)
		} else if len(f.Fields) > 0 {
			add(f, "field %q has sub-fields but is not a group field", f.Name)
		}
		if f.Default != nil && f.Kind != Header && f.Kind != Password && f.Kind != Group {
			if p := CheckValue(f, f.Default); p != nil {
				probs = append(probs, Problem{Pos: f.Default.Pos, Msg: fmt.Sprintf("default of %q: %s", f.Name, p.Msg), Hint: p.Hint})
			}
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			add(f, "field %q: min is greater than max", f.Name)
		}
	}
	return probs
}

func knownKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func suggestKind(k string) string {
	names := make([]string, len(Kinds))
	for i, x := range Kinds {
		names[i] = string(x)
	}
	return suggest(k, names)
}

// Registry is the set of types a site knows: the core types and its
// flexible types, keyed by type folder ("contacts", "assets/backup").
type Registry struct {
	types map[string]*Schema
}

// NewRegistry returns a registry of the core types plus the given flexible
// types.
func NewRegistry(core, flexible []*Schema) *Registry {
	r := &Registry{types: map[string]*Schema{}}
	for _, s := range core {
		r.types[s.Type] = s
	}
	for _, s := range flexible {
		r.types[s.Type] = s
	}
	return r
}

// Get returns the schema of a type folder, or nil.
func (r *Registry) Get(typ string) *Schema { return r.types[typ] }

// Types returns every type folder: core types first in their display
// order, then flexible types by name.
func (r *Registry) Types() []string {
	var out, flex []string
	for _, t := range CoreTypes {
		if r.types[t] != nil {
			out = append(out, t)
		}
	}
	for t, s := range r.types {
		if !s.Core {
			flex = append(flex, t)
		}
	}
	sort.Strings(flex)
	return append(out, flex...)
}

// Schemas returns the schema of every type, in the order of Types.
func (r *Registry) Schemas() []*Schema {
	types := r.Types()
	out := make([]*Schema, len(types))
	for i, t := range types {
		out[i] = r.types[t]
	}
	return out
}

// CheckTargets returns the problems of tag targets that name no type.
// A target is a type folder ("configurations", "assets/backup") or
// "assets" for every flexible type.
func (r *Registry) CheckTargets(s *Schema) []Problem {
	var probs []Problem
	var walk func([]*Field)
	walk = func(fs []*Field) {
		for _, f := range fs {
			for _, t := range f.Targets {
				if t != "assets" && r.Get(t) == nil {
					p := Problem{Pos: f.Pos, Msg: fmt.Sprintf("field %q targets unknown type %q", f.Name, t)}
					if sug := suggest(t, r.Types()); sug != "" {
						p.Hint = fmt.Sprintf("did you mean %q?", sug)
					} else {
						p.Hint = "targets are type folders: " + strings.Join(r.Types(), ", ")
					}
					probs = append(probs, p)
				}
			}
			walk(f.Fields)
		}
	}
	walk(s.Fields)
	return probs
}

// LoadCore parses the built-in core schemas. They are part of the binary,
// so an error here is a bug in cairn, and tests guard against it.
func LoadCore() ([]*Schema, error) {
	var out []*Schema
	for _, t := range CoreTypes {
		file := path.Join("core", t+".toml")
		data, err := fs.ReadFile(schemas.Core, file)
		if err != nil {
			return nil, fmt.Errorf("built-in schema %s: %w", t, err)
		}
		s, probs := Parse("schemas/"+file, data, t, true)
		if len(probs) > 0 {
			return nil, fmt.Errorf("built-in schema %s:%d:%d: %s", file, probs[0].Pos.Line, probs[0].Pos.Col, probs[0].Msg)
		}
		out = append(out, s)
	}
	return out, nil
}
