package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/scaffold"
)

// checklistSite is an init site with a template whose tasks have
// relative due dates and an SOP the example organization has.
func checklistSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "checklists/onboarding.md", "+++\ntitle = \"Onboarding\"\nsop = \"documents/sops/new-starter\"\n+++\n\n## Before\n\n- [ ] Create the account @dana due:-3d\n- [ ] Order the laptop due:-1w\n\n## On the day\n\n- [ ] Hand over the laptop due:+0d\n")
	writeFile(t, dir, "content/example/documents/sops/new-starter.md", "+++\ntitle = \"New starter\"\n+++\n\nSteps.\n")
	return dir
}

func TestChecklistStartCommand(t *testing.T) {
	dir := checklistSite(t)
	f, out, errOut := testFactory()
	args := []string{"-C", dir, "checklist", "start", "onboarding", "example", "--due", "2026-12-01", "--assignee", "lena", "--title", "Onboarding: Jo"}
	if code := run(context.Background(), args, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	path := filepath.Join(dir, "content", "example", "checklists", "onboarding-2026-12-01.md")
	if out.String() != path+"\n" {
		t.Errorf("stdout %q, want the path", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`title = "Onboarding: Jo"`, `template = "onboarding"`, `assignee = "lena"`, "due = 2026-12-01", `related = ["documents/sops/new-starter"]`,
		"- [ ] Create the account @dana due:2026-11-28\n", "- [ ] Order the laptop due:2026-11-24\n", "- [ ] Hand over the laptop due:2026-12-01\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the run lacks %q:\n%s", want, b)
		}
	}
	// The run passes check.
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "check"}, f); code != exitOK {
		t.Fatalf("check: exit %d: %s", code, errOut)
	}
	// A second start with the same slug refuses, and leaves the file.
	f, _, errOut = testFactory()
	if code := run(context.Background(), args, f); code != exitProblem || errOut.String() != path+" already exists: choose another --slug\n" {
		t.Fatalf("second start: exit %d: %q", code, errOut)
	}
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Error("the second start changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the run only", len(entries))
	}
	// An unknown template is a usage error naming the templates.
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "checklist", "start", "offboarding", "example"}, f); code != exitUsage ||
		!strings.HasPrefix(errOut.String(), "cairn: no checklist template \"offboarding\": templates are onboarding\n") {
		t.Fatalf("unknown template: exit %d: %q", code, errOut)
	}
}

// TestNewChecklistCopiesTemplateTasks: cairn new checklists with a
// template writes the template's tasks (it wrote two placeholder tasks).
func TestNewChecklistCopiesTemplateTasks(t *testing.T) {
	dir := checklistSite(t)
	f, _, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "new", "checklists", "example", "onboard-jo", "--set", "template=onboarding", "--set", "due=2026-12-01"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "content", "example", "checklists", "onboard-jo.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "- [ ] Hand over the laptop due:2026-12-01\n") || strings.Contains(text, "First task") || !strings.Contains(text, `template = "onboarding"`) {
		t.Fatalf("the new checklist does not carry the template's tasks:\n%s", text)
	}
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "check"}, f); code != exitOK {
		t.Fatalf("check: exit %d: %s", code, errOut)
	}
}

func TestChecklistListCommand(t *testing.T) {
	dir := checklistSite(t)
	writeFile(t, dir, "content/example/checklists/run.md", "+++\ntitle = \"Run\"\ndue = 2026-12-01\n+++\n\n- [x] one\n- [ ] two @sam due:2026-11-20\n- [ ] three due:2026-11-30\n- [ ] read [[documents/sops/new-starter]] and [[documents/sops/new-starter|the SOP]] due:2026-11-24\n")
	writeFile(t, dir, "content/example/checklists/closed.md", "+++\ntitle = \"Closed\"\nstatus = \"Done\"\n+++\n\n- [ ] left due:2026-11-01\n")
	f, out, errOut := testFactory()
	if code := run(context.Background(), []string{"-C", dir, "checklist", "--today", "2026-11-25"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "example/checklists/run  Run  [##--------] 1/4  due 2026-12-01  Not started\n" +
		"  content/example/checklists/run.md:7: overdue since 2026-11-20 (5 days): two @sam\n" +
		"  content/example/checklists/run.md:9: overdue since 2026-11-24 (1 day): read New starter and the SOP\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	f, out, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "checklist", "--org", "example", "--format", "json", "--today", "2026-11-25"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var runs []map[string]any
	if err := json.Unmarshal(out.Bytes(), &runs); err != nil || len(runs) != 1 || runs[0]["id"] != "example/checklists/run" || runs[0]["done"] != 1.0 || len(runs[0]["overdue"].([]any)) != 2 {
		t.Fatalf("json: %v %s", err, out)
	}
	f, _, _ = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "checklist", "--format", "csv"}, f); code != exitUsage {
		t.Errorf("--format csv: exit %d", code)
	}
}

func TestExportCommand(t *testing.T) {
	dir := checklistSite(t)
	f, out, errOut := testFactory()
	zipPath := filepath.Join(t.TempDir(), "site.zip")
	if code := run(context.Background(), []string{"-C", dir, "export", "--format", "csv", "-o", zipPath}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out.String() != zipPath+"\n" || !strings.HasPrefix(errOut.String(), "exported ") {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
	first, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(zipPath)
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "export", "--format", "csv", "-o", zipPath}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if second, _ := os.ReadFile(zipPath); string(second) != string(first) {
		t.Error("two exports of the same site differ")
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "--format", "xml"}, exitUsage, "cairn: --format \"xml\": want csv or json\n"},
		{[]string{"export", "--format", "csv", "--include-secrets"}, exitUsage, "cairn: --include-secrets needs --recipient age1...: secrets are exported only encrypted\n"},
		{[]string{"export", "--format", "csv", "--recipient", "age1x"}, exitUsage, "cairn: --recipient is for --include-secrets\n"},
		{[]string{"export", "--format", "csv", "--org", "nobody", "-o", filepath.Join(t.TempDir(), "x")}, exitUsage, "cairn: no organization \"nobody\"\n"},
	} {
		f, _, errOut := testFactory()
		if code := run(context.Background(), append([]string{"-C", dir}, c.args...), f); code != c.code || !strings.HasPrefix(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, %q; want %d, %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// TestExportRefusesOutputInTheSitesSources: an export written into
// content/ (or any source folder) would add its Markdown copies to the
// site as items; it is refused before anything is written, as cairn build
// refuses such an output.
func TestExportRefusesOutputInTheSitesSources(t *testing.T) {
	dir := checklistSite(t)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ output, source string }{
		{filepath.Join(dir, "content", "example", "export"), "content"},
		{filepath.Join(dir, "content", "site.zip"), "content"},
		{filepath.Join(dir, "checklists", "out"), "checklists"},
	} {
		f, _, errOut := testFactory()
		code := run(context.Background(), []string{"-C", dir, "export", "--format", "csv", "-o", c.output}, f)
		rel, _ := filepath.Rel(dir, c.output)
		want := fmt.Sprintf("cairn: -o: unsafe output folder: %s overlaps the site's %s: use a folder that holds no sources, such as \"public\"\nRun 'cairn --help' for usage.\n", filepath.Join(real, rel), c.source)
		if code != exitUsage || errOut.String() != want {
			t.Errorf("-o %s: exit %d, %q; want %d, %q", c.output, code, errOut, exitUsage, want)
		}
		if _, err := os.Lstat(c.output); !os.IsNotExist(err) {
			t.Errorf("-o %s was written", c.output)
		}
	}
}
