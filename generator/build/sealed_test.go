package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
)

// sealedCanarySite is canarySite with the internal portal sealed.
func sealedCanarySite() map[string]string {
	files := map[string]string{}
	for k, v := range canarySite {
		files[k] = v
	}
	files["access.toml"] = strings.Replace(files["access.toml"], "archived = true\n", "archived = true\nsecrets = \"sealed\"\n", 1)
	return files
}

// sealerFunc adapts a function to portal.SecretSealer.
type sealerFunc func(ctx context.Context, it *model.Item, field string) (string, bool, error)

func (f sealerFunc) Seal(ctx context.Context, it *model.Item, field string) (string, bool, error) {
	return f(ctx, it, field)
}

// TestSealedPortalFailureKeepsEveryPortal: one build covers sealed and
// plain portals, so a sealed portal that fails while rendering leaves the
// plain ones old too (before, plain portals were swapped in by a first
// build and the sealed ones by a second).
func TestSealedPortalFailureKeepsEveryPortal(t *testing.T) {
	s := openSite(t, writeSite(t, sealedCanarySite()))
	if got := SealedPortals(s, nil); strings.Join(got, ",") != "internal" {
		t.Fatalf("sealed portals %v", got)
	}
	// The password item has a secrets file as far as the renderer knows.
	var pw *model.Item
	for _, it := range s.Items {
		if it.ID == "acme/passwords/admin" {
			pw = it
		}
	}
	pw.Secrets = "content/acme/passwords/admin.sops.yaml"
	out := filepath.Join(t.TempDir(), "public")
	ok := sealerFunc(func(_ context.Context, it *model.Item, field string) (string, bool, error) {
		return "SEALED-" + it.ID + "-" + field, true, nil
	})
	if _, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf, NoRunbooks: true, Sealers: map[string]portal.SecretSealer{"internal": ok}}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	if !strings.Contains(string(before["internal/acme/passwords/admin/index.html"]), "SEALED-acme/passwords/admin-password") {
		t.Fatal("the sealed portal does not carry the sealer's value: the test cannot see a sealer at work")
	}
	failing := sealerFunc(func(context.Context, *model.Item, string) (string, bool, error) {
		return "", false, errors.New("no key opens content/acme/passwords/admin.sops.yaml")
	})
	_, err := Build(context.Background(), s, Options{Output: out, OutputOutsideSite: true, Today: asOf.AddDate(0, 1, 0), NoRunbooks: true, Sealers: map[string]portal.SecretSealer{"internal": failing}})
	if err == nil || !strings.Contains(err.Error(), "no key opens") {
		t.Fatalf("want the sealer's error, got %v", err)
	}
	sameTree(t, before, readTree(t, out))
}

type fakeSource map[string]error

func (f fakeSource) Secrets(_ context.Context, it *model.Item) (map[string]string, error) {
	if err := f[it.ID]; err != nil {
		return nil, err
	}
	return map[string]string{"password": "pw-of-" + it.ID}, nil
}

func TestPassphrasesAndSealers(t *testing.T) {
	s := openSite(t, writeSite(t, sealedCanarySite()))
	sealed := SealedPortals(s, nil)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	_, err := Passphrases(s, sealed, PassphraseOptions{Getenv: getenv})
	want := `build refused: portal internal has secrets = "sealed" but no passphrase (set CAIRN_PORTAL_PASSPHRASE_INTERNAL or pass --passphrase-file internal=FILE); nothing was written`
	if err == nil || err.Error() != want {
		t.Errorf("no passphrase: %v\nwant %s", err, want)
	}
	env["CAIRN_PORTAL_PASSPHRASE_INTERNAL"] = "from the environment"
	for _, tc := range []struct {
		opts PassphraseOptions
		want string
	}{
		{PassphraseOptions{Getenv: getenv}, "from the environment"},
		{PassphraseOptions{Getenv: getenv, All: "for all portals"}, "from the environment"},
		{PassphraseOptions{Getenv: getenv, ByPortal: map[string]string{"internal": "by name"}}, "by name"},
		{PassphraseOptions{All: "for all portals"}, "for all portals"},
	} {
		got, err := Passphrases(s, sealed, tc.opts)
		if err != nil || got["internal"] != tc.want || len(got) != 1 {
			t.Errorf("%+v: %v %v, want %q", tc.opts, got, err, tc.want)
		}
	}

	pass := map[string]string{"internal": "a long enough passphrase"}
	pw := "acme/passwords/admin"
	var item *model.Item
	for _, it := range s.Items {
		if it.ID == pw {
			item = it
		}
	}
	item.Secrets = "content/acme/passwords/admin.sops.yaml"
	_, err = Sealers(context.Background(), s, pass, fakeSource{pw: fmt.Errorf("content/acme/passwords/admin.sops.yaml: no age key found")})
	want = "build refused: sealed portal internal needs secrets this build cannot decrypt; nothing was written:\ncontent/acme/passwords/admin.sops.yaml: no age key found"
	if err == nil || err.Error() != want {
		t.Errorf("undecryptable: %v\nwant %s", err, want)
	}
	if _, err := Sealers(context.Background(), s, map[string]string{"acme": "a long enough passphrase"}, fakeSource{}); err == nil {
		t.Error("a passphrase for a portal that is not sealed was accepted")
	}
	sg, err := Sealers(context.Background(), s, pass, fakeSource{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Sealers) != 1 || sg.Sealers["internal"] == nil {
		t.Fatalf("sealers %v", sg.Sealers)
	}
	v, ok, err := sg.Sealers["internal"].Seal(context.Background(), item, "password")
	if err != nil || !ok || v == "" || strings.Contains(v, "pw-of-") {
		t.Errorf("Seal: ok=%v err=%v; the sealed value is empty or holds the plaintext", ok, err)
	}

	// The new salt is written once asked; the next setup uses it, so the
	// same value seals to the same bytes.
	if wrote, err := sg.SaveSalts(s.Root); !wrote || err != nil {
		t.Fatalf("SaveSalts: %v, %v", wrote, err)
	}
	if wrote, err := sg.SaveSalts(s.Root); wrote || err != nil {
		t.Errorf("SaveSalts twice: %v, %v", wrote, err)
	}
	again, err := Sealers(context.Background(), s, pass, fakeSource{})
	if err != nil {
		t.Fatal(err)
	}
	v2, _, _ := again.Sealers["internal"].Seal(context.Background(), item, "password")
	if v2 != v {
		t.Error("after SaveSalts the same value seals differently: the salt was not kept")
	}
	if wrote, _ := again.SaveSalts(s.Root); wrote {
		t.Error("salts written again although none is new")
	}

	// A weak passphrase refuses the build.
	if _, err := Sealers(context.Background(), s, map[string]string{"internal": "short"}, fakeSource{}); err == nil || !strings.HasPrefix(err.Error(), "build refused: ") {
		t.Errorf("weak passphrase: %v", err)
	}
}

// TestSitePassphraseFile: cairn.toml's portal_passphrase_file is used
// (with a warning) only as a small regular file inside the site.
func TestSitePassphraseFile(t *testing.T) {
	files := sealedCanarySite()
	files["cairn.toml"] += "portal_passphrase_file = \"demo-pass.txt\"\n"
	files["demo-pass.txt"] = "the demo passphrase\n"
	root := writeSite(t, files)
	s := openSite(t, root)
	var warn strings.Builder
	got, err := Passphrases(s, []string{"internal"}, PassphraseOptions{Warn: &warn})
	if err != nil || got["internal"] != "the demo passphrase" {
		t.Fatalf("got %v, %v", got, err)
	}
	if !strings.Contains(warn.String(), "for the demo only") {
		t.Errorf("no warning: %q", warn.String())
	}
	p := filepath.Join(root, "demo-pass.txt")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	_, err = Passphrases(s, []string{"internal"}, PassphraseOptions{})
	if want := "cairn.toml: portal_passphrase_file demo-pass.txt: must be a regular file, not a link or device"; err == nil || err.Error() != want {
		t.Errorf("a linked passphrase file: %v, want %s", err, want)
	}
}
