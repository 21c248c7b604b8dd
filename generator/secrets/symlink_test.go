package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// .sops.yaml and secrets files linked from outside the site are refused,
// naming the link and quoting nothing of the target.
func TestLinksOutOfTheSiteAreRefused(t *testing.T) {
	const canary = "CANARY-sops-outside-4be1"
	id := newIdentity(t)
	outside := filepath.Join(t.TempDir(), "target")
	if err := os.WriteFile(outside, []byte("creation_rules: ["+canary+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := newSite(t, [2]string{"content/", id.recipient})
	if err := os.Remove(filepath.Join(root, ConfigFile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ConfigFile, rel} {
		if err := os.Symlink(outside, filepath.Join(root, filepath.FromSlash(p))); err != nil {
			t.Fatal(err)
		}
	}
	s := store(root, id.keys(t))
	checks := []struct {
		name string
		err  error
		want string
	}{
		{"RuleFor", func() error { _, err := s.RuleFor(rel); return err }(), ".sops.yaml is a symbolic link that leads outside the site"},
		{"Open", func() error { _, err := s.Open(rel); return err }(), rel + " is a symbolic link that leads outside the site"},
		{"Recipients", func() error { _, err := s.Recipients(rel); return err }(), rel + " is a symbolic link that leads outside the site"},
		{"readConfigRules", func() error { _, err := readConfigRules(root); return err }(), ".sops.yaml is a symbolic link that leads outside the site"},
		{"AddRecipient", func() error { _, err := AddRecipient(root, id.recipient); return err }(), ".sops.yaml is a symbolic link that leads outside the site"},
	}
	for _, c := range checks {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if strings.Contains(c.err.Error(), canary) || strings.Contains(c.err.Error(), outside) {
			t.Errorf("%s: the error quotes the link's target", c.name)
		}
		if !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, c.err, c.want)
		}
	}
}
