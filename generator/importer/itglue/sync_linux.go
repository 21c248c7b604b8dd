package itglue

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// syncSite flushes everything written to the site's file system to disk,
// with one syncfs instead of a sync per file.
func syncSite(root *os.Root) error {
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("syncing the site to disk: %w", err)
	}
	return nil
}
