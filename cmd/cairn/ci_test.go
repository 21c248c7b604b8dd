package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// ciDir holds the CI files docs/ci.md shows.
var ciDir = filepath.Join(repoRoot, "docs", "ci")

// readYAML parses a YAML file into generic values.
func readYAML(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// exprRe matches a GitHub Actions expression, which the shell never sees.
var exprRe = regexp.MustCompile(`\$\{\{[^}]*\}\}`)

// shellWords splits a shell line into words, keeping quoted strings whole
// (quotes removed) and operators (| || && ; > >> 2>) as words of their own.
func shellWords(line string) []string {
	line = exprRe.ReplaceAllString(line, "EXPR")
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				end = len(line) - i - 1
			}
			cur.WriteString(line[i+1 : i+1+end])
			inWord = true
			i += end + 1
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return words
		case strings.IndexByte("|&;><", c) >= 0:
			flush()
			op := string(c)
			for i+1 < len(line) && strings.IndexByte("|&>", line[i+1]) >= 0 {
				i++
				op += string(line[i])
			}
			words = append(words, op)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// cairnCommands returns every cairn command in a shell script: the words
// after "cairn" at the start of a command, up to the next operator.
func cairnCommands(script string) [][]string {
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		words := shellWords(line)
		start := true
		for i := 0; i < len(words); i++ {
			w := words[i]
			if start && w == "cairn" {
				j := i + 1
				for j < len(words) && strings.IndexAny(words[j][:1], "|&;><") < 0 {
					j++
				}
				out = append(out, words[i+1:j])
				i = j - 1
				continue
			}
			start = strings.IndexAny(w[:1], "|&;") == 0 || w == "then" || w == "else" || w == "do" || w == "if" || w == "!"
		}
	}
	return out
}

// validateCommand parses args with cairn's own command tree: the command
// must exist, and its flags and arguments must be ones it takes.
func validateCommand(args []string) error {
	f, _, _ := testFactory()
	root := newRootCmd(f)
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if cmd == root {
		return fmt.Errorf("no cairn command in %q", args)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	if cmd.Args != nil {
		return cmd.Args(cmd, cmd.Flags().Args())
	}
	return nil
}

func TestValidateCommand(t *testing.T) {
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{"cairn check --format github", true},
		{"cairn -C site check --strict | tee report.txt", true},
		{`cairn build --portal "$PORTAL" --output public`, true},
		{"cairn build --portal ${{ matrix.portal }} --output public", true},
		{"cairn check --files a.md b.md", true},
		{"cairn check --formats github", false},
		{"cairn diff --base main", false},
		{"cairn check extra", false},
		{"cairn build --portal", false},
		{"cairn", false},
	} {
		cmds := cairnCommands(c.line)
		if len(cmds) != 1 {
			t.Errorf("%s: found %d cairn commands, want 1", c.line, len(cmds))
			continue
		}
		if err := validateCommand(cmds[0]); (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok = %v", c.line, err, c.ok)
		}
	}
	got := fmt.Sprint(cairnCommands("if [ x ]; then cairn build -o public; else cairn check > out || test $? -eq 1; fi  # cairn nope"))
	if want := "[[build -o public] [check]]"; got != want {
		t.Errorf("commands = %s, want %s", got, want)
	}
}

// scripts returns every shell script of a GitHub workflow's steps or a
// GitLab job (script, before_script, after_script).
func scripts(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			out = append(out, scripts(e)...)
		}
	}
	return out
}

func mapOf(t *testing.T, where string, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: want a mapping, got %T", where, v)
	}
	return m
}

// TestCIFiles parses every CI file of docs/ci with a YAML parser, checks
// the structure GitHub Actions and GitLab CI require, and that every
// cairn command in them is a real command with real flags.
func TestCIFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(ciDir, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CI files in %s (%v)", ciDir, err)
	}
	var commands []string
	for _, file := range files {
		name := filepath.Base(file)
		doc := mapOf(t, name, readYAML(t, file))
		var runs []string
		switch {
		case strings.HasPrefix(name, "github-"):
			for _, k := range []string{"name", "on", "jobs"} {
				if doc[k] == nil {
					t.Errorf("%s: no %q", name, k)
				}
			}
			jobs := mapOf(t, name+": jobs", doc["jobs"])
			for id, j := range jobs {
				job := mapOf(t, name+": "+id, j)
				if job["runs-on"] == nil {
					t.Errorf("%s: job %s has no runs-on", name, id)
				}
				for _, n := range scripts(job["needs"]) {
					if jobs[n] == nil {
						t.Errorf("%s: job %s needs unknown job %s", name, id, n)
					}
				}
				steps, _ := job["steps"].([]any)
				if len(steps) == 0 {
					t.Errorf("%s: job %s has no steps", name, id)
				}
				for i, s := range steps {
					step := mapOf(t, fmt.Sprintf("%s: %s step %d", name, id, i), s)
					_, uses := step["uses"].(string)
					run, isRun := step["run"].(string)
					if uses == isRun {
						t.Errorf("%s: job %s step %d: want exactly one of uses and run", name, id, i)
					}
					if isRun {
						runs = append(runs, run)
					}
				}
			}
		case name == "gitlab-ci.yml":
			stages := map[string]bool{}
			for _, s := range scripts(doc["stages"]) {
				stages[s] = true
			}
			if len(stages) == 0 {
				t.Errorf("%s: no stages", name)
			}
			runs = append(runs, scripts(mapOf(t, name+": default", doc["default"])["before_script"])...)
			njobs := 0
			for id, j := range doc {
				switch id {
				case "default", "stages", "variables", "workflow", "include":
					continue
				}
				njobs++
				job := mapOf(t, name+": "+id, j)
				script := scripts(job["script"])
				if len(script) == 0 {
					t.Errorf("%s: job %s has no script", name, id)
				}
				if st, _ := job["stage"].(string); !stages[st] {
					t.Errorf("%s: job %s has stage %q, not one of stages", name, id, st)
				}
				if needs, ok := job["needs"].([]any); ok {
					for _, n := range needs {
						ref, _ := n.(string)
						if m, ok := n.(map[string]any); ok {
							ref, _ = m["job"].(string)
						}
						if doc[ref] == nil {
							t.Errorf("%s: job %s needs unknown job %q", name, id, ref)
						}
					}
				}
				runs = append(runs, script...)
				runs = append(runs, scripts(job["before_script"])...)
				runs = append(runs, scripts(job["after_script"])...)
			}
			if doc["pages"] == nil {
				t.Errorf("%s: no pages job", name)
			}
			if njobs < 3 {
				t.Errorf("%s: only %d jobs", name, njobs)
			}
		default:
			t.Errorf("%s: neither github-*.yml nor gitlab-ci.yml", name)
		}
		for _, r := range runs {
			for _, c := range cairnCommands(r) {
				line := "cairn " + strings.Join(c, " ")
				commands = append(commands, line)
				if err := validateCommand(c); err != nil {
					t.Errorf("%s: %s: %v", name, line, err)
				}
			}
		}
	}
	// The recipes the docs promise are there.
	all := strings.Join(commands, "\n")
	for _, want := range []string{"cairn check --format github", "cairn check --format sarif", "cairn expiring --fail-within 7d --notify $WEBHOOK", "cairn expiring --fail-within 7d --notify $CAIRN_WEBHOOK", "cairn build --output public", "cairn build --portal EXPR --no-runbooks --output public", "cairn build --portal EXPR --runbooks-only --output public", "cairn build --portal $PORTAL --output public"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in the CI files; commands:\n%s", want, all)
		}
	}
}

// TestCIDocIncludesFiles checks that docs/ci.md shows each CI file
// verbatim, and names it.
func TestCIDocIncludesFiles(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	files, _ := filepath.Glob(filepath.Join(ciDir, "*.yml"))
	files = append(files, filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join(repoRoot, "docs"), file)
		if !strings.Contains(doc, "```yaml\n"+string(body)+"```\n") {
			t.Errorf("docs/ci.md does not show %s verbatim in a yaml block", rel)
		}
		if !strings.Contains(doc, "("+filepath.ToSlash(rel)+")") {
			t.Errorf("docs/ci.md does not link %s", rel)
		}
	}
}

// TestPreCommitHooks parses .pre-commit-hooks.yaml, checks the keys
// pre-commit requires, and runs each hook's entry as pre-commit would, from
// the repository's root (the demo site): the check with no file names,
// the secrets scan with the demo's files.
func TestPreCommitHooks(t *testing.T) {
	var hooks []map[string]any
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	var demoFiles []string
	err = filepath.WalkDir(filepath.Join(repoRoot, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(repoRoot, p)
			demoFiles = append(demoFiles, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	demoFiles = append(demoFiles, "cairn.toml", "access.toml", "README.md", ".pre-commit-hooks.yaml")
	var ids []string
	for _, h := range hooks {
		for _, k := range []string{"id", "name", "entry", "language"} {
			if s, _ := h[k].(string); s == "" {
				t.Errorf("hook %v: no %s", h["id"], k)
			}
		}
		id, _ := h["id"].(string)
		ids = append(ids, id)
		if h["language"] != "golang" {
			t.Errorf("%s: language %v, want golang (pre-commit builds the module)", id, h["language"])
		}
		entry := strings.Fields(h["entry"].(string))
		if entry[0] != "cairn" {
			t.Fatalf("%s: entry %v does not run cairn", id, entry)
		}
		pass := true
		if p, ok := h["pass_filenames"].(bool); ok {
			pass = p
		}
		args := entry[1:]
		switch id {
		case "cairn-check":
			if pass {
				t.Errorf("%s: want pass_filenames: false", id)
			}
		case "cairn-secrets":
			if !pass {
				t.Errorf("%s: want the file names passed", id)
			}
			args = append(args, demoFiles...)
		}
		if err := validateCommand(args); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		cmd := exec.Command(cairnBin, args...)
		cmd.Dir = repoRoot
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s on the demo: %v\n%s", id, err, out)
		}
		if id == "cairn-secrets" && !strings.Contains(string(out), fmt.Sprintf("scanned %d files for plaintext secrets (%d skipped: published by no portal): 0 errors, 0 warnings", len(demoFiles)-2-countSops(demoFiles), 2+countSops(demoFiles))) {
			t.Errorf("%s on the demo: %s", id, out)
		}
	}
	sort.Strings(ids)
	if strings.Join(ids, " ") != "cairn-check cairn-secrets" {
		t.Errorf("hooks = %v", ids)
	}
}

// countSops counts secrets files, which the secrets scan skips.
func countSops(files []string) int {
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".sops.yaml") {
			n++
		}
	}
	return n
}
