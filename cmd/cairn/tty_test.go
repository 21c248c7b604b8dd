package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/internal/testtool"
)

func TestColorAllowed(t *testing.T) {
	cases := []struct {
		tty           bool
		noColor, term string
		want          bool
	}{
		{true, "", "xterm-256color", true},
		{true, "", "", true},
		{false, "", "xterm", false},
		{true, "1", "xterm", false},
		{true, "0", "xterm", false}, // any non-empty NO_COLOR, as no-color.org says
		{true, "", "dumb", false},
	}
	for _, c := range cases {
		env := map[string]string{"NO_COLOR": c.noColor, "TERM": c.term}
		if got := colorAllowed(c.tty, func(k string) string { return env[k] }); got != c.want {
			t.Errorf("colorAllowed(%v, NO_COLOR=%q TERM=%q) = %v", c.tty, c.noColor, c.term, got)
		}
	}
}

// siteWithError is a fresh site whose one error makes check fail.
func siteWithError(t *testing.T) string {
	dir := newSite(t)
	writeFile(t, dir, "content/example/configurations/bad.toml", "name = \"bad\"\nconfiguration_type = \"Toaster\"\n")
	return dir
}

func TestCheckColoursOnlyWhenAllowed(t *testing.T) {
	dir := siteWithError(t)
	for _, color := range []bool{false, true} {
		f, out, _ := testFactory()
		f.IO.ColorOut = color
		if code := run(context.Background(), []string{"check", "-C", dir}, f); code != exitProblem {
			t.Fatalf("exit %d", code)
		}
		has := strings.Contains(out.String(), ": \x1b[1;31merror\x1b[0m: \"configuration_type\"")
		if has != color || (!color && strings.Contains(out.String(), "\x1b")) {
			t.Errorf("colour %v: output %q", color, out)
		}
	}
}

// TestTerminalColourAndNoColor runs the binary on a pseudo-terminal (with
// script(1)): colour there, none with NO_COLOR or TERM=dumb, none in a pipe.
func TestTerminalColourAndNoColor(t *testing.T) {
	script := testtool.Find(t, "util-linux", "script")
	if cairnBin == "" {
		t.Fatal("the cairn binary was not built")
	}
	dir := siteWithError(t)
	line := "'" + cairnBin + "' check -C '" + dir + "'"
	env := func(extra ...string) []string {
		var out []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
				out = append(out, kv)
			}
		}
		return append(out, extra...)
	}
	for _, c := range []struct {
		env    []string
		colour bool
	}{
		{env("TERM=xterm"), true},
		{env("TERM=xterm", "NO_COLOR=1"), false},
		{env("TERM=dumb"), false},
	} {
		cmd := exec.Command(script, "-qec", line, "/dev/null")
		cmd.Env = c.env
		out, _ := cmd.Output()
		if !strings.Contains(string(out), "bad.toml:2:22: ") {
			t.Fatalf("%v: no report from the terminal: %q", c.env[len(c.env)-1], out)
		}
		if got := bytes.Contains(out, []byte("\x1b[1;31merror\x1b[0m")); got != c.colour {
			t.Errorf("%v: colour %v, want %v: %q", c.env[len(c.env)-1], got, c.colour, out)
		}
	}
	_, out, _ := runBinary(t, env("TERM=xterm"), "check", "-C", dir)
	if strings.Contains(out, "\x1b") || !strings.Contains(out, "bad.toml:2:22: error: ") {
		t.Errorf("colour in a pipe: %q", out)
	}
}

func TestBuildProgressOnlyOnATerminal(t *testing.T) {
	dir := newSite(t)
	for _, tty := range []bool{false, true} {
		f, _, errOut := testFactory()
		f.IO.IsTTY = tty
		out := filepath.Join(t.TempDir(), "www")
		if code := run(context.Background(), []string{"-C", dir, "build", "--no-runbooks", "--today", "2026-11-23", "-o", out}, f); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		got := errOut.String()
		if !tty {
			if strings.ContainsAny(got, "\r\x1b") || strings.Contains(got, "building") {
				t.Errorf("progress without a terminal: %q", got)
			}
			continue
		}
		want := "\r\x1b[Kreading the site\r\x1b[K" +
			"\r\x1b[Kbuilding 1 portal\r\x1b[Kbuilding portals: 1 of 1 done (internal)" +
			"\r\x1b[Kmoving the new portals into place\r\x1b[Kbuilt portal internal: "
		if !strings.HasPrefix(got, want) {
			t.Errorf("progress on a terminal:\n got %q\nwant %q...", got, want)
		}
	}
}
