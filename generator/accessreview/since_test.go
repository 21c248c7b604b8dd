package accessreview_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/accessreview"
	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/testsite"
)

const sinceBefore = `[groups.ops]
orgs = ["acme"]

[groups.beta]
orgs = ["beta"]

[[users]]
email = "a@x.example"
role = "editor"
groups = ["ops"]

[[users]]
email = "gone@x.example"
role = "readonly"
groups = ["beta"]

[portals.ops]
groups = ["ops"]

[portals.beta]
groups = ["beta"]
`

// sinceAfter: ops gains beta, gone@ is removed, a@ becomes an admin, the
// beta portal is sealed.
const sinceAfter = `[groups.ops]
orgs = ["acme", "beta"]

[groups.beta]
orgs = ["beta"]

[[users]]
email = "a@x.example"
role = "admin"
groups = ["ops"]

[portals.ops]
groups = ["ops"]

[portals.beta]
groups = ["beta"]
secrets = "sealed"
`

// sinceRepo commits a site, then a change to its access.toml (and a new
// item, which is content, not access), in a repository whose site is in
// a subfolder.
func sinceRepo(t *testing.T) (repo, root string) {
	t.Helper()
	repo = t.TempDir()
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	files := map[string]string{
		"site/cairn.toml":                            "title = \"T\"\n",
		"site/access.toml":                           sinceBefore,
		"site/content/acme/org.toml":                 "name = \"Acme\"\n",
		"site/content/beta/org.toml":                 "name = \"Beta\"\n",
		"site/content/acme/configurations/sv1.toml":  "name = \"sv1\"\n",
		"site/content/beta/configurations/b1.toml":   "name = \"b1\"\n",
		"site/content/beta/passwords/root.toml":      "name = \"Root\"\n",
		"site/content/beta/passwords/root.sops.yaml": "password: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: x\n",
		"site/content/beta/files/big.bin":            "attachments are not read\n",
	}
	if err := testsite.CommitFiles(repo, "Ann", when, "Start", files); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CommitFiles(repo, "Ann", when.Add(time.Hour), "Widen ops", map[string]string{
		"site/access.toml":                         sinceAfter,
		"site/content/beta/configurations/b2.toml": "name = \"b2\"\n",
	}); err != nil {
		t.Fatal(err)
	}
	return repo, filepath.Join(repo, "site")
}

func changesSince(t *testing.T, root, rev string) []accessreview.Change {
	t.Helper()
	now, err := accessreview.Build(sitetest.Open(t, root).Site, sitefs.FS(root, ".", sitefs.MaxSourceFile))
	if err != nil {
		t.Fatal(err)
	}
	old, err := accessreview.AtRevision(context.Background(), root, rev)
	if err != nil {
		t.Fatal(err)
	}
	return accessreview.Changes(old, now)
}

// changeLines writes each change as "KIND NAME CHANGE ASPECT VALUE".
func changeLines(changes []accessreview.Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, strings.Join([]string{c.Kind, c.Name, c.Change, c.Aspect, c.Value}, " "))
	}
	return out
}

func TestSince(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	_, root := sinceRepo(t)
	changes := changesSince(t, root, "HEAD~1")
	got := changeLines(changes)
	want := []string{
		"group beta gained sealed beta/passwords/root#password",
		"group ops gained org beta",
		"group ops gained type passwords",
		"group ops gained secret beta/passwords/root#password",
		"user a@x.example changed role editor -> admin",
		"user a@x.example gained org beta",
		"user a@x.example gained type passwords",
		"user a@x.example gained secret beta/passwords/root#password",
		"user gone@x.example removed row ",
		"user gone@x.example lost group beta",
		"user gone@x.example lost portal beta",
		"user gone@x.example lost org beta",
		"user gone@x.example lost type configurations",
		"user gone@x.example lost type passwords",
		"user gone@x.example lost secret beta/passwords/root#password",
		"portal beta changed secrets none -> sealed",
		"portal beta gained sealed beta/passwords/root#password",
		"portal ops gained org beta",
		"portal ops gained type passwords",
		"portal ops gained secret beta/passwords/root#password",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// b2 is new in the site: content, not access. sv1 and b1 are in
	// organizations whose own lines say it.
	for _, c := range changes {
		if c.Aspect == accessreview.AspectItem {
			t.Errorf("an item line for an item of a gained org, or a new item: %+v", c)
		}
	}
	left, err := os.ReadDir(tmp)
	if err != nil || len(left) != 0 {
		t.Errorf("temporary files left behind: %v %v", left, err)
	}

	if c := changesSince(t, root, "HEAD"); len(c) != 0 {
		t.Errorf("changes since HEAD: %v", c)
	}

	var out bytes.Buffer
	if err := accessreview.WriteChanges(&out, "csv", "HEAD~1", changes[:1]); err != nil {
		t.Fatal(err)
	}
	if out.String() != "kind,name,change,aspect,value\ngroup,beta,gained,sealed,beta/passwords/root#password\n" {
		t.Errorf("csv:\n%s", out.String())
	}
	out.Reset()
	if err := accessreview.WriteChanges(&out, "json", "HEAD~1", nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != "{\n  \"since\": \"HEAD~1\",\n  \"changes\": []\n}\n" {
		t.Errorf("json:\n%s", out.String())
	}
}

// TestSinceItemLines: an item that exists in both revisions and becomes
// restricted is listed by id for those who lose it.
func TestSinceItemLines(t *testing.T) {
	repo := t.TempDir()
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	files := map[string]string{
		"cairn.toml":                           "title = \"T\"\n",
		"access.toml":                          "[groups.a]\norgs = [\"acme\"]\n\n[groups.b]\norgs = [\"acme\"]\n\n[portals.a]\ngroups = [\"a\"]\n\n[portals.b]\ngroups = [\"b\"]\n",
		"content/acme/org.toml":                "name = \"Acme\"\n",
		"content/acme/configurations/sv1.toml": "name = \"sv1\"\n",
		"content/acme/configurations/sv2.toml": "name = \"sv2\"\n",
	}
	if err := testsite.CommitFiles(repo, "Ann", when, "Start", files); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CommitFiles(repo, "Ann", when.Add(time.Hour), "Restrict sv2", map[string]string{
		"content/acme/configurations/sv2.toml": "name = \"sv2\"\naccess = [\"a\"]\n",
	}); err != nil {
		t.Fatal(err)
	}
	got := changeLines(changesSince(t, repo, "HEAD~1"))
	want := "group b lost item acme/configurations/sv2\nportal b lost item acme/configurations/sv2"
	if strings.Join(got, "\n") != want {
		t.Errorf("changes:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func TestAtRevisionErrors(t *testing.T) {
	_, root := sinceRepo(t)
	_, err := accessreview.AtRevision(context.Background(), root, "no-such-tag")
	if err == nil || err.Error() != `--since no-such-tag: git revision "no-such-tag": reference not found (name a branch, tag or commit)` {
		t.Errorf("unknown revision: %v", err)
	}
	plain := sitetest.Write(t, map[string]string{"cairn.toml": "title = \"T\"\n"})
	if _, err := accessreview.AtRevision(context.Background(), plain, "HEAD"); !errors.Is(err, gitrev.ErrNoRepository) {
		t.Errorf("no repository: %v", err)
	}
	// A revision at which access.toml does not parse.
	repo := t.TempDir()
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if err := testsite.CommitFiles(repo, "Ann", when, "Broken", map[string]string{"cairn.toml": "title = \"T\"\n", "access.toml": "[groups.a\n"}); err != nil {
		t.Fatal(err)
	}
	_, err = accessreview.AtRevision(context.Background(), repo, "HEAD")
	if err == nil || !strings.HasPrefix(err.Error(), "--since HEAD: access.toml at that revision cannot be read: access.toml:1: ") {
		t.Errorf("broken access.toml: %v", err)
	}
}

// TestSinceReadsSecretsAtRevision: the keys of a secrets file at the
// revision come from that revision's tree, not from the work tree.
func TestSinceReadsSecretsAtRevision(t *testing.T) {
	repo := t.TempDir()
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	const enc = "ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]"
	if err := testsite.CommitFiles(repo, "Ann", when, "Start", map[string]string{
		"cairn.toml":                             "title = \"T\"\n",
		"access.toml":                            "[groups.a]\norgs = [\"acme\"]\n\n[portals.a]\ngroups = [\"a\"]\n",
		"content/acme/org.toml":                  "name = \"Acme\"\n",
		"content/acme/passwords/admin.toml":      "name = \"Admin\"\n",
		"content/acme/passwords/admin.sops.yaml": "password: " + enc + "\nsops:\n  mac: x\n",
	}); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CommitFiles(repo, "Ann", when.Add(time.Hour), "Add the OTP secret", map[string]string{
		"content/acme/passwords/admin.sops.yaml": "password: " + enc + "\notp_secret: " + enc + "\nsops:\n  mac: x\n",
	}); err != nil {
		t.Fatal(err)
	}
	got := changeLines(changesSince(t, repo, "HEAD~1"))
	want := "group a gained secret acme/passwords/admin#otp_secret\nportal a gained secret acme/passwords/admin#otp_secret"
	if strings.Join(got, "\n") != want {
		t.Errorf("changes:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}
