//go:build unix

package build

import (
	"os"
	"syscall"
	"testing"
)

// inodeOf returns a file's inode and how many links it has, without
// following a link.
func inodeOf(t *testing.T, p string) (ino, nlink uint64) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return uint64(st.Ino), uint64(st.Nlink)
}
