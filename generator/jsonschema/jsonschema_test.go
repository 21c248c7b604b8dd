package jsonschema_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
	"github.com/cairn-it/cairn/internal/testtool"
)

// demoRoot is the repository's own site: the demo content.
const demoRoot = "../.."

// loadDemo loads the demo site with cairn's own loader.
func loadDemo(t *testing.T) *model.Site {
	t.Helper()
	if _, err := os.Stat(filepath.Join(demoRoot, "content")); err != nil {
		testtool.Skip(t, "no demo content: %v", err)
	}
	s, ds, err := load.Load(context.Background(), demoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("the demo does not load cleanly: %v", ds.Err())
	}
	return s
}

// types returns every schema of a registry, in its order.
func types(reg *schema.Registry) []*schema.Schema { return reg.Schemas() }

// compile exports every type into a temporary folder and compiles each
// file with a validator that asserts formats, as taplo does.
func compile(t *testing.T, reg *schema.Registry) map[string]*validator.Schema {
	t.Helper()
	dir := t.TempDir()
	if _, err := jsonschema.Export(dir, types(reg)); err != nil {
		t.Fatal(err)
	}
	c := validator.NewCompiler()
	c.AssertFormat()
	out := map[string]*validator.Schema{}
	for _, typ := range reg.Types() {
		p := filepath.Join(dir, jsonschema.FileName(typ))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := validator.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not JSON: %v", p, err)
		}
		url := "file:///schemas/" + jsonschema.FileName(typ)
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s does not compile: %v", typ, err)
		}
		out[typ] = sch
	}
	return out
}

// TestDemoItemsValidate validates every demo item, TOML files and the
// front matter of documents and checklists, converted to JSON as taplo
// converts them, against the exported schemas: the demo passes cairn
// check, so every item must pass here too.
func TestDemoItemsValidate(t *testing.T) {
	s := loadDemo(t)
	schemas := compile(t, s.Schemas)
	tomlFiles := 0
	err := filepath.WalkDir(filepath.Join(demoRoot, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") && d.Name() != "org.toml" {
			tomlFiles++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tomlItems := 0
	for _, it := range s.Items {
		if !it.IsMarkdown() {
			tomlItems++
		}
		if err := schemas[it.Type].Validate(jsonschema.Table(it.Fields)); err != nil {
			t.Errorf("%s: %v", it.File, err)
		}
	}
	if tomlItems != tomlFiles || tomlItems == 0 {
		t.Errorf("validated %d TOML items, but content/ has %d item files", tomlItems, tomlFiles)
	}
}

// fault is one error a validator reports: where in the item, and which
// keyword failed.
type fault struct{ at, keyword string }

// faults validates TOML text against a type's schema and returns the
// innermost errors, sorted.
func faults(t *testing.T, sch *validator.Schema, text string) []fault {
	t.Helper()
	root, err := tomldoc.Parse([]byte(text))
	if err != nil {
		t.Fatalf("test TOML: %v", err)
	}
	err = sch.Validate(jsonschema.Table(root))
	if err == nil {
		return nil
	}
	ve, ok := err.(*validator.ValidationError)
	if !ok {
		t.Fatalf("validation failed without a validation error: %v", err)
	}
	var out []fault
	var walk func(e *validator.ValidationError)
	walk = func(e *validator.ValidationError) {
		if len(e.Causes) == 0 {
			kw := e.ErrorKind.KeywordPath()
			f := fault{at: "/" + strings.Join(e.InstanceLocation, "/")}
			if len(kw) > 0 {
				f.keyword = kw[0]
			}
			out = append(out, f)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Slice(out, func(i, j int) bool { return out[i].at+out[i].keyword < out[j].at+out[j].keyword })
	return out
}

// TestPlantedFaults: each fault cairn check reports in an item is
// rejected by its schema at the value (or the table) the fault is in.
func TestPlantedFaults(t *testing.T) {
	core, err := schema.LoadCore()
	if err != nil {
		t.Fatal(err)
	}
	backup, probs := schema.Parse("schemas/backup.toml", mustRead(t, filepath.Join(demoRoot, "schemas", "backup.toml")), "backup", false)
	if len(probs) > 0 {
		t.Fatalf("backup schema: %v", probs)
	}
	schemas := compile(t, schema.NewRegistry(core, []*schema.Schema{backup}))
	const good = `name = "fw01"
configuration_type = "Firewall"
primary_ip = "192.0.2.1"
warranty_expires = 2027-03-31

[[interfaces]]
name = "wan"
ip = "2001:db8::1"
`
	cases := []struct {
		name, typ, text string
		want            []fault
	}{
		{"good", "configurations", good, nil},
		{"quoted date", "configurations", strings.Replace(good, "2027-03-31", `"2027-03-31"`, 1), nil},
		{"unknown field", "configurations", good[:len(`name = "fw01"`)+1] + "colour = \"red\"\n" + good[len(`name = "fw01"`)+1:],
			[]fault{{"/", "additionalProperties"}}},
		{"unknown field in a record", "configurations", good + "speed = 10\n", []fault{{"/interfaces/0", "additionalProperties"}}},
		{"bad select value", "configurations", strings.Replace(good, `"Firewall"`, `"Firewal"`, 1), []fault{{"/configuration_type", "enum"}}},
		{"wrong type", "configurations", strings.Replace(good, `"192.0.2.1"`, `192`, 1), []fault{{"/primary_ip", "type"}}},
		{"bad ip", "configurations", strings.Replace(good, `"2001:db8::1"`, `"2001:db8::1/64"`, 1),
			[]fault{{"/interfaces/0/ip", "format"}, {"/interfaces/0/ip", "format"}, {"/interfaces/0/ip", "pattern"}}},
		{"missing required field", "configurations", strings.Replace(good, "configuration_type = \"Firewall\"\n", "", 1),
			[]fault{{"/", "required"}}},
		{"missing required field in a record", "configurations", strings.Replace(good, "name = \"wan\"\n", "", 1),
			[]fault{{"/interfaces/0", "required"}}},
		{"blank required field", "configurations", strings.Replace(good, `"fw01"`, `"  "`, 1), []fault{{"/name", "pattern"}}},
		{"bad date", "configurations", strings.Replace(good, "2027-03-31", `"next spring"`, 1),
			[]fault{{"/warranty_expires", "format"}}},
		{"impossible date", "configurations", strings.Replace(good, "2027-03-31", `"2027-02-30"`, 1), []fault{{"/warranty_expires", "format"}}},
		{"date time for a date", "configurations", strings.Replace(good, "2027-03-31", `2027-03-31T10:00:00`, 1),
			[]fault{{"/warranty_expires", "format"}}},
		{"group as a value", "configurations", strings.Replace(good, "\n[[interfaces]]\nname = \"wan\"\nip = \"2001:db8::1\"\n", "interfaces = \"wan\"\n", 1),
			[]fault{{"/interfaces", "type"}}},
		{"plaintext password", "passwords", "name = \"x\"\npassword = \"hunter2\"\n", []fault{{"/password", "maxLength"}}},
		{"name on a type titled by fields", "contacts", "first_name = \"Ann\"\nname = \"Ann\"\n", []fault{{"/", "additionalProperties"}}},
		{"name missing", "passwords", "username = \"x\"\n", []fault{{"/", "required"}}},
		{"reserved keys", "contacts", "first_name = \"Ann\"\narchived = true\nrelated = [\"configurations/fw01\"]\naccess = [\"staff\"]\nmanaged_by = \"MSP\"\nnotes = \"n\"\n", nil},
		{"empty access", "contacts", "first_name = \"Ann\"\naccess = []\n", []fault{{"/access", "minItems"}}},
		{"archived not a boolean", "contacts", "first_name = \"Ann\"\narchived = \"yes\"\n", []fault{{"/archived", "type"}}},
		{"bad email in a record", "contacts", "first_name = \"Ann\"\n[[emails]]\nvalue = \"ann at example\"\n",
			[]fault{{"/emails/0/value", "format"}}},
		{"flexible type", "assets/backup", "job_name = \"nightly\"\nproduct = \"Veeam Agent\"\nfoo = 1\n", []fault{{"/", "additionalProperties"}}},
		{"flexible type missing its required fields", "assets/backup", "notes = \"n\"\n", []fault{{"/", "required"}}},
		{"document front matter", "documents", "title = \"T\"\ncategory = \"Blog\"\n", []fault{{"/category", "enum"}}},
		{"checklist front matter", "checklists", "title = \"T\"\ndue = \"soon\"\n", []fault{{"/due", "format"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := faults(t, schemas[c.typ], c.text)
			if len(got) != len(c.want) {
				t.Fatalf("faults = %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("faults = %v, want %v", got, c.want)
				}
			}
		})
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestExportIsDeterministic: two exports of the demo's types give the
// same bytes, file for file.
func TestExportIsDeterministic(t *testing.T) {
	s := loadDemo(t)
	a, b := t.TempDir(), t.TempDir()
	fa, err := jsonschema.Export(a, types(s.Schemas))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jsonschema.Export(b, types(s.Schemas)); err != nil {
		t.Fatal(err)
	}
	if len(fa) != len(s.Schemas.Types()) {
		t.Fatalf("wrote %d files for %d types", len(fa), len(s.Schemas.Types()))
	}
	for _, p := range fa {
		name := filepath.Base(p)
		if !bytes.Equal(mustRead(t, p), mustRead(t, filepath.Join(b, name))) {
			t.Errorf("%s differs between two exports", name)
		}
	}
}

// TestSchemaAgreesWithChecker: for values of every kind, the schema of a
// field accepts exactly what the checker's value check accepts, so an
// editor neither misses an error nor flags a good value. Cases where a
// schema cannot say what the checker does are listed in docs/editors.md
// ("What the schemas do not check") and marked lenient here.
func TestSchemaAgreesWithChecker(t *testing.T) {
	min, max := 1.0, 10.0
	cases := []struct {
		field  schema.Field
		values []string
		// lenient values pass the schema but fail cairn check.
		lenient []string
	}{
		{schema.Field{Kind: schema.Checkbox}, []string{"true", `"true"`, "1"}, nil},
		{schema.Field{Kind: schema.Date}, []string{"2026-11-23", `"2026-11-23"`, `"2026-13-01"`, `"2026-02-29"`, `"23.11.2026"`, "2026-11-23T10:00:00Z", "20261123"}, nil},
		{schema.Field{Kind: schema.Number, Min: &min, Max: &max}, []string{"1", "10", "0", "10.5", "5.25", `"5"`, "inf", "nan"}, nil},
		{schema.Field{Kind: schema.Percent}, []string{"0", "100", "-1", "100.1", "55.5"}, nil},
		{schema.Field{Kind: schema.Select, Options: []string{"A b", "C"}}, []string{`"A b"`, `"C"`, `"c"`, `""`, "1"}, nil},
		{schema.Field{Kind: schema.Text}, []string{`"x"`, `""`, `"a\nb"`, `"a\rb"`, "1"}, nil},
		{schema.Field{Kind: schema.Textbox}, []string{`"x"`, `"a\nb"`, "true"}, nil},
		{schema.Field{Kind: schema.URL}, []string{`"https://a.example/x?y#z"`, `"HTTPS://A.EXAMPLE"`, `"ssh://host"`, `"mailto:a@b.c"`, `"a.example"`, `"https://"`, `"javascript://x"`, `"https://a b.example"`}, nil},
		{schema.Field{Kind: schema.Email}, []string{`"a@b.example"`, `"a.b+c@d-e.example"`, `"a@b"`, `"a b@c.example"`, `"@c.example"`, `"a@-c.example"`}, nil},
		{schema.Field{Kind: schema.Phone}, []string{`"+1 555 0100"`, `"(555) 0100 ext. 12"`, `"call me"`, `"+"`, `"12"`}, []string{`"12"`}},
		{schema.Field{Kind: schema.IP}, []string{`"192.0.2.1"`, `"2001:db8::1"`, `"::ffff:192.0.2.1"`, `"192.0.2"`, `"192.0.2.1/24"`, `"192.000.2.1"`, `"host"`, `"fe80::1%eth0"`}, nil},
		{schema.Field{Kind: schema.CIDR}, []string{`"198.51.100.0/24"`, `"2001:db8::/32"`, `"198.51.100.1/24"`, `"198.51.100.0"`, `"x/24"`}, []string{`"198.51.100.1/24"`}},
		{schema.Field{Kind: schema.Text, Multiple: true}, []string{`"a"`, `["a", "b"]`, `[]`, `["a", 1]`}, nil},
		{schema.Field{Kind: schema.Password}, []string{`""`, `"hunter2"`}, nil},
	}
	for _, c := range cases {
		f := c.field
		f.Name = "x"
		s := &schema.Schema{Name: "T", Type: "t", Fields: []*schema.Field{&f}}
		sch := compileOne(t, s)
		for _, text := range c.values {
			root, err := tomldoc.Parse([]byte("name = \"n\"\nx = " + text + "\n"))
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			checker := schema.CheckValue(&f, root.Get("x")) == nil
			editor := sch.Validate(jsonschema.Table(root)) == nil
			lenient := false
			for _, l := range c.lenient {
				lenient = lenient || l == text
			}
			switch {
			case lenient && (checker || !editor):
				t.Errorf("%s %s is listed as lenient, but checker=%v schema=%v", f.Kind, text, checker, editor)
			case !lenient && checker != editor:
				t.Errorf("%s %s: checker accepts=%v, schema accepts=%v", f.Kind, text, checker, editor)
			}
		}
	}
}

// compileOne compiles one type's exported schema.
func compileOne(t *testing.T, s *schema.Schema) *validator.Schema {
	t.Helper()
	return compile(t, schema.NewRegistry(nil, []*schema.Schema{s}))[s.Type]
}

// TestDemoEditorFilesAreCurrent: the schemas and .taplo.toml committed
// with the demo (so the repository validates in an editor as cloned) are
// what cairn schema export --taplo writes today, with no stale schema.
func TestDemoEditorFilesAreCurrent(t *testing.T) {
	s := loadDemo(t)
	const fix = "run: go run ./cmd/cairn schema export --taplo"
	dir := filepath.Join(demoRoot, filepath.FromSlash(jsonschema.DefaultDir))
	want := map[string]bool{}
	for _, sch := range s.Schemas.Schemas() {
		name := jsonschema.FileName(sch.Type)
		want[name] = true
		data, err := jsonschema.Generate(sch)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s/%s is not current (%v); %s", jsonschema.DefaultDir, name, err, fix)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s/%s is the schema of no type; delete it", jsonschema.DefaultDir, e.Name())
		}
	}
	if got := mustRead(t, filepath.Join(demoRoot, jsonschema.TaploFile)); !bytes.Equal(got, jsonschema.Taplo(jsonschema.DefaultDir, s.Schemas.Schemas())) {
		t.Errorf("%s is not current; %s", jsonschema.TaploFile, fix)
	}
}

// TestTaploConfigIsTOML: .taplo.toml parses as TOML 1.0 whatever the
// schema folder is called, and names each TOML type's files and schema; the
// Markdown types get no rule.
func TestTaploConfigIsTOML(t *testing.T) {
	core, err := schema.LoadCore()
	if err != nil {
		t.Fatal(err)
	}
	const dir = "odd \"dir\"\\\x01\x7fü"
	text := jsonschema.Taplo(dir, core)
	if bytes.Contains(text, []byte(`\x`)) {
		// TOML 1.1 has \xHH, TOML 1.0 (taplo) does not.
		t.Errorf(".taplo.toml uses a \\x escape, which taplo does not read:\n%s", text)
	}
	root, err := tomldoc.Parse(text)
	if err != nil {
		t.Fatalf(".taplo.toml is not TOML: %v", err)
	}
	rules := root.Get("rule")
	if rules == nil || len(rules.Array) != len(core)-2 {
		t.Fatalf("rules = %v, want one per TOML core type", rules)
	}
	first := rules.Array[0].Table
	if got := first.Get("schema").Table.Get("path").Str; got != dir+"/configurations.schema.json" {
		t.Errorf("schema.path = %q", got)
	}
	if got := first.Get("include").Array[0].Str; got != "content/*/configurations/*.toml" {
		t.Errorf("include = %q", got)
	}
}
