package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/secrets/otp"
)

// secretEnv is a test user's environment: their age key file and a
// config folder with no keys.
type secretEnv struct {
	vars map[string]string
}

func (e secretEnv) getenv(k string) string { return e.vars[k] }

func (e secretEnv) environ() []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + e.vars["HOME"]}
	for k, v := range e.vars {
		if k != "HOME" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// ageUser makes an age key file for a test user and returns their
// environment and public key.
func ageUser(t *testing.T) (secretEnv, string) {
	t.Helper()
	text, rec, err := secrets.NewKeyFile(testNow, "test user")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "keys.txt")
	if err := os.WriteFile(key, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return secretEnv{vars: map[string]string{"SOPS_AGE_KEY_FILE": key, "HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config")}}, rec
}

// cliIn runs the command tree in-process with an environment and stdin.
func cliIn(t *testing.T, env secretEnv, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{
		IO:     &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		Now:    func() time.Time { return testNow },
		Getenv: env.getenv,
	}
	code = run(context.Background(), args, f)
	return code, out.String(), errOut.String()
}

const pwItem = `# The domain administrator account.
name = "Domain admin"   # shown in portals
category = "Active Directory"
username = "EXAMPLE\\administrator"
notes = """
Break-glass only.
"""
`

// secretSite is a site with one password item and a wireless asset, and
// a .sops.yaml giving the example org to the recipients.
func secretSite(t *testing.T, recipients ...string) string {
	t.Helper()
	dir := newSite(t)
	writeFile(t, dir, "content/example/passwords/domain-admin.toml", pwItem)
	writeRulesFile(t, dir, recipients...)
	return dir
}

func writeRulesFile(t *testing.T, dir string, recipients ...string) {
	writeFile(t, dir, ".sops.yaml", "creation_rules:\n  - path_regex: ^content/example/.*\\.sops\\.yaml$\n    age: "+strings.Join(recipients, ",")+"\n")
}

func TestSecretSetGetRotateRekey(t *testing.T) {
	a, recA := ageUser(t)
	b, recB := ageUser(t)
	dir := secretSite(t, recA, recB)
	id := "example/passwords/domain-admin"
	file := "content/example/passwords/domain-admin.sops.yaml"

	code, _, stderr := cliIn(t, a, "Tr0ub4dor&3\n", "-C", dir, "secret", "set", id)
	if code != 0 {
		t.Fatalf("set: exit %d: %s", code, stderr)
	}
	if want := "stored password of " + id + " in " + file + ", encrypted for 2 recipients\n"; stderr != want {
		t.Errorf("set said %q, want %q", stderr, want)
	}
	if strings.Contains(readFile(t, dir, file), "Tr0ub4dor") {
		t.Fatal("plaintext in the secrets file")
	}
	for _, u := range []secretEnv{a, b} {
		code, out, stderr := cliIn(t, u, "", "-C", dir, "secret", "get", id)
		if code != 0 || out != "Tr0ub4dor&3\n" {
			t.Errorf("get: exit %d, %q, %s", code, out, stderr)
		}
	}

	// rotate: a new value, stored, printed, and last_rotated recorded with
	// the rest of the TOML untouched.
	code, out, stderr := cliIn(t, a, "", "-C", dir, "secret", "rotate", id, "--length", "32", "--today", "2026-11-20")
	if code != 0 {
		t.Fatalf("rotate: exit %d: %s", code, stderr)
	}
	newPW := strings.TrimSuffix(out, "\n")
	if len(newPW) != 32 {
		t.Errorf("rotate printed %q, want a 32-character password", out)
	}
	if _, got, _ := cliIn(t, b, "", "-C", dir, "secret", "get", id); got != newPW+"\n" {
		t.Errorf("after rotate get = %q, want the rotated value", got)
	}
	wantTOML := strings.Replace(pwItem, `username = "EXAMPLE\\administrator"`+"\n", `username = "EXAMPLE\\administrator"`+"\nlast_rotated = 2026-11-20\n", 1)
	if got := readFile(t, dir, "content/example/passwords/domain-admin.toml"); got != wantTOML {
		t.Errorf("TOML after rotate:\n%s\nwant:\n%s", got, wantTOML)
	}
	// A second rotation changes the date in place.
	cliIn(t, a, "", "-C", dir, "secret", "rotate", id, "--today", "2026-12-01")
	if got := readFile(t, dir, "content/example/passwords/domain-admin.toml"); got != strings.Replace(wantTOML, "2026-11-20", "2026-12-01", 1) {
		t.Errorf("TOML after second rotate:\n%s", got)
	}

	// b leaves: remove their recipient and rekey; b can no longer decrypt.
	writeRulesFile(t, dir, recA)
	code, _, stderr = cliIn(t, a, "", "-C", dir, "secret", "rekey")
	if code != 0 || !strings.Contains(stderr, "rekeyed "+file+" for 1 recipient\n") {
		t.Fatalf("rekey: exit %d: %s", code, stderr)
	}
	if code, _, _ := cliIn(t, a, "", "-C", dir, "secret", "get", id); code != 0 {
		t.Errorf("a cannot read after rekey")
	}
	code, out, stderr = cliIn(t, b, "", "-C", dir, "secret", "get", id)
	if code == 0 || out != "" || !strings.Contains(stderr, "none of your age keys ("+recB) {
		t.Errorf("b after rekey: exit %d, out %q, err %s", code, out, stderr)
	}
}

func TestSecretStdinAndUsage(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	for _, c := range []struct {
		args []string
		in   string
		code int
		err  string
	}{
		{[]string{"secret", "get", "example/passwords/domain-admn"}, "", 2, `cairn: no item "example/passwords/domain-admn"; did you mean example/passwords/domain-admin? (ids look like acme/passwords/domain-admin)`},
		{[]string{"secret", "set", "example/passwords/domain-admin", "username"}, "x", 2, `cairn: "username" is not a password field of example/passwords/domain-admin; its password fields: password, otp_secret`},
		{[]string{"secret", "get", "example/configurations/fw01"}, "", 2, `cairn: example/configurations/fw01 has no password fields: its type configurations keeps no secrets`},
		{[]string{"secret", "set", "example/passwords/domain-admin"}, "\n", 3, `cairn: empty value on stdin: nothing stored (pipe the value in, or run on a terminal to be prompted)`},
		{[]string{"secret", "get", "example/passwords/domain-admin"}, "", 3, `cairn: example/passwords/domain-admin has no secrets file: store a value with cairn secret set example/passwords/domain-admin`},
	} {
		code, _, stderr := cliIn(t, a, c.in, append([]string{"-C", dir}, c.args...)...)
		if code != c.code || !strings.HasPrefix(stderr, c.err+"\n") {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and:\n%s", c.args, code, stderr, c.code, c.err)
		}
	}
}

func TestSecretOTPAndGenerate(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	id := "example/passwords/domain-admin"
	if code, _, stderr := cliIn(t, a, "JBSWY3DPEHPK3PXP\n", "-C", dir, "secret", "set", id, "otp_secret"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, stderr := cliIn(t, a, "", "-C", dir, "secret", "otp", id)
	p, _ := otp.Parse("JBSWY3DPEHPK3PXP")
	want, left := p.Code(testNow)
	if code != 0 || out != want+"\n" || stderr != "valid for "+strconv.Itoa(left)+" more seconds\n" {
		t.Errorf("otp: exit %d, %q, %q; want %s", code, out, stderr, want)
	}
	code, out, stderr = cliIn(t, a, "", "secret", "generate", "--words", "5")
	if code != 0 || !regexp.MustCompile(`^[a-z]+(-[a-z]+){4}\n$`).MatchString(out) || !regexp.MustCompile(`^entropy: \d+ bits \(5 words from \d+\)\n$`).MatchString(stderr) {
		t.Errorf("generate --words 5: %d %q %q", code, out, stderr)
	}
}

// TestSecretEdit runs secret edit with a scripted editor: the plaintext
// is edited in a private folder that is gone afterwards.
func TestSecretEdit(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	id := "example/passwords/domain-admin"
	cliIn(t, a, "old-value-1!\n", "-C", dir, "secret", "set", id)
	log := filepath.Join(t.TempDir(), "seen")
	editor := filepath.Join(t.TempDir(), "editor.sh")
	// The editor records where the file is, its mode and folder mode, and
	// what it held, then replaces the value.
	script := "#!/bin/sh\nf=\"$1\"\n{ echo \"$f\"; stat -c %a \"$f\"; stat -c %a \"$(dirname \"$f\")\"; cat \"$f\"; } > " + log + "\nprintf 'password: new-value-2!\\notp_secret: JBSWY3DPEHPK3PXP\\n' > \"$f\"\n"
	os.WriteFile(editor, []byte(script), 0o755)
	a.vars["EDITOR"] = editor
	code, _, stderr := cliIn(t, a, "", "-C", dir, "secret", "edit", id)
	if code != 0 {
		t.Fatalf("edit: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(log)
	lines := strings.Split(string(data), "\n")
	if len(lines) < 4 || lines[1] != "600" || lines[2] != "700" || lines[3] != "password: old-value-1!" {
		t.Errorf("the editor saw %q", lines)
	}
	if _, err := os.Stat(lines[0]); err == nil {
		t.Errorf("the plaintext file %s is still there", lines[0])
	}
	if _, err := os.Stat(filepath.Dir(lines[0])); err == nil {
		t.Errorf("the private folder %s is still there", filepath.Dir(lines[0]))
	}
	if _, out, _ := cliIn(t, a, "", "-C", dir, "secret", "get", id); out != "new-value-2!\n" {
		t.Errorf("after edit get = %q", out)
	}
	// An edit adding a key that is no password field saves nothing.
	os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'password: x\\nusername: y\\n' > \"$1\"\n"), 0o755)
	code, _, stderr = cliIn(t, a, "", "-C", dir, "secret", "edit", id)
	if code == 0 || !strings.Contains(stderr, `"username" is not a password field of example/passwords/domain-admin (its password fields: password, otp_secret): nothing was saved`) {
		t.Errorf("bad edit: exit %d: %s", code, stderr)
	}
	if _, out, _ := cliIn(t, a, "", "-C", dir, "secret", "get", id); out != "new-value-2!\n" {
		t.Errorf("a refused edit changed the value: %q", out)
	}
}

func TestKeysInit(t *testing.T) {
	home := t.TempDir()
	env := secretEnv{vars: map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
	code, out, stderr := cliIn(t, env, "", "keys", "init")
	if code != 0 || !regexp.MustCompile(`^age1[a-z0-9]{58}\n$`).MatchString(out) {
		t.Fatalf("keys init: exit %d, %q, %s", code, out, stderr)
	}
	path := filepath.Join(home, ".config", "sops", "age", "keys.txt")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, fi)
	}
	k, err := secrets.LoadKeys(secrets.KeyOptions{Getenv: env.getenv})
	if err != nil || strings.Join(k.Recipients(), "") != strings.TrimSpace(out) {
		t.Errorf("the saved key is not the printed one: %v %v", k.Recipients(), err)
	}
	before, _ := os.ReadFile(path)
	code, _, stderr = cliIn(t, env, "", "keys", "init")
	after, _ := os.ReadFile(path)
	if code != 3 || !strings.Contains(stderr, "already exists: cairn never overwrites a key") || !bytes.Equal(before, after) {
		t.Errorf("second keys init: exit %d: %s", code, stderr)
	}
}

// TestCheckTamperedSecrets: cairn check fails on a secrets file changed
// without the key, naming it, and on plaintext in a secrets file.
func TestCheckTamperedSecrets(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	id := "example/passwords/domain-admin"
	file := "content/example/passwords/domain-admin.sops.yaml"
	cliIn(t, a, "one\n", "-C", dir, "secret", "set", id, "password")
	cliIn(t, a, "JBSWY3DPEHPK3PXP\n", "-C", dir, "secret", "set", id, "otp_secret")
	if code, out, _ := runBinaryEnv(t, a, "-C", dir, "check"); code != 0 {
		t.Fatalf("check before tampering: exit %d\n%s", code, out)
	}
	// Swap the two lines, keys and values: each value still decrypts (its
	// key is the one it was encrypted under), so only the MAC, computed
	// over the values in order, can tell.
	text := readFile(t, dir, file)
	lines := strings.Split(text, "\n")
	lines[0], lines[1] = lines[1], lines[0]
	writeFile(t, dir, file, strings.Join(lines, "\n"))
	code, out, _ := runBinaryEnv(t, a, "-C", dir, "check")
	if want := file + ": error: MAC mismatch: the file was changed without the key (values removed, reordered or replaced); restore it from git\n"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("check after tampering: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	// Swap the values only: the one under password no longer decrypts.
	lines[0], lines[1] = lines[1], lines[0]
	p, o := strings.TrimPrefix(lines[0], "password: "), strings.TrimPrefix(lines[1], "otp_secret: ")
	lines[0], lines[1] = "password: "+o, "otp_secret: "+p
	writeFile(t, dir, file, strings.Join(lines, "\n"))
	code, out, _ = runBinaryEnv(t, a, "-C", dir, "check")
	if want := file + `: error: the value of "password" does not decrypt (changed, moved to another key, or damaged), so the file was changed without the key or is damaged; restore it from git` + "\n"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("check after swapping values: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	// Without a key, the structural check still catches plaintext.
	writeFile(t, dir, file, "password: hunter2\n"+strings.Join(lines[2:], "\n"))
	code, out, _ = runBinaryEnv(t, secretEnv{vars: map[string]string{"HOME": t.TempDir()}}, "-C", dir, "check")
	if code != 1 || !strings.Contains(out, file+`:1:11: error: value of "password" is not encrypted (plain text in a secrets file)`) || strings.Contains(out, "hunter2") {
		t.Errorf("check with plaintext: exit %d\n%s", code, out)
	}
}

func runBinaryEnv(t *testing.T, env secretEnv, args ...string) (int, string, string) {
	t.Helper()
	return runBinary(t, env.environ(), args...)
}

// TestSecretEditSignals terminates secret edit (the real binary) with
// each catchable signal while the editor has the plaintext open: the
// private folder and the plaintext must be gone, nothing saved, and no
// output may hold the secret.
func TestSecretEditSignals(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	id := "example/passwords/domain-admin"
	file := "content/example/passwords/domain-admin.sops.yaml"
	secret := canary(t, "edit")
	if code, _, stderr := cliIn(t, a, secret+"\n", "-C", dir, "secret", "set", id); code != 0 {
		t.Fatal(stderr)
	}
	before := readFile(t, dir, file)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			opened := filepath.Join(t.TempDir(), "opened")
			// The editor says which file it has open, then sits there.
			editor := filepath.Join(t.TempDir(), "editor.sh")
			script := "#!/bin/sh\necho \"$1\" > " + opened + ".tmp && mv " + opened + ".tmp " + opened + "\nexec sleep 30\n"
			if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			env := secretEnv{vars: map[string]string{"EDITOR": editor}}
			for k, v := range a.vars {
				env.vars[k] = v
			}
			cmd := exec.Command(cairnBin, "-C", dir, "secret", "edit", id, "--temp-dir", tmp)
			cmd.Env = env.environ()
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			cmd.WaitDelay = 10 * time.Second
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var plainPath string
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if b, err := os.ReadFile(opened); err == nil {
					plainPath = strings.TrimSpace(string(b))
					break
				}
			}
			if plainPath == "" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the editor never started: %s", errOut.String())
			}
			// The test can fail: the plaintext is there while the editor runs.
			if data, err := os.ReadFile(plainPath); err != nil || !strings.Contains(string(data), secret) || !strings.HasPrefix(plainPath, tmp+string(filepath.Separator)) {
				t.Fatalf("while editing, %s under %s: %v (holds the value: %v)", plainPath, tmp, err, strings.Contains(string(data), secret))
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() <= 0 {
				t.Errorf("after %s: %v, want a non-zero exit", sig, err)
			}
			if want := "cairn: interrupted: the editor was stopped, the temporary file removed and nothing saved\n"; errOut.String() != want {
				got := errOut.String()
				if strings.Contains(got, secret) || len(got) > 500 {
					got = fmt.Sprintf("%d bytes, not shown", len(got))
				}
				t.Errorf("stderr after %s: %q, want %q", sig, got, want)
			}
			left, err := os.ReadDir(tmp)
			if err != nil || len(left) != 0 {
				t.Errorf("after %s the temporary folder holds %d entries (%v)", sig, len(left), err)
			}
			if strings.Contains(out.String()+errOut.String(), secret) {
				t.Error("canary found in the output")
			}
			if readFile(t, dir, file) != before {
				t.Error("an interrupted edit changed the secrets file")
			}
		})
	}
}

// TestSecretRekeyOutsideSite: secret rekey refuses a path outside the
// site, and touches nothing there.
func TestSecretRekeyOutsideSite(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	id := "example/passwords/domain-admin"
	if code, _, stderr := cliIn(t, a, "inside\n", "-C", dir, "secret", "set", id); code != 0 {
		t.Fatal(stderr)
	}
	// Another site beside this one, whose secrets a's key also reads.
	other := secretSite(t, recA)
	if code, _, stderr := cliIn(t, a, "other\n", "-C", other, "secret", "set", id); code != 0 {
		t.Fatal(stderr)
	}
	otherFile := filepath.Join(other, "content", "example", "passwords", "domain-admin.sops.yaml")
	before, _ := os.ReadFile(otherFile)
	rel, _ := filepath.Rel(dir, filepath.Join(other, "content"))
	realDir, _ := filepath.EvalSymlinks(dir)
	code, _, stderr := cliIn(t, a, "", "-C", dir, "secret", "rekey", rel)
	want := "cairn: " + rel + " is outside the site (" + realDir + "): give a folder inside it, such as content or content/acme; nothing was rekeyed\n"
	if code != 2 || !strings.HasPrefix(stderr, want) {
		t.Errorf("rekey %s: exit %d\n%s\nwant exit 2 and\n%s", rel, code, stderr, want)
	}
	if after, _ := os.ReadFile(otherFile); !bytes.Equal(before, after) {
		t.Error("rekey changed a secrets file outside the site")
	}
}

// TestSecretsFirstDay follows a new site from cairn init to its first
// secrets: the placeholder rule says how to put a key in, keys init
// --add-to-sops puts it in, the rule covers every organization, and an
// organization no rule covers gets an error naming .sops.yaml and the
// rule to add.
func TestSecretsFirstDay(t *testing.T) {
	dir := newSite(t)
	home := t.TempDir()
	env := secretEnv{vars: map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
	writeFile(t, dir, "content/example/passwords/admin.toml", pwItem)
	writeFile(t, dir, "content/newco/org.toml", "name = \"NewCo\"\n")
	writeFile(t, dir, "content/newco/passwords/admin.toml", pwItem)
	if code, out, stderr := cliIn(t, env, "", "-C", dir, "check"); code != 0 {
		t.Fatalf("check of the new site: exit %d\n%s%s", code, out, stderr)
	}

	// Before any key is in: the error says how to put one in.
	code, _, stderr := cliIn(t, env, "s3cret-one\n", "-C", dir, "secret", "set", "example/passwords/admin")
	want := `cairn: .sops.yaml: the creation rule for content/example/passwords/admin.sops.yaml (path_regex ^content/.*\.sops\.yaml$) still holds the placeholder AGE-PUBLIC-KEY-HERE instead of age public keys: run cairn keys init --add-to-sops to make your key and put it there, or replace AGE-PUBLIC-KEY-HERE with the public keys (age1...) of everyone who may read these secrets, comma-separated` + "\n"
	if code != 3 || stderr != want {
		t.Errorf("set before a key: exit %d\n%s\nwant:\n%s", code, stderr, want)
	}

	code, out, stderr := cliIn(t, env, "", "-C", dir, "keys", "init", "--add-to-sops")
	rec := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(rec, "age1") || !strings.Contains(stderr, "added it to 1 creation rule in "+filepath.Join(dir, ".sops.yaml")) {
		t.Fatalf("keys init --add-to-sops: exit %d, %q\n%s", code, out, stderr)
	}
	conf := readFile(t, dir, ".sops.yaml")
	if !strings.Contains(conf, "    age: "+rec+"\n") || strings.Contains(conf, "    age: AGE-PUBLIC-KEY-HERE") || !strings.Contains(conf, "# PUT YOUR KEY IN before storing a secret:") {
		t.Errorf(".sops.yaml after keys init --add-to-sops:\n%s", conf)
	}

	// The one rule covers every organization, the new one too.
	for _, id := range []string{"example/passwords/admin", "newco/passwords/admin"} {
		if code, _, stderr := cliIn(t, env, "s3cret-"+id+"\n", "-C", dir, "secret", "set", id); code != 0 {
			t.Errorf("set %s: exit %d: %s", id, code, stderr)
		}
		if _, out, _ := cliIn(t, env, "", "-C", dir, "secret", "get", id); out != "s3cret-"+id+"\n" {
			t.Errorf("get %s = %q", id, out)
		}
	}
	if code, out, stderr := cliIn(t, env, "", "-C", dir, "check"); code != 0 {
		t.Errorf("check with secrets: exit %d\n%s%s", code, out, stderr)
	}

	// A .sops.yaml covering one organization only: the other's first
	// secret gets the rule to add, not SOPS's "no matching creation rules".
	writeRulesFile(t, dir, rec)
	writeFile(t, dir, "content/other/org.toml", "name = \"Other\"\n")
	writeFile(t, dir, "content/other/passwords/admin.toml", pwItem)
	code, _, stderr = cliIn(t, env, "x\n", "-C", dir, "secret", "set", "other/passwords/admin")
	want = `cairn: .sops.yaml has no creation rule for content/other/passwords/admin.sops.yaml: add one naming the age public keys of who may read it, above any catch-all rule:
  - path_regex: ^content/other/.*\.sops\.yaml$
    age: age1...,age1...
or one rule for every organization:
  - path_regex: ^content/.*\.sops\.yaml$
    age: age1...
`
	if code != 3 || stderr != want {
		t.Errorf("set with no matching rule: exit %d\n%s\nwant:\n%s", code, stderr, want)
	}
}

// TestKeysInitAddsToSops: --add-to-sops adds the key to every rule with
// age recipients, once, and keeps the others; without the flag and off a
// terminal, .sops.yaml is not touched.
func TestKeysInitAddsToSops(t *testing.T) {
	dir := t.TempDir()
	const old = "age1a092uzgpw2ademmq3srqstumzx6rwf3zfjdx6pl4a6se98yttcys5le9js"
	writeFile(t, dir, ".sops.yaml", "# rules\ncreation_rules:\n  # acme\n  - path_regex: ^content/acme/\n    age: >-\n      "+old+"\n  - path_regex: ^content/pgp/\n    pgp: ABCDEF\n  - path_regex: ^content/\n    age: "+old+"\n")
	home := t.TempDir()
	env := secretEnv{vars: map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
	before := readFile(t, dir, ".sops.yaml")
	code, _, stderr := cliIn(t, env, "y\n", "-C", dir, "keys", "init")
	if code != 0 || readFile(t, dir, ".sops.yaml") != before || !strings.Contains(stderr, "next: add the public key above to the age recipients in .sops.yaml") {
		t.Errorf("keys init without the flag: exit %d, %s\n%s", code, stderr, readFile(t, dir, ".sops.yaml"))
	}
	home = t.TempDir()
	env = secretEnv{vars: map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
	code, out, stderr := cliIn(t, env, "", "-C", dir, "keys", "init", "--add-to-sops")
	rec := strings.TrimSpace(out)
	if code != 0 || !strings.Contains(stderr, "added it to 2 creation rules") {
		t.Fatalf("keys init --add-to-sops: exit %d\n%s", code, stderr)
	}
	want := "# rules\ncreation_rules:\n  # acme\n  - path_regex: ^content/acme/\n    age: " + old + "," + rec + "\n  - path_regex: ^content/pgp/\n    pgp: ABCDEF\n  - path_regex: ^content/\n    age: " + old + "," + rec + "\n"
	if got := readFile(t, dir, ".sops.yaml"); got != want {
		t.Errorf(".sops.yaml:\n%s\nwant:\n%s", got, want)
	}
	// The result is what SOPS reads: the rule gives both keys.
	st := &secrets.Store{Root: dir}
	r, err := st.RuleFor("content/acme/passwords/x.sops.yaml")
	if err != nil || strings.Join(r.Recipients(), ",") != old+","+rec {
		t.Errorf("rule after adding: %v, %v", r, err)
	}
}

// TestCheckRecipientsDrift: after a colleague's key is removed from
// .sops.yaml, check names every secrets file still encrypted for them,
// with the rekey command that fixes it; running that command does.
func TestCheckRecipientsDrift(t *testing.T) {
	a, recA := ageUser(t)
	_, recB := ageUser(t)
	dir := secretSite(t, recA, recB)
	id := "example/passwords/domain-admin"
	file := "content/example/passwords/domain-admin.sops.yaml"
	if code, _, stderr := cliIn(t, a, "one\n", "-C", dir, "secret", "set", id); code != 0 {
		t.Fatal(stderr)
	}
	if code, out, _ := cliIn(t, secretEnv{vars: map[string]string{"HOME": t.TempDir()}}, "", "-C", dir, "check"); code != 0 {
		t.Fatalf("check before: exit %d\n%s", code, out)
	}
	writeRulesFile(t, dir, recA) // b left
	// No key needed to see it.
	code, out, _ := cliIn(t, secretEnv{vars: map[string]string{"HOME": t.TempDir()}}, "", "-C", dir, "check")
	want := file + ": error: encrypted for " + recB + ", which .sops.yaml no longer names for it: that key can still decrypt it\n" +
		"    hint: someone who can decrypt it runs: cairn secret rekey " + file + "; then rotate the secrets in it, since they could read them (and old versions stay in git history)\n"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("check after removing b: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	// The command in the hint works, and check is clean after it.
	if code, _, stderr := cliIn(t, a, "", "-C", dir, "secret", "rekey", file); code != 0 || !strings.Contains(stderr, "rekeyed "+file+" for 1 recipient\n") {
		t.Fatalf("the hinted rekey: exit %d: %s", code, stderr)
	}
	if code, out, _ := cliIn(t, a, "", "-C", dir, "check"); code != 0 {
		t.Errorf("check after the rekey: exit %d\n%s", code, out)
	}
	// A key added to .sops.yaml but not yet in the file is a warning.
	_, recC := ageUser(t)
	writeRulesFile(t, dir, recA, recC)
	code, out, _ = cliIn(t, a, "", "-C", dir, "check")
	want = file + ": warning: not yet encrypted for " + recC + ", which .sops.yaml names for it: that key cannot decrypt it\n" +
		"    hint: someone who can decrypt it runs: cairn secret rekey " + file + "\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("check after adding c: exit %d\n%s\nwant:\n%s", code, out, want)
	}
}

// TestPlaintextPasswordHintWorks: the hint for a password written on a
// configuration (whose type has no password field) gives commands that
// work, run as the user would run them.
func TestPlaintextPasswordHintWorks(t *testing.T) {
	a, recA := ageUser(t)
	dir := secretSite(t, recA)
	writeFile(t, dir, "content/example/configurations/fw01.toml", "name = \"fw01\"\npassword = \"hunter2\"\n")
	_, out, _ := cliIn(t, a, "", "-C", dir, "check")
	m := regexp.MustCompile(`(?m)^    hint: .*: (cairn new passwords [^;]*); then rotate it`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no hint with commands in:\n%s", out)
	}
	if want := "cairn new passwords example fw01 && cairn secret set example/passwords/fw01 password"; m[1] != want {
		t.Errorf("hinted %q, want %q", m[1], want)
	}
	// Run it in a shell, with cairn on PATH, in the site folder.
	sh := exec.Command("sh", "-c", m[1])
	sh.Dir = dir
	sh.Env = append(a.environ(), "PATH="+filepath.Dir(cairnBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	sh.Stdin = strings.NewReader("hunter2-moved\n")
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("the hinted commands failed: %v\n%s", err, b)
	}
	if _, got, _ := cliIn(t, a, "", "-C", dir, "secret", "get", "example/passwords/fw01"); got != "hunter2-moved\n" {
		t.Errorf("after the hinted commands, get = %q", got)
	}
}
