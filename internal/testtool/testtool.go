// Package testtool gives tests one way to find the external programs they
// drive (Chromium, poppler's pdftotext and pdftoppm, the sops CLI, git)
// and one rule for what happens when something a test needs is missing:
// the test is skipped on a developer's machine, and fails when
// CAIRN_REQUIRE_TOOLS=1, as in CI, so CI can never pass by skipping.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// RequireEnv is the environment variable that makes every skip a failure.
const RequireEnv = "CAIRN_REQUIRE_TOOLS"

// Required reports whether missing tools and skipped tests fail the run.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Skip skips the test, or fails it when Required: for a test that cannot
// run here (no demo content, -short, no git), so that CI notices.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s, and %s=1 forbids skipping", msg, RequireEnv)
	}
	t.Skip(msg + " (set " + RequireEnv + "=1 to fail instead)")
}

// Find returns the path of the first of names found on PATH or in Go's
// install folder ($GOBIN, else $GOPATH/bin or ~/go/bin, where go install
// puts the sops CLI), or skips the test (fails it when Required) saying
// how to install it: pkg is a Debian package name, or a whole command.
func Find(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		for _, dir := range goBins() {
			if p := filepath.Join(dir, n); isExecutable(p) {
				return p
			}
		}
	}
	how := "apt-get install " + pkg
	if strings.Contains(pkg, " ") {
		how = pkg
	}
	Skip(t, "%s is not installed (%s)", names[0], how)
	return ""
}

// goBins are the folders go install may have put a program in.
func goBins() []string {
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	if d := os.Getenv("GOPATH"); d != "" {
		dirs = append(dirs, filepath.Join(filepath.SplitList(d)[0], "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// Chromium returns the path of a Chromium or Chrome found on PATH.
func Chromium(t testing.TB) string {
	t.Helper()
	return Find(t, "chromium", "chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
}

// ChromiumFlags are the command-line switches every browser test starts
// Chromium with, besides a fresh --user-data-dir: headless, no sandbox
// (CI runs as root), and no background connections, which this closed
// network would refuse.
var ChromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
}

// Binary builds a Go command once for a test binary and removes it when
// the tests are done. Declare one per package and call Cleanup from
// TestMain after m.Run.
type Binary struct {
	// Pkg is the package to build, relative to Dir ("./cmd/cairn").
	Pkg string
	// Dir is the module folder go build runs in.
	Dir string

	once sync.Once
	dir  string
	path string
	err  error
}

// Path builds the command on first use and returns its path; it fails the
// test when the build fails.
func (b *Binary) Path(t testing.TB) string {
	t.Helper()
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "cairn-test-bin-")
		if b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, filepath.Base(b.Pkg))
		cmd := exec.Command("go", "build", "-o", b.path, b.Pkg)
		cmd.Dir = b.Dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", b.Pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// Cleanup removes the built command, if any. Call it from TestMain.
func (b *Binary) Cleanup() {
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}
