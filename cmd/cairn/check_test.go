package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestInitSitePassesCheck(t *testing.T) {
	dir := newSite(t)
	code, stdout, stderr := cli(t, "-C", dir, "check")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	want := "checked 1 organizations, 3 items, 3 links: 0 errors, 0 warnings; 0 expiring within the window, 0 expired\n"
	if stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if code, _, stderr := cli(t, "init", dir); code != 3 || !strings.Contains(stderr, "is not empty") {
		t.Errorf("init into a site: exit %d, %q; want 3 and a refusal", code, stderr)
	}
}

// brokenSite is a fresh site with one error and one warning planted.
func brokenSite(t *testing.T) string {
	dir := newSite(t)
	cfg := readFile(t, dir, "content/example/configurations/fw01.toml")
	writeFile(t, dir, "content/example/configurations/fw01.toml", strings.Replace(cfg, `model = "EX-100"`, "model = \"EX-100\"\nwarranty_expires = 2026-11-01\ncolour = \"red\"", 1))
	return dir
}

func TestCheckText(t *testing.T) {
	code, stdout, stderr := cli(t, "-C", brokenSite(t), "check")
	want := `content/example/configurations/fw01.toml:8:20: warning: Warranty expires 2026-11-01 has passed (22 days ago)
    hint: renew it and update the date, or set archived = true if it is no longer used
content/example/configurations/fw01.toml:9:1: error: unknown field "colour" for Configurations
    hint: fields of Configurations: name, configuration_type, status, hostname, primary_ip, location, contact, manufacturer, model, serial_number, asset_tag, operating_system, purchased_on, warranty_expires, installed_by, interfaces, related, access, archived, managed_by, notes, suppress, import_id
checked 1 organizations, 3 items, 3 links: 1 error, 1 warning; 0 expiring within the window, 1 expired
`
	if code != 1 || stdout != want || stderr != "" {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit 1 and:\n%s", code, stderr, stdout, want)
	}
}

func TestCheckJSON(t *testing.T) {
	code, stdout, stderr := cli(t, "-C", brokenSite(t), "check", "--format", "json")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Diagnostics []struct {
			File, Severity, Code, Message, Hint string
			Line, Col                           int
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(r.Diagnostics) != 2 {
		t.Fatalf("diagnostics = %+v", r.Diagnostics)
	}
	d := r.Diagnostics[1]
	if d.File != "content/example/configurations/fw01.toml" || d.Line != 9 || d.Col != 1 || d.Severity != "error" || d.Code != "unknown-field" || d.Message != `unknown field "colour" for Configurations` {
		t.Errorf("diagnostic = %+v", d)
	}
	if w := r.Diagnostics[0]; w.Severity != "warning" || w.Code != "expired" || w.Line != 8 || w.Col != 20 {
		t.Errorf("warning = %+v", w)
	}
	want := map[string]int{"orgs": 1, "items": 3, "links_checked": 3, "errors": 1, "warnings": 1, "expiring_soon": 0, "expired": 1}
	for k, v := range want {
		if r.Summary[k] != v {
			t.Errorf("summary[%s] = %d, want %d (summary %v)", k, r.Summary[k], v, r.Summary)
		}
	}
}

func TestCheckGitHub(t *testing.T) {
	code, stdout, stderr := cli(t, "-C", brokenSite(t), "check", "--format", "github")
	want := `::warning file=content/example/configurations/fw01.toml,line=8,col=20,title=cairn expired::Warranty expires 2026-11-01 has passed (22 days ago)%0Ahint: renew it and update the date, or set archived = true if it is no longer used
::error file=content/example/configurations/fw01.toml,line=9,col=1,title=cairn unknown-field::unknown field "colour" for Configurations%0Ahint: fields of Configurations: name, configuration_type, status, hostname, primary_ip, location, contact, manufacturer, model, serial_number, asset_tag, operating_system, purchased_on, warranty_expires, installed_by, interfaces, related, access, archived, managed_by, notes, suppress, import_id
`
	if code != 1 || stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, stdout, want)
	}
	// The summary goes to stderr, so stdout holds workflow commands only.
	if !strings.HasPrefix(stderr, "checked 1 organizations") {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestCheckExitCodes(t *testing.T) {
	valid := newSite(t)
	warnOnly := newSite(t)
	cfg := readFile(t, warnOnly, "content/example/configurations/fw01.toml")
	writeFile(t, warnOnly, "content/example/configurations/fw01.toml", strings.Replace(cfg, `model = "EX-100"`, "model = \"EX-100\"\nwarranty_expires = 2026-11-01", 1))
	broken := brokenSite(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"valid", []string{"-C", valid, "check"}, 0, ""},
		{"valid, strict", []string{"-C", valid, "check", "--strict"}, 0, ""},
		{"warnings only", []string{"-C", warnOnly, "check"}, 0, ""},
		{"warnings only, strict", []string{"-C", warnOnly, "check", "--strict"}, 1, ""},
		{"warning gone with an earlier --today", []string{"-C", warnOnly, "check", "--strict", "--today", "2026-10-31"}, 0, ""},
		{"errors", []string{"-C", broken, "check"}, 1, ""},
		{"bad format", []string{"-C", valid, "check", "--format", "xml"}, 2, "cairn: --format \"xml\": want text, json, github or sarif\nRun 'cairn --help' for usage.\n"},
		{"bad --today", []string{"-C", valid, "check", "--today", "tomorrow"}, 2, "cairn: --today \"tomorrow\": want a date like 2026-11-23\nRun 'cairn --help' for usage.\n"},
		{"unknown flag", []string{"-C", valid, "check", "--strikt"}, 2, "cairn: unknown flag: --strikt\nRun 'cairn --help' for usage.\n"},
		{"arguments", []string{"-C", valid, "check", "extra"}, 2, "cairn: unknown command \"extra\" for \"cairn check\"\nRun 'cairn --help' for usage.\n"},
		{"not a site", []string{"-C", t.TempDir(), "check"}, 3, "cairn: not a cairn site: no cairn.toml here (run cairn init DIR to make one, or pass --site DIR)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, tc.args...)
			if code != tc.code || stderr != tc.stderr {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}
