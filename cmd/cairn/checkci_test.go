package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/internal/sarifschema"
)

// sarifResults returns rule id, level, uri and region of each result of a
// SARIF log, as "rule level uri:line:col".
func sarifResults(t *testing.T, log string) []string {
	t.Helper()
	var l struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(log), &l); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(l.Runs) != 1 || l.Runs[0].Tool.Driver.Name != "cairn" {
		t.Fatalf("want one run by cairn, got %+v", l.Runs)
	}
	run := l.Runs[0]
	var out []string
	for _, r := range run.Results {
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d names another rule", r.RuleID, r.RuleIndex)
		}
		p := r.Locations[0].PhysicalLocation
		out = append(out, r.RuleID+" "+r.Level+" "+p.ArtifactLocation.URI+":"+itoa(p.Region.StartLine)+":"+itoa(p.Region.StartColumn))
	}
	return out
}

// TestCheckSARIF runs check --format sarif on the demo and on a site with
// planted errors, and validates both logs against the SARIF 2.1.0 schema.
func TestCheckSARIF(t *testing.T) {
	code, stdout, stderr := cli(t, "-C", repoRoot, "check", "--format", "sarif")
	if code != 0 {
		t.Fatalf("demo: exit %d, stderr %q", code, stderr)
	}
	if err := sarifschema.Validate([]byte(stdout)); err != nil {
		t.Errorf("demo: %v", err)
	}
	if !summaryRe.MatchString(stderr) {
		t.Errorf("demo: no summary on stderr: %q", stderr)
	}

	dir := brokenSite(t)
	writeFile(t, dir, "content/example/contacts/Jo Smith.toml", "first_name = \"Jo\"\n")
	writeFile(t, dir, "content/example/documents/vpn.md", "+++\ntitle = \"VPN\"\n+++\n\nPasswort: Fake-Pass-1\n")
	code, stdout, stderr = cli(t, "-C", dir, "check", "--format", "sarif")
	if code != 1 {
		t.Fatalf("planted: exit %d, want 1; stderr %q", code, stderr)
	}
	if err := sarifschema.Validate([]byte(stdout)); err != nil {
		t.Errorf("planted: %v", err)
	}
	got := strings.Join(sarifResults(t, stdout), "\n")
	want := strings.Join([]string{
		"expired warning content/example/configurations/fw01.toml:8:20",
		"unknown-field error content/example/configurations/fw01.toml:9:1",
		"bad-slug error content/example/contacts/Jo%20Smith.toml:0:0",
		"secret-leak error content/example/documents/vpn.md:5:11",
	}, "\n")
	if got != want {
		t.Errorf("results:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(stdout, "Fake-Pass-1") {
		t.Error("the planted secret is in the SARIF log")
	}
	if !strings.HasPrefix(stderr, "checked 1 organizations") {
		t.Errorf("stderr = %q, want the summary", stderr)
	}
}

// TestCheckFiles runs check --files as pre-commit does: from the
// repository's root, with paths relative to it, for a site that is the
// repository or a folder in it.
func TestCheckFiles(t *testing.T) {
	repo := t.TempDir()
	site := filepath.Join(repo, "docs-site")
	if code, _, stderr := cli(t, "init", site); code != 0 {
		t.Fatal(stderr)
	}
	writeFile(t, site, "content/example/documents/vpn.md", "+++\ntitle = \"VPN\"\n+++\n\nPasswort: Fake-Pass-1\n")
	writeFile(t, site, "content/example/documents/clean.md", "+++\ntitle = \"Clean\"\n+++\n\nThe password is in the vault.\n")
	writeFile(t, repo, "outside.md", "Passwort: Fake-Pass-1\n")
	// A broken item elsewhere in the site: --files does not read it.
	writeFile(t, site, "content/example/configurations/fw01.toml", "colour = \"red\"\n")
	t.Chdir(repo)

	leak := "docs-site/content/example/documents/vpn.md"
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"a leak, from the repository root", []string{"-C", "docs-site", "check", "--files", leak, "docs-site/content/example/documents/clean.md", "docs-site/README.md"}, 1,
			"content/example/documents/vpn.md:5:11: error: password in plain text (leaks rule password-in-text)\n" +
				"    hint: keep it in a password item instead: cairn new passwords example SLUG, then cairn secret set example/passwords/SLUG password, and link it from here as [[passwords/SLUG]]; delete it here and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line\n" +
				"scanned 2 files for plaintext secrets (1 skipped: published by no portal): 1 error, 0 warnings\n", ""},
		{"clean", []string{"--site", "docs-site", "check", "--files", "docs-site/content/example/documents/clean.md"}, 0,
			"scanned 1 file for plaintext secrets: 0 errors, 0 warnings\n", ""},
		{"json", []string{"-C", "docs-site", "check", "--files", "--format", "json", "docs-site/content/example/documents/clean.md"}, 0,
			"{\n  \"diagnostics\": [],\n  \"summary\": {\n    \"files_scanned\": 1,\n    \"files_skipped\": 0,\n    \"errors\": 0,\n    \"warnings\": 0\n  }\n}\n", ""},
		{"github", []string{"-C", "docs-site", "check", "--files", "--format", "github", leak}, 1,
			"::error file=content/example/documents/vpn.md,line=5,col=11,title=cairn secret-leak::password in plain text (leaks rule password-in-text)%0Ahint: keep it in a password item instead: cairn new passwords example SLUG, then cairn secret set example/passwords/SLUG password, and link it from here as [[passwords/SLUG]]; delete it here and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line\n",
			"scanned 1 file for plaintext secrets: 1 error, 0 warnings\n"},
		{"outside the site", []string{"-C", "docs-site", "check", "--files", leak, "outside.md"}, 2, "",
			"cairn: --files: \"outside.md\" is not a file inside the site docs-site (pass --site to name the site's folder)\nRun 'cairn --help' for usage.\n"},
		{"climbing out", []string{"-C", "docs-site", "check", "--files", "docs-site/../outside.md"}, 2, "",
			"cairn: --files: \"docs-site/../outside.md\" is not a file inside the site docs-site (pass --site to name the site's folder)\nRun 'cairn --help' for usage.\n"},
		{"the site itself", []string{"-C", "docs-site", "check", "--files", "docs-site"}, 2, "",
			"cairn: --files: \"docs-site\" is not a file inside the site docs-site (pass --site to name the site's folder)\nRun 'cairn --help' for usage.\n"},
		{"no files", []string{"-C", "docs-site", "check", "--files"}, 2, "",
			"cairn: --files: name the files to scan\nRun 'cairn --help' for usage.\n"},
		{"files without --files", []string{"-C", "docs-site", "check", leak}, 2, "",
			"cairn: unknown command \"" + leak + "\" for \"cairn check\"\nRun 'cairn --help' for usage.\n"},
		{"not a site", []string{"check", "--files", "outside.md"}, 3, "",
			"cairn: not a cairn site: no cairn.toml here (run cairn init DIR to make one, or pass --site DIR)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tc.args...)
			if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(repo, "docs-site", "public")); err == nil {
		t.Error("check --files wrote output")
	}
}
