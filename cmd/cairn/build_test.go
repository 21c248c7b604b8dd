package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/testsite"
)

func testFactory() (*Factory, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &Factory{
		IO:     &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Now:    func() time.Time { return time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC) },
		Getenv: func(string) string { return "" },
	}, out, errOut
}

func TestBuildCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	f, _, errOut := testFactory()
	out := filepath.Join(t.TempDir(), "www")
	if code := run(context.Background(), []string{"-C", dir, "build", "--output", out, "--today", "2026-11-23"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "internal", "index.html")); err != nil {
		t.Fatalf("no portal home: %v (%s)", err, errOut)
	}
	if !strings.Contains(errOut.String(), "built portal internal") || !strings.Contains(errOut.String(), "as of 2026-11-23") {
		t.Errorf("unexpected report:\n%s", errOut)
	}
	home, _ := os.ReadFile(filepath.Join(out, "internal", "index.html"))
	if !strings.Contains(string(home), `content="2026-11-23"`) {
		t.Error("the home page does not carry the --today date")
	}

	// The default output is cairn.toml's, relative to the site; without
	// git and without --today the date is the clock's.
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "build"}, f); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "internal", "index.html")); err != nil {
		t.Fatalf("no portal in the site's public/: %v", err)
	}

	// An unknown portal is a usage error.
	f, _, errOut = testFactory()
	if code := run(context.Background(), []string{"-C", dir, "build", "--portal", "nope"}, f); code != exitUsage {
		t.Errorf("--portal nope: exit %d, want %d: %s", code, exitUsage, errOut)
	}
}

func TestBuildRefusesASiteWithErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "content", "example", "configurations", "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"bad\"\nconfiguration_type = \"Toaster\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _, errOut := testFactory()
	out := filepath.Join(t.TempDir(), "www")
	code := run(context.Background(), []string{"-C", dir, "build", "--output", out}, f)
	if code != exitProblem {
		t.Fatalf("exit %d, want %d: %s", code, exitProblem, errOut)
	}
	msg := errOut.String()
	if !strings.Contains(msg, "content/example/configurations/bad.toml:2:") || !strings.Contains(msg, "build refused") {
		t.Errorf("the report does not name the file and line:\n%s", msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused build created the output folder")
	}
}

// twoClients is a site with two client organizations and a portal for
// each, plus an internal portal that sees both.
var twoClients = map[string]string{
	"cairn.toml": "title = \"Two clients\"\noutput = \"public\"\n",
	"access.toml": `
[groups.staff]
orgs = ["*"]
[groups.acme-people]
orgs = ["acme"]
[groups.ferrum-people]
orgs = ["ferrum"]

[portals.internal]
title = "Internal"
groups = ["staff"]
[portals.acme]
title = "Acme"
groups = ["acme-people"]
[portals.ferrum]
title = "Ferrum"
groups = ["ferrum-people"]
`,
	"content/acme/org.toml":                  "name = \"Acme\"\nkind = \"client\"\n",
	"content/ferrum/org.toml":                "name = \"Ferrum\"\nkind = \"client\"\n",
	"content/acme/configurations/fw.toml":    "name = \"acme-fw\"\nconfiguration_type = \"Firewall\"\n",
	"content/ferrum/configurations/srv.toml": "name = \"ferrum-srv\"\nconfiguration_type = \"Server\"\n",
}

// TestBuildKeepsOtherClientsPortals: a typo in one organization stops
// only the portals that show it; the others are built, the stopped ones
// keep their previous output, and the command exits 1.
func TestBuildKeepsOtherClientsPortals(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.WriteFiles(dir, twoClients); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if code, _, stderr := cli(t, "-C", dir, "build", "--today", "2026-11-01"); code != exitOK {
		t.Fatalf("first build: exit %d: %s", code, stderr)
	}
	home := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, p, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := map[string]string{"acme": home("acme"), "ferrum": home("ferrum"), "internal": home("internal")}

	bad := "content/ferrum/configurations/bad.toml"
	if err := testsite.WriteFiles(dir, map[string]string{bad: "name = \"bad\"\nconfiguration_type = \"Toaster\"\n"}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "-C", dir, "build", "--today", "2026-11-23")
	if code != exitProblem {
		t.Fatalf("exit %d, want %d: %s", code, exitProblem, stderr)
	}
	for _, want := range []string{
		bad + ":2:",
		"build refused for portal ferrum: 1 error in the organizations it shows (its previous output is kept)\n",
		"build refused for portal internal: 1 error in the organizations it shows (its previous output is kept)\n",
		"built portal acme:",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the report lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "built portal ferrum") || strings.Contains(stderr, "built portal internal") {
		t.Errorf("a stopped portal was built:\n%s", stderr)
	}
	if home("acme") == before["acme"] {
		t.Error("acme's portal was not rebuilt")
	}
	for _, p := range []string{"ferrum", "internal"} {
		if home(p) != before[p] {
			t.Errorf("portal %s changed although its organizations have errors", p)
		}
	}

	// Asked for by name: acme builds cleanly, ferrum is refused.
	if code, _, stderr := cli(t, "-C", dir, "build", "--portal", "acme", "--today", "2026-11-24"); code != exitOK {
		t.Errorf("--portal acme: exit %d: %s", code, stderr)
	}
	if code, _, stderr := cli(t, "-C", dir, "build", "--portal", "ferrum", "--today", "2026-11-24"); code != exitProblem || strings.Contains(stderr, "built portal") {
		t.Errorf("--portal ferrum: exit %d: %s", code, stderr)
	}

	if code, _, stderr := cli(t, "-C", dir, "build", "--portal", "nope"); code != exitUsage || !strings.Contains(stderr, "--portal nope: no such portal in access.toml") {
		t.Errorf("--portal nope: exit %d: %s", code, stderr)
	}

	// An error in a site-wide file refuses every portal.
	if err := testsite.WriteFiles(dir, map[string]string{bad: "name = \"bad\"\nconfiguration_type = \"Server\"\n", "cairn.toml": "title = \"Two clients\"\nnosuchkey = 1\n"}); err != nil {
		t.Fatal(err)
	}
	acme := home("acme")
	code, _, stderr = cli(t, "-C", dir, "build", "--today", "2026-11-25")
	if code != exitProblem || !strings.Contains(stderr, "build refused: the site has 1 error") || strings.Contains(stderr, "built portal") {
		t.Errorf("site-wide error: exit %d: %s", code, stderr)
	}
	if home("acme") != acme {
		t.Error("a site-wide error still let acme be rebuilt")
	}
}

// TestBuildOutputSafety runs the review's variants through the command:
// none may delete anything outside the output's own portal folders.
func TestBuildOutputSafety(t *testing.T) {
	for _, tc := range []struct {
		name   string
		output string // cairn.toml's output
		flag   string // --output, relative to the test's folder
		want   string
	}{
		{"../victim in cairn.toml", "../victim", "", "is outside the site"},
		{"--output ../victim without a marker", "", "victim", "victim/acme was not written by cairn build (it has no .cairn-portal file)"},
		{". in cairn.toml", ".", "", "is the site's own folder"},
		{"content in cairn.toml", "content", "", "overlaps the site's content"},
		{"--output the site", "", "site", "is the site's own folder"},
		{"--output a symlink to content", "", "link", "overlaps the site's content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(top, "site")
			files := map[string]string{}
			for k, v := range twoClients {
				files[k] = v
			}
			files["cairn.toml"] = fmt.Sprintf("title = \"Two clients\"\noutput = %q\n", tc.output)
			if tc.output == "" {
				files["cairn.toml"] = "title = \"Two clients\"\n"
			}
			// A folder named like a portal in the victim, and a portal named
			// like the site's content/ folder would be.
			files["../victim/acme/precious.txt"] = "keep"
			if err := testsite.WriteFiles(dir, files); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(dir, "content"), filepath.Join(top, "link")); err != nil {
				t.Fatal(err)
			}
			args := []string{"-C", dir, "build", "--today", "2026-11-23"}
			if tc.flag != "" {
				args = append(args, "--output", filepath.Join(top, tc.flag))
			}
			code, _, stderr := cli(t, args...)
			if code == exitOK || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want a refusal saying %q:\n%s", code, tc.want, stderr)
			}
			if b, err := os.ReadFile(filepath.Join(top, "victim", "acme", "precious.txt")); err != nil || string(b) != "keep" {
				t.Errorf("the victim folder changed: %q, %v", b, err)
			}
			for _, f := range []string{"content/acme/org.toml", "content/ferrum/configurations/srv.toml", "access.toml"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("the site lost %s: %v", f, err)
				}
			}
		})
	}
}

// TestBuildInterruptedBySIGINT builds the demo site with the real binary,
// sends SIGINT once every portal has pages in staging, and checks
// that every portal is as the previous build left it and no staging
// folder remains.
func TestBuildInterruptedBySIGINT(t *testing.T) {
	if cairnBin == "" {
		t.Fatal("the cairn binary was not built (see TestMain output)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := binary(t, "-C", root, "build", "--output", out, "--today", "2026-11-01"); code != 0 {
		t.Fatalf("first build: exit %d: %s", code, stderr)
	}
	before := treeDigest(t, out)

	cmd := exec.Command(cairnBin, "-C", root, "build", "--output", out, "--today", "2026-11-23")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Wait until every portal has pages in staging (the pages of the last
	// portal come after the other portals' files), then interrupt.
	portals, _ := filepath.Glob(filepath.Join(out, "*", ".cairn-portal"))
	if len(portals) < 2 {
		t.Fatalf("the demo built %d portals; the test needs several", len(portals))
	}
	signalled := false
	for deadline := time.Now().Add(2 * time.Minute); !signalled && time.Now().Before(deadline); {
		homes, _ := filepath.Glob(filepath.Join(out, ".cairn-build-*", "*", "index.html"))
		if len(homes) == len(portals) {
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			signalled = true
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the build ended (%v) before every portal had pages in staging: nothing was interrupted\n%s", err, stderr.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
	if !signalled {
		t.Fatal("the portals were not staged within 2 minutes")
	}
	err = <-done
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("the interrupted build exited with %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "cairn: build interrupted, every portal left as it was: context canceled") {
		t.Errorf("stderr does not say the build was interrupted (%v):\n%s", err, stderr.String())
	}
	if treeDigest(t, out) != before {
		t.Error("the interrupted build changed the output: portals are not all old")
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".cairn-build-*")); len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}
