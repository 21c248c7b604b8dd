//go:build !linux

package itglue

import "os"

// syncSite asks the file system to flush the site's folder; elsewhere than
// Linux (no syncfs) written files are left to the operating system.
func syncSite(root *os.Root) error {
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // best effort: not every system syncs a folder
	return nil
}
