package leaks

import (
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/cairn-it/cairn/generator/testsite"
)

// recordingFS is an fs.FS that records every name opened or looked at.
type recordingFS struct {
	fs.FS
	mu    sync.Mutex
	names map[string]bool
}

func (r *recordingFS) note(name string) {
	r.mu.Lock()
	r.names[name] = true
	r.mu.Unlock()
}

func (r *recordingFS) Open(name string) (fs.File, error) {
	r.note(name)
	return r.FS.Open(name)
}

func (r *recordingFS) Stat(name string) (fs.FileInfo, error) {
	r.note(name)
	return fs.Stat(r.FS, name)
}

// TestCheckFiles scans a few named files of a site: what they hold is
// reported (a password key of an item too, since no checker runs beside),
// files no portal publishes are skipped unread, a missing one is an
// error, leaks.toml is honoured, and no other file of the site is read.
func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"cairn.toml":                          "title = \"T\"\n",
		"leaks.toml":                          "[allowlist]\npaths = ['''^content/acme/documents/samples/''']\n",
		"content/acme/org.toml":               "name = \"Acme\"\n",
		"content/acme/passwords/fw.toml":      "name = \"fw\"\npassword = \"" + fakePass + "\"\n",
		"content/acme/documents/d.md":         "+++\ntitle = \"D\"\n+++\n\nPasswort: " + fakePass + "\n",
		"content/acme/documents/samples/s.md": "+++\ntitle = \"S\"\n+++\n\nPasswort: " + fakePass + "\n",
		"content/acme/documents/unnamed.md":   "+++\ntitle = \"U\"\n+++\n\nPasswort: " + fakePass + "\n",
		"content/acme/files/wifi.txt":         "WLAN key: " + fakeWifi + "\n",
		"content/acme/passwords/fw.sops.yaml": "password: " + fakePass + "\n",
		"README.md":                           "password: " + fakePass + "\n",
		"themes/default/static/x.js":          "const u = 'https://svc:" + fakePass + "@api.example.test/';\n",
	}
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	rec := &recordingFS{FS: os.DirFS(dir), names: map[string]bool{}}
	named := []string{
		"content/acme/passwords/fw.toml", "content/acme/documents/d.md", "content/acme/documents/d.md",
		"content/acme/documents/samples/s.md", "content/acme/files/wifi.txt", "content/acme/passwords/fw.sops.yaml",
		"README.md", ".env", "themes/default/static/x.js", "content/acme/documents/gone.md", "content/acme/documents/samples",
	}
	l, scanned, skipped := CheckFiles(rec, named)
	var got []string
	for _, d := range l.Sorted() {
		got = append(got, d.String()+" ["+d.Code+"]")
		if strings.Contains(d.String()+d.Hint, fakePass) || strings.Contains(d.String()+d.Hint, fakeWifi) {
			t.Errorf("the diagnostic at %s holds a planted secret", d.Pos)
		}
	}
	want := []string{
		"content/acme/documents/d.md:5:11: error: password in plain text (leaks rule password-in-text) [secret-leak]",
		"content/acme/documents/gone.md: error: no such file to scan [read]",
		"content/acme/documents/samples: error: cannot read: is a folder, not a file [read]",
		"content/acme/files/wifi.txt:1:11: error: Wi-Fi key in plain text (leaks rule wifi-key) [secret-leak]",
		"content/acme/passwords/fw.toml:2:13: error: password in plain text (leaks rule password-in-text) [secret-leak]",
		"themes/default/static/x.js:1:24: error: password in a URL in plain text (leaks rule url-credentials) [secret-leak]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if scanned != 7 {
		t.Errorf("scanned = %d, want 7 (each named published file once)", scanned)
	}
	if s := strings.Join(skipped, " "); s != ".env README.md content/acme/passwords/fw.sops.yaml" {
		t.Errorf("skipped = %s", s)
	}
	hints := map[string]string{}
	for _, d := range l.Sorted() {
		hints[d.Pos.File] = d.Hint
	}
	for file, prefix := range map[string]string{
		"content/acme/documents/d.md": "keep it in a password item instead: cairn new passwords acme SLUG",
		"content/acme/files/wifi.txt": "remove the file from the site (attachments are published as they are",
		"themes/default/static/x.js":  "remove it from the theme",
	} {
		if !strings.HasPrefix(hints[file], prefix) {
			t.Errorf("hint for %s: %q, want it to start %q", file, hints[file], prefix)
		}
	}
	for name := range rec.names {
		ok := name == ConfigFile
		for _, n := range named {
			ok = ok || (n == name && Scanned(n))
		}
		if !ok {
			t.Errorf("read %s, which was not named (or is not scanned)", name)
		}
	}
	if !rec.names[ConfigFile] {
		t.Error("leaks.toml was not read")
	}
}

func TestScanned(t *testing.T) {
	for name, want := range map[string]bool{
		"cairn.toml":                          true,
		"access.toml":                         true,
		"leaks.toml":                          false,
		"content/acme/org.toml":               true,
		"content/acme/documents/a/b.md":       true,
		"content/acme/files/diagram.pdf":      true,
		"content/acme/passwords/fw.sops.yaml": false,
		"content/acme/.hidden.toml":           false,
		"content/acme/documents/a.md~":        false,
		"checklists/onboarding.md":            true,
		"checklists/notes.txt":                false,
		"schemas/kit.toml":                    true,
		"schemas/core/x.toml":                 false,
		"themes/default/templates/page.html":  true,
		"themes/other/x.css":                  false,
		"README.md":                           false,
		".git/config":                         false,
		"../outside/cairn.toml":               false,
		"content/../cairn.toml":               false,
		"/etc/passwd":                         false,
	} {
		if got := Scanned(name); got != want {
			t.Errorf("Scanned(%q) = %v, want %v", name, got, want)
		}
	}
}
