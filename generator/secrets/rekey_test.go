package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesRefusesOutsideSite: rekey works only on secrets files inside
// the site, whatever the path says and wherever links point.
func TestFilesRefusesOutsideSite(t *testing.T) {
	a := newIdentity(t)
	root := newSite(t, [2]string{`^content/`, a.recipient})
	st := store(root, a.keys(t))
	f := NewFile()
	f.Set("password", "inside")
	if err := st.Save(rel, f); err != nil {
		t.Fatal(err)
	}
	// A victim folder beside the site, with a secrets file of its own.
	victim := filepath.Join(filepath.Dir(root), filepath.Base(root)+"-victim")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(victim) })
	os.WriteFile(filepath.Join(victim, "x.sops.yaml"), []byte("password: x\n"), 0o644)
	if err := os.Symlink(victim, filepath.Join(root, "content", "linked")); err != nil {
		t.Fatal(err)
	}
	realRoot, _ := filepath.EvalSymlinks(root)
	realVictim, _ := filepath.EvalSymlinks(victim)
	for _, c := range []struct{ under, want string }{
		{"..", ".."},
		{"../" + filepath.Base(victim), "../" + filepath.Base(victim)},
		{victim, victim},
		{"content/linked", "content/linked (which resolves to " + realVictim + ")"},
	} {
		_, err := st.Files(c.under)
		want := c.want + " is outside the site (" + realRoot + "): give a folder inside it, such as content or content/acme; nothing was rekeyed"
		if !errors.Is(err, ErrOutsideSite) || err.Error() != want {
			t.Errorf("Files(%q): %v\nwant: %s", c.under, err, want)
		}
		if err := st.RekeyAll(context.Background(), c.under, func(RekeyResult) { t.Error("a file outside the site was rekeyed") }); !errors.Is(err, ErrOutsideSite) {
			t.Errorf("RekeyAll(%q): %v", c.under, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(victim, "x.sops.yaml")); string(b) != "password: x\n" {
		t.Error("the file outside the site was changed")
	}
	// Inside the site, absolute or relative, it lists the file; the
	// symlinked folder is not followed.
	for _, under := range []string{"content", "content/acme", filepath.Join(root, "content"), "."} {
		got, err := st.Files(under)
		if err != nil || strings.Join(got, ",") != rel {
			t.Errorf("Files(%q) = %v, %v; want %s", under, got, err, rel)
		}
	}
	// A secrets file that is a link to a file outside is refused.
	os.Remove(filepath.Join(root, "content", "linked"))
	link := "content/acme/passwords/evil.sops.yaml"
	if err := os.Symlink(filepath.Join(victim, "x.sops.yaml"), filepath.Join(root, link)); err != nil {
		t.Fatal(err)
	}
	_, err := st.Files("content")
	if want := link + ": a secrets file is a symbolic link: replace it with the file itself (nothing was rekeyed)"; err == nil || err.Error() != want {
		t.Errorf("symlinked secrets file: %v\nwant: %s", err, want)
	}
}
