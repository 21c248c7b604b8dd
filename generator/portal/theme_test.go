package portal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A link in themes/ that leads outside the site is an error naming the
// file; the linked file's content is never read into the theme.
func TestThemeRefusesLinksOutOfTheSite(t *testing.T) {
	const canary = "CANARY-theme-outside-91d2"
	outside := t.TempDir()
	writeFile(t, outside+"/passwd", canary)
	writeFile(t, outside+"/static/x.css", canary)
	writeFile(t, outside+"/templates/home.html", `{{define "content"}}`+canary+`{{end}}`)
	cases := []struct{ link, target, want string }{
		{"themes/default/static/passwd.css", outside + "/passwd", "themes/default/static/passwd.css is a symbolic link that leads outside the site"},
		{"themes/default/templates/home.html", outside + "/templates/home.html", "themes/default/templates/home.html is a symbolic link that leads outside the site"},
		{"themes/default/static", outside + "/static", "themes/default/static is a symbolic link that leads outside the site"},
		{"themes/default", outside, "themes/default is a symbolic link that leads outside the site"},
		{"themes", outside, "themes/default is a symbolic link that leads outside the site"},
	}
	for _, c := range cases {
		t.Run(c.link, func(t *testing.T) {
			site := t.TempDir()
			writeFile(t, site+"/themes/default/static/site.css", "body{}")
			p := filepath.Join(site, filepath.FromSlash(c.link))
			if err := os.RemoveAll(p); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(c.target, p); err != nil {
				t.Fatal(err)
			}
			th, err := LoadTheme(site)
			if err == nil {
				for _, a := range th.Assets() {
					if b, _ := th.Asset(a); strings.Contains(string(b), canary) {
						t.Fatal("a file outside the site became a theme asset")
					}
				}
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), outside) {
				t.Fatal("the error names the link's target or its content")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// A link that stays inside the site is followed.
func TestThemeFollowsLinksInsideTheSite(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site+"/branding/logo.svg", "<svg/>")
	writeFile(t, site+"/themes/default/static/site.css", "body{}")
	if err := os.Symlink("../../../branding/logo.svg", site+"/themes/default/static/logo.svg"); err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme(site)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := th.Asset("logo.svg"); err != nil || string(b) != "<svg/>" {
		t.Fatalf("logo.svg = %q, %v", b, err)
	}
}

// A link to a folder under static/ is an error naming it. It used to end
// the listing of static/ silently, so the portal lost every asset sorted
// after it (search.js, sealed.js) without a word.
func TestThemeRefusesLinkedFolder(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site+"/branding/logo.svg", "<svg/>")
	writeFile(t, site+"/themes/default/static/site.css", "body{}")
	if err := os.Symlink("../../../branding", site+"/themes/default/static/brand"); err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme(site)
	if err == nil {
		t.Fatalf("no error; assets %v", th.Assets())
	}
	if want := "theme: listing static assets: static/brand is a symbolic link to a folder"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to contain %q", err, want)
	}
}
