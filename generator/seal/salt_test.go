package seal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSalts(t *testing.T) {
	root := t.TempDir()
	s, err := LoadSalts(root)
	if err != nil || s.Changed() {
		t.Fatalf("a site without %s: %v, changed=%v", SaltsFile, err, s.Changed())
	}
	// A new portal gets SaltLen bytes from the random source.
	a, err := s.Salt("internal", bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil || !bytes.Equal(a, bytes.Repeat([]byte{7}, SaltLen)) || !s.Changed() {
		t.Fatalf("Salt = %x, %v, changed=%v", a, err, s.Changed())
	}
	// Two sites (two random draws) get different salts; the default
	// source is crypto/rand.
	b, _ := (&Salts{}).Salt("internal", nil)
	c, _ := (&Salts{}).Salt("internal", nil)
	if bytes.Equal(b, c) || len(b) != SaltLen {
		t.Errorf("two new sites share a salt: %x %x", b, c)
	}
	if _, err := s.Salt("client-a", bytes.NewReader([]byte("ABCDEFGHIJKLMNOP"))); err != nil {
		t.Fatal(err)
	}
	want := saltsHeader + "\n[portals]\nclient-a = 'QUJDREVGR0hJSktMTU5PUA'\ninternal = 'BwcHBwcHBwcHBwcHBwcHBw'\n"
	if got := string(s.Bytes()); got != want {
		t.Errorf("Bytes:\n%s\nwant\n%s", got, want)
	}
	// Written and read back, the same salts, and none is made again.
	if err := os.MkdirAll(filepath.Join(root, ".cairn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, SaltsFile), s.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := LoadSalts(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Salt("internal", strings.NewReader(""))
	if err != nil || !bytes.Equal(got, a) || again.Changed() {
		t.Errorf("reloaded salt = %x, %v, changed=%v; want %x", got, err, again.Changed(), a)
	}
	// A failing random source is an error, not a weak salt.
	if _, err := (&Salts{}).Salt("x", strings.NewReader("short")); err == nil || err.Error() != `making a salt for portal "x": unexpected EOF` {
		t.Errorf("short random source: err = %v", err)
	}
}

func TestParseSaltsErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"[portals]\ninternal = 'AAAA'\n", `.cairn/seal-salts.toml: the salt of portal "internal" is not 16 bytes of base64 (delete the line to have cairn build make a new one)`},
		{"[portals]\ninternal = 'not base64!!'\n", `.cairn/seal-salts.toml: the salt of portal "internal" is not 16 bytes of base64 (delete the line to have cairn build make a new one)`},
		{"[portals]\ninternal = 5\n", `.cairn/seal-salts.toml:2:12: toml: cannot decode TOML integer into string: want a [portals] table of PORTAL = 'SALT' lines (delete the file to have cairn build make new salts)`},
		{"[other]\nx = 1\n", `.cairn/seal-salts.toml:1:2: strict mode: fields in the document are missing in the target struct: want a [portals] table of PORTAL = 'SALT' lines (delete the file to have cairn build make new salts)`},
		{"portals = [", `.cairn/seal-salts.toml:1:11: toml: array is incomplete: want a [portals] table of PORTAL = 'SALT' lines (delete the file to have cairn build make new salts)`},
	} {
		_, err := ParseSalts([]byte(c.in))
		if err == nil {
			t.Errorf("ParseSalts(%q): no error", c.in)
			continue
		}
		if c.want != "" && err.Error() != c.want {
			t.Errorf("ParseSalts(%q):\n got %v\nwant %s", c.in, err, c.want)
		}
		if !strings.HasPrefix(err.Error(), SaltsFile+":") {
			t.Errorf("ParseSalts(%q): %v does not name the file", c.in, err)
		}
	}
}

// TestSaltsRefuseLinks: a salts file or folder that is a symbolic link is
// neither read nor written through; an oversized file is refused.
func TestSaltsRefuseLinks(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "seal-salts.toml"), []byte("[portals]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

	linkedDir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(linkedDir, ".cairn")); err != nil {
		t.Fatal(err)
	}
	const dirMsg = ".cairn is a symbolic link: cairn does not follow links out of the site; replace it with a regular file or folder"
	if _, err := LoadSalts(linkedDir); err == nil || err.Error() != dirMsg {
		t.Errorf("LoadSalts through a linked folder: %v", err)
	}
	s := &Salts{}
	if _, err := s.Salt("internal", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(linkedDir, write); err == nil || err.Error() != dirMsg {
		t.Errorf("Write through a linked folder: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "seal-salts.toml")); string(b) != "[portals]\n" {
		t.Errorf("a file outside the site was written: %q", b)
	}

	linkedFile := t.TempDir()
	if err := os.Mkdir(filepath.Join(linkedFile, ".cairn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "seal-salts.toml"), filepath.Join(linkedFile, SaltsFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSalts(linkedFile); err == nil || err.Error() != ".cairn/seal-salts.toml is a symbolic link: cairn does not follow links out of the site; replace it with a regular file or folder" {
		t.Errorf("LoadSalts of a linked file: %v", err)
	}

	big := t.TempDir()
	if err := s.Write(big, write); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(big, SaltsFile), bytes.Repeat([]byte("# x\n"), 20000), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSalts(big); err == nil || err.Error() != ".cairn/seal-salts.toml is larger than 64 KiB: it holds one line per sealed portal; delete it to have cairn build make new salts" {
		t.Errorf("LoadSalts of a big file: %v", err)
	}
}
