package semdiff_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/semdiff"
)

// testRepo is a site in a git repository built by the test.
type testRepo struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	keys *secrets.Keys
}

var (
	alice = object.Signature{Name: "Alice Admin", Email: "alice@example.com", When: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)}
	bob   = object.Signature{Name: "Bob Builder", Email: "bob@example.com", When: time.Date(2026, 2, 10, 15, 30, 0, 0, time.UTC)}
	today = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

// The secret values of the test: none may appear in any output.
var canaries = []string{"old-vpn-canary-1", "new-vpn-canary-2", "router-canary-3"}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: "refs/heads/main"}})
	if err != nil {
		t.Fatal(err)
	}
	text, recipient, err := secrets.NewKeyFile(alice.When, "test key")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secrets.ParseKeys(text)
	if err != nil {
		t.Fatal(err)
	}
	tr := &testRepo{t: t, dir: dir, repo: r, keys: keys}
	tr.write(".sops.yaml", "creation_rules:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: "+recipient+"\n")
	return tr
}

func (tr *testRepo) write(rel, text string) {
	tr.t.Helper()
	p := filepath.Join(tr.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *testRepo) remove(rel string) {
	tr.t.Helper()
	if err := os.Remove(filepath.Join(tr.dir, filepath.FromSlash(rel))); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *testRepo) rename(from, to string) {
	tr.t.Helper()
	if err := os.Rename(filepath.Join(tr.dir, filepath.FromSlash(from)), filepath.Join(tr.dir, filepath.FromSlash(to))); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *testRepo) store() *secrets.Store {
	return &secrets.Store{Root: tr.dir, Keys: tr.keys, Now: func() time.Time { return alice.When }}
}

// setSecret writes a secrets file holding password = value.
func (tr *testRepo) setSecret(rel, value string) {
	tr.t.Helper()
	f := secrets.NewFile()
	f.Set("password", value)
	if err := tr.store().Save(rel, f); err != nil {
		tr.t.Fatal(err)
	}
}

// commit commits every change of the work tree as who, and returns the
// commit's hash.
func (tr *testRepo) commit(who object.Signature, msg string) string {
	tr.t.Helper()
	wt, err := tr.repo.Worktree()
	if err != nil {
		tr.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		tr.t.Fatal(err)
	}
	h, err := wt.Commit(msg, &git.CommitOptions{All: true, Author: &who, Committer: &who})
	if err != nil {
		tr.t.Fatal(err)
	}
	c, err := tr.repo.CommitObject(h)
	if err != nil {
		tr.t.Fatal(err)
	}
	if c.Author.Name != who.Name || !c.Author.When.Equal(who.When) {
		tr.t.Fatalf("commit by %s at %s, want %s at %s", c.Author.Name, c.Author.When, who.Name, who.When)
	}
	return h.String()
}

const baseAccess = `[groups.staff]
orgs = ["*"]

[groups.acme-staff]
orgs = ["acme"]
types = ["configurations", "contacts", "documents"]

[portals.internal]
title = "Internal"
groups = ["staff"]
secrets = "sealed"

[portals.acme]
title = "Acme portal"
groups = ["acme-staff"]
`

// baseSite writes the base revision: an organization with a firewall
// (two interfaces), an old switch, a contact, a document and two
// password items with secrets.
func (tr *testRepo) baseSite() {
	tr.write("cairn.toml", "title = \"Test docs\"\n")
	tr.write("access.toml", baseAccess)
	tr.write("content/acme/org.toml", "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n")
	tr.write("content/acme/configurations/fw01.toml", `name = "fw01"
configuration_type = "Firewall"
primary_ip = "10.0.0.1"
related = ["contacts/jo-bloggs"]

[[interfaces]]
name = "wan"
ip = "192.0.2.1"

[[interfaces]]
name = "lan"
ip = "10.0.0.1"
`)
	tr.write("content/acme/configurations/old-switch.toml", "name = \"old-switch\"\nconfiguration_type = \"Switch\"\n")
	tr.write("content/acme/contacts/jo-bloggs.toml", "first_name = \"Jo\"\nlast_name = \"Bloggs\"\ntitle = \"Office manager\"\n")
	tr.write("content/acme/documents/network.md", `+++
title = "Network"
+++

# Network

The firewall is [[configurations/fw01]].
Ask [[contacts/jo-bloggs]] first.
Line three.
`)
	tr.write("content/acme/passwords/vpn.toml", "name = \"VPN\"\nusername = \"admin\"\n")
	tr.setSecret("content/acme/passwords/vpn.sops.yaml", "old-vpn-canary-1")
	tr.write("content/acme/passwords/router.toml", "name = \"Router\"\nusername = \"root\"\n")
	tr.setSecret("content/acme/passwords/router.sops.yaml", "router-canary-3")
}

// headChange makes every kind of change on top of baseSite.
func (tr *testRepo) headChange() {
	// Values, group rows (reordered, one edited, one added).
	tr.write("content/acme/configurations/fw01.toml", `name = "fw01"
configuration_type = "Firewall"
primary_ip = "10.0.0.2"
related = ["contacts/jo-bloggs"] # not updated: the rename breaks it

[[interfaces]]
name = "lan"
ip = "10.0.0.2"

[[interfaces]]
name = "wan"
ip = "192.0.2.1"

[[interfaces]]
name = "dmz"
ip = "10.1.0.1"
`)
	tr.remove("content/acme/configurations/old-switch.toml")
	tr.write("content/acme/configurations/fw02.toml", "name = \"fw02\"\nconfiguration_type = \"Firewall\"\n")
	tr.rename("content/acme/contacts/jo-bloggs.toml", "content/acme/contacts/joanna-bloggs.toml")
	tr.write("content/acme/documents/network.md", `+++
title = "Network"
+++

# Network

The firewall is [[configurations/fw01]], its twin [[configurations/fw02]].
Ask [[contacts/joanna-bloggs]] first.
Line three, edited; see [[configurations/fw99]].
The [diagram](../files/lan.pdf) is new.
`)
	tr.write("content/acme/files/lan.pdf", "%PDF-1.4\n")
	// A secret value change, and a pure re-encryption.
	tr.setSecret("content/acme/passwords/vpn.sops.yaml", "new-vpn-canary-2")
	if err := tr.store().Rekey("content/acme/passwords/router.sops.yaml"); err != nil {
		tr.t.Fatal(err)
	}
	// An access change: the Acme portal now shows passwords, sealed.
	tr.write("access.toml", strings.Replace(strings.Replace(baseAccess,
		`types = ["configurations", "contacts", "documents"]`, `types = ["configurations", "contacts", "documents", "passwords"]`, 1),
		"groups = [\"acme-staff\"]\n", "groups = [\"acme-staff\"]\nsecrets = \"sealed\"\n", 1))
}

func (tr *testRepo) side(ctx context.Context, hash string) *semdiff.Side {
	tr.t.Helper()
	repo, err := gitrev.Open(tr.dir)
	if err != nil {
		tr.t.Fatal(err)
	}
	tr.t.Cleanup(func() { repo.Close() })
	c, err := repo.Resolve(hash)
	if err != nil {
		tr.t.Fatal(err)
	}
	s, err := semdiff.Revision(ctx, repo, c, tr.dir, today)
	if err != nil {
		tr.t.Fatal(err)
	}
	return s
}

func (tr *testRepo) decrypter() semdiff.Decrypter {
	st := tr.store()
	return semdiff.DecryptFunc(func(rel string, data []byte) (map[string]string, error) {
		f, err := st.Decrypt(rel, data)
		if err != nil {
			return nil, err
		}
		return f.Values(), nil
	})
}

// checkNoCanary fails, without printing the output, when a secret value
// is in it.
func checkNoCanary(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(out, c) {
			t.Errorf("a secret value (canary %d) is in the %s output", len(c), what)
		}
	}
}

// TestCompareReportsEveryKindOfChange compares the text report of every
// kind of change, with a key, with testdata/every-kind.txt.
func TestCompareReportsEveryKindOfChange(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.baseSite()
	baseHash := tr.commit(alice, "Document Acme's network")
	tr.headChange()
	headHash := tr.commit(bob, "Rework Acme: second firewall, VPN password, portal passwords")

	base, head := tr.side(ctx, baseHash), tr.side(ctx, headHash)
	base.Label, head.Label = "base (BASE)", "head (HEAD)"
	if n, _ := base.Diags.Count(); n != 0 {
		t.Fatalf("the base site has %d errors: %v", n, base.Diags.Sorted())
	}
	r, err := semdiff.Compare(ctx, base, head, semdiff.Options{Decrypter: tr.decrypter()})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := semdiff.WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	checkNoCanary(t, "text", b.String())
	golden(t, "every-kind.txt", b.String())
	for _, format := range []string{"markdown", "json"} {
		var out bytes.Buffer
		if err := semdiff.Write(&out, r, format); err != nil {
			t.Fatal(err)
		}
		checkNoCanary(t, format, out.String())
	}
}

// TestMarkdownWithoutKey compares the Markdown report (the pull-request
// comment) of the same change, made without a key, with
// testdata/every-kind.md.
func TestMarkdownWithoutKey(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.baseSite()
	baseHash := tr.commit(alice, "Document Acme's network")
	tr.headChange()
	headHash := tr.commit(bob, "Rework Acme")
	base, head := tr.side(ctx, baseHash), tr.side(ctx, headHash)
	base.Label, head.Label = "base (BASE)", "head (HEAD)"
	r, err := semdiff.Compare(ctx, base, head, semdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := semdiff.WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	checkNoCanary(t, "markdown", b.String())
	golden(t, "every-kind.md", b.String())
}

// golden compares got with testdata/name; CAIRN_UPDATE_GOLDEN=1 rewrites
// the file instead. The reports compared hold no secret value (each test
// checks its canaries first), so a failure may print them.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if os.Getenv("CAIRN_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("report differs from %s:\n%s\nwant:\n%s", file, got, want)
	}
}

// TestPlainTextSecretsAreNotShown: a change that writes a secret in plain
// text (a password key in TOML, a password in a document) is reported by
// check as a new error, and the report shows neither value.
func TestPlainTextSecretsAreNotShown(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.baseSite()
	baseHash := tr.commit(alice, "Document Acme's network")
	const tomlCanary, mdCanary = "Toml-Canary-88", "Hunter-Canary-77"
	tr.write("content/acme/passwords/vpn.toml", "name = \"VPN\"\nusername = \"admin\"\npassword = \""+tomlCanary+"\"\n")
	tr.write("content/acme/documents/network.md", "+++\ntitle = \"Network\"\n+++\n\n# Network\n\nThe firewall is [[configurations/fw01]].\nAsk [[contacts/jo-bloggs]] first.\nLine three.\nPassword: "+mdCanary+"\n")
	headHash := tr.commit(bob, "Leak two secrets")
	base, head := tr.side(ctx, baseHash), tr.side(ctx, headHash)
	base.Label, head.Label = "base", "head"
	r, err := semdiff.Compare(ctx, base, head, semdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range semdiff.Formats {
		var b bytes.Buffer
		if err := semdiff.Write(&b, r, format); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{tomlCanary, mdCanary} {
			if strings.Contains(b.String(), c) {
				t.Errorf("a planted secret (%d characters) is in the %s report", len(c), format)
			}
		}
	}
	var b bytes.Buffer
	if err := semdiff.WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  ~ changed acme/documents/network (Network)\n      (values not shown: cairn check finds a secret in plain text in this file)\n      body: changed (hidden)\n",
		"  ~ changed acme/passwords/vpn (VPN)\n      (values not shown: cairn check finds a secret in plain text in this file)\n      password: added (hidden)\n",
		"\nCheck\n  new error: content/acme/documents/network.md:10:11: password in plain text (leaks rule password-in-text) [secret-leak]\n" +
			"  new error: content/acme/passwords/vpn.toml:3:12: \"password\" is a password field: its value must not be written in plain TOML [plaintext-secret]\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q; its check section:\n%s", want, b.String()[strings.Index(b.String(), "\nCheck\n")+1:])
		}
	}
}

// TestMovedItemLosesSecretAsItWas: a password item moved to another
// organization leaves a sealed portal of its old organization; the secret
// that portal loses is named as the portal had it, not by the other
// organization's new path.
func TestMovedItemLosesSecretAsItWas(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.write("cairn.toml", "title = \"Test docs\"\n")
	tr.write("access.toml", `[groups.staff]
orgs = ["*"]

[groups.acme-staff]
orgs = ["acme"]

[portals.internal]
groups = ["staff"]

[portals.acme]
groups = ["acme-staff"]
secrets = "sealed"
`)
	tr.write("content/acme/org.toml", "name = \"Acme\"\n")
	tr.write("content/beta/org.toml", "name = \"Beta\"\n")
	tr.write("content/acme/passwords/vpn.toml", "name = \"VPN\"\nusername = \"admin\"\n")
	tr.setSecret("content/acme/passwords/vpn.sops.yaml", "old-vpn-canary-1")
	baseHash := tr.commit(alice, "Start")
	if err := os.MkdirAll(filepath.Join(tr.dir, "content/beta/passwords"), 0o755); err != nil {
		t.Fatal(err)
	}
	tr.rename("content/acme/passwords/vpn.toml", "content/beta/passwords/vpn.toml")
	tr.rename("content/acme/passwords/vpn.sops.yaml", "content/beta/passwords/vpn.sops.yaml")
	headHash := tr.commit(bob, "Move the VPN login to Beta")

	r, err := semdiff.Compare(ctx, tr.side(ctx, baseHash), tr.side(ctx, headHash), semdiff.Options{Decrypter: tr.decrypter()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pc := range r.Access {
		for _, it := range pc.Hides {
			got = append(got, pc.Portal+" hides "+it.ID)
		}
		for _, s := range pc.SecretsLost {
			got = append(got, pc.Portal+" loses "+s.Item+" "+s.Key)
		}
		for _, s := range pc.SecretsGained {
			got = append(got, pc.Portal+" gains "+s.Item+" "+s.Key)
		}
	}
	want := "acme hides acme/passwords/vpn\nacme loses acme/passwords/vpn password"
	if strings.Join(got, "\n") != want {
		t.Errorf("access impact:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// TestAccessTomlThatDoesNotParse: a change that breaks access.toml's
// syntax does not remove every portal (cairn build refuses the site
// until it parses): the access impact is unknown, said so, and the
// file's values are not listed as removed.
func TestAccessTomlThatDoesNotParse(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.baseSite()
	baseHash := tr.commit(alice, "Document Acme's network")
	tr.write("access.toml", baseAccess+"\n[groups.broken\n")
	headHash := tr.commit(bob, "Break access.toml")

	r, err := semdiff.Compare(ctx, tr.side(ctx, baseHash), tr.side(ctx, headHash), semdiff.Options{Decrypter: tr.decrypter()})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := semdiff.WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `cairn diff ` + r.Base + ` → ` + r.Head + `
1 changed, 1 new check error.

Access impact
  unknown: access.toml does not parse in ` + r.Head + ` (see Check); cairn build refuses the site until it does

Items
  ~ changed access.toml
      (values not compared: the file does not parse on one side, see Check)

Check
  new error: access.toml:17:15: TOML syntax: expected ']' to close table name [toml-syntax]
`
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
	var md bytes.Buffer
	if err := semdiff.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "#### Access impact\n\nunknown: access\\.toml does not parse in ") ||
		!strings.Contains(md.String(), "<summary>changed <code>access.toml</code>: not compared</summary>") {
		t.Errorf("markdown has no unknown access impact:\n%s", md.String())
	}
}

// TestSecretsRecipientsAdded: a secrets file re-encrypted for one more
// recipient keeps its value, and the report names the key that can
// decrypt it now (read from the SOPS metadata, no key needed).
func TestSecretsRecipientsAdded(t *testing.T) {
	ctx := context.Background()
	tr := newTestRepo(t)
	tr.baseSite()
	baseHash := tr.commit(alice, "Document Acme's network")
	_, second, err := secrets.NewKeyFile(alice.When, "second key")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile(filepath.Join(tr.dir, ".sops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tr.write(".sops.yaml", strings.TrimRight(string(rules), "\n")+","+second+"\n")
	if err := tr.store().Rekey("content/acme/passwords/router.sops.yaml"); err != nil {
		t.Fatal(err)
	}
	headHash := tr.commit(bob, "Let the second key read the router password")

	for _, dec := range []semdiff.Decrypter{tr.decrypter(), nil} {
		r, err := semdiff.Compare(ctx, tr.side(ctx, baseHash), tr.side(ctx, headHash), semdiff.Options{Decrypter: dec})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Secrets) != 1 {
			t.Fatalf("secrets changes: %+v", r.Secrets)
		}
		sc := r.Secrets[0]
		if sc.Item != "acme/passwords/router" || strings.Join(sc.RecipientsAdded, ",") != second || len(sc.RecipientsRemoved) != 0 {
			t.Errorf("with key %v: item %s, recipients added %v, removed %v; want %s added", dec != nil, sc.Item, sc.RecipientsAdded, sc.RecipientsRemoved, second)
		}
		var b bytes.Buffer
		if err := semdiff.WriteText(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "    recipient "+second+": added (can decrypt it now)\n") {
			t.Errorf("with key %v, the text report does not name the new recipient:\n%s", dec != nil, b.String())
		}
		checkNoCanary(t, "text", b.String())
	}
}
