package secrets

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/sopsfile"
	"github.com/cairn-it/cairn/internal/testtool"
)

// identity is a test age key: its key file text and public key.
type identity struct {
	text, recipient string
}

func newIdentity(t testing.TB) identity {
	t.Helper()
	text, rec, err := NewKeyFile(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "test key")
	if err != nil {
		t.Fatal(err)
	}
	return identity{text, rec}
}

func (id identity) keys(t testing.TB) *Keys {
	t.Helper()
	k, err := ParseKeys(id.text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// newSite writes a site folder with a .sops.yaml of rules: path regex to
// recipients, in order.
func newSite(t testing.TB, rules ...[2]string) string {
	t.Helper()
	root := t.TempDir()
	writeRules(t, root, rules...)
	for _, org := range []string{"acme", "beta"} {
		if err := os.MkdirAll(filepath.Join(root, "content", org, "passwords"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func writeRules(t testing.TB, root string, rules ...[2]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("creation_rules:\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "  - path_regex: %s\n    age: >-\n      %s\n", r[0], r[1])
	}
	if err := os.WriteFile(filepath.Join(root, ConfigFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func store(root string, k *Keys) *Store {
	return &Store{Root: root, Keys: k, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }}
}

const rel = "content/acme/passwords/domain-admin.sops.yaml"

func TestRoundTripTwoRecipients(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient + "," + b.recipient})
	f := NewFile()
	f.Set("password", "Tr0ub4dor&3")
	f.Set("otp_secret", "JBSWY3DPEHPK3PXP")
	if err := store(root, nil).Save(rel, f); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(root, rel))
	if bytes.Contains(data, []byte("Tr0ub4dor")) {
		t.Fatal("the plaintext is in the file")
	}
	if probs := sopsfile.Check(data); len(probs) != 0 {
		t.Errorf("sopsfile.Check: %+v", probs)
	}
	for _, id := range []identity{a, b} {
		got, err := store(root, id.keys(t)).Open(rel)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := got.Get("password"); v != "Tr0ub4dor&3" {
			t.Errorf("password = %q", v)
		}
		if k := strings.Join(got.Keys(), ","); k != "password,otp_secret" {
			t.Errorf("keys %s, want password,otp_secret in order", k)
		}
	}
	recs, err := store(root, nil).Recipients(rel)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a.recipient, b.recipient}
	if strings.Join(recs, ",") != strings.Join(sorted(want), ",") {
		t.Errorf("recipients %v, want %v", recs, want)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestRekeyRemovesRecipient(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/`, a.recipient + "," + b.recipient})
	f := NewFile()
	f.Set("password", "before-rekey")
	if err := store(root, nil).Save(rel, f); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(filepath.Join(root, rel))

	writeRules(t, root, [2]string{`^content/acme/`, a.recipient}) // b left the company
	if err := store(root, a.keys(t)).Rekey(rel); err != nil {
		t.Fatal(err)
	}
	got, err := store(root, a.keys(t)).Open(rel)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Get("password"); v != "before-rekey" {
		t.Errorf("after rekey password = %q", v)
	}
	_, err = store(root, b.keys(t)).Open(rel)
	if err == nil {
		t.Fatal("the removed recipient can still decrypt after rekey")
	}
	wantPrefix := "cannot decrypt " + rel + ": none of your age keys (" + b.recipient + ", from text) is one of its recipients (" + a.recipient + ")"
	if !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Errorf("error:\n%v\nwant prefix:\n%s", err, wantPrefix)
	}
	// The data key changed: b's copy of the old file's data key opens
	// nothing new. The old file (still in git history) used another one.
	newData, _ := os.ReadFile(filepath.Join(root, rel))
	if encOf(t, old) == encOf(t, newData) {
		t.Error("rekey kept the old encrypted value: the data key must change")
	}
}

func encOf(t *testing.T, data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "password: ENC[") {
			return line
		}
	}
	t.Fatalf("no encrypted password in\n%s", data)
	return ""
}

func TestPerOrgRecipients(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	root := newSite(t, [2]string{`^content/beta/`, b.recipient}, [2]string{`^content/`, a.recipient})
	st := store(root, nil)
	for _, p := range []string{rel, "content/beta/passwords/x.sops.yaml"} {
		f := NewFile()
		f.Set("password", "pw-"+p)
		if err := st.Save(p, f); err != nil {
			t.Fatal(err)
		}
	}
	if r, _ := st.Recipients(rel); strings.Join(r, ",") != a.recipient {
		t.Errorf("acme recipients %v, want %s", r, a.recipient)
	}
	if r, _ := st.Recipients("content/beta/passwords/x.sops.yaml"); strings.Join(r, ",") != b.recipient {
		t.Errorf("beta recipients %v, want %s", r, b.recipient)
	}
	if _, err := store(root, a.keys(t)).Open("content/beta/passwords/x.sops.yaml"); err == nil {
		t.Error("acme's key opens beta's secrets")
	}
}

func TestNoKey(t *testing.T) {
	a := newIdentity(t)
	root := newSite(t, [2]string{`^content/`, a.recipient})
	f := NewFile()
	f.Set("password", "x")
	if err := store(root, nil).Save(rel, f); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKeys(KeyOptions{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = store(root, k).Open(rel)
	want := "cannot decrypt " + rel + ": no age key found (looked in SOPS_AGE_KEY (not set), SOPS_AGE_KEY_FILE (not set)); run cairn keys init to make one, or set SOPS_AGE_KEY_FILE to your key file"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestLoadKeys(t *testing.T) {
	a, b, c := newIdentity(t), newIdentity(t), newIdentity(t)
	dir := t.TempDir()
	fileB := filepath.Join(dir, "b.txt")
	os.WriteFile(fileB, []byte(b.text), 0o600)
	cfg := filepath.Join(dir, "xdg")
	os.MkdirAll(filepath.Join(cfg, "sops", "age"), 0o700)
	os.WriteFile(filepath.Join(cfg, "sops", "age", "keys.txt"), []byte(c.text), 0o600)
	env := map[string]string{EnvAgeKey: secretLine(a.text), EnvAgeKeyFile: fileB, "XDG_CONFIG_HOME": cfg}
	k, err := LoadKeys(KeyOptions{Getenv: func(s string) string { return env[s] }})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(k.Recipients(), " "), strings.Join([]string{a.recipient, b.recipient, c.recipient}, " "); got != want {
		t.Errorf("recipients %s, want %s", got, want)
	}
	os.WriteFile(fileB, []byte("AGE-SECRET-KEY-1NOTAKEY\n"), 0o600)
	_, err = LoadKeys(KeyOptions{Getenv: func(s string) string { return env[s] }})
	if want := "age keys in SOPS_AGE_KEY_FILE (" + fileB + "): a line starting AGE-SECRET-KEY-1 is not a valid age key"; err == nil || err.Error() != want {
		t.Errorf("bad key file: err = %v, want %s", err, want)
	}
}

func TestSecretsAndEncryptRefusesPartialRules(t *testing.T) {
	a := newIdentity(t)
	root := newSite(t)
	os.WriteFile(filepath.Join(root, ConfigFile), []byte("creation_rules:\n  - path_regex: ^content/\n    encrypted_regex: ^password$\n    age: "+a.recipient+"\n"), 0o644)
	f := NewFile()
	f.Set("password", "x")
	err := store(root, nil).Save(rel, f)
	want := ".sops.yaml: the rule for " + rel + " sets encrypted_regex: cairn keeps every value encrypted; remove it"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestStockSopsReadsCairnFiles: the sops CLI decrypts what cairn wrote,
// and cairn reads what the sops CLI wrote.
func TestStockSops(t *testing.T) {
	sops := testtool.Find(t, "go install github.com/getsops/sops/v3/cmd/sops@v3.13.3", "sops")
	a := newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient})
	keyFile := filepath.Join(t.TempDir(), "keys.txt")
	os.WriteFile(keyFile, []byte(a.text), 0o600)
	f := NewFile()
	f.Set("password", "cairn-wrote-this")
	if err := store(root, nil).Save(rel, f); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "SOPS_AGE_KEY_FILE="+keyFile, "SOPS_AGE_KEY=", "XDG_CONFIG_HOME="+t.TempDir())
	cmd := exec.Command(sops, "--decrypt", rel)
	cmd.Dir, cmd.Env = root, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sops --decrypt: %v\n%s", err, out)
	}
	if string(out) != "password: cairn-wrote-this\n" {
		t.Errorf("sops --decrypt printed %q", out)
	}

	// The other way: sops encrypts with the site's creation rules.
	other := "content/acme/passwords/router.sops.yaml"
	os.WriteFile(filepath.Join(root, other), []byte("# the router\npassword: sops-wrote-this\npin: 1234\nflag: true\nratio: 1.5\n"), 0o644)
	cmd = exec.Command(sops, "--encrypt", "--in-place", other)
	cmd.Dir, cmd.Env = root, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sops --encrypt: %v\n%s", err, out)
	}
	got, err := store(root, a.keys(t)).Open(other)
	if err != nil {
		t.Fatal(err)
	}
	// Typed values and comments as sops writes them verify and read back.
	if v := got.Values(); v["password"] != "sops-wrote-this" || v["pin"] != "1234" || v["flag"] != "True" || v["ratio"] != "1.5" {
		t.Errorf("cairn read %q from a sops-written file", v)
	}
	plain, _ := got.Plain()
	if want := "# the router\npassword: sops-wrote-this\npin: 1234\nflag: true\nratio: 1.5\n"; string(plain) != want {
		t.Errorf("plain text of a sops-written file:\n%s\nwant:\n%s", plain, want)
	}
	// What cairn saves back, sops still reads with the types it had.
	if err := store(root, nil).Save(other, got); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(sops, "--decrypt", other)
	cmd.Dir, cmd.Env = root, env
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "# the router\npassword: sops-wrote-this\npin: 1234\nflag: true\nratio: 1.5\n" {
		t.Errorf("sops --decrypt after cairn saved: %v\n%s", err, out)
	}
}

// BenchmarkDecrypt1000 opens 1,000 secrets files (one per password item,
// as a site has them): an age unwrap, the AES-GCM values and the MAC each.
func BenchmarkDecrypt1000(b *testing.B) {
	a := newIdentity(b)
	root := newSite(b, [2]string{`^content/`, a.recipient})
	st := store(root, a.keys(b))
	var rels []string
	for i := range 1000 {
		p := fmt.Sprintf("content/acme/passwords/pw-%04d.sops.yaml", i)
		f := NewFile()
		f.Set("password", fmt.Sprintf("secret-%d-Xy7!", i))
		if err := st.Save(p, f); err != nil {
			b.Fatal(err)
		}
		rels = append(rels, p)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range rels {
			if _, err := st.Open(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func secretLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "AGE-SECRET-KEY-") {
			return l
		}
	}
	return ""
}
