//go:build unix

package load_test

import (
	"strings"
	"syscall"
	"testing"
)

func TestFIFOIsRefusedWithoutBlocking(t *testing.T) {
	for _, rel := range []string{"access.toml", "schemas/x.toml", "content/acme/locations/pipe.toml"} {
		t.Run(rel, func(t *testing.T) {
			files := baseSite()
			delete(files, rel)
			dir := writeSite(t, files)
			if err := syscall.Mkfifo(plant(t, dir, rel), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			out, _, err := everything(t, dir)
			if err != nil {
				t.Fatal(err)
			}
			if want := rel + ": error: is not a regular file"; !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		})
	}
}
