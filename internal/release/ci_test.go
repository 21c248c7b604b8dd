package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCIScript checks that .ci/run parses and runs go mod tidy -diff
// after gofmt and before the tests.
func TestCIScript(t *testing.T) {
	script := filepath.Join(repoRoot(t), ".ci", "run")
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n .ci/run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	gofmt := strings.Index(text, `echo "== gofmt"`)
	tidy := strings.Index(text, `echo "== go mod tidy"`)
	tests := strings.Index(text, "go test -count=1 ./...")
	if gofmt < 0 || tidy < 0 || tests < 0 || !(gofmt < tidy && tidy < tests) {
		t.Errorf(".ci/run: want gofmt, then go mod tidy -diff, then go test (offsets %d, %d, %d)", gofmt, tidy, tests)
	}
}

// TestGoModTidy fails when go.mod or go.sum is not what go mod tidy makes
// (a dependency imported but marked indirect, or one no longer needed),
// as .ci/run does.
func TestGoModTidy(t *testing.T) {
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("go mod tidy -diff: %v: run go mod tidy and commit go.mod and go.sum\n%s", err, out)
	}
}

// crossTargets are the release platforms other than the usual test host;
// linux is what CI runs everything on.
var crossTargets = []struct{ goos, goarch string }{
	{"windows", "amd64"},
	{"darwin", "arm64"},
}

// TestCrossPlatformVet type-checks and vets every package with
// platform-specific files for Windows and macOS, so code that builds only
// on Linux (a syscall, a unix-only file without its _other twin) fails
// here and not in a release. ./cmd/cairn is left out: vetting it needs its
// 1,175 dependencies compiled for each platform, which took over nine
// minutes with a cold cache on the shared 2-core machine (see
// docs/performance.md, "Binary size and build time"); these three take
// about two minutes with a cold cache (standard library included) and
// under a second per platform with a warm one.
func TestCrossPlatformVet(t *testing.T) {
	root := repoRoot(t)
	pkgs := []string{"./generator/build", "./generator/fastio", "./generator/importer/itglue", "./generator/load", "./generator/search"}
	// Every package with a GOOS-specific file must be in pkgs.
	tagged := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "public") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimSuffix(d.Name(), ".go"), "_test")
		if hasBuildLine(data) || strings.HasSuffix(name, "_windows") || strings.HasSuffix(name, "_darwin") || strings.HasSuffix(name, "_linux") || strings.HasSuffix(name, "_unix") || strings.HasSuffix(name, "_other") {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			tagged["./"+filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p := range tagged {
		if !strings.Contains(strings.Join(pkgs, " ")+" ", p+" ") {
			t.Errorf("%s has platform-specific files but TestCrossPlatformVet does not vet it: add it to pkgs", p)
		}
	}
	for _, tg := range crossTargets {
		start := time.Now()
		cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS="+tg.goos, "GOARCH="+tg.goarch, "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s GOARCH=%s go vet: %v\n%s", tg.goos, tg.goarch, err, out)
		}
		t.Logf("GOOS=%s GOARCH=%s go vet %s: %v", tg.goos, tg.goarch, strings.Join(pkgs, " "), time.Since(start).Round(time.Millisecond))
	}
}

// hasBuildLine reports whether a Go file has a //go:build constraint line.
func hasBuildLine(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "//go:build ") {
			return true
		}
	}
	return false
}
