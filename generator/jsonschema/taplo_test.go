package jsonschema_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/internal/testtool"
)

// taplo returns the path of the taplo CLI (npm's @taplo/cli, the engine
// of Even Better TOML), or skips the test (fails it in CI).
func taplo(t *testing.T) string {
	t.Helper()
	return testtool.Find(t, "npm install -g @taplo/cli@0.7.0", "taplo")
}

// runTaplo runs taplo check in dir and returns its exit status and what
// it printed.
func runTaplo(t *testing.T, bin, dir string, args ...string) (bool, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"check"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "RUST_LOG=error", "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running taplo: %v", err)
	}
	return err == nil, out.String()
}

// copyContent copies the demo's content/ into dir.
func copyContent(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join(demoRoot, "content")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".toml") {
			return err
		}
		rel, _ := filepath.Rel(demoRoot, p)
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, mustRead(t, p), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTaploValidatesDemo runs the taplo CLI, as Even Better TOML runs it,
// on the demo's items with the exported schemas and the .taplo.toml that
// cairn writes: every item passes, and each planted fault is reported at
// its line and column.
func TestTaploValidatesDemo(t *testing.T) {
	bin := taplo(t)
	s := loadDemo(t)
	dir := t.TempDir()
	copyContent(t, dir)
	if _, err := jsonschema.Export(filepath.Join(dir, filepath.FromSlash(jsonschema.DefaultDir)), types(s.Schemas)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, jsonschema.TaploFile), jsonschema.Taplo(jsonschema.DefaultDir, types(s.Schemas)), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, out := runTaplo(t, bin, dir, "content/**/*.toml"); !ok {
		t.Fatalf("taplo rejects the demo:\n%s", out)
	}

	var planted []string
	plant := func(rel, old, new string) {
		t.Helper()
		planted = append(planted, rel)
		p := filepath.Join(dir, filepath.FromSlash(rel))
		data := string(mustRead(t, p))
		if !strings.Contains(data, old) {
			t.Fatalf("%s has no %q to replace", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(data, old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fw := "content/northwind/configurations/nw-fw01.toml"
	fwText := string(mustRead(t, filepath.Join(dir, filepath.FromSlash(fw))))
	firstLine := fwText[:strings.IndexByte(fwText, '\n')+1]
	plant(fw, firstLine, firstLine+"colour = \"red\"\n")
	plant(fw, `configuration_type = "Firewall"`, `configuration_type = "Firewal"`)
	plant("content/vendors/assets/vendors/dell.toml", `vendor = "Dell Technologies"`, `vendor = 42`)
	plant("content/northwind/contacts/dana-kim.toml", `first_name = "Dana"`, `# no first name`)
	plant("content/northwind/ssl-certificates/portal-northwind-it-example.toml", "expires_on = 20", "expires_on = \"soon\"\n# 20")
	ok, out := runTaplo(t, bin, dir, planted...)
	if ok {
		t.Fatalf("taplo accepts the planted faults:\n%s", out)
	}
	for _, want := range []string{
		fw + ":2:1", "'colour' was unexpected",
		fw + ":3:22", `"Firewal" is not one of`,
		"content/vendors/assets/vendors/dell.toml:", `42 is not of type "string"`,
		"content/northwind/contacts/dana-kim.toml:", `"first_name" is a required property`,
		"content/northwind/ssl-certificates/portal-northwind-it-example.toml:", `"soon" is not a "date"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("taplo's report lacks %q:\n%s", want, out)
		}
	}
}

// TestTaploFollowsDirective: a new item's #:schema line (cairn new writes
// it) leads taplo to its type's schema without any .taplo.toml.
func TestTaploFollowsDirective(t *testing.T) {
	bin := taplo(t)
	s := loadDemo(t)
	dir := t.TempDir()
	if _, err := jsonschema.Export(filepath.Join(dir, filepath.FromSlash(jsonschema.DefaultDir)), types(s.Schemas)); err != nil {
		t.Fatal(err)
	}
	item := filepath.Join(dir, "content", "acme", "assets", "backup", "nightly.toml")
	if err := os.MkdirAll(filepath.Dir(item), 0o755); err != nil {
		t.Fatal(err)
	}
	text := jsonschema.Directive(jsonschema.DefaultDir, "assets/backup") + "job_name = \"nightly\"\nproduct = \"Tape\"\n"
	if err := os.WriteFile(item, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, out := runTaplo(t, bin, dir, "content/acme/assets/backup/nightly.toml")
	if ok || !strings.Contains(out, `"Tape" is not one of`) {
		t.Fatalf("taplo did not apply the schema named by the directive (ok=%v):\n%s", ok, out)
	}
}
