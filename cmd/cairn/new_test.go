package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/testsite"
)

// fillValue is a valid value for a required field of the init site, as a
// person filling in a scaffold would write it.
func fillValue(f *schema.Field) string {
	switch f.Kind {
	case schema.Checkbox:
		return "true"
	case schema.Number, schema.Percent:
		if f.Min != nil {
			return fmt.Sprint(*f.Min)
		}
		return "1"
	case schema.Date:
		return "2027-06-30"
	case schema.Select:
		return fmt.Sprintf("%q", f.Options[0])
	case schema.Tag:
		id := map[string]string{"locations": "locations/head-office", "configurations": "configurations/fw01",
			"documents": "documents/getting-started", "contacts": "contacts/jo"}[f.Targets[0]]
		if f.Multiple {
			return fmt.Sprintf("[%q]", id)
		}
		return fmt.Sprintf("%q", id)
	case schema.IP:
		return `"192.0.2.50"`
	case schema.CIDR:
		return `"192.0.2.0/24"`
	case schema.URL:
		return `"https://example.com/"`
	case schema.Email:
		return `"it@example.com"`
	case schema.Phone:
		return `"+1 555 0199"`
	}
	if f.Multiple {
		return `["Filled in"]`
	}
	return `"Filled in"`
}

// fill replaces each required field's placeholder line in a scaffold
// with a valid value, and fails the test if one is not there.
func fill(t *testing.T, text string, s *schema.Schema) string {
	t.Helper()
	if len(s.TitleFields()) == 0 {
		text = strings.Replace(text, "\nname = \"\"\n", "\nname = \"Filled in\"\n", 1)
	}
	for _, f := range s.Fields {
		if !f.Required || f.Kind == schema.Group || f.Kind == schema.Header || f.Kind == schema.Password {
			continue
		}
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f.Name) + ` = .*$`)
		if !re.MatchString(text) {
			t.Fatalf("scaffold of %s has no line for required field %s:\n%s", s.Type, f.Name, text)
		}
		text = re.ReplaceAllString(text, f.Name+" = "+fillValue(f))
	}
	return text
}

// TestNewScaffoldsPassCheck: for every core type and a flexible type, the
// file cairn new writes, with its required values filled in, passes check.
func TestNewScaffoldsPassCheck(t *testing.T) {
	dir := newSite(t)
	// The keys put in, as keys init --add-to-sops would: the recipients of
	// testsite.SecretsFile, so check finds them as .sops.yaml says.
	writeFile(t, dir, ".sops.yaml", "creation_rules:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: age1a092uzgpw2ademmq3srqstumzx6rwf3zfjdx6pl4a6se98yttcys5le9js,age1hmjmf0d3ljmw06qnjud2qyn6rfmsqt49mkf78kddtz47m7suqclq26dqpj\n")
	core, err := schema.LoadCore()
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"contacts"} // first: other types' tags point to it
	for _, s := range core {
		if s.Type != "contacts" {
			types = append(types, s.Type)
		}
	}
	types = append(types, "backup", "assets/email")
	for _, typ := range types {
		slug := "jo"
		if typ == "documents" {
			slug = "sops/new-starter"
		} else if typ != "contacts" {
			slug = "made-by-new"
		}
		code, stdout, stderr := cli(t, "-C", dir, "new", typ, "example", slug)
		if code != 0 {
			t.Fatalf("new %s: exit %d: %s", typ, code, stderr)
		}
		path := strings.TrimSpace(stdout)
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := findSchema(dir, typ)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, rel, fill(t, readFile(t, dir, rel), s))
		if typ == "passwords" {
			// As cairn secret set would: the value, encrypted, beside it.
			writeFile(t, dir, strings.TrimSuffix(rel, ".toml")+".sops.yaml", testsite.SecretsFile)
		}
		// Valid, not yet well kept: a new password is related to nothing
		// until someone links it, which the advisor says (advisor.md).
		code, stdout, _ = cli(t, "-C", dir, "check", "--strict", "--no-advisor")
		if code != 0 {
			t.Fatalf("new %s, filled in, fails check:\n%s\n--- the file:\n%s", typ, stdout, readFile(t, dir, rel))
		}
	}
	if code, stdout, _ := cli(t, "-C", dir, "new", "org", "acme"); code != 0 || strings.TrimSpace(stdout) != filepath.Join(dir, "content", "acme", "org.toml") {
		t.Fatalf("new org: exit %d, %q", code, stdout)
	}
	if code, stdout, _ := cli(t, "-C", dir, "check"); code != 0 {
		t.Fatalf("new org fails check:\n%s", stdout)
	}
}

func TestNewRefusals(t *testing.T) {
	dir := newSite(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"existing file", []string{"new", "configurations", "example", "fw01"}, 3,
			"cairn: " + filepath.Join(dir, "content/example/configurations/fw01.toml") + " already exists: refusing to overwrite it\n"},
		{"existing org", []string{"new", "org", "example"}, 3,
			"cairn: " + filepath.Join(dir, "content/example/org.toml") + " already exists: refusing to overwrite it\n"},
		{"upper-case slug", []string{"new", "configurations", "example", "SV1"}, 2,
			"cairn: \"SV1\" is not a valid slug: use lower-case letters, digits and single hyphens\nRun 'cairn --help' for usage.\n"},
		{"slug with ..", []string{"new", "documents", "example", "../../../etc/x"}, 2,
			"cairn: \"../../../etc/x\" is not a valid slug: use lower-case letters, digits and single hyphens\nRun 'cairn --help' for usage.\n"},
		{"absolute slug", []string{"new", "documents", "example", "/tmp/x"}, 2,
			"cairn: \"/tmp/x\" is not a valid slug: use lower-case letters, digits and single hyphens\nRun 'cairn --help' for usage.\n"},
		{"slug with a space", []string{"new", "contacts", "example", "jo smith"}, 2,
			"cairn: \"jo smith\" is not a valid slug: use lower-case letters, digits and single hyphens\nRun 'cairn --help' for usage.\n"},
		{"path slug on a non-document", []string{"new", "configurations", "example", "a/b"}, 2,
			"cairn: only documents may have a path as SLUG\nRun 'cairn --help' for usage.\n"},
		{"bad org slug", []string{"new", "org", "Acme Corp"}, 2,
			"cairn: \"Acme Corp\" is not a valid slug: use lower-case letters, digits and single hyphens\nRun 'cairn --help' for usage.\n"},
		{"org named like a type folder", []string{"new", "org", "files"}, 2,
			"cairn: organization slug \"files\" is reserved: type folder names cannot be organization slugs (reserved: configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets, files, runbooks, search, static)\nRun 'cairn --help' for usage.\n"},
		{"org named like a core type", []string{"new", "org", "contacts"}, 2,
			"cairn: organization slug \"contacts\" is reserved: type folder names cannot be organization slugs (reserved: configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets, files, runbooks, search, static)\nRun 'cairn --help' for usage.\n"},
		{"org named like a portal folder", []string{"new", "org", "static"}, 2,
			"cairn: organization slug \"static\" is reserved: portals keep their style sheets and scripts in static/ (reserved: configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets, files, runbooks, search, static)\nRun 'cairn --help' for usage.\n"},
		{"bad org of an item", []string{"new", "contacts", "../x", "jo"}, 2,
			"cairn: \"../x\" is not a valid organization slug\nRun 'cairn --help' for usage.\n"},
		{"unknown org", []string{"new", "contacts", "acme", "jo"}, 2,
			"cairn: no organization \"acme\": create it first with cairn new org acme\nRun 'cairn --help' for usage.\n"},
		{"unknown type", []string{"new", "servers", "example", "sv1"}, 2, ""},
		{"wrong arguments", []string{"new", "contacts", "example"}, 2,
			"cairn: new takes TYPE ORG SLUG, or org SLUG\nRun 'cairn --help' for usage.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, append([]string{"-C", dir}, tc.args...)...)
			if code != tc.code || (tc.stderr != "" && stderr != tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tc.code, tc.stderr)
			}
			if tc.stderr == "" && !strings.HasPrefix(stderr, "cairn: unknown type \"servers\"; types: configurations, contacts,") {
				t.Errorf("stderr %q", stderr)
			}
		})
	}
	// Nothing was written by the refusals, and the site is still valid.
	if code, stdout, _ := cli(t, "-C", dir, "check"); code != 0 || !strings.Contains(stdout, "3 items") {
		t.Errorf("after refusals: exit %d\n%s", code, stdout)
	}
}

// A schema linked from outside the site is refused, naming the file and
// not its target.
func TestNewRefusesLinkedSchema(t *testing.T) {
	dir := newSite(t)
	outside := filepath.Join(t.TempDir(), "x.toml")
	if err := os.WriteFile(outside, []byte("name = \"CANARY-new-schema\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, "schemas", "backup.toml"))
	if err := os.Symlink(outside, filepath.Join(dir, "schemas", "backup.toml")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "-C", dir, "new", "backup", "example", "veeam")
	want := "cairn: schemas/backup.toml is a symbolic link that leads outside the site: replace the link with the file itself\n"
	if code == 0 || stderr != want {
		t.Errorf("exit %d, stderr %q; want %q", code, stderr, want)
	}
	if strings.Contains(stdout+stderr, "CANARY") || strings.Contains(stdout+stderr, outside) {
		t.Error("output names the link's target or its content")
	}
}
