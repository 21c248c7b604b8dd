package release

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// keyMaterial matches private keys as files hold them: a PEM private key
// block of any kind, and an age identity.
var keyMaterial = regexp.MustCompile(`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|AGE-SECRET-KEY-1[0-9A-Z]{50,}`)

// TestNoKeyMaterialOutsideDemoFiles fails when a committed file holds a
// private key, unless its name marks it as the demo's (DEMO-...): test
// fixtures make their keys when they run (itgluetest.Export), so a key
// never lands in the repository by way of a fixture.
func TestNoKeyMaterialOutsideDemoFiles(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	files := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(files) < 100 {
		t.Fatalf("git ls-files listed %d files", len(files))
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "DEMO-") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			if os.IsNotExist(err) {
				continue // deleted in the work tree, not yet committed
			}
			t.Fatal(err)
		}
		if loc := keyMaterial.FindIndex(data); loc != nil && !isRuleDefinition(f, data, loc[0]) {
			t.Errorf("%s:%d: private key material in a file not named DEMO-...: make it at test time, or drop it", f, bytes.Count(data[:loc[0]], []byte("\n"))+1)
		}
	}
}

// isRuleDefinition reports whether the match at i is the leak rule that
// describes a PEM key (generator/leaks/rules.toml) or this test's own
// pattern, not a key.
func isRuleDefinition(file string, data []byte, i int) bool {
	line := data[i:]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	return (file == "generator/leaks/rules.toml" || file == "internal/release/keys_test.go") && bytes.Contains(line, []byte("{0,100}"))
}
