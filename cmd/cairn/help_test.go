package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/docs"
	"github.com/cairn-it/cairn/generator/schema"
)

func TestHelpTopicPrintsItsDocsPage(t *testing.T) {
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(pages) < 12 {
		t.Fatalf("docs pages: %v %v", pages, err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".md")
		if name == "README" {
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cli(t, "help", name)
		if code != 0 || out != string(want) {
			t.Errorf("cairn help %s: exit %d, stdout is not docs/%s.md (%d bytes, want %d); stderr: %s", name, code, name, len(out), len(want), errOut)
		}
	}
}

func TestHelpListsTopicsAndCommands(t *testing.T) {
	code, out, _ := cli(t, "help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Available Commands:", "  new ", "Help topics (cairn help TOPIC prints the reference page):"} {
		if !strings.Contains(out, want) {
			t.Errorf("cairn help lacks %q:\n%s", want, out)
		}
	}
	// Topic names are padded to the longest one's width.
	for _, want := range []string{`(?m)^  format +the file format: layout,`, `(?m)^  secrets +secrets with SOPS and age`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("cairn help lacks a line matching %s:\n%s", want, out)
		}
	}
	if _, out2, _ := cli(t, "--help"); out2 != out {
		t.Errorf("cairn --help differs from cairn help")
	}
	// A command's help has no topic list; cairn help COMMAND prints it.
	code, out, _ = cli(t, "help", "secret", "rotate")
	if code != 0 || !strings.HasPrefix(out, "Rotate generates") || strings.Contains(out, "Help topics") {
		t.Errorf("cairn help secret rotate: exit %d:\n%s", code, out)
	}
}

func TestHelpUnknownTopicIsAUsageError(t *testing.T) {
	var names []string
	for _, tp := range docs.Topics() {
		names = append(names, tp.Name)
	}
	list := strings.Join(names, ", ")
	cases := []struct{ args, want string }{
		{"frmat", `cairn: no help topic or command "frmat": did you mean "format"? (topics: ` + list + ")\n"},
		{"secret bogus", `cairn: no help topic or command "secret bogus": run 'cairn help' for the list (topics: ` + list + ")\n"},
		{"README", `cairn: no help topic or command "README": run 'cairn help' for the list (topics: ` + list + ")\n"},
	}
	for _, c := range cases {
		code, out, errOut := cli(t, append([]string{"help"}, strings.Fields(c.args)...)...)
		if code != exitUsage || out != "" || errOut != c.want+"Run 'cairn --help' for usage.\n" {
			t.Errorf("cairn help %s: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
}

var helpRef = regexp.MustCompile(`cairn help ([A-Za-z0-9_-]+)`)

// checkHelpRefs fails when text names a help topic that does not exist or
// mentions a docs/ path, and returns the topics it names.
func checkHelpRefs(t *testing.T, where, text string) []string {
	t.Helper()
	var named []string
	for _, m := range helpRef.FindAllStringSubmatch(text, -1) {
		if _, ok := docs.Page(m[1]); !ok {
			t.Errorf("%s names %q, which is no help topic", where, m[0])
		}
		named = append(named, m[1])
	}
	if strings.Contains(text, "docs/") {
		t.Errorf("%s mentions a docs/ path, which a site does not have", where)
	}
	return named
}

// TestWrittenFilesPointAtHelpTopics makes a site with cairn init and one
// item of every type with cairn new: nothing they hold points at docs/, and
// every "cairn help X" they hold names a topic.
func TestWrittenFilesPointAtHelpTopics(t *testing.T) {
	dir := newSite(t)
	types := append([]string{}, schema.CoreTypes...)
	flex, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.toml"))
	for _, f := range flex {
		types = append(types, strings.TrimSuffix(filepath.Base(f), ".toml"))
	}
	if code, _, errOut := cli(t, "new", "-C", dir, "org", "acme"); code != 0 {
		t.Fatalf("new org: %s", errOut)
	}
	for _, typ := range types {
		if code, _, errOut := cli(t, "new", "-C", dir, typ, "acme", "written-by-new"); code != 0 {
			t.Fatalf("new %s: %s", typ, errOut)
		}
	}
	named := map[string]bool{}
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(dir, p)
		for _, n := range checkHelpRefs(t, rel, string(data)) {
			named[n] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < len(types)+5 {
		t.Errorf("only %d files written", files)
	}
	for _, want := range []string{"format", "portals", "secrets"} {
		if !named[want] {
			t.Errorf("no written file points at cairn help %s", want)
		}
	}
}

// TestSourceTextNamesExistingHelpTopics reads every Go file of cairn (error
// messages, command help, written files): each "cairn help X" names a topic.
func TestSourceTextNamesExistingHelpTopics(t *testing.T) {
	f, _, _ := testFactory()
	root := newRootCmd(f)
	n := 0
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range helpRef.FindAllStringSubmatch(string(data), -1) {
			n++
			_, topic := docs.Page(m[1])
			cmd, _, _ := root.Find([]string{m[1]})
			if !topic && m[1] != "TOPIC" && (cmd == nil || cmd == root) {
				t.Errorf("%s names %q, which is no help topic or command", p, m[0])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Errorf("only %d references found: is the walk reading the sources?", n)
	}
}
