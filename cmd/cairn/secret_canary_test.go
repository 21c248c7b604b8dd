package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/seal"
	"github.com/cairn-it/cairn/generator/secrets/secretstest"
	"github.com/cairn-it/cairn/internal/testtool"
)

// canary is a random secret value planted in a test site; every output
// is searched for it.
func canary(t *testing.T, label string) string {
	t.Helper()
	b := make([]byte, 12)
	rand.Read(b)
	return "cnry" + label + hex.EncodeToString(b)
}

// forms returns the encodings a leak could take: the value, upper and
// lower hex, and standard and URL base64 at each of the three byte
// alignments it could have inside a longer encoded blob.
func forms(v string) []string {
	out := []string{v, hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v)))}
	for pad := 0; pad < 3; pad++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, pad), v...))
		// Drop the characters that also encode the padding bytes and the
		// last, partial group.
		skip := (pad*8 + 5) / 6
		core := enc[skip : len(enc)-4]
		out = append(out, core, strings.NewReplacer("+", "-", "/", "_").Replace(core))
	}
	return out
}

const canaryAccess = `[groups.staff]
orgs = ["*"]

[groups.client]
orgs = ["example"]
types = ["configurations", "locations", "documents", "assets/wireless"]

[[users]]
email = "you@example.com"
role = "admin"
groups = ["staff"]

[portals.internal]
groups = ["staff"]
secrets = "%s"

[portals.client]
groups = ["client"]
secrets = "sealed"

[portals.helpdesk]
groups = ["staff"]
secrets = "none"
`

// canarySite is a site with secrets planted in a password item and in a
// wireless asset, visible to internal and helpdesk; the client portal sees
// the wireless asset but not the password item.
func canarySite(t *testing.T, env secretEnv, rec, internalSecrets string) (dir, pw, otpSecret, psk string) {
	t.Helper()
	dir = secretSite(t, rec)
	writeFile(t, dir, "access.toml", strings.Replace(canaryAccess, "%s", internalSecrets, 1))
	writeFile(t, dir, "content/example/assets/wireless/office.toml", "ssid = \"Example-Staff\"\nsecurity = \"WPA2-Personal\"\n")
	pw, psk = canary(t, "pw"), canary(t, "psk")
	otpSecret = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ" // base32 of "TestSecretTestSecret"-like bytes
	for _, c := range [][3]string{{"example/passwords/domain-admin", "password", pw}, {"example/passwords/domain-admin", "otp_secret", otpSecret}, {"example/assets/wireless/office", "psk", psk}} {
		if code, _, stderr := cliIn(t, env, c[2]+"\n", "-C", dir, "secret", "set", c[0], c[1]); code != 0 {
			t.Fatalf("set %s %s: %s", c[0], c[1], stderr)
		}
	}
	return dir, pw, otpSecret, psk
}

// scanOutput fails the test for every file under root holding a form of a
// secret; PDFs are also searched through pdftotext when it is installed.
func scanOutput(t *testing.T, root string, secrets ...string) (files int) {
	t.Helper()
	pdftotext := testtool.Find(t, "poppler-utils", "pdftotext") // PDF text streams are compressed: search their text too
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		texts := [][]byte{data}
		if strings.HasSuffix(p, ".pdf") {
			if pdftotext != "" {
				out, err := exec.Command(pdftotext, "-enc", "UTF-8", p, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext %s: %v", p, err)
				}
				texts = append(texts, out, bytes.Join(bytes.Fields(out), nil))
			}
		}
		for _, s := range secrets {
			for _, f := range forms(s) {
				for _, text := range texts {
					if bytes.Contains(text, []byte(f)) {
						rel, _ := filepath.Rel(root, p)
						t.Errorf("%s holds a secret (as %q)", rel, f)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSecretCanaries builds every portal, with and without sealed secrets,
// and runbooks with --include-secrets, and searches every output byte for
// the planted secrets.
func TestSecretCanaries(t *testing.T) {
	env, rec := ageUser(t)
	const pass = "canary portal passphrase 42"
	env.vars["CAIRN_PORTAL_PASSPHRASE_INTERNAL"] = pass
	env.vars["CAIRN_PORTAL_PASSPHRASE_CLIENT"] = pass + " client"
	sealedRe := regexp.MustCompile(`data-field="(\w+)" data-sealed="([^"]+)"`)

	for _, mode := range []string{"sealed", "none"} {
		t.Run("internal="+mode, func(t *testing.T) {
			dir, pw, otpSecret, psk := canarySite(t, env, rec, mode)
			out := filepath.Join(t.TempDir(), "public")
			code, stdout, stderr := runBinaryEnv(t, env, "-C", dir, "build", "--output", out, "--today", "2026-11-23")
			if code != 0 {
				t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
			}
			if n := scanOutput(t, out, pw, otpSecret, psk); n < 20 {
				t.Errorf("only %d files were built and scanned", n)
			}
			// The search must be able to fail: the sealed values are in the
			// pages, and they open with the passphrase.
			page, err := os.ReadFile(filepath.Join(out, "internal", "example", "passwords", "domain-admin", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			found := map[string]string{}
			for _, m := range sealedRe.FindAllStringSubmatch(string(page), -1) {
				v, err := seal.Open(m[2], m[1], pass)
				if err != nil {
					t.Errorf("sealed %s does not open: %v", m[1], err)
				}
				found[m[1]] = v
			}
			if mode == "sealed" && (found["password"] != pw || found["otp_secret"] != otpSecret) {
				t.Errorf("sealed internal portal: opened %v", found)
			}
			if mode == "none" && len(found) != 0 {
				t.Errorf("portal with secrets = none carries sealed values: %v", found)
			}
			if mode == "sealed" && !strings.Contains(string(page), "sealed.js") {
				t.Error("a page with sealed values does not load sealed.js")
			}
			for _, p := range []string{"helpdesk/example/passwords/domain-admin/index.html"} {
				if b, _ := os.ReadFile(filepath.Join(out, p)); bytes.Contains(b, []byte("data-sealed")) {
					t.Errorf("%s (secrets = none) carries sealed values", p)
				}
			}
		})
	}

	t.Run("runbooks", func(t *testing.T) {
		testtool.Find(t, "poppler-utils", "pdftotext")
		dir, pw, otpSecret, psk := canarySite(t, env, rec, "sealed")
		// The client portal may not see the password item: its book with
		// --include-secrets holds the wireless key it may see, and nothing
		// of the password item.
		clientPDF := filepath.Join(t.TempDir(), "client.pdf")
		if code, _, stderr := runBinaryEnv(t, env, "-C", dir, "runbook", "example", "--portal", "client", "--include-secrets", "--today", "2026-11-23", "-o", clientPDF); code != 0 {
			t.Fatalf("client runbook: exit %d: %s", code, stderr)
		}
		scanOutput(t, filepath.Dir(clientPDF), pw, otpSecret)
		text, _ := exec.Command("pdftotext", clientPDF, "-").Output()
		if !bytes.Contains(bytes.Join(bytes.Fields(text), nil), []byte(psk)) {
			t.Error("the client runbook with --include-secrets lacks the wireless key it may see (the search would not find a leak either)")
		}
		// The internal portal may see it all: its book holds the password.
		internalPDF := filepath.Join(t.TempDir(), "internal.pdf")
		if code, _, stderr := runBinaryEnv(t, env, "-C", dir, "runbook", "example", "--portal", "internal", "--include-secrets", "--today", "2026-11-23", "-o", internalPDF); code != 0 {
			t.Fatalf("internal runbook: exit %d: %s", code, stderr)
		}
		text, _ = exec.Command("pdftotext", internalPDF, "-").Output()
		if !bytes.Contains(bytes.Join(bytes.Fields(text), nil), []byte(pw)) {
			t.Error("the internal runbook with --include-secrets lacks the password")
		}
		// Without the flag, no book holds a secret.
		plainDir := t.TempDir()
		if code, _, stderr := runBinaryEnv(t, env, "-C", dir, "runbook", "example", "--portal", "internal", "--today", "2026-11-23", "-o", filepath.Join(plainDir, "b.pdf")); code != 0 {
			t.Fatalf("runbook: exit %d: %s", code, stderr)
		}
		scanOutput(t, plainDir, pw, otpSecret, psk)
	})

	t.Run("fails closed", func(t *testing.T) {
		dir, _, _, _ := canarySite(t, env, rec, "sealed")
		out := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := runBinaryEnv(t, env, "-C", dir, "build", "--output", out); code != 0 {
			t.Fatalf("first build: %s", stderr)
		}
		before := treeDigest(t, out)
		noPass := secretEnv{vars: map[string]string{}}
		for k, v := range env.vars {
			noPass.vars[k] = v
		}
		delete(noPass.vars, "CAIRN_PORTAL_PASSPHRASE_CLIENT")
		code, _, stderr := runBinaryEnv(t, noPass, "-C", dir, "build", "--output", out)
		want := `cairn: build refused: portal client has secrets = "sealed" but no passphrase (set CAIRN_PORTAL_PASSPHRASE_CLIENT or pass --passphrase-file client=FILE); nothing was written`
		if code == 0 || strings.TrimSpace(stderr) != want {
			t.Errorf("build without a passphrase: exit %d\n%s\nwant:\n%s", code, stderr, want)
		}
		noKey := secretEnv{vars: map[string]string{"HOME": t.TempDir(), "CAIRN_PORTAL_PASSPHRASE_INTERNAL": pass, "CAIRN_PORTAL_PASSPHRASE_CLIENT": pass}}
		code, _, stderr = runBinaryEnv(t, noKey, "-C", dir, "build", "--output", out)
		if code == 0 || !strings.Contains(stderr, "build refused: sealed portal client, internal needs secrets this build cannot decrypt; nothing was written") || !strings.Contains(stderr, "no age key found") {
			t.Errorf("build without a key: exit %d\n%s", code, stderr)
		}
		if after := treeDigest(t, out); after != before {
			t.Error("a refused build changed the previous output")
		}
	})
}

func treeDigest(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString(p + "\x00" + string(data) + "\x00")
		}
		return nil
	})
	return b.String()
}

// TestTamperedSecretsNeverPrinted changes a secrets file without the key
// in every way secretstest knows (type tags, MAC, lastmodified, values
// swapped, cut or in plain text) and runs every command that decrypts,
// as the real binary, in every output format: each must fail (or report
// the file), and no stdout or stderr may hold a form of a secret.
func TestTamperedSecretsNeverPrinted(t *testing.T) {
	env, rec := ageUser(t)
	env.vars["CAIRN_PORTAL_PASSPHRASE_INTERNAL"] = "canary portal passphrase 42"
	env.vars["CAIRN_PORTAL_PASSPHRASE_CLIENT"] = "canary portal passphrase 43"
	editor := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env.vars["EDITOR"] = editor
	dir, pw, otpSecret, psk := canarySite(t, env, rec, "sealed")
	plain := canary(t, "plain")
	file := "content/example/passwords/domain-admin.sops.yaml"
	orig := readFile(t, dir, file)
	id := "example/passwords/domain-admin"
	out := t.TempDir()
	commands := [][]string{
		{"check"}, {"check", "--format", "json"}, {"check", "--format", "github"}, {"check", "--strict"},
		{"secret", "get", id}, {"secret", "get", id, "otp_secret"}, {"secret", "otp", id},
		{"secret", "edit", id}, {"secret", "rotate", id}, {"secret", "rekey"},
		{"build", "--output", filepath.Join(out, "public"), "--no-runbooks"},
		{"runbook", "example", "--portal", "internal", "--include-secrets", "-o", filepath.Join(out, "book.pdf")},
	}
	for _, c := range secretstest.Tamperings() {
		t.Run(c.Name, func(t *testing.T) {
			text := strings.ReplaceAll(c.Edit(orig), "CANARY", plain)
			if text == orig {
				t.Fatal("the tampering changed nothing")
			}
			for _, args := range commands {
				writeFile(t, dir, file, text)
				code, stdout, stderr := runBinaryEnv(t, env, append([]string{"-C", dir}, args...)...)
				name := strings.Join(args[:min(len(args), 3)], " ")
				for _, s := range []string{pw, otpSecret, psk, plain} {
					for _, f := range forms(s) {
						if strings.Contains(stdout, f) {
							t.Errorf("%s: canary found in stdout", name)
						}
						if strings.Contains(stderr, f) {
							t.Errorf("%s: canary found in stderr", name)
						}
					}
				}
				if code == 0 {
					t.Errorf("%s: exit 0 on a tampered secrets file", name)
				}
				if !strings.Contains(stdout+stderr, file) {
					t.Errorf("%s: the output does not name %s", name, file)
				}
			}
		})
	}
}
