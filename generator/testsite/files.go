package testsite

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFiles writes a hand-made site (or part of one) into dir: files maps
// slash-separated paths relative to dir to their contents. Folders are
// created as needed; existing files are overwritten. Tests that need a
// few exact files use it, where Write makes a whole synthetic site.
func WriteFiles(dir string, files map[string]string) error {
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}
