//go:build !unix

package fastio

import "os"

// ReadFile reads a whole file; buf is unused on this platform.
func ReadFile(path string, _ *[]byte) ([]byte, error) { return os.ReadFile(path) }

// WriteFile writes a whole file.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return os.WriteFile(path, data, perm)
}
