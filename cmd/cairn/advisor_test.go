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
		"access.toml unsealed-passwords by access.toml:123:13: first line sees password metadata only, on purpose",
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

// TestCheckSharedSecret: with a key, check decrypts the secrets files and
// reports two items holding one value, without printing it; without a
// key the rule does not run.
func TestCheckSharedSecret(t *testing.T) {
	const canary = "canary-Tr0ub4dor&3"
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	writeFile(t, dir, "content/example/passwords/router-admin.toml", "name = \"Router admin\"\ncategory = \"Device\"\nrelated = [\"configurations/fw01\"]\n")
	for _, id := range []string{"example/passwords/domain-admin", "example/passwords/router-admin"} {
		if code, _, stderr := cliIn(t, a, canary+"\n", "-C", dir, "secret", "set", id); code != 0 {
			t.Fatalf("set %s: exit %d: %s", id, code, stderr)
		}
	}
	code, stdout, stderr := cliIn(t, a, "", "-C", dir, "check", "--today", "2026-11-20")
	if strings.Contains(stdout+stderr, canary) || strings.Contains(stdout+stderr, "Tr0ub4dor") {
		t.Fatal("canary found in check's output")
	}
	for _, want := range []string{
		`content/example/passwords/domain-admin.toml:1:1: warning: the secret "password" has the same value as passwords/router-admin (password)`,
		`content/example/passwords/router-admin.toml:1:1: warning: the secret "password" has the same value as passwords/domain-admin (password)`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("exit %d, stdout lacks %q:\n%s", code, want, stdout)
		}
	}
	nokey := secretEnv{vars: map[string]string{"HOME": t.TempDir()}}
	if _, stdout, _ := cliIn(t, nokey, "", "-C", dir, "check", "--today", "2026-11-20"); strings.Contains(stdout, "shared-secret") || strings.Contains(stdout, "same value") {
		t.Errorf("without a key:\n%s", stdout)
	}
}
