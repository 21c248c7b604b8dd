package history

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"

	"github.com/cairn-it/cairn/generator/model"
)

// commitFiles writes files into the work tree and commits them at when.
func commitFiles(t *testing.T, dir string, when time.Time, msg string, files map[string]string) {
	t.Helper()
	if err := testsite.CommitFiles(dir, "Dana", when, msg, files); err != nil {
		t.Fatal(err)
	}
}

func TestLoadFindsLastChangePerFile(t *testing.T) {
	dir := t.TempDir()
	t1 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.AddDate(0, 1, 0)
	t3 := t2.AddDate(0, 1, 0)
	commitFiles(t, dir, t1, "first", map[string]string{
		"site/content/a/org.toml":                "name = \"A\"\n",
		"site/content/a/configurations/sv1.toml": "name = \"sv1\"\n",
		"site/content/a/configurations/sv2.toml": "name = \"sv2\"\n",
		"elsewhere/readme.txt":                   "outside the site\n",
	})
	commitFiles(t, dir, t2, "change sv1", map[string]string{"site/content/a/configurations/sv1.toml": "name = \"sv1\"\nmodel = \"X\"\n"})
	commitFiles(t, dir, t3, "touch outside\n\nbody", map[string]string{"elsewhere/readme.txt": "changed\n"})

	ix, err := Load(context.Background(), filepath.Join(dir, "site"))
	if err != nil {
		t.Fatal(err)
	}
	if ix.Head.Subject != "touch outside" || !ix.Head.When.Equal(t3) {
		t.Errorf("head = %+v", ix.Head)
	}
	tests := []struct {
		path    string
		when    time.Time
		subject string
	}{
		{"content/a/configurations/sv1.toml", t2, "change sv1"},
		{"content/a/configurations/sv2.toml", t1, "first"},
		{"content/a/org.toml", t1, "first"},
	}
	for _, tc := range tests {
		c, ok := ix.LastChange(tc.path)
		if !ok || !c.When.Equal(tc.when) || c.Subject != tc.subject || c.Author != "Dana" {
			t.Errorf("LastChange(%s) = %+v, %v; want %v %q", tc.path, c, ok, tc.when, tc.subject)
		}
	}
	if _, ok := ix.LastChange("elsewhere/readme.txt"); ok {
		t.Error("a file outside the site has an entry")
	}
}

func TestNoRepository(t *testing.T) {
	if _, err := Load(context.Background(), t.TempDir()); err != ErrNoRepository {
		t.Fatalf("err = %v, want ErrNoRepository", err)
	}
	if _, err := Head(t.TempDir()); err != ErrNoRepository {
		t.Fatalf("Head err = %v, want ErrNoRepository", err)
	}
}

func TestRecentOrdersItemsByLastChange(t *testing.T) {
	dir := t.TempDir()
	t1 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	commitFiles(t, dir, t1, "add", map[string]string{
		"content/a/configurations/b.toml": "x\n", "content/a/configurations/a.toml": "x\n", "content/a/contacts/c.toml": "x\n",
	})
	commitFiles(t, dir, t1.Add(time.Hour), "edit c", map[string]string{"content/a/contacts/c.toml": "y\n"})
	ix, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	items := []*model.Item{
		{ID: "a/configurations/a", File: "content/a/configurations/a.toml"},
		{ID: "a/configurations/b", File: "content/a/configurations/b.toml"},
		{ID: "a/contacts/c", File: "content/a/contacts/c.toml"},
		{ID: "a/contacts/new", File: "content/a/contacts/new.toml"}, // not committed
	}
	var got []string
	for _, c := range ix.Recent(items) {
		got = append(got, c.Item.ID+"@"+c.Commit.Subject)
	}
	want := "a/contacts/c@edit c a/configurations/a@add a/configurations/b@add"
	if strings.Join(got, " ") != want {
		t.Errorf("Recent = %v, want %s", got, want)
	}
}

// A site checked out with git worktree add (where .git is a file pointing
// into the main repository) has the same history as the main checkout,
// so its builds get the same "as of" date and recently changed lists.
func TestLoadInLinkedWorktree(t *testing.T) {
	testtool.Find(t, "git", "git")
	dir := t.TempDir()
	main, linked := filepath.Join(dir, "main"), filepath.Join(dir, "linked")
	when := time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC)
	commitFiles(t, main, when, "add sv1", map[string]string{"content/a/configurations/sv1.toml": "name = \"sv1\"\n"})
	cmd := exec.Command("git", "-C", main, "worktree", "add", "--detach", linked)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git worktree add: %v\n%s", err, out)
	}
	head, err := Head(linked)
	if err != nil || head.Subject != "add sv1" || !head.When.Equal(when) {
		t.Fatalf("Head = %+v, %v; want the commit \"add sv1\" of %v", head, err, when)
	}
	ix, err := Load(context.Background(), linked)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := ix.LastChange("content/a/configurations/sv1.toml"); !ok || c.Subject != "add sv1" {
		t.Errorf("LastChange = %+v, %v; want the commit \"add sv1\"", c, ok)
	}
}
