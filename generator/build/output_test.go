package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/testsite"
)

// outputSite writes the canary site into dir/site and returns its root
// with symbolic links resolved.
func outputSite(t *testing.T) (root, parent string) {
	t.Helper()
	parent, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(parent, "site")
	if err := testsite.WriteFiles(root, canarySite); err != nil {
		t.Fatal(err)
	}
	return root, parent
}

func TestCheckOutput(t *testing.T) {
	root, parent := outputSite(t)
	if err := os.Symlink(filepath.Join(root, "content"), filepath.Join(root, "to-content")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..", filepath.Join(root, "up")); err != nil {
		t.Fatal(err)
	}
	contentErr := fmt.Sprintf("unsafe output folder: %s overlaps the site's content: use a folder that holds no sources, such as \"public\"", filepath.Join(root, "content"))
	for _, tc := range []struct {
		name    string
		output  string
		outside bool
		want    string // "" means accepted
	}{
		{"public", filepath.Join(root, "public"), false, ""},
		{"nested public", filepath.Join(root, "build", "www"), false, ""},
		{"relative dots", filepath.Join(root, "content", "..", "public"), false, ""},
		{"outside, explicit", filepath.Join(parent, "www"), true, ""},
		{"../victim from cairn.toml", filepath.Join(root, "..", "victim"), false,
			fmt.Sprintf("unsafe output folder: %s is outside the site %s: the site's cairn.toml may only name a folder inside it; to write elsewhere, pass --output", filepath.Join(parent, "victim"), root)},
		{"symlink leaving the site", filepath.Join(root, "up", "victim"), false,
			fmt.Sprintf("unsafe output folder: %s is outside the site %s: the site's cairn.toml may only name a folder inside it; to write elsewhere, pass --output", filepath.Join(parent, "victim"), root)},
		{"the site itself (.)", root, false,
			fmt.Sprintf("unsafe output folder: %s is the site's own folder, and building there would replace its sources: use a folder inside it, such as \"public\"", root)},
		{"absolute path to the site, explicit", root, true,
			fmt.Sprintf("unsafe output folder: %s is the site's own folder, and building there would replace its sources: use a folder inside it, such as \"public\"", root)},
		{"the site's parent, explicit", parent, true,
			fmt.Sprintf("unsafe output folder: %s contains the site %s: use a folder inside the site, such as \"public\", or one beside it", parent, root)},
		{"/", "/", true,
			fmt.Sprintf("unsafe output folder: / contains the site %s: use a folder inside the site, such as \"public\", or one beside it", root)},
		{"content", filepath.Join(root, "content"), false, contentErr},
		{"inside content", filepath.Join(root, "content", "acme", "files"), false,
			fmt.Sprintf("unsafe output folder: %s overlaps the site's content: use a folder that holds no sources, such as \"public\"", filepath.Join(root, "content", "acme", "files"))},
		{"symlink to content", filepath.Join(root, "to-content"), false, contentErr},
		{"below a symlink to content", filepath.Join(root, "to-content", "new"), true,
			fmt.Sprintf("unsafe output folder: %s overlaps the site's content: use a folder that holds no sources, such as \"public\"", filepath.Join(root, "content", "new"))},
		{"schemas (missing yet)", filepath.Join(root, "schemas"), false,
			fmt.Sprintf("unsafe output folder: %s overlaps the site's schemas: use a folder that holds no sources, such as \"public\"", filepath.Join(root, "schemas"))},
		{".git", filepath.Join(root, ".git", "x"), false,
			fmt.Sprintf("unsafe output folder: %s overlaps the site's .git: use a folder that holds no sources, such as \"public\"", filepath.Join(root, ".git", "x"))},
		{"access.toml", filepath.Join(root, "access.toml"), false,
			fmt.Sprintf("unsafe output folder: %s overlaps the site's access.toml: use a folder that holds no sources, such as \"public\"", filepath.Join(root, "access.toml"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckOutput(root, tc.output, tc.outside)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want == "":
				if !filepath.IsAbs(got) {
					t.Errorf("returned %q, not absolute", got)
				}
			case err == nil:
				t.Fatalf("accepted as %s, want %q", got, tc.want)
			case err.Error() != tc.want:
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			case !errors.Is(err, ErrOutput):
				t.Errorf("error does not wrap ErrOutput")
			}
		})
	}
}

// TestBuildRefusesUnsafeOutputs runs whole builds against the holes the
// review found: nothing outside the output's own portal folders changes.
func TestBuildRefusesUnsafeOutputs(t *testing.T) {
	root, parent := outputSite(t)
	s := openSite(t, root)
	victim := filepath.Join(parent, "victim", "acme", "precious.txt")
	if err := os.MkdirAll(filepath.Dir(victim), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, parent)
	for _, tc := range []struct {
		name    string
		output  string
		outside bool
	}{
		{"../victim from cairn.toml", filepath.Join(root, "..", "victim"), false},
		{"../victim on the command line, acme not written by cairn", filepath.Join(parent, "victim"), true},
		{". with the site's sources", root, false},
		{"content", filepath.Join(root, "content"), false},
		{"the site's parent", parent, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(context.Background(), s, Options{Output: tc.output, OutputOutsideSite: tc.outside, Today: asOf})
			if !errors.Is(err, ErrOutput) {
				t.Fatalf("want an ErrOutput refusal, got %v", err)
			}
			sameTree(t, before, readTree(t, parent))
		})
	}
}

func TestBuildReplacesOnlyMarkedFolders(t *testing.T) {
	root, _ := outputSite(t)
	s := openSite(t, root)
	out := filepath.Join(root, "public")
	foreign := filepath.Join(out, "acme", "notes.txt")
	if err := os.MkdirAll(filepath.Dir(foreign), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(foreign, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty folder may be replaced; a non-empty one without the marker
	// may not, and nothing at all changes.
	if err := os.MkdirAll(filepath.Join(out, "helpdesk"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), s, Options{Output: out, Today: asOf})
	want := fmt.Sprintf("unsafe output folder: %s was not written by cairn build (it has no .cairn-portal file), and a build replaces a portal's folder as a whole: move it away (or delete it, if it is an old build), or choose another output folder", filepath.Join(out, "acme"))
	if err == nil || err.Error() != want {
		t.Fatalf("error\n%v\nwant\n%s", err, want)
	}
	if b, err := os.ReadFile(foreign); err != nil || string(b) != "mine" {
		t.Fatalf("the foreign folder changed: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "internal")); err == nil {
		t.Error("a refused build wrote the internal portal")
	}

	// A marker with other content is no marker.
	if err := os.WriteFile(filepath.Join(out, "acme", MarkerFile), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, Options{Output: out, Today: asOf}); !errors.Is(err, ErrOutput) {
		t.Fatalf("a wrong marker was accepted: %v", err)
	}

	// A marker that is a link is no marker, and is never read (a link to
	// /dev/zero would never end).
	if err := os.Remove(filepath.Join(out, "acme", MarkerFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(out, "acme", MarkerFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, Options{Output: out, Today: asOf}); !errors.Is(err, ErrOutput) {
		t.Fatalf("a linked marker was accepted: %v", err)
	}

	// Once the folder is gone, builds succeed and mark what they write;
	// a second build replaces the marked folders.
	if err := os.RemoveAll(filepath.Join(out, "acme")); err != nil {
		t.Fatal(err)
	}
	buildTo(t, s, out)
	for _, p := range []string{"acme", "helpdesk", "internal"} {
		b, err := os.ReadFile(filepath.Join(out, p, MarkerFile))
		if err != nil || string(b) != MarkerContent {
			t.Errorf("portal %s: marker %q, %v", p, b, err)
		}
	}
	buildTo(t, s, out)

	// A file or a symbolic link where a portal belongs is refused.
	if err := os.RemoveAll(filepath.Join(out, "acme")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "acme"), []byte("file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, Options{Output: out, Today: asOf}); !errors.Is(err, ErrOutput) {
		t.Errorf("a file in the portal's place was accepted: %v", err)
	}
	if err := os.Remove(filepath.Join(out, "acme")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(out, "internal"), filepath.Join(out, "acme")); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, Options{Output: out, Today: asOf}); !errors.Is(err, ErrOutput) {
		t.Errorf("a symbolic link in the portal's place was accepted: %v", err)
	}
}
