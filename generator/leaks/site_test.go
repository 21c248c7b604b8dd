package leaks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/testsite"
)

// utf16LE encodes s as UTF-16LE with a byte order mark.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// binaryWith returns bytes that are binary (an image-like header and
// noise) with text planted in the middle.
func binaryWith(text string) string {
	var b []byte
	b = append(b, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"...)
	for i := 0; i < 400; i++ {
		b = append(b, byte(i*37), 0, byte(i*11), 0x01)
	}
	return string(b) + text + string(b)
}

// TestCheckSite scans a whole site: the files issue 8 found unscanned
// (schemas, attachments, theme files, checklist templates) as well as
// items, in every encoding a text file may have, and never puts a
// planted secret in a message or a hint.
func TestCheckSite(t *testing.T) {
	dir := t.TempDir()
	bigSecret := j("Fake", "-Tail-9")
	big := "password: " + fakePass + "\n" + strings.Repeat("a quiet log line\n", MaxScanBytes/17+1) + "password: " + bigSecret + "\n"
	files := map[string]string{
		"cairn.toml":                       "title = \"T\"\n",
		"content/acme/org.toml":            "name = \"Acme\"\n",
		"content/acme/passwords/fw.toml":   "name = \"fw\"\nurl = \"https://admin:" + fakePass + "@fw.example.test/\"\npassword = \"" + fakePass + "\"\n",
		"content/acme/documents/d.md":      "+++\ntitle = \"D\"\n+++\n\nPasswort: " + fakePass + "\n",
		"content/acme/files/id_rsa":        pemHeader("RSA ") + "\nMIIEfake\n",
		"content/acme/files/photo.png":     binaryWith("password: " + fakePass),
		"content/acme/files/stray-nul.txt": "header\x00\nWLAN key: " + fakeWifi + "\n",
		"content/acme/files/wifi.txt":      utf16LE("SSID guest\r\nWLAN key: " + fakeWifi + "\r\n"),
		"content/acme/files/gw.pfx":        binaryWith(""),
		"content/acme/files/big.log":       big,
		"schemas/wifi.toml":                "name = \"Wifi\"\n\n[[fields]]\nname = \"ssid\"\nkind = \"text\"\nhint = \"Guest network, WLAN key: " + fakeWifi + "\"\n",
		"checklists/door.md":               "+++\ntitle = \"Door\"\n+++\n\n- [ ] Alarm code " + fakePIN + ", then lock\n",
		"themes/default/static/x.js":       "const api = 'https://svc:" + fakePass + "@api.example.test/';\n",
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	s, sources, _, err := load.LoadWithSources(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	l := CheckSite(s, os.DirFS(dir), sources)
	var got []string
	for _, d := range l.Sorted() {
		got = append(got, d.String()+" ["+d.Code+"]")
		text := d.String() + d.Hint
		for _, secret := range []string{fakePass, fakeWifi, fakePIN, bigSecret, "MIIEfake"} {
			if strings.Contains(text, secret) {
				t.Errorf("the diagnostic at %s holds a planted secret", d.Pos)
			}
		}
	}
	want := []string{
		"checklists/door.md:5:18: error: PIN in plain text (leaks rule pin-in-text) [secret-leak]",
		"content/acme/documents/d.md:5:11: error: password in plain text (leaks rule password-in-text) [secret-leak]",
		"content/acme/files/big.log: warning: only the first 4 MiB of this file were scanned for secrets [leaks-limit]",
		"content/acme/files/big.log:1:11: error: password in plain text (leaks rule password-in-text) [secret-leak]",
		"content/acme/files/gw.pfx: error: key store (private key file) in plain text (leaks rule private-key-file) [secret-leak]",
		"content/acme/files/id_rsa:1:1: error: private key in plain text (leaks rule private-key) [secret-leak]",
		"content/acme/files/stray-nul.txt:2:11: error: Wi-Fi key in plain text (leaks rule wifi-key) [secret-leak]",
		"content/acme/files/wifi.txt:2:11: error: Wi-Fi key in plain text (leaks rule wifi-key) [secret-leak]",
		"content/acme/passwords/fw.toml:2:22: error: password in a URL in plain text (leaks rule url-credentials) [secret-leak]",
		"schemas/wifi.toml:6:34: error: Wi-Fi key in plain text (leaks rule wifi-key) [secret-leak]",
		"themes/default/static/x.js:1:26: error: password in a URL in plain text (leaks rule url-credentials) [secret-leak]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	hints := map[string]string{}
	for _, d := range l.Sorted() {
		hints[d.Pos.File] = d.Hint
	}
	for file, want := range map[string]string{
		"content/acme/passwords/fw.toml": "move the value into the item's secrets file with cairn secret set acme/passwords/fw password (its password fields: password, otp_secret), which asks for it; then delete it here and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line",
		"content/acme/documents/d.md":    "keep it in a password item instead: cairn new passwords acme SLUG, then cairn secret set acme/passwords/SLUG password, and link it from here as [[passwords/SLUG]]; delete it here and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line",
		"content/acme/files/id_rsa":      "remove the file from the site (attachments are published as they are, never encrypted) and rotate it, since git history keeps the plain text; keep the secret in a password item: cairn new passwords acme SLUG, then cairn secret set acme/passwords/SLUG password < content/acme/files/id_rsa; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line",
		"content/acme/files/gw.pfx":      "remove the file from the site (attachments are published as they are, never encrypted) and rotate it, since git history keeps the plain text; keep the secret in a password item: cairn new passwords acme SLUG, then cairn secret set acme/passwords/SLUG password < content/acme/files/gw.pfx; if it is no key, add its path to the [allowlist] paths of leaks.toml",
		"schemas/wifi.toml":              "delete it here and rotate it, since git history keeps the plain text; keep it in a password item instead: cairn new passwords ORG SLUG, then cairn secret set ORG/passwords/SLUG password; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line",
	} {
		if hints[file] != want {
			t.Errorf("hint for %s:\n%s\nwant:\n%s", file, hints[file], want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"content/a/files/id_rsa":    "content/a/files/id_rsa",
		"content/a/files/my key":    "'content/a/files/my key'",
		"content/a/files/it's.pem":  `'content/a/files/it'\''s.pem'`,
		"content/a/files/$(rm).txt": "'content/a/files/$(rm).txt'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzText: Text never panics, and text without a NUL or a byte order
// mark is scanned as it is.
func FuzzText(f *testing.F) {
	f.Add([]byte("password: x"))
	f.Add([]byte(utf16LE("PIN: 1")))
	f.Add([]byte(binaryWith("x")))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := Text(data)
		plain := !strings.ContainsRune(string(data), 0) && !strings.HasPrefix(string(data), "\xff\xfe") && !strings.HasPrefix(string(data), "\xfe\xff")
		if plain && (!ok || string(got) != string(data)) {
			t.Errorf("plain text changed or called binary")
		}
	})
}

// TestText: what is scanned and what is binary.
func TestText(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       string // "" for binary
	}{
		{"utf-8", "password: x", "password: x"},
		{"latin-1", "Kennwort f\xfcr: x", "Kennwort f\xfcr: x"},
		{"stray NUL", "a\x00b text text text text", "a\x00b text text text text"},
		{"utf-16le bom", utf16LE("PIN: 1"), "PIN: 1"},
		{"utf-16be bom", "\xFE\xFF\x00P\x00I\x00N", "PIN"},
		{"utf-16le no bom", "P\x00I\x00N\x00:\x00 \x001\x00", "PIN: 1"},
		{"png", binaryWith("password: x"), ""},
	} {
		got, ok := Text([]byte(c.data))
		if (c.want == "") == ok || (ok && string(got) != c.want) {
			t.Errorf("%s: Text = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}

// TestReadCappedRefusesSpecialFiles: a pipe in files/ would block a read
// forever; it is refused, not opened.
func TestReadCappedRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	_, _, err := readCapped(os.DirFS(dir), "pipe", 10)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("readCapped(pipe) = %v, want not a regular file", err)
	}
	l := &diag.List{}
	c := &siteCheck{rs: Builtin(), files: os.DirFS(dir), l: l}
	c.file("pipe", nil, siteWide, nil)
	c.run()
	if d := l.Sorted(); len(d) != 1 || d[0].String() != "pipe: error: cannot read: not a regular file (p---------)" {
		t.Errorf("diagnostics %v", d)
	}
}

// TestCheckSiteDecodesTOMLStrings: a TOML escape or line continuation
// hides a secret's words from the bytes but not from the portal, which
// shows the decoded value ("P\u0061sswort: x" is "Passwort: x"); each
// string is scanned as decoded too, and reported once, at the value.
func TestCheckSiteDecodesTOMLStrings(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"cairn.toml":                           "title = \"T\"\n",
		"content/acme/org.toml":                "name = \"Acme\"\nquick_notes = \"\"\"\nWLAN \\\n   key: " + fakeWifi + "\n\"\"\"\n",
		"content/acme/configurations/sv1.toml": "name = \"sv1\"\nnotes = \"P\\u0061sswort: " + fakePass + "\"\n",
		"content/acme/configurations/sv2.toml": "name = \"sv2\"\nnotes = \"Passwort: " + fakePass + " and P\\u0061ss: " + fakePass + "\"\n",
		"content/acme/configurations/sv3.toml": "name = \"sv3\"\nnotes = \"Windows path C:\\\\temp, nothing secret\"\n",
		"schemas/wifi.toml":                    "name = \"Wifi\"\n\n[[fields]]\nname = \"ssid\"\nkind = \"text\"\nhint = \"WLAN k\\u0065y: " + fakeWifi + "\"\n",
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range checkDir(t, dir) {
		if d.Code != "secret-leak" {
			continue
		}
		got = append(got, d.String())
		if strings.Contains(d.String()+d.Hint, fakePass) || strings.Contains(d.String()+d.Hint, fakeWifi) {
			t.Errorf("the diagnostic at %s holds a planted secret", d.Pos)
		}
	}
	want := []string{
		"content/acme/configurations/sv1.toml:2:9: error: password in plain text (leaks rule password-in-text)",
		"content/acme/configurations/sv2.toml:2:9: error: password in plain text (leaks rule password-in-text)",
		"content/acme/configurations/sv2.toml:2:20: error: password in plain text (leaks rule password-in-text)",
		"content/acme/org.toml:2:15: error: Wi-Fi key in plain text (leaks rule wifi-key)",
		"schemas/wifi.toml:6:8: error: Wi-Fi key in plain text (leaks rule wifi-key)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckSiteScansLinkedThemeFiles: the theme follows a link that stays
// inside the site and publishes its target in every portal, so the scan
// reads it too (a theme asset linked to a key file was published
// unreported). A link out of the site is the theme's error, not read here.
func TestCheckSiteScansLinkedThemeFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"cairn.toml":              "title = \"T\"\n",
		"content/acme/org.toml":   "name = \"Acme\"\n",
		"private/notes.txt":       "WLAN key: " + fakeWifi + "\n",
		"themes/default/x/y.txt":  "nothing\n",
		"themes/default/plain.js": "// nothing\n",
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "o.txt")
	if err := os.WriteFile(outside, []byte("WLAN key: "+fakeWifi+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"themes/default/static/k.css": "../../../private/notes.txt",
		"themes/default/static/o.css": outside,
		"themes/default/static/dir":   "../x",
	} {
		p := filepath.Join(dir, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range checkDir(t, dir) {
		if strings.HasPrefix(d.Pos.File, "themes/") {
			got = append(got, d.String())
		}
	}
	want := "themes/default/static/k.css:1:11: error: Wi-Fi key in plain text (leaks rule wifi-key)"
	if strings.Join(got, "\n") != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// checkDir loads the site in dir and returns CheckSite's diagnostics,
// sorted.
func checkDir(t *testing.T, dir string) []diag.Diagnostic {
	t.Helper()
	s, sources, _, err := load.LoadWithSources(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return CheckSite(s, os.DirFS(dir), sources).Sorted()
}
