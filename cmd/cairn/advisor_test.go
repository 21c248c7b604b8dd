package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCheckAdvisorOnDemo: the demo breaks no best-practice rule; what it
// shows on purpose is suppressed in place, and --format json lists it with
// its reason.
func TestCheckAdvisorOnDemo(t *testing.T) {
	code, stdout, stderr := cli(t, "-C", repoRoot, "check", "--format", "json", "--today", "2026-11-20")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	var r struct {
		Diagnostics []struct{ Code string }
		Suppressed  []struct {
			File, Code, Reason string
			By                 string `json:"suppressed_by"`
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	for _, d := range r.Diagnostics {
		if d.Code != "expired" {
			t.Errorf("the demo reports %s", d.Code)
		}
	}
	var got []string
	for _, s := range r.Suppressed {
		got = append(got, s.File+" "+s.Code+" by "+s.By+": "+s.Reason)
	}
	want := []string{
		"access.toml group-sees-all by access.toml:14:13: Northwind's engineers support every client and need every credential",
		"access.toml unsealed-passwords by access.toml:97:13: first line sees password metadata only, on purpose",
		"content/ferrum/documents/network/vlans.md data-in-document by content/ferrum/documents/network/vlans.md:54:57: Kowalczyk's own address, allowed in one firewall rule; no Ferrum item holds it (the demo shows an in-place suppression)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppressed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Summary["suppressed"] != 3 {
		t.Errorf("summary: %v, want suppressed 3", r.Summary)
	}
}

// TestCheckAdvisorPlanted: a server's IP pasted into an SOP is a warning
// at its line, naming the item to link; --strict fails on it and
// --no-advisor leaves it out.
func TestCheckAdvisorPlanted(t *testing.T) {
	dir := copyDemo(t)
	const doc = "content/ferrum/documents/sops/vm-restore.md"
	writeFile(t, dir, ".sops.yaml", readFile(t, repoRoot, ".sops.yaml"))
	writeFile(t, dir, doc, strings.Replace(readFile(t, dir, doc), "[[configurations/fr-veeam01]]; sign in", "fr-veeam01 (10.20.100.50); sign in", 1))
	want := `content/ferrum/documents/sops/vm-restore.md:15:13: warning: IP address 10.20.100.50 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-veeam01]] (primary_ip)
`
	code, stdout, _ := cli(t, "-C", dir, "check", "--today", "2026-11-01")
	if code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 0 and:\n%s", code, stdout, want)
	}
	if !strings.Contains(stdout, ": 0 errors, 1 warning; 1 expiring within the window, 0 expired; advice: 0 infos, 3 suppressed\n") {
		t.Errorf("summary: %s", stdout)
	}
	if code, _, _ := cli(t, "-C", dir, "check", "--today", "2026-11-01", "--strict"); code != 1 {
		t.Errorf("--strict: exit %d, want 1", code)
	}
	if code, stdout, _ := cli(t, "-C", dir, "check", "--today", "2026-11-01", "--strict", "--no-advisor"); code != 0 {
		t.Errorf("--strict --no-advisor: exit %d, want 0:\n%s", code, stdout)
	}
	code, stdout, _ = cli(t, "-C", dir, "check", "--today", "2026-11-01", "--no-advisor")
	if code != 0 || strings.Contains(stdout, "data-in-document") || strings.Contains(stdout, "10.20.100.50") {
		t.Errorf("--no-advisor: exit %d, stdout:\n%s", code, stdout)
	}
	code, stdout, _ = cli(t, "-C", dir, "check", "--today", "2026-11-01", "--format", "github")
	if !strings.Contains(stdout, "::warning file=content/ferrum/documents/sops/vm-restore.md,line=15,col=13,title=cairn data-in-document::IP address 10.20.100.50") {
		t.Errorf("github: exit %d, stdout:\n%s", code, stdout)
	}
}

func TestCheckExplain(t *testing.T) {
	code, stdout, stderr := cli(t, "check", "--explain", "data-in-document")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "### data-in-document\n") ||
		!strings.Contains(stdout, "[[configurations/fr-veeam01]] (primary_ip)") || strings.Contains(stdout, "### duplicate-data") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	code, stdout, _ = cli(t, "check", "--explain", "broken-link")
	if code != 0 || !strings.HasPrefix(stdout, "### broken-link\n") || strings.Contains(stdout, "### broken-anchor") {
		t.Errorf("a check rule: exit %d, stdout:\n%s", code, stdout)
	}
	code, _, stderr = cli(t, "check", "--explain", "unlinked-pasword")
	if code != 2 || !strings.Contains(stderr, `--explain "unlinked-pasword": no such rule; did you mean "unlinked-password"?`) {
		t.Errorf("an unknown rule: exit %d, stderr %q", code, stderr)
	}
}
