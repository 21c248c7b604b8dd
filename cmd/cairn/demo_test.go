package main

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// repoRoot is the project root: itself a site (the demo).
const repoRoot = "../.."

var summaryRe = regexp.MustCompile(`(?m)^checked (\d+) organizations, (\d+) items, (\d+) links: 0 errors, \d+ warnings?; \d+ expiring within the window, \d+ expired(; advice: \d+ infos?, \d+ suppressed)?$`)

// TestBinaryOnDemo runs the built binary on the project's demo site: it
// must pass.
func TestBinaryOnDemo(t *testing.T) {
	code, stdout, stderr := binary(t, "-C", repoRoot, "check")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	m := summaryRe.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", stdout)
	}
	if m[1] == "0" || m[2] == "0" || m[3] == "0" {
		t.Errorf("the demo looks empty: %s", m[0])
	}
}

// copyDemo copies the demo site (settings, schemas, templates, content)
// into a temporary folder.
func copyDemo(t *testing.T) string { return sitetest.CopyDemo(t, repoRoot) }

// firstFile returns the first file (in name order) matching a glob below
// dir, relative to dir with slashes.
func firstFile(t *testing.T, dir, glob string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(glob)))
	if err != nil || len(m) == 0 {
		t.Fatalf("the demo has no %s", glob)
	}
	sort.Strings(m)
	rel, _ := filepath.Rel(dir, m[0])
	return filepath.ToSlash(rel)
}

// TestBinaryOnBrokenDemo plants faults of several classes in a copy of the
// demo at once: one run reports every one at its file and line, and
// exits 1.
func TestBinaryOnBrokenDemo(t *testing.T) {
	dir := copyDemo(t)
	if code, stdout, _ := binary(t, "-C", dir, "check"); code != 0 {
		t.Fatalf("the copy of the demo does not pass check:\n%s", stdout)
	}
	cfg := firstFile(t, dir, "content/*/configurations/*.toml")
	writeFile(t, dir, cfg, "colour = \"red\"\n"+readFile(t, dir, cfg))
	pw := firstFile(t, dir, "content/*/passwords/*.toml")
	writeFile(t, dir, pw, "password = \"hunter2\"\n"+readFile(t, dir, pw))
	doc := firstFile(t, dir, "content/*/documents/*.md")
	body := strings.TrimRight(readFile(t, dir, doc), "\n") + "\n"
	linkLine := strings.Count(body, "\n") + 2
	writeFile(t, dir, doc, body+"\nSee [[configurations/no-such-host]].\n")
	loc := firstFile(t, dir, "content/*/locations/*.toml")
	writeFile(t, dir, loc, "name = \n")
	org := strings.Split(cfg, "/")[1]
	writeFile(t, dir, "content/"+org+"/servers/dc01.toml", "name = \"dc01\"\n")
	writeFile(t, dir, "content/"+org+"/contacts/Jo Smith.toml", "first_name = \"Jo\"\n")
	writeFile(t, dir, "content/newco/configurations/a1.toml", "name = \"a1\"\nconfiguration_type = \"Server\"\n")

	code, stdout, stderr := binary(t, "-C", dir, "check")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
	}
	for _, want := range []string{
		cfg + `:1:1: error: unknown field "colour" for Configurations`,
		pw + `:1:12: error: "password" is a password field: its value must not be written in plain TOML`,
		doc + ":" + itoa(linkLine) + `:5: error: wiki link [[configurations/no-such-host]]: "configurations/no-such-host": no such item`,
		loc + `:1:8: error: TOML syntax: unexpected character U+000A at start of value`,
		"content/" + org + `/servers: error: "servers" is not a known type folder`,
		"content/" + org + `/contacts/Jo Smith.toml: error: "Jo Smith" is not a valid slug`,
		`content/newco: error: folder content/newco has no org.toml`,
	} {
		if !strings.Contains(stdout, want+"\n") {
			t.Errorf("missing from the report: %s", want)
		}
	}
	if !regexp.MustCompile(`(?m)^checked \d+ organizations, \d+ items, \d+ links: 7 errors, `).MatchString(stdout) {
		t.Errorf("want exactly 7 errors; report:\n%s", stdout)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
