package portal

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"

	"github.com/cairn-it/cairn/generator/sitefs"

	"github.com/cairn-it/cairn/themes"
)

// The page templates of a theme: each defines "content" (and may define
// "head"), and is executed through "layout" from templates/layout.html.
const (
	tmplHome = "home.html"
	tmplOrg  = "org.html"
	tmplList = "list.html"
	tmplItem = "item.html"
)

// baseTemplates are parsed into every page template: the page frame and
// the shared partials (values, badges, link lists).
var baseTemplates = []string{"layout.html", "partials.html"}

// Theme is a parsed theme: the embedded default with a site's overrides
// laid over it. It is immutable and safe for concurrent use.
type Theme struct {
	files  fs.FS
	pages  map[string]*template.Template
	assets []string
	// digest is the hash of every template and asset the theme read.
	digest Key
}

// LoadTheme returns the default theme with the files of siteRoot/themes/
// default laid over it: a file there replaces the embedded file with the
// same path (templates/item.html, static/cairn.css, ...); files only the
// site has are added. A site without a themes/default folder gets the
// embedded theme. Template syntax errors are returned naming the file.
// Every file is read through sitefs: a symbolic link that leads outside
// the site, a non-regular file or a file over sitefs.MaxThemeFile is an
// error naming it.
func LoadTheme(siteRoot string) (*Theme, error) {
	embedded, err := fs.Sub(themes.Default, "default")
	if err != nil {
		return nil, err
	}
	var files fs.FS = embedded
	if siteRoot != "" {
		const dir = "themes/default"
		st, err := sitefs.Stat(siteRoot, dir)
		switch {
		case err == nil && st.IsDir():
			files = overlayFS{top: sitefs.FS(siteRoot, dir, sitefs.MaxThemeFile), bottom: embedded}
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("theme: %w", err)
		}
	}
	return NewTheme(files)
}

// NewTheme parses a theme from files, which holds templates/ and static/.
func NewTheme(files fs.FS) (*Theme, error) {
	t := &Theme{files: files, pages: map[string]*template.Template{}}
	base := template.New("layout").Funcs(funcs)
	for _, name := range baseTemplates {
		if err := parseInto(base, files, name); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{tmplHome, tmplOrg, tmplList, tmplItem} {
		p, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseInto(p, files, name); err != nil {
			return nil, err
		}
		t.pages[name] = p
	}
	if _, err := fs.Stat(files, "static"); errors.Is(err, fs.ErrNotExist) {
		return t, t.hash() // a theme without static files
	}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			// Refuse a file that cannot be read now (a link out of the
			// site), rather than when the portal is written.
			st, err := fs.Stat(files, p)
			if errors.Is(err, fs.ErrNotExist) || (err == nil && st.IsDir()) {
				// Listed but not a file: a link to a folder, which the
				// walk does not follow.
				return fmt.Errorf("%s is a symbolic link to a folder, which a theme does not follow: replace it with the folder itself", p)
			}
			if err != nil {
				return err
			}
			t.assets = append(t.assets, p[len("static/"):])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("theme: listing static assets: %w", err)
	}
	sort.Strings(t.assets)
	if err := t.hash(); err != nil {
		return nil, err
	}
	return t, nil
}

// hash sets the theme's digest from its templates and assets.
func (t *Theme) hash() error {
	h := NewHasher("theme")
	for _, name := range append(append([]string(nil), baseTemplates...), tmplHome, tmplOrg, tmplList, tmplItem) {
		data, err := fs.ReadFile(t.files, path.Join("templates", name))
		if err != nil {
			return fmt.Errorf("theme: reading templates/%s: %w", name, err)
		}
		h.String(name)
		h.Bytes(data)
	}
	for _, a := range t.assets {
		data, err := t.Asset(a)
		if err != nil {
			return fmt.Errorf("theme: reading static/%s: %w", a, err)
		}
		h.String(a)
		h.Bytes(data)
	}
	t.digest = h.Sum()
	return nil
}

// Digest is a hash of everything the theme renders with: its templates
// and its static assets. Two themes with the same digest render the same
// bytes.
func (t *Theme) Digest() Key { return t.digest }

func parseInto(t *template.Template, files fs.FS, name string) error {
	data, err := fs.ReadFile(files, path.Join("templates", name))
	if err != nil {
		return fmt.Errorf("theme: reading templates/%s: %w", name, err)
	}
	if _, err := t.New(name).Parse(string(data)); err != nil {
		return fmt.Errorf("theme: templates/%s: %w", name, err)
	}
	return nil
}

// Assets returns the theme's static files, relative to static/, sorted.
func (t *Theme) Assets() []string { return t.assets }

// HasAsset reports whether the theme has static/name.
func (t *Theme) HasAsset(name string) bool {
	i := sort.SearchStrings(t.assets, name)
	return i < len(t.assets) && t.assets[i] == name
}

// Asset returns the content of static/name.
func (t *Theme) Asset(name string) ([]byte, error) {
	return fs.ReadFile(t.files, path.Join("static", name))
}

// overlayFS reads from top, falling back to bottom for files top lacks.
// Directories are merged, so walking finds the files of both.
type overlayFS struct{ top, bottom fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	st, err := fs.Stat(o.top, name)
	if err == nil && !st.IsDir() {
		return o.top.Open(name)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err // a refused file of the site is an error, not a fallback
	}
	return o.bottom.Open(name)
}

func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	var firstErr error
	found := false
	for _, f := range []fs.FS{o.bottom, o.top} {
		es, err := fs.ReadDir(f, name)
		if err != nil {
			if firstErr == nil && !errors.Is(err, fs.ErrNotExist) {
				firstErr = err
			}
			continue
		}
		found = true
		for _, e := range es {
			seen[e.Name()] = e
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
