package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// fakeBuildInfo returns build info with the given main version and
// settings, as debug.ReadBuildInfo would.
func fakeBuildInfo(version string, settings ...string) func() (*debug.BuildInfo, bool) {
	bi := &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: "github.com/cairn-it/cairn", Version: version}}
	for i := 0; i+1 < len(settings); i += 2 {
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
	}
	return func() (*debug.BuildInfo, bool) { return bi, true }
}

func TestReadVersion(t *testing.T) {
	host := runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name  string
		info  func() (*debug.BuildInfo, bool)
		stamp buildStamp
		want  versionInfo
	}{
		{
			name: "go install of a tag",
			info: fakeBuildInfo("v1.4.0", "GOOS", "darwin", "GOARCH", "arm64"),
			want: versionInfo{Version: "v1.4.0", Commit: "unknown", Date: "unknown", GoVersion: "go1.99.1", Platform: "darwin/arm64"},
		},
		{
			name: "go build in a clean checkout",
			info: fakeBuildInfo("v0.0.0-20261130020000-0123456789ab", "vcs.revision", "0123456789abcdef", "vcs.time", "2026-11-30T02:00:00Z", "vcs.modified", "false"),
			want: versionInfo{Version: "v0.0.0-20261130020000-0123456789ab", Commit: "0123456789abcdef", Date: "2026-11-30T02:00:00Z", GoVersion: "go1.99.1", Platform: host},
		},
		{
			name: "go build in a modified checkout",
			info: fakeBuildInfo("v0.0.0-20261130020000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef", "vcs.time", "2026-11-30T02:00:00Z", "vcs.modified", "true"),
			want: versionInfo{Version: "v0.0.0-20261130020000-0123456789ab+dirty", Commit: "0123456789abcdef-dirty", Date: "2026-11-30T02:00:00Z", GoVersion: "go1.99.1", Platform: host},
		},
		{
			name: "modified but no revision",
			info: fakeBuildInfo("", "vcs.modified", "true"),
			want: versionInfo{Version: "(devel)", Commit: "unknown", Date: "unknown", GoVersion: "go1.99.1", Platform: host},
		},
		{
			name: "no build info",
			info: func() (*debug.BuildInfo, bool) { return nil, false },
			want: versionInfo{Version: "(devel)", Commit: "unknown", Date: "unknown", GoVersion: runtime.Version(), Platform: host},
		},
		{
			name:  "goreleaser's stamp wins",
			info:  fakeBuildInfo("(devel)", "vcs.revision", "0123456789abcdef", "vcs.time", "2026-11-30T02:00:00Z", "vcs.modified", "true"),
			stamp: buildStamp{Version: "v1.5.0", Commit: "fedcba9876543210", Date: "2026-12-01T10:00:00Z"},
			want:  versionInfo{Version: "v1.5.0", Commit: "fedcba9876543210", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.99.1", Platform: host},
		},
		{
			name:  "a partial stamp keeps the rest of the build info",
			info:  fakeBuildInfo("v1.4.0", "vcs.revision", "0123456789abcdef"),
			stamp: buildStamp{Date: "2026-12-01T10:00:00Z"},
			want:  versionInfo{Version: "v1.4.0", Commit: "0123456789abcdef", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.99.1", Platform: host},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readVersion(&VersionOptions{BuildInfo: tt.info, Stamp: tt.stamp})
			if got != tt.want {
				t.Errorf("readVersion:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestVersionRun(t *testing.T) {
	info := fakeBuildInfo("v1.4.0", "vcs.revision", "0123456789abcdef", "vcs.time", "2026-11-30T02:00:00Z", "vcs.modified", "true", "GOOS", "linux", "GOARCH", "amd64")
	tests := []struct {
		format string
		want   string
	}{
		{"text", "cairn version v1.4.0\ncommit  0123456789abcdef-dirty\ndate    2026-11-30T02:00:00Z\ngo      go1.99.1 linux/amd64\n"},
		{"json", `{
  "version": "v1.4.0",
  "commit": "0123456789abcdef-dirty",
  "date": "2026-11-30T02:00:00Z",
  "go": "go1.99.1",
  "platform": "linux/amd64"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out bytes.Buffer
			err := versionRun(&VersionOptions{IO: &IOStreams{Out: &out}, BuildInfo: info, Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tt.want)
			}
		})
	}
	t.Run("bad format", func(t *testing.T) {
		var out bytes.Buffer
		err := versionRun(&VersionOptions{IO: &IOStreams{Out: &out}, BuildInfo: info, Format: "yaml"})
		var ue *usageError
		if !errors.As(err, &ue) || err.Error() != `--format "yaml": want text or json` {
			t.Errorf("got %v, want the usage error naming the formats", err)
		}
		if out.Len() != 0 {
			t.Errorf("wrote %q on a usage error", out.String())
		}
	})
}

func TestVersionCommandWiring(t *testing.T) {
	code, _, stderr := cli(t, "version", "--format", "xml")
	if code != exitUsage || !strings.Contains(stderr, `--format "xml": want text or json`) {
		t.Errorf("cairn version --format xml: exit %d, stderr %q; want exit %d and the usage error", code, stderr, exitUsage)
	}
	code, _, stderr = cli(t, "version", "extra")
	if code != exitUsage {
		t.Errorf("cairn version extra: exit %d, stderr %q; want %d", code, stderr, exitUsage)
	}
}

// TestBinaryVersion runs the built binary: the go build of TestMain embeds
// real build info, which the in-process tests cannot see.
func TestBinaryVersion(t *testing.T) {
	if cairnBin == "" {
		t.Fatal("the cairn binary was not built (see TestMain output)")
	}
	v := binaryVersion(t, cairnBin)
	// What the build info says, as go version -m reads it.
	m, err := exec.Command("go", "version", "-m", cairnBin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	want := versionInfo{Version: "(devel)", Commit: "unknown", Date: "unknown", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	dirty := false
	for _, line := range strings.Split(string(m), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod":
			want.Version = f[2]
		case len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision="):
			want.Commit = strings.TrimPrefix(f[1], "vcs.revision=")
		case len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.time="):
			want.Date = strings.TrimPrefix(f[1], "vcs.time=")
		case len(f) == 2 && f[0] == "build" && f[1] == "vcs.modified=true":
			dirty = true
		}
	}
	if dirty && want.Commit != "unknown" {
		want.Commit += "-dirty"
	}
	if v != want {
		t.Errorf("cairn version: %+v\ngo version -m says %+v", v, want)
	}
}

// TestBinaryVersionFromGit builds cairn with VCS stamping on (this
// machine's GOFLAGS may turn it off) and checks the commit against git's.
func TestBinaryVersionFromGit(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (git rev-parse HEAD: %v): no commit to compare with", err)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git rev-parse --show-toplevel: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !fi.IsDir() {
		// Go takes only a .git directory for a repository, so a linked
		// worktree (whose .git is a file) gets no VCS stamp:
		// golang/go#58218. The main checkout and CI's clone do.
		t.Skip("a linked git worktree: go build cannot stamp its commit (golang/go#58218)")
	}
	bin := filepath.Join(t.TempDir(), "cairn")
	if out, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
	}
	v := binaryVersion(t, bin)
	want := strings.TrimSpace(string(head))
	if status, err := exec.Command("git", "status", "--porcelain").Output(); err == nil && len(bytes.TrimSpace(status)) > 0 {
		want += "-dirty"
	}
	if v.Commit != want {
		t.Errorf("commit %q, want %q (git rev-parse HEAD, -dirty when git status shows changes)", v.Commit, want)
	}
	if v.Date == "unknown" || v.Version == "(devel)" {
		t.Errorf("a build from a git checkout: %+v, want the commit's time and a pseudo-version", v)
	}
}

// binaryVersion runs bin's cairn version, --version and version --format
// json, checks that the three agree, and returns what they say.
func binaryVersion(t *testing.T, bin string) versionInfo {
	t.Helper()
	run := func(args ...string) string {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("cairn %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	text, flag, js := run("version"), run("--version"), run("version", "--format", "json")
	if flag != text {
		t.Errorf("cairn --version printed\n%s\ncairn version printed\n%s", flag, text)
	}
	var v versionInfo
	dec := json.NewDecoder(strings.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("cairn version --format json: %v in %q", err, js)
	}
	if text != versionText(v) {
		t.Errorf("text and JSON disagree:\n%s\n%+v", text, v)
	}
	return v
}
