package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/docs"
	"github.com/cairn-it/cairn/internal/testtool"
)

// completions runs cairn __complete (what every shell's script calls) on
// the demo site and returns the offered words and the directive line.
func completions(t *testing.T, args ...string) (words []string, directive string) {
	t.Helper()
	code, out, errOut := cli(t, append([]string{"__complete", "-C", "../.."}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines[:len(lines)-1] {
		w, _, _ := strings.Cut(l, "\t")
		words = append(words, w)
	}
	return words, lines[len(lines)-1]
}

func TestCompletionsFromTheDemo(t *testing.T) {
	orgs := "brightsmile ferrum harlowpike northwind vendors"
	cases := []struct {
		args      []string
		want      string // the words, space-separated; "..." at the end: a prefix
		directive string
	}{
		{[]string{"new", "configurations", ""}, orgs, ":4"},
		{[]string{"new", "backup", "n"}, orgs, ":4"}, // the shell filters by prefix
		{[]string{"new", ""}, "org configurations contacts locations passwords domains ssl-certificates documents checklists active-directory applications backup ...", ":4"},
		{[]string{"new", "org", ""}, "", ":4"},
		{[]string{"new", "configurations", "acme", ""}, "", ":4"},
		{[]string{"runbook", ""}, orgs, ":4"},
		{[]string{"expiring", "--org", ""}, orgs, ":4"},
		{[]string{"stale", "--org", "f"}, orgs, ":4"},
		{[]string{"build", "--portal", ""}, "brightsmile ferrum harlowpike helpdesk internal", ":4"},
		{[]string{"serve", "--portal", "int"}, "brightsmile ferrum harlowpike helpdesk internal", ":4"},
		{[]string{"runbook", "northwind", "--types", "configurations,"}, "configurations,contacts configurations,locations ...", ":6"},
		{[]string{"schema", "show", ""}, "configurations contacts locations passwords domains ssl-certificates documents checklists assets/active-directory ...", ":4"},
		{[]string{"secret", "get", ""}, "brightsmile/ ferrum/ harlowpike/ northwind/ vendors/", ":6"},
		{[]string{"secret", "rotate", "northwind/"}, "northwind/assets/ northwind/configurations/ northwind/contacts/ northwind/documents/ northwind/domains/ northwind/locations/ northwind/passwords/ northwind/ssl-certificates/", ":6"},
		{[]string{"secret", "get", "northwind/passwords/"}, "northwind/passwords/partner-center northwind/passwords/psa-admin northwind/passwords/registrar-account northwind/passwords/rmm-admin", ":4"},
		{[]string{"secret", "get", "../"}, "", ":4"},
		{[]string{"secret", "get", "northwind/passwords/rmm-admin", ""}, "password otp_secret", ":4"},
		{[]string{"secret", "rotate", "brightsmile/assets/wireless/office", ""}, "psk", ":4"},
		{[]string{"secret", "get", "x", ""}, "", ":4"},
		{[]string{"new", "configurations", "northwind", "sv1", "--set", ""}, "name= configuration_type= status= hostname= primary_ip= ...", ":6"},
		{[]string{"new", "configurations", "northwind", "sv1", "--set", "status="}, "status=Active status=Inactive status=Spare status=Decommissioned", ":4"},
		{[]string{"new", "org", "x", "--set", ""}, "", ":4"},
		{[]string{"init", ""}, "", ":16"},
		{[]string{"help", "sec"}, topicNames() + " access build ...", ":4"},
	}
	for _, c := range cases {
		words, dir := completions(t, c.args...)
		got := strings.Join(words, " ")
		want, prefix := strings.CutSuffix(c.want, " ...")
		if (prefix && !strings.HasPrefix(got, want+" ")) || (!prefix && got != want) || dir != c.directive {
			t.Errorf("cairn __complete %q = %q %s; want %q %s", c.args, got, dir, c.want, c.directive)
		}
	}
	// Ids of the items in a folder, whole: each names a file there.
	words, _ := completions(t, "secret", "get", "northwind/passwords/")
	for _, w := range words {
		if _, err := os.Stat("../../content/" + w + ".toml"); err != nil {
			t.Errorf("%s is no item", w)
		}
	}
}

// topicNames are the help topics, as completion lists them: every page of
// docs/, in the order docs.Topics gives.
func topicNames() string {
	var names []string
	for _, t := range docs.Topics() {
		names = append(names, t.Name)
	}
	return strings.Join(names, " ")
}

// TestCompletionScriptsLoad generates the script of every shell; bash's is
// checked with bash -n and then run as bash runs it on a Tab press, in the
// demo site, where it must offer the organizations.
func TestCompletionScriptsLoad(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "complete -o default -F __start_cairn cairn", "zsh": "#compdef cairn",
		"fish": "complete -c cairn ", "powershell": "Register-ArgumentCompleter -CommandName 'cairn'",
	} {
		code, out, errOut := cli(t, "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, no %q in the script; %s", shell, code, marker, errOut)
		}
	}
	bash := testtool.Find(t, "bash", "bash")
	_, script, _ := cli(t, "completion", "bash")
	file := filepath.Join(t.TempDir(), "cairn.bash")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	if cairnBin == "" {
		t.Fatal("the cairn binary was not built")
	}
	// _get_comp_words_by_ref comes from the bash-completion package, which
	// the script expects; a minimal one stands in for it here.
	const press = `source "$1"
_get_comp_words_by_ref() { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
COMP_WORDS=(cairn new configurations ""); COMP_CWORD=3; COMP_LINE="cairn new configurations "; COMP_POINT=${#COMP_LINE}
__start_cairn
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command(bash, "-c", press, "bash", file)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(cairnBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("completing in bash: %v", err)
	}
	if got := out.String(); got != "brightsmile\nferrum\nharlowpike\nnorthwind\nvendors\n" {
		t.Errorf("bash offered %q", got)
	}
}
