package load_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/testsite"
)

// canary is the content of a file outside the site that a planted link
// points to; it must never appear in anything the loader returns.
const canary = "CANARY-outside-the-site-5f1c"

// baseSite is a small valid site.
func baseSite() map[string]string {
	return map[string]string{
		"cairn.toml":                     "title = \"t\"\n",
		"access.toml":                    "[groups.staff]\norgs = [\"*\"]\n\n[portals.internal]\ngroups = [\"staff\"]\n",
		"schemas/wifi.toml":              "name = \"Wi-Fi\"\n\n[[fields]]\nname = \"ssid\"\nkind = \"text\"\n",
		"checklists/onboarding.md":       "+++\ntitle = \"Onboarding\"\n+++\n\n- [ ] step\n",
		"content/acme/org.toml":          "name = \"Acme\"\n",
		"content/acme/locations/hq.toml": "name = \"HQ\"\n",
	}
}

// outsideFile writes a file outside any site, holding the canary in TOML
// and Markdown form, and returns its path.
func outsideFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret.toml")
	if err := os.WriteFile(p, []byte("+++\ntitle = \""+canary+"\"\n+++\nname = \""+canary+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// plant makes the parent folders of rel in dir and returns its path.
func plant(t *testing.T, dir, rel string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// everything renders what Load returned as text, to search for the canary.
func everything(t *testing.T, dir string) (string, *diag.List, error) {
	t.Helper()
	s, ds, err := load.Load(context.Background(), dir)
	var b strings.Builder
	if err != nil {
		b.WriteString(err.Error())
	}
	if ds != nil {
		_ = diag.WriteText(&b, ds.Sorted())
	}
	if s != nil {
		for _, it := range s.Items {
			b.WriteString(it.Title)
			b.Write(it.Source)
		}
		for _, tm := range s.Templates {
			b.WriteString(tm.Title)
		}
		for _, sc := range s.Schemas.Types() {
			b.WriteString(sc)
		}
		b.WriteString(s.Config.Title)
		for name := range s.Access.Portals {
			b.WriteString(name)
		}
	}
	return b.String(), ds, err
}

func TestSymlinksOutOfTheSiteAreRefused(t *testing.T) {
	cases := []struct {
		link string // where the link is planted (replacing any file there)
		dir  bool   // link a folder holding the outside file instead
		want string // the diagnostic, or the error when fatal
	}{
		{link: "cairn.toml", want: "cairn.toml is a symbolic link that leads outside the site: replace the link with the file itself"},
		{link: "access.toml", want: "access.toml: error: is a symbolic link that leads outside the site"},
		{link: "schemas/wifi.toml", want: "schemas/wifi.toml: error: is a symbolic link that leads outside the site"},
		{link: "schemas", dir: true, want: "schemas: error: is a symbolic link that leads outside the site"},
		{link: "checklists/onboarding.md", want: "checklists/onboarding.md: error: is a symbolic link that leads outside the site"},
		{link: "checklists", dir: true, want: "checklists: error: is a symbolic link that leads outside the site"},
		{link: "content/acme/locations/hq.toml", want: "content/acme/locations/hq.toml: error: symbolic links are not followed"},
		{link: "content/acme/locations", dir: true, want: "content/acme/locations: error: symbolic links are not followed"},
		{link: "content", dir: true, want: "content: error: content/ is a symbolic link; symbolic links are not followed in content/"},
	}
	for _, c := range cases {
		t.Run(c.link, func(t *testing.T) {
			files := baseSite()
			target := outsideFile(t)
			if c.dir {
				// A folder outside with the canary under the names the
				// loader will look for.
				out := t.TempDir()
				if err := testsite.WriteFiles(out, map[string]string{
					"wifi.toml": "name = \"" + canary + "\"\n", "onboarding.md": "+++\ntitle = \"" + canary + "\"\n+++\n",
					"hq.toml": "name = \"" + canary + "\"\n", "acme/org.toml": "name = \"" + canary + "\"\n",
					"acme/locations/hq.toml": "name = \"" + canary + "\"\n",
				}); err != nil {
					t.Fatal(err)
				}
				target = out
				for k := range files {
					if strings.HasPrefix(k, c.link+"/") {
						delete(files, k)
					}
				}
			}
			delete(files, c.link)
			dir := writeSite(t, files)
			if err := os.Symlink(target, plant(t, dir, c.link)); err != nil {
				t.Fatal(err)
			}
			out, ds, err := everything(t, dir)
			if strings.Contains(out, canary) {
				t.Fatal("the content of the file outside the site reached the loader's output")
			}
			if strings.Contains(out, target) {
				t.Errorf("the link's target is named in the output:\n%s", out)
			}
			if err == nil && !ds.HasErrors() {
				t.Fatal("no error")
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, out)
			}
		})
	}
}

// A link that stays inside the site is followed outside content/.
func TestSymlinkInsideTheSiteIsFollowed(t *testing.T) {
	files := baseSite()
	files["shared/wifi.toml"] = files["schemas/wifi.toml"]
	delete(files, "schemas/wifi.toml")
	dir := writeSite(t, files)
	if err := os.Symlink("../shared/wifi.toml", plant(t, dir, "schemas/wifi.toml")); err != nil {
		t.Fatal(err)
	}
	s, ds, err := load.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("errors: %v", ds.Err())
	}
	if s.Schemas.Get("assets/wifi") == nil {
		t.Fatal("schema behind an inner link not loaded")
	}
}

func TestFileSizeLimit(t *testing.T) {
	big := "name = \"x\"\n" + strings.Repeat("# padding padding padding\n", (4<<20)/26+1)
	for _, rel := range []string{"cairn.toml", "access.toml", "schemas/wifi.toml", "checklists/onboarding.md", "content/acme/locations/hq.toml", "content/acme/org.toml"} {
		t.Run(rel, func(t *testing.T) {
			files := baseSite()
			files[rel] = big
			dir := writeSite(t, files)
			out, ds, err := everything(t, dir)
			if err == nil && !ds.HasErrors() {
				t.Fatal("no error")
			}
			if want := "is too large: the limit is 4 MiB"; !strings.Contains(out, want) || !strings.Contains(out, rel) {
				t.Errorf("output lacks %s and %q:\n%s", rel, want, out)
			}
			if err != nil && rel != "cairn.toml" {
				t.Errorf("fatal error for %s: %v", rel, err)
			}
		})
	}
}

func TestTooLargeIsAnErrorValue(t *testing.T) {
	files := baseSite()
	files["cairn.toml"] = strings.Repeat("#", 4<<20+1)
	_, _, err := load.Load(context.Background(), writeSite(t, files))
	if err == nil || errors.Is(err, load.ErrNotSite) {
		t.Fatalf("err = %v", err)
	}
}
