package fastio

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var buf []byte
	for _, size := range []int{0, 1, 100, 64 << 10, 64<<10 + 1, 300000} {
		data := bytes.Repeat([]byte{'a', 'b', 'c'}, size/3+1)[:size]
		p := filepath.Join(dir, "f")
		if err := WriteFile(p, data, 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(p, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes back", size, len(got))
		}
		if want, _ := os.ReadFile(p); !bytes.Equal(want, data) {
			t.Fatalf("size %d: os.ReadFile disagrees", size)
		}
	}
	// A shorter file over a longer one is truncated.
	p := filepath.Join(dir, "f")
	if err := WriteFile(p, []byte("xy"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := ReadFile(p, &buf); string(got) != "xy" {
		t.Fatalf("after truncation: %q", got)
	}
}

func TestErrorsAreFsErrors(t *testing.T) {
	var buf []byte
	_, err := ReadFile(filepath.Join(t.TempDir(), "missing"), &buf)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "dir"), nil, 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	var buf []byte
	p := filepath.Join(dir, "f")
	for _, size := range []int{0, 10, 64 << 10, 64<<10 + 1, 200000} {
		data := bytes.Repeat([]byte{'z'}, size)
		if err := WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int64{int64(size), int64(size) - 1} {
			if limit < 0 {
				continue
			}
			got, err := ReadFileLimit(p, limit, &buf)
			switch {
			case limit >= int64(size) && (err != nil || !bytes.Equal(got, data)):
				t.Errorf("size %d limit %d: %d bytes, %v", size, limit, len(got), err)
			case limit < int64(size) && !errors.Is(err, ErrLimit):
				t.Errorf("size %d limit %d: err = %v, want ErrLimit", size, limit, err)
			}
		}
	}
	if err := os.Symlink(p, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFileLimit(filepath.Join(dir, "link"), 1<<20, &buf); !errors.Is(err, ErrSymlink) {
		t.Errorf("link: err = %v, want ErrSymlink", err)
	}
}
