package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/testsite"
)

// TestAccessReviewOnDemo runs cairn access review on the demo in each
// format.
func TestAccessReviewOnDemo(t *testing.T) {
	f, out, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", repoRoot, "access", "review", "--format", "csv"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// 6 groups, 7 users, 5 portals and the header.
	if len(recs) != 19 || recs[0][0] != "kind" {
		var names []string
		for _, r := range recs {
			names = append(names, r[0]+" "+r[1])
		}
		t.Fatalf("%d records: %v", len(recs), names)
	}
	var helpdesk []string
	for _, r := range recs {
		if r[0] == "group" && r[1] == "helpdesk" {
			helpdesk = r
		}
	}
	if helpdesk == nil || helpdesk[4] != "helpdesk" || helpdesk[7] != "northwind/passwords" || helpdesk[11] != "" {
		t.Errorf("helpdesk row: %v", helpdesk)
	}

	f, out, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", repoRoot, "access", "review"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out.String(), "KIND ") || strings.Count(out.String(), "\n") != 19 {
		t.Errorf("text:\n%s", out)
	}
}

func TestAccessReviewErrors(t *testing.T) {
	f, _, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", repoRoot, "access", "review", "--format", "xml"}, f); code != exitUsage ||
		!strings.Contains(errOut.String(), `--format "xml": use one of text, csv, json`) {
		t.Errorf("exit %d: %s", code, errOut)
	}

	// --since outside a git repository is a usage error.
	dir := copyDemo(t)
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "access", "review", "--since", "HEAD~1"}, f); code != exitUsage ||
		!strings.Contains(errOut.String(), "--since needs the site in a git repository") {
		t.Errorf("exit %d: %s", code, errOut)
	}

	// An access.toml with errors stops the review.
	if err := os.WriteFile(filepath.Join(dir, "access.toml"), []byte("[portals.p]\ngroups = [\"nope\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "access", "review"}, f); code != exitProblem || out.Len() != 0 ||
		!strings.Contains(errOut.String(), "access.toml has errors") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
}

// TestAccessReviewSince runs --since on a repository where a group gains
// an organization.
func TestAccessReviewSince(t *testing.T) {
	dir := t.TempDir()
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	site := map[string]string{
		"cairn.toml":            "title = \"T\"\n",
		"access.toml":           "[groups.ops]\norgs = [\"acme\"]\n\n[portals.ops]\ngroups = [\"ops\"]\n",
		"content/acme/org.toml": "name = \"Acme\"\n",
		"content/beta/org.toml": "name = \"Beta\"\n",
	}
	if err := testsite.CommitFiles(dir, "Ann", when, "Start", site); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CommitFiles(dir, "Ann", when.Add(time.Hour), "Widen", map[string]string{
		"access.toml": "[groups.ops]\norgs = [\"*\"]\n\n[portals.ops]\ngroups = [\"ops\"]\n",
	}); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "access", "review", "--since", "HEAD~1"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "KIND    NAME  CHANGE  ASPECT  VALUE\ngroup   ops   gained  org     beta\nportal  ops   gained  org     beta\n"
	if out.String() != want {
		t.Errorf("stdout:\n%s\nwant\n%s", out, want)
	}
	f, out, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "access", "review", "--since", "HEAD"}, f); code != exitOK ||
		out.Len() != 0 || errOut.String() != "no change in access since HEAD\n" {
		t.Errorf("exit %d: %q %q", code, out, errOut)
	}
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "access", "review", "--since", "nope"}, f); code != exitFatal ||
		!strings.Contains(errOut.String(), `--since nope: git revision "nope": reference not found (name a branch, tag or commit)`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
