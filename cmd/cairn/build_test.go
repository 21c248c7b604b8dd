package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/scaffold"
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
