//go:build !unix

package load

import "os"

// readInto reads a whole file; buf is unused on this platform.
func readInto(path string, _ *[]byte) ([]byte, error) { return os.ReadFile(path) }
