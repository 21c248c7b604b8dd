//go:build !unix

package fastio

import (
	"io"
	"os"
)

// ReadFile reads a whole file; buf is unused on this platform.
func ReadFile(path string, _ *[]byte) ([]byte, error) { return os.ReadFile(path) }

// WriteFile writes a whole file.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return os.WriteFile(path, data, perm)
}

// ReadFileLimit reads a whole file of at most limit bytes, refusing a
// symbolic link in the last place of path (ErrSymlink) and larger files
// (ErrLimit); buf is unused on this platform.
func ReadFileLimit(path string, limit int64, _ *[]byte) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, &os.PathError{Op: "open", Path: path, Err: ErrSymlink}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &os.PathError{Op: "read", Path: path, Err: ErrLimit}
	}
	return data, nil
}
