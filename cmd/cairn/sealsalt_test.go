package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/seal"
)

// TestSealSalts: the first sealed build makes a random salt and writes it
// to the site; later builds reuse it and write the same bytes; another
// site gets another salt; a weak passphrase refuses the build before
// anything is written.
func TestSealSalts(t *testing.T) {
	env, rec := ageUser(t)
	env.vars["CAIRN_PORTAL_PASSPHRASE_INTERNAL"] = "canary portal passphrase 42"
	env.vars["CAIRN_PORTAL_PASSPHRASE_CLIENT"] = "canary portal passphrase 42 client"
	page := filepath.Join("internal", "example", "passwords", "domain-admin", "index.html")
	build := func(dir string) ([]byte, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		code, stdout, stderr := runBinaryEnv(t, env, "-C", dir, "build", "--no-runbooks", "--portal", "internal", "--output", out, "--today", "2026-11-23")
		if code != 0 {
			t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		return b, stderr
	}
	dir, _, _, _ := canarySite(t, env, rec, "sealed")
	first, stderr := build(dir)
	if !strings.Contains(stderr, "note: wrote new sealing salts to .cairn/seal-salts.toml: commit it") {
		t.Errorf("the first build does not say it wrote the salts:\n%s", stderr)
	}
	salts, err := seal.LoadSalts(dir)
	if err != nil {
		t.Fatal(err)
	}
	salt, _ := salts.Salt("internal", strings.NewReader(""))
	if salts.Changed() || len(salt) != seal.SaltLen {
		t.Fatalf("no salt for portal internal in %s", seal.SaltsFile)
	}
	second, stderr := build(dir)
	if !bytes.Equal(first, second) || strings.Contains(stderr, "sealing salts") {
		t.Errorf("a second build with the stored salt wrote other bytes, or new salts:\n%s", stderr)
	}
	other, _, _, _ := canarySite(t, env, rec, "sealed")
	third, _ := build(other)
	saltOf := func(page []byte) string {
		m := regexp.MustCompile(`data-sealed="v1\.\d+\.([A-Za-z0-9_-]+)\.`).FindSubmatch(page)
		if m == nil {
			t.Fatal("no sealed value in the page")
		}
		return string(m[1])
	}
	if saltOf(first) == saltOf(third) {
		t.Error("two sites with the same title and portal seal with the same salt")
	}

	env.vars["CAIRN_PORTAL_PASSPHRASE_INTERNAL"] = "Summer2024!!"
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := runBinaryEnv(t, env, "-C", dir, "build", "--no-runbooks", "--output", out, "--today", "2026-11-23")
	if code == 0 || !strings.Contains(stderr, `build refused: the passphrase of portal "internal" is too weak: it is made of common passwords and words.`) || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("weak passphrase: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "Summer2024") {
		t.Error("the error quotes the passphrase")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused build wrote %s (%v)", out, err)
	}
}
