package history

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"
)

// repoBuilder commits to a repository through go-git, with any author and
// date, deletions and merge parents.
type repoBuilder struct {
	t   *testing.T
	dir string
	r   *git.Repository
}

func newRepo(t *testing.T) *repoBuilder {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return &repoBuilder{t: t, dir: dir, r: r}
}

// commit writes files, removes paths and commits as author at when; with
// parents, the commit is a merge of them.
func (b *repoBuilder) commit(author string, when time.Time, msg string, write map[string]string, remove []string, parents ...plumbing.Hash) plumbing.Hash {
	b.t.Helper()
	wt, err := b.r.Worktree()
	if err != nil {
		b.t.Fatal(err)
	}
	if err := testsite.WriteFiles(b.dir, write); err != nil {
		b.t.Fatal(err)
	}
	for name := range write {
		if _, err := wt.Add(name); err != nil {
			b.t.Fatal(err)
		}
	}
	for _, name := range remove {
		if _, err := wt.Remove(name); err != nil {
			b.t.Fatalf("removing %s: %v", name, err)
		}
	}
	email := strings.ToLower(strings.Fields(author)[0]) + "@example.com"
	sig := &object.Signature{Name: author, Email: email, When: when}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: parents, AllowEmptyCommits: true})
	if err != nil {
		b.t.Fatal(err)
	}
	return h
}

// reset moves the branch and the work tree back to commit h.
func (b *repoBuilder) reset(h plumbing.Hash) {
	b.t.Helper()
	wt, err := b.r.Worktree()
	if err != nil {
		b.t.Fatal(err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: h, Mode: git.HardReset}); err != nil {
		b.t.Fatal(err)
	}
}

// show renders a history as one line per revision: date, author, subject
// and what happened to each file, so a test compares it exactly.
func show(h FileHistory) string {
	var b strings.Builder
	for _, r := range h.Revisions {
		fmt.Fprintf(&b, "%s %s <%s> %q:", r.Commit.When.Format(time.RFC3339), r.Commit.Author, r.Commit.Email, r.Commit.Subject)
		for _, c := range r.Changes {
			fmt.Fprintf(&b, " %s %s", c.Action, c.Path)
			if c.From != "" {
				fmt.Fprintf(&b, " from %s", c.From)
			}
		}
		b.WriteString("\n")
	}
	if h.Omitted {
		b.WriteString("older revisions omitted\n")
	}
	if h.Truncated != nil {
		fmt.Fprintf(&b, "truncated at %q\n", h.Truncated.Subject)
	}
	return b.String()
}

var (
	zoneBerlin = time.FixedZone("", 2*3600)
	zoneNY     = time.FixedZone("", -5*3600)
)

// TestRevisionsByTwoAuthorsFollowRenames builds a history of two authors
// in two time zones, with an exact rename (the secrets file) and a rename
// with an edit (the TOML file) in one commit, and asserts every revision
// exactly: dates in the author's zone, names, emails, subjects, actions.
func TestRevisionsByTwoAuthorsFollowRenames(t *testing.T) {
	b := newRepo(t)
	t1 := time.Date(2026, 1, 5, 9, 30, 0, 0, zoneBerlin)
	t2 := time.Date(2026, 2, 10, 16, 45, 0, 0, zoneNY)
	t3 := time.Date(2026, 3, 15, 11, 0, 0, 0, zoneBerlin)
	t4 := time.Date(2026, 4, 20, 8, 15, 0, 0, zoneNY)
	toml := "name = \"fw\"\nconfiguration_type = \"Firewall\"\nmanufacturer = \"Acme\"\nmodel = \"X1\"\nserial = \"123\"\nlocation = \"rack 1\"\n"
	b.commit("Dana Whitfield", t1, "Add the firewall", map[string]string{
		"content/a/configurations/fw.toml":      toml,
		"content/a/configurations/fw.sops.yaml": "secret: ENC[...]\nsops:\n  age: []\n",
		"content/a/configurations/sv.toml":      "name = \"sv\"\n",
	}, nil)
	b.commit("Erin O'Neill", t2, "Record the firewall's model\n\nLonger body.", map[string]string{
		"content/a/configurations/fw.toml": strings.Replace(toml, "X1", "X2", 1),
	}, nil)
	b.commit("Dana Whitfield", t3, "Rename fw to fw01", map[string]string{
		"content/a/configurations/fw01.toml":      strings.Replace(strings.Replace(toml, "X1", "X2", 1), `"fw"`, `"fw01"`, 1),
		"content/a/configurations/fw01.sops.yaml": "secret: ENC[...]\nsops:\n  age: []\n",
	}, []string{"content/a/configurations/fw.toml", "content/a/configurations/fw.sops.yaml"})
	b.commit("Erin O'Neill", t4, "Move the firewall to rack 2", map[string]string{
		"content/a/configurations/fw01.toml":  strings.Replace(strings.Replace(toml, "X1", "X2", 1), "rack 1", "rack 2", 1),
		"content/a/configurations/other.toml": "name = \"other\"\n",
	}, nil)

	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	got := show(ix.Files("content/a/configurations/fw01.toml", "content/a/configurations/fw01.sops.yaml"))
	want := `2026-04-20T08:15:00-05:00 Erin O'Neill <erin@example.com> "Move the firewall to rack 2": modified content/a/configurations/fw01.toml
2026-03-15T11:00:00+02:00 Dana Whitfield <dana@example.com> "Rename fw to fw01": renamed content/a/configurations/fw01.toml from content/a/configurations/fw.toml renamed content/a/configurations/fw01.sops.yaml from content/a/configurations/fw.sops.yaml
2026-02-10T16:45:00-05:00 Erin O'Neill <erin@example.com> "Record the firewall's model": modified content/a/configurations/fw.toml
2026-01-05T09:30:00+02:00 Dana Whitfield <dana@example.com> "Add the firewall": added content/a/configurations/fw.toml added content/a/configurations/fw.sops.yaml
`
	if got != want {
		t.Errorf("history of fw01:\n%s\nwant:\n%s", got, want)
	}
	if got, want := show(ix.Files("content/a/configurations/sv.toml")), "2026-01-05T09:30:00+02:00 Dana Whitfield <dana@example.com> \"Add the firewall\": added content/a/configurations/sv.toml\n"; got != want {
		t.Errorf("history of sv:\n%s\nwant:\n%s", got, want)
	}
	if c, ok := ix.LastChange("content/a/configurations/fw01.sops.yaml"); !ok || c.Subject != "Rename fw to fw01" || !c.When.Equal(t3) {
		t.Errorf("LastChange(fw01.sops.yaml) = %+v, %v", c, ok)
	}
	if _, ok := ix.File("content/a/configurations/fw.toml"); ok {
		t.Error("the file renamed away has a history of its own")
	}
	if ix.Shallow {
		t.Error("a full clone is reported shallow")
	}
}

// A merge commit is a revision of a file only when the file differs from
// every parent: a change made on a branch belongs to the branch's commit.
func TestRevisionsAcrossAMerge(t *testing.T) {
	b := newRepo(t)
	day := func(d int) time.Time { return time.Date(2026, 5, d, 12, 0, 0, 0, time.UTC) }
	a := b.commit("Dana Whitfield", day(1), "Add x and y", map[string]string{"content/a/contacts/x.toml": "name = \"x\"\n", "content/a/contacts/y.toml": "name = \"y\"\n"}, nil)
	branch := b.commit("Erin O'Neill", day(2), "Change x on a branch", map[string]string{"content/a/contacts/x.toml": "name = \"x2\"\n"}, nil)
	b.reset(a)
	main := b.commit("Dana Whitfield", day(3), "Change y on main", map[string]string{"content/a/contacts/y.toml": "name = \"y2\"\n"}, nil)
	b.commit("Dana Whitfield", day(4), "Merge the branch", map[string]string{"content/a/contacts/x.toml": "name = \"x2\"\n"}, nil, main, branch)

	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"content/a/contacts/x.toml": "2026-05-02T12:00:00Z Erin O'Neill <erin@example.com> \"Change x on a branch\": modified content/a/contacts/x.toml\n" +
			"2026-05-01T12:00:00Z Dana Whitfield <dana@example.com> \"Add x and y\": added content/a/contacts/x.toml\n",
		"content/a/contacts/y.toml": "2026-05-03T12:00:00Z Dana Whitfield <dana@example.com> \"Change y on main\": modified content/a/contacts/y.toml\n" +
			"2026-05-01T12:00:00Z Dana Whitfield <dana@example.com> \"Add x and y\": added content/a/contacts/y.toml\n",
	} {
		if got := show(ix.Files(file)); got != want {
			t.Errorf("history of %s:\n%s\nwant:\n%s", file, got, want)
		}
	}
}

// sopsFile returns a SOPS file whose every line differs from another
// call's with another seed, as a re-encryption makes it: new IVs, a new
// data key, a new MAC and date.
func sopsFile(seed string) string {
	return "password: ENC[AES256_GCM,data:" + seed + "1,iv:" + seed + "2,tag:" + seed + "3,type:str]\n" +
		"sops:\n    age:\n        - recipient: age1" + seed + "\n          enc: " + seed + "4\n" +
		"    lastmodified: \"" + seed + "\"\n    mac: ENC[" + seed + "5]\n    version: " + seed + "\n"
}

// TestRevisionsSecretsFileRenamedWithItsItem: cairn secret set (or
// rotate) re-encrypts the whole secrets file, so a password item renamed
// with a new value in the same commit has a secrets file with no line in
// common with its former one. It follows its item file's rename, and
// keeps its history.
func TestRevisionsSecretsFileRenamedWithItsItem(t *testing.T) {
	b := newRepo(t)
	day := func(d int) time.Time { return time.Date(2026, 6, d, 12, 0, 0, 0, time.UTC) }
	item := "name = \"ERP SQL\"\nusername = \"sa\"\nurl = \"https://erp.example\"\n"
	b.commit("Dana Whitfield", day(1), "Add the ERP login", map[string]string{
		"content/a/passwords/erp-sql.toml":      item,
		"content/a/passwords/erp-sql.sops.yaml": sopsFile("A"),
		"content/a/passwords/wifi.toml":         "name = \"Wi-Fi\"\n",
		"content/a/passwords/wifi.sops.yaml":    sopsFile("W"),
	}, nil)
	b.commit("Erin O'Neill", day(2), "Rotate the ERP password", map[string]string{"content/a/passwords/erp-sql.sops.yaml": sopsFile("B")}, nil)
	b.commit("Dana Whitfield", day(3), "Rename the ERP login and rotate it, drop the Wi-Fi", map[string]string{
		"content/a/passwords/erp-sql-svc.toml":      item,
		"content/a/passwords/erp-sql-svc.sops.yaml": sopsFile("C"),
	}, []string{"content/a/passwords/erp-sql.toml", "content/a/passwords/erp-sql.sops.yaml", "content/a/passwords/wifi.toml", "content/a/passwords/wifi.sops.yaml"})

	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	got := show(ix.Files("content/a/passwords/erp-sql-svc.toml", "content/a/passwords/erp-sql-svc.sops.yaml"))
	want := "2026-06-03T12:00:00Z Dana Whitfield <dana@example.com> \"Rename the ERP login and rotate it, drop the Wi-Fi\": renamed content/a/passwords/erp-sql-svc.toml from content/a/passwords/erp-sql.toml renamed content/a/passwords/erp-sql-svc.sops.yaml from content/a/passwords/erp-sql.sops.yaml\n" +
		"2026-06-02T12:00:00Z Erin O'Neill <erin@example.com> \"Rotate the ERP password\": modified content/a/passwords/erp-sql.sops.yaml\n" +
		"2026-06-01T12:00:00Z Dana Whitfield <dana@example.com> \"Add the ERP login\": added content/a/passwords/erp-sql.toml added content/a/passwords/erp-sql.sops.yaml\n"
	if got != want {
		t.Errorf("history of erp-sql-svc:\n%s\nwant:\n%s", got, want)
	}
}

// TestRevisionsRenamedOnOneSideOfAMerge: a file renamed on one side of
// a merge and edited under its old name on the other keeps both: the
// edit made under the old name is a revision of the merged file, whichever
// parent renamed it.
func TestRevisionsRenamedOnOneSideOfAMerge(t *testing.T) {
	b := newRepo(t)
	day := func(d int) time.Time { return time.Date(2026, 5, d, 12, 0, 0, 0, time.UTC) }
	ap := "name = \"ap\"\nconfiguration_type = \"Access point\"\nmanufacturer = \"Ubiquiti\"\nmodel = \"U6\"\nserial = \"123\"\nlocation = \"hall\"\n"
	sw := "name = \"sw\"\nconfiguration_type = \"Switch\"\nmanufacturer = \"Aruba\"\nmodel = \"2930F\"\nserial = \"456\"\nlocation = \"rack\"\n"
	edit := func(s, from, to string) string { return strings.Replace(s, from, to, 1) }
	a := b.commit("Dana Whitfield", day(1), "Add ap and sw", map[string]string{"content/a/configurations/ap.toml": ap, "content/a/configurations/sw.toml": sw}, nil)
	// The branch renames ap and edits sw; main edits ap and renames sw.
	// Each edit is newer than the other side's rename, so the walk meets
	// it before it meets the rename.
	b.commit("Erin O'Neill", day(2), "Rename ap", map[string]string{"content/a/configurations/wifi-ap.toml": ap}, []string{"content/a/configurations/ap.toml"})
	branch := b.commit("Erin O'Neill", day(5), "Edit sw", map[string]string{"content/a/configurations/sw.toml": edit(sw, "2930F", "2930M")}, nil)
	b.reset(a)
	b.commit("Dana Whitfield", day(3), "Rename sw", map[string]string{"content/a/configurations/core-sw.toml": sw}, []string{"content/a/configurations/sw.toml"})
	main := b.commit("Dana Whitfield", day(4), "Edit ap", map[string]string{"content/a/configurations/ap.toml": edit(ap, "U6", "U7")}, nil)
	b.commit("Dana Whitfield", day(6), "Merge the branch", map[string]string{
		"content/a/configurations/wifi-ap.toml": edit(ap, "U6", "U7"),
		"content/a/configurations/core-sw.toml": edit(sw, "2930F", "2930M"),
	}, []string{"content/a/configurations/ap.toml"}, main, branch)

	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"content/a/configurations/wifi-ap.toml": "2026-05-06T12:00:00Z Dana Whitfield <dana@example.com> \"Merge the branch\": modified content/a/configurations/wifi-ap.toml\n" +
			"2026-05-04T12:00:00Z Dana Whitfield <dana@example.com> \"Edit ap\": modified content/a/configurations/ap.toml\n" +
			"2026-05-02T12:00:00Z Erin O'Neill <erin@example.com> \"Rename ap\": renamed content/a/configurations/wifi-ap.toml from content/a/configurations/ap.toml\n" +
			"2026-05-01T12:00:00Z Dana Whitfield <dana@example.com> \"Add ap and sw\": added content/a/configurations/ap.toml\n",
		"content/a/configurations/core-sw.toml": "2026-05-06T12:00:00Z Dana Whitfield <dana@example.com> \"Merge the branch\": modified content/a/configurations/core-sw.toml\n" +
			"2026-05-05T12:00:00Z Erin O'Neill <erin@example.com> \"Edit sw\": modified content/a/configurations/sw.toml\n" +
			"2026-05-03T12:00:00Z Dana Whitfield <dana@example.com> \"Rename sw\": renamed content/a/configurations/core-sw.toml from content/a/configurations/sw.toml\n" +
			"2026-05-01T12:00:00Z Dana Whitfield <dana@example.com> \"Add ap and sw\": added content/a/configurations/sw.toml\n",
	} {
		if got := show(ix.Files(file)); got != want {
			t.Errorf("history of %s:\n%s\nwant:\n%s", file, got, want)
		}
	}
}

// In a shallow clone the history stops at the boundary commit: a file it
// holds has an unknown past, said so, and no revision is invented for it.
func TestRevisionsInAShallowClone(t *testing.T) {
	testtool.Find(t, "git", "git")
	b := newRepo(t)
	day := func(d int) time.Time { return time.Date(2026, 6, d, 12, 0, 0, 0, time.UTC) }
	b.commit("Dana Whitfield", day(1), "Add old", map[string]string{"content/a/contacts/old.toml": "name = \"old\"\n", "content/a/contacts/edited.toml": "name = \"e\"\n"}, nil)
	b.commit("Erin O'Neill", day(2), "Boundary commit", map[string]string{"content/a/contacts/mid.toml": "name = \"mid\"\n"}, nil)
	b.commit("Dana Whitfield", day(3), "Edit and add", map[string]string{"content/a/contacts/edited.toml": "name = \"e2\"\n", "content/a/contacts/new.toml": "name = \"new\"\n"}, nil)

	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "2", "file://"+b.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone --depth 2: %v\n%s", err, out)
	}
	ix, err := Load(context.Background(), clone)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Shallow {
		t.Error("the shallow clone is not reported shallow")
	}
	for file, want := range map[string]string{
		"content/a/contacts/old.toml":    "truncated at \"Boundary commit\"\n",
		"content/a/contacts/mid.toml":    "truncated at \"Boundary commit\"\n",
		"content/a/contacts/edited.toml": "2026-06-03T12:00:00Z Dana Whitfield <dana@example.com> \"Edit and add\": modified content/a/contacts/edited.toml\ntruncated at \"Boundary commit\"\n",
		"content/a/contacts/new.toml":    "2026-06-03T12:00:00Z Dana Whitfield <dana@example.com> \"Edit and add\": added content/a/contacts/new.toml\n",
	} {
		if got := show(ix.Files(file)); got != want {
			t.Errorf("history of %s:\n%s\nwant:\n%s", file, got, want)
		}
	}
	if _, ok := ix.LastChange("content/a/contacts/old.toml"); ok {
		t.Error("a file whose last change is beyond the boundary has a last change")
	}
}

// A file keeps its MaxRevisions newest revisions and says that there were
// more.
func TestRevisionsAreCapped(t *testing.T) {
	b := newRepo(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i <= MaxRevisions+1; i++ {
		b.commit("Dana Whitfield", start.Add(time.Duration(i)*time.Hour), fmt.Sprintf("edit %d", i), map[string]string{"content/a/contacts/x.toml": fmt.Sprintf("n = %d\n", i)}, nil)
	}
	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	h := ix.Files("content/a/contacts/x.toml")
	if len(h.Revisions) != MaxRevisions || !h.Omitted {
		t.Fatalf("%d revisions, omitted %v; want %d and true", len(h.Revisions), h.Omitted, MaxRevisions)
	}
	if first, last := h.Revisions[0].Commit.Subject, h.Revisions[MaxRevisions-1].Commit.Subject; first != fmt.Sprintf("edit %d", MaxRevisions+1) || last != "edit 2" {
		t.Errorf("revisions run from %q to %q", first, last)
	}
}

// Subjects and names are kept without control characters (a terminal
// escape in a commit subject must not reach a terminal) and bounded.
func TestCommitTextIsCleaned(t *testing.T) {
	b := newRepo(t)
	long := strings.Repeat("é", MaxSubject)
	b.commit("Mallory \x1b[31mRed", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "Set \x1b]0;title\x07 "+long, map[string]string{"content/a/contacts/x.toml": "n = 1\n"}, nil)
	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ix.LastChange("content/a/contacts/x.toml")
	if strings.ContainsAny(c.Author+c.Subject, "\x1b\x07") {
		t.Errorf("control characters kept: %q %q", c.Author, c.Subject)
	}
	if len(c.Subject) > MaxSubject+len("…") || !strings.HasSuffix(c.Subject, "é…") {
		t.Errorf("subject of %d bytes, want at most %d ending in é…", len(c.Subject), MaxSubject)
	}
}

// Outside git there is no history and no error but ErrNoRepository.
func TestNoRepositoryForRevisions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cairn.toml"), []byte("title = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Load(context.Background(), dir)
	if err != ErrNoRepository {
		t.Fatalf("err = %v, want ErrNoRepository", err)
	}
	if h := ix.Files("cairn.toml"); len(h.Revisions) != 0 || len(h.Files) != 1 {
		t.Errorf("a nil Index gives %+v", h)
	}
}

func TestSimilarityAndExtensions(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"", "", 1},
		{"a = 1\nb = 2\n", "a = 1\nb = 2\n", 1},
		{"a = 1\nb = 2\n", "a = 1\nb = 3\n", 0.5},
		{"a = 1\nb = 2\nc = 3\nd = 4\n", "x\n", 0},
	}
	for _, tc := range tests {
		if got := similarity([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("similarity(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	for p, want := range map[string]string{"content/a/passwords/x.sops.yaml": ".sops.yaml", "content/a/documents/x.md": ".md", "content/a/x.toml": ".toml", ".sops.yaml": ".yaml"} {
		if got := extOf(p); got != want {
			t.Errorf("extOf(%q) = %q, want %q", p, got, want)
		}
	}
}

// An edited file moved to another extension is a new file: a TOML item
// rewritten as a Markdown document does not inherit its history.
func TestRenameKeepsTheExtension(t *testing.T) {
	b := newRepo(t)
	body := "name = \"x\"\nmodel = \"A\"\nserial = \"1\"\n"
	b.commit("Dana Whitfield", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "Add x", map[string]string{"content/a/configurations/x.toml": body}, nil)
	b.commit("Dana Whitfield", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), "Make x a document", map[string]string{"content/a/documents/x.md": "+++\n" + body + "+++\n"}, []string{"content/a/configurations/x.toml"})
	ix, err := Load(context.Background(), b.dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show(ix.Files("content/a/documents/x.md")), "2026-01-02T00:00:00Z Dana Whitfield <dana@example.com> \"Make x a document\": added content/a/documents/x.md\n"; got != want {
		t.Errorf("history:\n%s\nwant:\n%s", got, want)
	}
}

// A former path holding a terminal escape (any commit may name any file)
// is printed without it.
func TestReportCleansFormerPaths(t *testing.T) {
	rep := Report{ID: "a/contacts/x", History: FileHistory{Files: []string{"content/a/contacts/x.toml"}, Revisions: []Revision{{
		Commit:  Commit{Hash: strings.Repeat("a", 40), When: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Author: "Dana", Email: "d@x", Subject: "Move"},
		Changes: []FileChange{{Path: "content/a/contacts/x.toml", Action: Renamed, From: "content/a/\x1b]0;pwned\x07x.toml"}},
	}}}}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("control characters printed: %q", b.String())
	}
	if !strings.Contains(b.String(), "renamed content/a/ ]0;pwned x.toml → content/a/contacts/x.toml\n") {
		t.Errorf("the rename is not reported:\n%s", b.String())
	}
}
