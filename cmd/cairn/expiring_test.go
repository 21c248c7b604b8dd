package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"gopkg.in/yaml.v3"

	"github.com/cairn-it/cairn/generator/testsite"
)

// expiringSite is a site with planted expiries, as of 2026-11-23: a
// domain expired 3 days ago, a certificate due in 5 days, a warranty in
// 60, a password rotated 400 days ago, a document last changed 7 months
// ago under a 6-month cadence.
var expiringSite = map[string]string{
	"cairn.toml":                             "title = \"Planted\"\noutput = \"public\"\nexpiry_window_days = 30\n\n[rotation]\npasswords = \"365d\"\n\n[review]\nsops = \"6mo\"\n",
	"content/acme/org.toml":                  "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/beta/org.toml":                  "name = \"Beta\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/domains/acme-example.toml": "name = \"acme.example\"\nexpires_on = 2026-11-20\n",
	"content/beta/ssl-certificates/www.toml": "name = \"www.beta.example\"\nexpires_on = 2026-11-28\n",
	"content/beta/configurations/fw.toml":    "name = \"beta-fw\"\nconfiguration_type = \"Firewall\"\nwarranty_expires = 2027-01-22\n",
	"content/acme/passwords/admin.toml":      "name = \"Domain admin\"\nlast_rotated = 2025-10-19\n",
	"content/acme/documents/sops/restore.md": "+++\ntitle = \"Restore\"\n+++\n\n# Restore\n",
}

func committedSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := testsite.CommitFiles(dir, "Ann", time.Date(2026, 4, 20, 10, 0, 0, 0, time.UTC), "Add the site", files); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExpiringFailsOnPlantedExpiries(t *testing.T) {
	dir := committedSite(t, expiringSite)
	code, stdout, stderr := cli(t, "-C", dir, "expiring", "--today", "2026-11-23")
	want := `DATE        DAYS LEFT  ORGANIZATION  ITEM                         WHAT
2026-10-19  -35        acme          acme/passwords/admin         rotate (every 365d, last 2025-10-19 by last_rotated) (expired 35 days ago)
2026-10-20  -34        acme          acme/documents/sops/restore  review (every 6mo, last 2026-04-20 in git) (expired 34 days ago)
2026-11-20  -3         acme          acme/domains/acme-example    Domain expires (expired 3 days ago)
2026-11-28  5          beta          beta/ssl-certificates/www    SSL Certificate expires (in 5 days)
`
	if code != exitProblem || stdout != want {
		t.Fatalf("exit %d, stdout:\n%s\nwant exit 1 and:\n%s\nstderr: %s", code, stdout, want, stderr)
	}
	if !strings.Contains(stderr, "3 expired (as of 2026-11-23)") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestExpiringExitCodes(t *testing.T) {
	dir := committedSite(t, expiringSite)
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"nothing expired yet in beta", []string{"--org", "beta"}, exitOK, ""},
		{"the certificate falls inside --fail-within", []string{"--org", "beta", "--fail-within", "7d"}, exitProblem, "1 expired or due within 7d (as of 2026-11-23)"},
		{"--fail-within 4d leaves it out", []string{"--org", "beta", "--fail-within", "4d"}, exitOK, ""},
		{"--fail-within wider than the window", []string{"--org", "beta", "--within", "1d", "--fail-within", "2mo"}, exitProblem, "2 expired or due within 2mo"},
		{"unknown org", []string{"--org", "gamma"}, exitUsage, "--org gamma: no such organization (organizations: acme, beta)"},
		{"bad window", []string{"--within", "a month"}, exitUsage, `--within: not a duration: "a month" does not start with a number (write a whole number and a unit: 30d, 2w, 6mo, 1y)`},
		{"bad format", []string{"--format", "xml"}, exitUsage, `--format "xml": want text, json, csv or ics`},
	}
	for _, c := range cases {
		args := append([]string{"-C", dir, "expiring", "--today", "2026-11-23"}, c.args...)
		code, _, stderr := cli(t, args...)
		if code != c.code || !strings.Contains(stderr, c.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d with %q", c.name, code, stderr, c.code, c.stderr)
		}
	}
}

func TestExpiringFormats(t *testing.T) {
	dir := committedSite(t, expiringSite)
	_, stdout, _ := cli(t, "-C", dir, "expiring", "--today", "2026-11-23", "--format", "json", "--within", "90d", "--org", "beta")
	var got struct {
		AsOf    string `json:"as_of"`
		Within  string `json:"within"`
		Entries []struct {
			ID       string `json:"id"`
			Date     string `json:"date"`
			DaysLeft int    `json:"days_left"`
			Org      string `json:"org"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if got.AsOf != "2026-11-23" || got.Within != "90d" || len(got.Entries) != 2 || got.Entries[1].ID != "beta/configurations/fw" || got.Entries[1].DaysLeft != 60 {
		t.Errorf("json: %+v", got)
	}
	_, stdout, _ = cli(t, "-C", dir, "expiring", "--today", "2026-11-23", "--format", "csv", "--org", "beta")
	if stdout != "date,days_left,org,id,title,type,kind,what,assignee\n2026-11-28,5,beta,beta/ssl-certificates/www,www.beta.example,ssl-certificates,expires,SSL Certificate expires,\n" {
		t.Errorf("csv:\n%s", stdout)
	}
	_, stdout, _ = cli(t, "-C", dir, "expiring", "--today", "2026-11-23", "--format", "ics", "--org", "beta")
	if !strings.HasPrefix(stdout, "BEGIN:VCALENDAR\r\n") || !strings.Contains(stdout, "DTSTART;VALUE=DATE:20261128\r\n") || strings.Contains(stdout, "acme") {
		t.Errorf("ics:\n%s", stdout)
	}
}

func TestExpiringNotifies(t *testing.T) {
	dir := committedSite(t, expiringSite)
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}))
	defer srv.Close()
	code, _, stderr := cli(t, "-C", dir, "expiring", "--today", "2026-11-23", "--fail-within", "7d", "--notify", srv.URL+"/hook")
	if code != exitProblem || !strings.Contains(stderr, "posted the summary to the webhook") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var msg map[string]string
	if err := json.Unmarshal([]byte(body), &msg); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg["text"], "Planted: 4 due within 30d of 2026-11-23, 3 expired, 4 failing\n- 2026-10-19, expired 35 days ago: `acme/passwords/admin`") {
		t.Errorf("text: %s", msg["text"])
	}
}

func TestExpiringNotifyFailureIsFatal(t *testing.T) {
	dir := committedSite(t, expiringSite)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }))
	defer srv.Close()
	code, _, stderr := cli(t, "-C", dir, "expiring", "--today", "2026-11-23", "--org", "beta", "--notify", srv.URL+"/TOKEN-CANARY")
	if code != exitFatal || !strings.Contains(stderr, "--notify: the webhook answered HTTP 403 after 1 attempt(s)") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	if strings.Contains(stderr, "TOKEN-CANARY") {
		t.Error("the webhook URL is printed (canary found in stderr)")
	}
}

func TestStale(t *testing.T) {
	dir := committedSite(t, expiringSite)
	code, stdout, stderr := cli(t, "-C", dir, "stale", "--today", "2026-11-23")
	want := `DUE         DAYS LATE  ORGANIZATION  DOCUMENT                     LAST REVIEW        EVERY
2026-10-20  34         acme          acme/documents/sops/restore  2026-04-20 in git  6mo ([review] sops)
`
	if code != exitProblem || stdout != want || !strings.Contains(stderr, "1 document overdue for review (as of 2026-11-23)") {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", code, stdout, want, stderr)
	}
	_, stdout, _ = cli(t, "-C", dir, "stale", "--today", "2026-11-23", "--format", "json")
	wantJSON := `{
  "as_of": "2026-11-23",
  "stale": [
    {
      "id": "acme/documents/sops/restore",
      "title": "Restore",
      "org": "acme",
      "every": "6mo",
      "every_from": "[review] sops",
      "last_review": "2026-04-20",
      "last_review_from": "in git",
      "due": "2026-10-20",
      "days_late": 34
    }
  ],
  "unknown": []
}
`
	if stdout != wantJSON {
		t.Errorf("json:\n%s\nwant:\n%s", stdout, wantJSON)
	}
	code, _, stderr = cli(t, "-C", dir, "stale", "--today", "2026-10-20")
	if code != exitOK || !strings.Contains(stderr, "no document is overdue for review as of 2026-10-20 (1 document with a review cadence)") {
		t.Errorf("on its due date: exit %d, stderr %s", code, stderr)
	}
}

func TestStaleOutsideGit(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for k, v := range expiringSite {
		files[k] = v
	}
	files["content/acme/documents/sops/old.md"] = "+++\ntitle = \"Old\"\nreviewed_on = 2026-01-02\n+++\n\n# Old\n"
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "-C", dir, "stale", "--today", "2026-11-23")
	want := `DUE         DAYS LATE  ORGANIZATION  DOCUMENT                     LAST REVIEW                            EVERY
2026-07-02  144        acme          acme/documents/sops/old      2026-01-02 by reviewed_on              6mo ([review] sops)
?           ?          acme          acme/documents/sops/restore  unknown (no git date, no reviewed_on)  6mo ([review] sops)
`
	if code != exitProblem || stdout != want || !strings.Contains(stderr, "note: the site is not in git") {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", code, stdout, want, stderr)
	}
}

// TestExpiryDocPipelines parses the pipeline files docs/expiry.md shows:
// each is YAML, the GitHub one is docs/ci/github-expiry.yml verbatim, and
// every one runs cairn expiring --fail-within 7d --notify with flags the
// command takes.
func TestExpiryDocPipelines(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "expiry.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	gh, err := os.ReadFile(filepath.Join(ciDir, "github-expiry.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, "```yaml\n"+string(gh)+"```\n") {
		t.Error("docs/expiry.md does not show docs/ci/github-expiry.yml verbatim")
	}
	blocks := strings.Split(doc, "```yaml\n")[1:]
	if len(blocks) != 2 {
		t.Fatalf("docs/expiry.md has %d yaml blocks, want 2 (GitHub, GitLab)", len(blocks))
	}
	for i, b := range blocks {
		body, _, _ := strings.Cut(b, "```\n")
		var v map[string]any
		if err := yaml.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		found := false
		var cmds [][]string
		for _, str := range yamlStrings(v) {
			cmds = append(cmds, cairnCommands(str)...)
		}
		for _, c := range cmds {
			if len(c) > 0 && c[0] == "expiring" {
				if err := validateCommand(c); err != nil {
					t.Errorf("block %d: cairn %s: %v", i, strings.Join(c, " "), err)
				}
				if strings.Join(c[:3], " ") == "expiring --fail-within 7d" && c[3] == "--notify" {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("block %d runs no cairn expiring --fail-within 7d --notify", i)
		}
	}
}

// yamlStrings returns every string value of a parsed YAML document: the
// shell scripts among them.
func yamlStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, yamlStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, yamlStrings(e)...)
		}
		return out
	}
	return nil
}

// shallowClone commits files, then a second commit touching one domain,
// and returns a clone of depth 1: restore.md's last change is older.
func shallowClone(t *testing.T, files map[string]string) string {
	t.Helper()
	src := committedSite(t, files)
	if err := testsite.CommitFiles(src, "Ben", time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), "Touch the domain", map[string]string{
		"content/acme/domains/acme-example.toml": "name = \"acme.example\"\nexpires_on = 2026-11-21\n",
	}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "clone")
	if _, err := git.PlainClone(dir, false, &git.CloneOptions{URL: src, Depth: 1}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestStaleInAShallowClone(t *testing.T) {
	dir := shallowClone(t, expiringSite)
	code, stdout, stderr := cli(t, "-C", dir, "stale", "--today", "2026-11-23")
	// restore.md's last change is older than the clone: unknown, not
	// "being written now".
	if code != exitOK || !strings.Contains(stdout, "acme/documents/sops/restore  unknown") || !strings.Contains(stderr, "warning: the site is a shallow clone") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
}

func TestBuildInAShallowCloneBadgesReviewsUnknown(t *testing.T) {
	files := map[string]string{"access.toml": "[groups.staff]\norgs = [\"*\"]\n[portals.internal]\ngroups = [\"staff\"]\n"}
	for k, v := range expiringSite {
		files[k] = v
	}
	dir := shallowClone(t, files)
	out := filepath.Join(t.TempDir(), "www")
	code, _, stderr := cli(t, "-C", dir, "build", "--no-runbooks", "--today", "2026-11-23", "-o", out)
	if code != exitOK || !strings.Contains(stderr, "warning: the site is a shallow clone") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	page := readFile(t, out, "internal/acme/documents/sops/restore/index.html")
	if !strings.Contains(page, ">Last review unknown</span>") {
		t.Errorf("restore.md's last change is older than the clone, yet its badge is not unknown")
	}
}
