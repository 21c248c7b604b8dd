package itglue

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/importer/itglue/itgluetest"

	"filippo.io/age"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/internal/testtool"
)

type keyPair struct{ recipient, identity string }

func newKey(t testing.TB) keyPair {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return keyPair{id.Recipient().String(), id.String()}
}

func newSite(t testing.TB) string {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Site(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runImport(t testing.TB, exportPath, dir string, k keyPair, mod func(*Options)) *Report {
	t.Helper()
	exp, err := Open(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Close()
	keys, err := secrets.ParseKeys(k.identity)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Site: dir, Recipients: []string{k.recipient}, Keys: keys,
		Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }}
	if mod != nil {
		mod(&opts)
	}
	rep, err := Import(context.Background(), exp, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// tree reads every file of a folder.
func tree(t testing.TB, dir string) map[string]string {
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func TestImportedSitePassesCheckWithCountsOfTheCSVs(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, fixture, dir, k, nil)
	res, err := site.Open(context.Background(), dir, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags.Sorted() {
		if d.Severity == diag.Error {
			t.Errorf("check: %s", d)
		}
	}
	for _, e := range checkErrors(t, dir, k) {
		t.Errorf("check with the advisor: %s", e)
	}
	count := map[string]int{}
	for _, it := range res.Site.Items {
		if it.Org != "example" {
			count[it.Type]++
		}
	}
	orgs := 0
	for _, o := range res.Site.Orgs {
		if o.ImportID != "" {
			orgs++
		}
	}
	// rows of each CSV (documents: 3 listed + 1 HTML only; passwords: 5
	// rows, one embedded in its flexible parent).
	want := map[string]int{"configurations": 4, "contacts": 2, "locations": 2, "domains": 1, "ssl-certificates": 2,
		"assets/active-directory": 3, "assets/email": 1, "documents": 4, "passwords": 4 + 3}
	for typ, n := range want {
		if count[typ] != n {
			t.Errorf("%s: %d items, want %d", typ, count[typ], n)
		}
		if typ == "passwords" {
			n -= rep.Items["passwords (secrets found in text)"] // the report counts rows of passwords.csv
		}
		if rep.Items[typ] != n {
			t.Errorf("report: %s: %d items, want %d", typ, rep.Items[typ], n)
		}
	}
	if orgs != 3 || rep.Items["organizations"] != 3 || rep.Items["embedded passwords"] != 1 {
		t.Errorf("organizations %d (report %d), embedded %d", orgs, rep.Items["organizations"], rep.Items["embedded passwords"])
	}
	if rep.Items["schemas"] != 2 || strings.HasPrefix(tree(t, dir)["schemas/licensing.toml"], generatedMark) {
		t.Errorf("the empty licensing.csv must leave cairn init's schema alone: %d schemas", rep.Items["schemas"])
	}
	if rep.Read["configurations.csv"] != 4 || rep.Read["passwords.csv"] != 5 || rep.Read["organizations.csv"] != 3 {
		t.Errorf("read counts %v", rep.Read)
	}
	files := tree(t, dir)
	doc := files["content/acme-dental/documents/network/network-overview.md"]
	for _, want := range []string{"[[documents/network/servers/restore-dc|Restore DC]]", "[[configurations/fw01\\|fw01]]",
		"![Diagram](../../files/documents/network/network-overview/diagram-one.png)", "# Network"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q:\n%s", want, doc)
		}
	}
	if _, ok := files["content/acme-dental/files/documents/network/network-overview/diagram-one.png"]; !ok {
		t.Error("image not copied")
	}
	if !strings.Contains(files["content/acme-dental/configurations/dc01.toml"], "[manual-v2.pdf](../files/configurations/dc01/manual-v2.pdf)") {
		t.Errorf("attachment not linked:\n%s", files["content/acme-dental/configurations/dc01.toml"])
	}
	if !strings.Contains(files["content/acme-dental/configurations/dc01.toml"], `**configuration_interfaces (more)**: {"notes":"uplink to sw01"}`) {
		t.Errorf("interface notes dropped:\n%s", files["content/acme-dental/configurations/dc01.toml"])
	}
	if email := files["content/acme-dental/assets/email/microsoft-365.toml"]; strings.Count(email, "Renews in March") != 1 {
		t.Errorf("a flexible Notes column must be kept once:\n%s", email)
	}
	var warns []string
	for _, w := range rep.Warnings {
		warns = append(warns, w.String())
	}
	for _, want := range []string{
		"configurations.csv:5: password in plain text (leaks rule password-in-text), in what became content/acme-dental/configurations/ws-01.toml: moved to content/acme-dental/passwords/ws-01-secrets.sops.yaml (password, one value a line)",
		"documents/Network/Servers/DOC-1-502 Restore DC/Restore DC.html: password in plain text (leaks rule password-in-prose), in what became content/acme-dental/documents/network/servers/restore-dc.md: moved to content/acme-dental/passwords/network-servers-restore-dc-secrets.sops.yaml (password, one value a line)",
		`configurations.csv:5: primary_ip: not a valid ip for "primary_ip"; kept in the notes`,
	} {
		if !strings.Contains(strings.Join(warns, "\n"), want) {
			t.Errorf("warnings lack\n  %s\ngot\n  %s", want, strings.Join(warns, "\n  "))
		}
	}
	mail := files["content/acme-dental/ssl-certificates/mail.toml"]
	for _, want := range []string{`name = "mail"`, "expires_on = 20", `subject_alternative_names = ["mail.acme.example.com", "smtp.acme.example.com"]`, "(moved to [[passwords/mail-secrets]])"} {
		if !strings.Contains(mail, want) {
			t.Errorf("certificate from its PEM lacks %q:\n%s", want, mail)
		}
	}
	if !strings.Contains(files["content/acme-dental/configurations/dc01-2.toml"], "archived = true") {
		t.Error("archived row not archived")
	}
	if !strings.Contains(files["content/cafe-unicode-buro/org.toml"], `kind = "vendor"`) {
		t.Errorf("odd name: %v", files["content/cafe-unicode-buro/org.toml"])
	}
}

func TestPasswordsOnlyInSopsFiles(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, fixture, dir, k, nil)
	var text, js bytes.Buffer
	rep.WriteText(&text)
	rep.WriteJSON(&js)
	canaries := itgluetest.Secrets(t, fixture)
	for i, c := range canaries {
		for rel, body := range tree(t, dir) {
			if !strings.HasSuffix(rel, ".sops.yaml") && strings.Contains(body, c) {
				t.Errorf("canary %d found in %s", i, rel)
			}
		}
		if strings.Contains(text.String(), c) || strings.Contains(js.String(), c) {
			t.Errorf("canary %d found in the report", i)
		}
	}
	keys, _ := secrets.ParseKeys(k.identity)
	st := &secrets.Store{Root: dir, Keys: keys}
	got := map[string]bool{}
	for rel := range tree(t, dir) {
		if !strings.HasSuffix(rel, ".sops.yaml") || !strings.HasPrefix(rel, "content/") {
			continue
		}
		f, err := st.Open(rel)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		for _, v := range f.Values() {
			got[v] = true
		}
	}
	for i, c := range canaries {
		exact := strings.HasPrefix(c, "CANARY-pw") || strings.HasPrefix(c, "CANARY-otp") // a cell of passwords.csv
		found := got[c]
		for v := range got {
			found = found || (!exact && strings.Contains(v, c))
		}
		if !found {
			t.Errorf("canary %d is in no secrets file (or changed on the way)", i)
		}
	}
}

func TestStockSopsDecryptsImportedPassword(t *testing.T) {
	fixture := itgluetest.Basic(t)
	sops := testtool.Find(t, "go install github.com/getsops/sops/v3/cmd/sops@v3.13.3", "sops")
	dir, k := newSite(t), newKey(t)
	runImport(t, fixture, dir, k, nil)
	keyFile := filepath.Join(t.TempDir(), "keys.txt")
	os.WriteFile(keyFile, []byte(k.identity+"\n"), 0o600)
	cmd := exec.Command(sops, "--decrypt", "content/acme-dental/passwords/firewall-admin.sops.yaml")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOPS_AGE_KEY_FILE="+keyFile, "SOPS_AGE_KEY=", "XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sops --decrypt failed: %v", err)
	}
	if string(out) != "otp_secret: CANARY-otp-config-JBSWY3DP\npassword: CANARY-pw-config-91bc\n" {
		t.Error("sops --decrypt did not give the export's values back")
	}
}

func TestSecondImportWritesNothing(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	runImport(t, fixture, dir, k, nil)
	before := tree(t, dir)
	rep := runImport(t, fixture, dir, k, nil)
	if rep.Files["created"]+rep.Files["updated"]+rep.Files["kept"] != 0 || len(rep.Changes) != 0 {
		t.Errorf("second import: %v %v", rep.Files, rep.Changes)
	}
	after := tree(t, dir)
	if len(before) != len(after) {
		t.Fatalf("%d files before, %d after", len(before), len(after))
	}
	for rel, b := range before {
		if after[rel] != b {
			t.Errorf("%s changed", rel)
		}
	}
	// Without keys, existing secrets are kept as they are too.
	rep = runImport(t, fixture, dir, k, func(o *Options) { o.Keys = nil })
	if rep.Files["created"]+rep.Files["updated"] != 0 {
		t.Errorf("import without keys: %v", rep.Files)
	}
}

func TestHandEditIsKeptAndReported(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	runImport(t, fixture, dir, k, nil)
	rel := "content/acme-dental/configurations/fw01.toml"
	p := filepath.Join(dir, rel)
	b, _ := os.ReadFile(p)
	edited := strings.Replace(string(b), `model = "EX-100"`, `model = "EX-200"`, 1)
	os.WriteFile(p, []byte(edited), 0o644)
	rep := runImport(t, fixture, dir, k, nil)
	if got, _ := os.ReadFile(p); string(got) != edited {
		t.Error("hand edit overwritten")
	}
	if len(rep.Kept) != 1 || rep.Kept[0].File != rel || rep.Files["kept"] != 1 {
		t.Errorf("kept: %v", rep.Kept)
	}
}

func TestDeletedItemIsNotWrittenAgain(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	runImport(t, fixture, dir, k, nil)
	rel := "content/acme-dental/domains/acme-example-com.toml"
	os.Remove(filepath.Join(dir, rel))
	rep := runImport(t, fixture, dir, k, nil)
	if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
		t.Error("a deleted item was imported again")
	}
	if len(rep.Kept) != 1 || rep.Kept[0].File != rel || rep.Files["created"] != 0 {
		t.Errorf("kept %v, files %v", rep.Kept, rep.Files)
	}
}

func TestMergeIntoExistingSite(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	// A hand-made organization with the slug the import would take.
	os.MkdirAll(filepath.Join(dir, "content/acme-dental"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/acme-dental/org.toml"), []byte("name = \"Acme (ours)\"\nkind = \"client\"\n"), 0o644)
	rep := runImport(t, fixture, dir, k, nil)
	if b, _ := os.ReadFile(filepath.Join(dir, "content/acme-dental/org.toml")); string(b) != "name = \"Acme (ours)\"\nkind = \"client\"\n" {
		t.Error("hand-made organization overwritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "content/acme-dental-2/configurations/fw01.toml")); err != nil {
		t.Errorf("imported organization not beside it: %v", err)
	}
	// An imported item moved by hand is found again by its import_id.
	os.Rename(filepath.Join(dir, "content/acme-dental-2/configurations/fw01.toml"), filepath.Join(dir, "content/acme-dental-2/configurations/edge-firewall.toml"))
	os.Rename(filepath.Join(dir, "content/acme-dental-2/passwords/firewall-admin.toml"), filepath.Join(dir, "content/acme-dental-2/passwords/fw-admin.toml"))
	os.Rename(filepath.Join(dir, "content/acme-dental-2/passwords/firewall-admin.sops.yaml"), filepath.Join(dir, "content/acme-dental-2/passwords/fw-admin.sops.yaml"))
	rep = runImport(t, fixture, dir, k, nil)
	if _, err := os.Stat(filepath.Join(dir, "content/acme-dental-2/configurations/fw01.toml")); err == nil {
		t.Error("a moved item was imported again under its old name")
	}
	_ = rep
}

func TestAmbiguousTagsAreReportedAndKept(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, fixture, dir, k, nil)
	want := []string{
		`active-directory.csv:2: Domain Controllers: "dc01" names 2 items (configurations/dc01, configurations/dc01-2); kept as text`,
		`active-directory.csv:4: Domain Controllers: no configurations named "ghost-dc" in Acme Dental; kept as text`,
	}
	var got []string
	for _, n := range rep.Ambiguous {
		got = append(got, n.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("report lacks\n  %s\ngot\n  %s", w, strings.ReplaceAll(all, "\n", "\n  "))
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "content/acme-dental/assets/active-directory/acme-example-com.toml"))
	if !strings.Contains(string(b), `domain_controllers = ["configurations/fw01"]`) || !strings.Contains(string(b), "**Domain Controllers (not linked)**: dc01") {
		t.Errorf("tags:\n%s", b)
	}
}

func TestNoRecipientRefusesAndWritesNothing(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir := newSite(t)
	before := tree(t, dir)
	exp, _ := Open(fixture)
	defer exp.Close()
	_, err := Import(context.Background(), exp, Options{Site: dir})
	var nr *NoRecipientError
	if !errors.As(err, &nr) {
		t.Fatalf("got %v, want a NoRecipientError", err)
	}
	if !strings.Contains(err.Error(), "pass --recipient age1...") {
		t.Errorf("message: %v", err)
	}
	after := tree(t, dir)
	if len(after) != len(before) {
		t.Errorf("%d files written", len(after)-len(before))
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	before := tree(t, dir)
	rep := runImport(t, fixture, dir, k, func(o *Options) { o.DryRun = true; o.Recipients = nil })
	if rep.Files["created"] == 0 {
		t.Error("dry run reports nothing to create")
	}
	if after := tree(t, dir); len(after) != len(before) {
		t.Errorf("dry run wrote %d files", len(after)-len(before))
	}
	refuse := false
	for _, w := range rep.Warnings {
		refuse = refuse || strings.Contains(w.Message, "would refuse the passwords")
	}
	if !refuse {
		t.Error("a dry run without a recipient does not say the import would refuse")
	}
}

func TestOversizeAttachmentIsSkippedAndReported(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, fixture, dir, k, func(o *Options) { o.maxAttachment = 10 })
	var got []string
	for _, n := range rep.Skipped {
		got = append(got, n.String())
	}
	want := "attachments/configurations/1001/Manual (v2).pdf: 18 bytes, more than the 10 a site's attachment may have; not copied"
	if !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("skipped %q, want %q", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "content/acme-dental/configurations/dc01.toml")); strings.Contains(string(b), "manual-v2.pdf") {
		t.Error("a skipped attachment is linked")
	}
}

func TestExportWithoutOrganizationsCSVIsFoundInItsFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "export.zip")
	f, _ := os.Create(p)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("acme-export/configurations.csv")
	w.Write([]byte("id,organization,name,configuration_type\n1,Acme,fw01,Firewall\n"))
	zw.Close()
	f.Close()
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, p, dir, k, nil)
	if rep.Items["configurations"] != 1 || rep.Items["organizations"] != 1 {
		t.Errorf("items %v, skipped %v", rep.Items, rep.Skipped)
	}
}

// zipOf zips the fixture export in the folder fixture under a top folder,
// with hostile entries.
func zipOf(t *testing.T, fixture string) string {
	p := filepath.Join(t.TempDir(), "export.zip")
	f, _ := os.Create(p)
	zw := zip.NewWriter(f)
	filepath.WalkDir(fixture, func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(fixture, path)
		w, _ := zw.Create("itglue-export/" + filepath.ToSlash(rel))
		b, _ := os.ReadFile(path)
		w.Write(b)
		return nil
	})
	for _, n := range []string{"../escape.csv", "/abs.csv", `..\win.csv`} {
		w, _ := zw.Create(n)
		w.Write([]byte("id,name\n1,x\n"))
	}
	h := &zip.FileHeader{Name: "itglue-export/link.csv"}
	h.SetMode(fs.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(h)
	w.Write([]byte("/etc/passwd"))
	zw.Close()
	f.Close()
	return p
}

func TestZipExportWithHostileEntries(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	z := zipOf(t, fixture)
	rep := runImport(t, z, dir, k, nil)
	if rep.Items["configurations"] != 4 {
		t.Errorf("zip import: %v", rep.Items)
	}
	var skipped []string
	for _, n := range rep.Skipped {
		skipped = append(skipped, n.String())
	}
	all := strings.Join(skipped, "\n")
	for _, w := range []string{"../escape.csv: name leads outside the export; not read", "/abs.csv: name leads outside the export; not read",
		`..\win.csv: name leads outside the export; not read`, "link.csv: a symbolic link; not followed"} {
		if !strings.Contains(all, w) {
			t.Errorf("skipped lacks %q:\n%s", w, all)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.csv")); err == nil {
		t.Error("an entry escaped")
	}
	// The same export as a folder gives the same site.
	dir2 := newSite(t)
	runImport(t, fixture, dir2, k, nil)
	a, b := tree(t, dir), tree(t, dir2)
	for rel, body := range a {
		if !strings.HasSuffix(rel, ".sops.yaml") && rel != ".sops.yaml" && rel != ManifestFile && b[rel] != body {
			t.Errorf("%s differs between zip and folder import", rel)
		}
	}
}

func TestReadFileBounds(t *testing.T) {
	fixture := itgluetest.Basic(t)
	exp, err := Open(zipOf(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Close()
	if _, err := exp.ReadFile("organizations.csv", 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}

// TestAwkwardExportPassesCheck imports a second export written in another
// hand: Title Case headers, quotes and commas in names, an organization
// named like a type folder, a path in a name, unknown organizations,
// malformed JSON cells, a header-only passwords.csv, a flexible type with a
// password column and two columns of the same name that replaces cairn
// init's default schema, links into another organization and to missing
// files, a missing image.
func TestAwkwardExportPassesCheck(t *testing.T) {
	dir, k := newSite(t), newKey(t)
	rep := runImport(t, "testdata/awkward", dir, k, nil)
	for _, e := range checkErrors(t, dir, k) {
		t.Errorf("check: %s", e)
	}
	files := tree(t, dir)
	for rel, body := range files {
		for i, c := range []string{"W1F1-S3cret-Zz", "Another-S3cret-Qq"} {
			if !strings.HasSuffix(rel, ".sops.yaml") && strings.Contains(body, c) {
				t.Errorf("canary %d found in %s", i, rel)
			}
		}
	}
	for rel, want := range map[string]string{
		"content/smith-and-sons-ltd/org.toml":                                          `message = "VIP client"`,
		"content/smith-and-sons-ltd/configurations/srv-01.toml":                        `**Configuration Interfaces (more)**: {"ip_address":"bad"}`,
		"content/smith-and-sons-ltd/documents/ops-and-run/sub-folder/read-me-first.md": "[other org](https://smith.itglue.com/8/docs/501) rel\n",
		"content/configurations-org/org.toml":                                          `name = "configurations"`,
		"content/rocket-co/configurations/etc-passwd.toml":                             `name = "../../etc/passwd"`,
		"content/unknown-org-inc/configurations/pc-1.toml":                             `name = "PC-1"`,
		"content/configurations-org/documents/vendor-notes.md":                         "Vendor notes.",
		"schemas/wireless.toml":                                                        "name = \"notes_3\"\nlabel = \"Notes\"",
	} {
		if !strings.Contains(files[rel], want) {
			t.Errorf("%s lacks %q:\n%s", rel, want, files[rel])
		}
	}
	if rep.Items["assets/wireless"] != 4 || rep.Read["passwords.csv"] != 0 {
		t.Errorf("items %v read %v", rep.Items, rep.Read)
	}
}

func TestLinksInTheExportAndTheSiteAreNotFollowed(t *testing.T) {
	outside := t.TempDir()
	// A folder export with a linked CSV and a linked folder of documents.
	exp := filepath.Join(t.TempDir(), "export")
	if err := itgluetest.Export(exp); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(outside, "secret.csv"), []byte("id,organization,name\n1,Acme Dental,x\n"), 0o644)
	os.Symlink(filepath.Join(outside, "secret.csv"), filepath.Join(exp, "printing.csv"))
	os.Symlink(outside, filepath.Join(exp, "documents", "linked"))
	// A site whose folder for the organization is a link out of it.
	dir, k := newSite(t), newKey(t)
	os.Symlink(outside, filepath.Join(dir, "content", "acme-dental"))
	rep := runImport(t, exp, dir, k, nil)
	var skipped []string
	for _, n := range rep.Skipped {
		skipped = append(skipped, n.String())
	}
	for _, want := range []string{"printing.csv: a symbolic link; not followed", "documents/linked: a symbolic link; not followed"} {
		if !strings.Contains(strings.Join(skipped, "\n"), want) {
			t.Errorf("skipped lacks %q: %q", want, skipped)
		}
	}
	if rep.Items["assets/printing"] != 0 {
		t.Error("a linked CSV was read")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("the import wrote through a link: %d entries outside", len(entries))
	}
	if _, err := os.Stat(filepath.Join(dir, "content/acme-dental-2/org.toml")); err != nil {
		t.Errorf("the organization did not go beside the link: %v", err)
	}
}

func TestManySecretsInOneNoteAreAllMoved(t *testing.T) {
	exp := t.TempDir()
	var notes []string
	var values []string
	for i := 0; i < 12; i++ {
		v := fmt.Sprintf("Zq%02d#canary", i)
		values = append(values, v)
		notes = append(notes, fmt.Sprintf("Router %d password: %s", i, v))
	}
	csvText := "id,organization,name,configuration_type,notes\n1,Acme,rtr,Router,\"" + strings.Join(notes, "\n") + "\"\n"
	os.WriteFile(filepath.Join(exp, "configurations.csv"), []byte(csvText), 0o644)
	dir, k := newSite(t), newKey(t)
	runImport(t, exp, dir, k, nil)
	for _, e := range checkErrors(t, dir, k) {
		t.Errorf("check: %s", e)
	}
	keys, _ := secrets.ParseKeys(k.identity)
	f, err := (&secrets.Store{Root: dir, Keys: keys}).Open("content/acme/passwords/rtr-secrets.sops.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Get("password"); v != strings.Join(values, "\n") {
		t.Error("the moved values are not all there, in order")
	}
}

func TestWideFlexibleCSVKeepsExtraColumnsInNotes(t *testing.T) {
	exp := t.TempDir()
	var head, row []string
	for i := 0; i < 230; i++ {
		head = append(head, fmt.Sprintf("Field %d", i))
		row = append(row, fmt.Sprintf("v%d", i))
	}
	os.WriteFile(filepath.Join(exp, "wide.csv"), []byte("id,organization,"+strings.Join(head, ",")+"\n1,Acme,"+strings.Join(row, ",")+"\n"), 0o644)
	dir, k := newSite(t), newKey(t)
	runImport(t, exp, dir, k, nil)
	b, err := os.ReadFile(filepath.Join(dir, "content/acme/assets/wide/v0.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "- **Field 229**: v229") || !strings.Contains(string(b), `field_0 = "v0"`) {
		t.Errorf("wide item:\n%s", b)
	}
	res, _ := site.Open(context.Background(), dir, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, d := range res.Diags.Sorted() {
		if d.Severity == diag.Error {
			t.Errorf("check: %s", d)
		}
	}
}
