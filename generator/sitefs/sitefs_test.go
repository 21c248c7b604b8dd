package sitefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFile(t *testing.T) {
	site, outside := t.TempDir(), t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(outside, "passwd"), []byte("root:x:0:0"), 0o644))
	must(os.WriteFile(filepath.Join(site, "a.toml"), []byte("x = 1"), 0o644))
	must(os.WriteFile(filepath.Join(site, "big.toml"), make([]byte, 101), 0o644))
	must(os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(site, "out.toml")))
	must(os.Symlink("../"+filepath.Base(outside)+"/passwd", filepath.Join(site, "rel.toml")))
	must(os.Symlink("a.toml", filepath.Join(site, "in.toml")))
	must(os.Mkdir(filepath.Join(site, "dir"), 0o755))
	cases := []struct {
		rel  string
		want error
		msg  string
	}{
		{"a.toml", nil, ""},
		{"in.toml", nil, ""},
		{"out.toml", ErrOutside, "out.toml is a symbolic link that leads outside the site: replace the link with the file itself"},
		{"rel.toml", ErrOutside, "rel.toml is a symbolic link that leads outside the site: replace the link with the file itself"},
		{"big.toml", ErrTooLarge, "big.toml is too large: the limit is 100 bytes: split the file, or move large data to an attachment in files/"},
		{"dir", ErrNotRegular, "dir is a folder: is not a regular file: replace it with a regular file"},
		{"missing.toml", fs.ErrNotExist, "missing.toml cannot be read: no such file or directory"},
		{"../x", fs.ErrInvalid, "../x cannot be read: invalid argument"},
	}
	for _, c := range cases {
		got, err := ReadFile(site, c.rel, 100)
		if c.want == nil {
			if err != nil || string(got) != "x = 1" {
				t.Errorf("%s: %q, %v", c.rel, got, err)
			}
			continue
		}
		if !errors.Is(err, c.want) || err.Error() != c.msg {
			t.Errorf("%s: err = %v\nwant %s", c.rel, err, c.msg)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 3 << 19: "1.5 MiB", 1 << 10: "1 KiB", 1536: "1.5 KiB", 1000: "1000 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
