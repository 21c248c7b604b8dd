package testtool

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestChildSkips is run by TestSkipFailsWhenRequired in a child process.
func TestChildSkips(t *testing.T) {
	if os.Getenv("TESTTOOL_CHILD") != "1" {
		t.Skip("run as a child only")
	}
	Find(t, "no-such-package", "cairn-no-such-program-anywhere")
	t.Log("reached after a missing tool")
}

func TestSkipFailsWhenRequired(t *testing.T) {
	for _, c := range []struct {
		require  string
		fail     bool
		wantText string
	}{
		{"", false, "--- SKIP: TestChildSkips"},
		{"1", true, "--- FAIL: TestChildSkips"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildSkips$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTTOOL_CHILD=1", RequireEnv+"="+c.require)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != c.fail {
			t.Errorf("%s=%q: child failed = %v, want %v\n%s", RequireEnv, c.require, failed, c.fail, out)
		}
		if !strings.Contains(string(out), c.wantText) {
			t.Errorf("%s=%q: output lacks %q:\n%s", RequireEnv, c.require, c.wantText, out)
		}
		if strings.Contains(string(out), "reached after a missing tool") {
			t.Errorf("%s=%q: the test went on after a missing tool", RequireEnv, c.require)
		}
	}
}

func TestBinaryIsRemovedByCleanup(t *testing.T) {
	b := &Binary{Pkg: "./internal/testtool/testdata/hello", Dir: "../.."}
	p := b.Path(t)
	if out, err := exec.Command(p).Output(); err != nil || string(out) != "hello\n" {
		t.Fatalf("built program: %q, %v", out, err)
	}
	b.Cleanup()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("the binary is still there after Cleanup: %v", err)
	}
}
