package release

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoRoot is the repository's root folder, two up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	return root
}

// goreleaserConfig is the part of a goreleaser (v2) configuration that
// cairn's releases depend on.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []any    `yaml:"ignore"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum *struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

// versionVars are the variables of cmd/cairn that -X must set for cairn
// version to show a release's version, commit and date.
var versionVars = []string{"main.buildVersion", "main.buildCommit", "main.buildDate"}

// checkGoreleaser returns what is wrong with a goreleaser configuration
// for cairn's releases, one message each; root is the repository, for
// paths the configuration names.
func checkGoreleaser(data []byte, root string) []string {
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		return []string{fmt.Sprintf("not YAML: %v", err)}
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if c.Version != 2 {
		bad("version: %d, want 2 (goreleaser v2's configuration)", c.Version)
	}
	if len(c.Builds) != 1 {
		bad("builds: %d, want one, of ./cmd/cairn", len(c.Builds))
	}
	for _, b := range c.Builds {
		if b.Main != "./cmd/cairn" {
			bad("builds.main: %q, want ./cmd/cairn", b.Main)
		} else if _, err := os.Stat(filepath.Join(root, b.Main, "main.go")); err != nil {
			bad("builds.main: %v", err)
		}
		if b.Binary != "cairn" {
			bad("builds.binary: %q, want cairn", b.Binary)
		}
		if !slices.Contains(b.Env, "CGO_ENABLED=0") {
			bad("builds.env: %q lacks CGO_ENABLED=0 (static binaries)", b.Env)
		}
		if !sameSet(b.Goos, []string{"linux", "darwin", "windows"}) {
			bad("builds.goos: %q, want linux, darwin, windows", b.Goos)
		}
		if !sameSet(b.Goarch, []string{"amd64", "arm64"}) {
			bad("builds.goarch: %q, want amd64, arm64", b.Goarch)
		}
		if len(b.Ignore) > 0 {
			bad("builds.ignore: %d entries drop release targets", len(b.Ignore))
		}
		if !slices.Contains(b.Flags, "-trimpath") {
			bad("builds.flags: %q lacks -trimpath (the builder's paths would be in the binary)", b.Flags)
		}
		ld := strings.Join(b.Ldflags, " ")
		for _, v := range versionVars {
			if !strings.Contains(ld, "-X "+v+"=") {
				bad("builds.ldflags: no -X %s=… (cairn version would not show the release)", v)
			}
		}
	}
	if len(c.Archives) == 0 {
		bad("archives: none")
	}
	for _, a := range c.Archives {
		if !sameSet(a.Formats, []string{"tar.gz"}) {
			bad("archives.formats: %q, want tar.gz", a.Formats)
		}
		zip := false
		for _, o := range a.FormatOverrides {
			zip = zip || o.Goos == "windows" && sameSet(o.Formats, []string{"zip"})
		}
		if !zip {
			bad("archives.format_overrides: Windows archives are not zip")
		}
		for _, want := range []string{"README.md", "LICENSE"} {
			if !archiveHas(a.Files, want) {
				bad("archives.files: %q does not take %s", a.Files, want)
			}
		}
		for _, f := range a.Files {
			if !strings.ContainsAny(f, "*?[") {
				bad("archives.files: %q is not a glob: goreleaser fails when the file is missing", f)
			}
		}
	}
	if c.Checksum == nil || c.Checksum.NameTemplate == "" {
		bad("checksum: no checksums file")
	} else if c.Checksum.Algorithm != "" && c.Checksum.Algorithm != "sha256" {
		bad("checksum.algorithm: %q, want sha256", c.Checksum.Algorithm)
	}
	return probs
}

// archiveHas reports whether one of the globs matches name.
func archiveHas(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := filepath.Match(g, name); ok {
			return true
		}
	}
	return false
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestGoreleaserConfig(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkGoreleaser(data, root) {
		t.Errorf(".goreleaser.yaml: %s", p)
	}
}

// TestCheckGoreleaserRejects plants faults in a good configuration: each
// must be named, so TestGoreleaserConfig can fail.
func TestCheckGoreleaserRejects(t *testing.T) {
	root := repoRoot(t)
	good, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"cgo on", "- CGO_ENABLED=0", "- CGO_ENABLED=1", `builds.env: ["CGO_ENABLED=1"] lacks CGO_ENABLED=0 (static binaries)`},
		{"no windows", "goos: [linux, darwin, windows]", "goos: [linux, darwin]", `builds.goos: ["linux" "darwin"], want linux, darwin, windows`},
		{"no arm64", "goarch: [amd64, arm64]", "goarch: [amd64]", `builds.goarch: ["amd64"], want amd64, arm64`},
		{"wrong variable", "-X main.buildCommit=", "-X main.commit=", "builds.ldflags: no -X main.buildCommit=… (cairn version would not show the release)"},
		{"wrong main", "main: ./cmd/cairn", "main: ./cmd/cairnd", `builds.main: "./cmd/cairnd", want ./cmd/cairn`},
		{"no checksums", "checksum:\n  name_template: checksums.txt", "checksum:\n  name_template: \"\"", "checksum: no checksums file"},
		{"bare file name", "- README*", "- README.md", `archives.files: "README.md" is not a glob: goreleaser fails when the file is missing`},
		{"windows tar", "formats: [zip]", "formats: [tar.gz]", "archives.format_overrides: Windows archives are not zip"},
		{"v1 config", "version: 2", "version: 1", "version: 1, want 2 (goreleaser v2's configuration)"},
		{"not YAML", "builds:", "builds: [", "not YAML: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(string(good), tt.old, tt.new, 1)
			if bad == string(good) {
				t.Fatalf("%q not in .goreleaser.yaml", tt.old)
			}
			probs := checkGoreleaser([]byte(bad), root)
			found := slices.ContainsFunc(probs, func(p string) bool {
				return p == tt.want || strings.HasSuffix(tt.want, ": ") && strings.HasPrefix(p, tt.want)
			})
			if !found {
				t.Errorf("got %q, want %q", probs, tt.want)
			}
		})
	}
}

// TestReleaseLdflags builds cairn with .goreleaser.yaml's ldflags, its
// templates filled in as goreleaser would, and checks that cairn version
// prints the stamped values: a renamed variable fails here. It builds
// without the release's -trimpath and CGO_ENABLED=0: either changes every
// package's build, which took 6.5 minutes with a cold cache here, while
// -ldflags changes only the link (TestGoreleaserConfig checks those two).
func TestReleaseLdflags(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil || len(c.Builds) != 1 {
		t.Fatalf(".goreleaser.yaml: %v, %d builds", err, len(c.Builds))
	}
	b := c.Builds[0]
	fill := strings.NewReplacer("{{.Version}}", "9.8.7", "{{.FullCommit}}", "0123456789abcdef0123456789abcdef01234567", "{{.Date}}", "2026-12-01T10:00:00Z")
	var ldflags []string
	for _, l := range b.Ldflags {
		ldflags = append(ldflags, fill.Replace(l))
	}
	if ld := strings.Join(ldflags, " "); strings.Contains(ld, "{{") {
		t.Fatalf("ldflags %q use a template this test does not fill in", ld)
	}
	bin := filepath.Join(t.TempDir(), "cairn")
	args := []string{"build", "-o", bin, "-ldflags=" + strings.Join(ldflags, " "), b.Main}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	out, err := exec.Command(bin, "version", "--format", "json").Output()
	if err != nil {
		t.Fatalf("cairn version: %v", err)
	}
	var v struct{ Version, Commit, Date, Go, Platform string }
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("cairn version --format json: %v in %q", err, out)
	}
	if v.Version != "v9.8.7" || v.Commit != "0123456789abcdef0123456789abcdef01234567" || v.Date != "2026-12-01T10:00:00Z" {
		t.Errorf("cairn version of a release build: %+v, want the stamped v9.8.7, commit and date", v)
	}
}
