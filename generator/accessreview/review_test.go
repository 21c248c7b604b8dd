package accessreview_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/accessreview"
	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// fakeSecrets is a secrets file as the review reads it: top-level keys
// only (nothing is decrypted).
const fakeSecrets = "password: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\notp_secret: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: x\n"

// smallSite has two clients; "ops" sees every organization but no
// passwords anywhere (a "*" deny pair); "acme" sees acme only; "mixed"
// shares a portal with acme; "lonely" is in no portal; a restricted item
// of acme is for acme's group only; vault is sealed, the others not.
func smallSite(t *testing.T, accessToml string) *accessreview.Review {
	t.Helper()
	root := sitetest.Write(t, map[string]string{
		"cairn.toml":                             "title = \"T\"\n",
		"access.toml":                            accessToml,
		"content/acme/org.toml":                  "name = \"Acme\"\n",
		"content/beta/org.toml":                  "name = \"Beta\"\n",
		"content/acme/configurations/sv1.toml":   "name = \"sv1\"\n",
		"content/acme/configurations/old.toml":   "name = \"old\"\narchived = true\n",
		"content/acme/passwords/admin.toml":      "name = \"Admin\"\n",
		"content/acme/passwords/admin.sops.yaml": fakeSecrets,
		"content/acme/passwords/vip.toml":        "name = \"VIP\"\naccess = [\"acme\"]\n",
		"content/beta/configurations/b1.toml":    "name = \"b1\"\n",
		"content/beta/passwords/root.toml":       "name = \"Root\"\n",
		"content/beta/passwords/root.sops.yaml":  "password: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: x\n",
	})
	r, err := accessreview.Build(sitetest.Open(t, root).Site, sitefs.FS(root, ".", sitefs.MaxSourceFile))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const smallAccess = `[groups.ops]
orgs = ["*"]
deny = ["*/passwords"]

[groups.acme]
orgs = ["acme"]

[groups.mixed]
orgs = ["acme"]
types = ["configurations"]

[groups.lonely]
orgs = ["beta"]

[[users]]
email = "a@x.example"
role = "admin"
groups = ["ops"]

[[users]]
email = "nobody@x.example"
role = "readonly"

[[users]]
email = "m@x.example"
groups = ["mixed", "acme"]

[portals.ops]
groups = ["ops"]
archived = true

[portals.acme]
groups = ["acme", "mixed"]

[portals.vault]
groups = ["acme"]
secrets = "sealed"
`

// brief is the part of a row the tests compare.
type brief struct {
	Portals, Orgs, Types, Withheld, Restricted, Secrets, Sealed, Notes string
	Items                                                              int
}

func briefOf(r accessreview.Row) brief {
	var sec, sealed []string
	for _, s := range r.Secrets {
		sec = append(sec, s.String())
		if len(s.SealedIn) > 0 {
			sealed = append(sealed, s.String()+"@"+strings.Join(s.SealedIn, "+"))
		}
	}
	j := func(l []string) string { return strings.Join(l, " ") }
	return brief{j(r.Portals), j(r.Orgs), j(r.Types), j(r.Withheld), j(r.Restricted), j(sec), j(sealed), strings.Join(r.Notes, " | "), r.Items}
}

func TestSmallSite(t *testing.T) {
	r := smallSite(t, smallAccess)
	got := map[string]brief{}
	for _, row := range r.Rows {
		got[row.Kind+" "+row.Name] = briefOf(row)
	}
	acmeAll := brief{Portals: "acme vault", Orgs: "acme", Types: "configurations passwords",
		Restricted: "acme/passwords/vip", Secrets: "acme/passwords/admin#password acme/passwords/admin#otp_secret",
		Sealed: "acme/passwords/admin#password@vault acme/passwords/admin#otp_secret@vault", Items: 3}
	want := map[string]brief{
		// "*" orgs see both; "*/passwords" hides every password, so the
		// type is not among its types (nor withheld: see the next test);
		// the ops portal shows archived items.
		"group ops":  {Portals: "ops", Orgs: "acme beta", Types: "configurations", Items: 3},
		"group acme": acmeAll,
		// mixed's own rules grant acme's configurations; the shared portal
		// shows it acme's passwords too, restricted one included.
		"group mixed": {Portals: "acme", Orgs: "acme", Types: "configurations passwords", Restricted: "acme/passwords/vip",
			Secrets: "acme/passwords/admin#password acme/passwords/admin#otp_secret", Items: 3,
			Notes: "portal acme also shows it 2 items its own rules do not grant (another group of the portal does)"},
		"group lonely":          {Notes: "in no portal: its members read nothing (in a portal it would show 2 items in 1 organization)"},
		"user a@x.example":      {Portals: "ops", Orgs: "acme beta", Types: "configurations", Items: 3},
		"user m@x.example":      acmeAll,
		"user nobody@x.example": {Notes: "in no group: reaches no portal"},
		"portal acme": {Portals: "acme", Orgs: "acme", Types: "configurations passwords", Restricted: "acme/passwords/vip",
			Secrets: "acme/passwords/admin#password acme/passwords/admin#otp_secret", Items: 3, Notes: `secrets = "none"`},
		"portal ops": {Portals: "ops", Orgs: "acme beta", Types: "configurations", Items: 3,
			Notes: `secrets = "none" | shows archived items`},
		"portal vault": {Portals: "vault", Orgs: "acme", Types: "configurations passwords", Restricted: "acme/passwords/vip",
			Secrets: "acme/passwords/admin#password acme/passwords/admin#otp_secret",
			Sealed:  "acme/passwords/admin#password@vault acme/passwords/admin#otp_secret@vault", Items: 3, Notes: `secrets = "sealed"`},
	}
	if len(got) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", k, g, w)
		}
	}
	var order []string
	for _, row := range r.Rows {
		order = append(order, row.Kind+" "+row.Name)
	}
	wantOrder := "group acme,group lonely,group mixed,group ops,user a@x.example,user m@x.example,user nobody@x.example,portal acme,portal ops,portal vault"
	if strings.Join(order, ",") != wantOrder {
		t.Errorf("order %s", strings.Join(order, ","))
	}
}

// TestDenyPairOfOneOrg: a deny pair naming one organization withholds
// that pair only.
func TestDenyPairOfOneOrg(t *testing.T) {
	r := smallSite(t, `[groups.g]
orgs = ["*"]
deny = ["beta/passwords"]

[portals.p]
groups = ["g"]
`)
	g := briefOf(r.Rows[0])
	want := brief{Portals: "p", Orgs: "acme beta", Types: "configurations passwords", Withheld: "beta/passwords",
		Secrets: "acme/passwords/admin#password acme/passwords/admin#otp_secret", Items: 3}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got %+v\nwant %+v", g, want)
	}
}

func TestFormats(t *testing.T) {
	r := smallSite(t, smallAccess)
	var text, csvOut, jsonOut bytes.Buffer
	for f, w := range map[string]*bytes.Buffer{"text": &text, "csv": &csvOut, "json": &jsonOut} {
		if err := r.Write(w, f); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines of text:\n%s", len(lines), text.String())
	}
	if h := strings.Fields(lines[0]); strings.Join(h, " ") != "KIND NAME ROLE GROUPS PORTALS ORGS TYPES WITHHELD ITEMS RESTRICTED SECRETS SEALED NOTES" {
		t.Errorf("header %q", lines[0])
	}
	// Columns line up: ITEMS starts at the same offset on every line.
	col := strings.Index(lines[0], "ITEMS")
	for _, l := range lines[1:] {
		if l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("not aligned at %d: %q", col, l)
		}
	}
	if got := strings.Join(strings.Fields(lines[4]), " "); got != "group ops - ops ops * (2) configurations - 3 - 0 0 -" {
		t.Errorf("ops row: %s", got)
	}

	recs, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 11 || strings.Join(recs[0], ",") != "kind,name,role,groups,portals,orgs,types,withheld,items,restricted,secrets,sealed,notes" {
		t.Fatalf("csv: %v", recs)
	}
	if want := "group,acme,,acme,acme;vault,acme,configurations;passwords,,3,acme/passwords/vip,acme/passwords/admin#password;acme/passwords/admin#otp_secret,acme/passwords/admin#password;acme/passwords/admin#otp_secret,"; strings.Join(recs[1], ",") != want {
		t.Errorf("csv row\n%s\nwant\n%s", strings.Join(recs[1], ","), want)
	}

	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(jsonOut.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rows) != 10 || doc.Rows[0]["name"] != "acme" || doc.Rows[4]["role"] != "admin" || doc.Rows[1]["orgs"] == nil {
		t.Errorf("json: %s", jsonOut.String())
	}
	if err := r.Write(&text, "yaml"); err == nil || err.Error() != `unknown format "yaml" (formats: text, csv, json)` {
		t.Errorf("yaml: %v", err)
	}
}

// TestTextCellsStayOneLine: a hostile group name with a line break and an
// escape cannot add a row or reach the terminal.
func TestTextCellsStayOneLine(t *testing.T) {
	r := smallSite(t, "[groups.\"a\\nb\\u001b[31m\"]\norgs = [\"acme\"]\n\n[portals.p]\ngroups = [\"a\\nb\\u001b[31m\"]\n")
	var out bytes.Buffer
	if err := r.Write(&out, "text"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 || strings.Contains(out.String(), "\x1b") {
		t.Errorf("%d lines:\n%q", n, out.String())
	}
}

// TestCSVCellsAreNotFormulas: a group or user name a spreadsheet would run
// as a formula is written as text.
func TestCSVCellsAreNotFormulas(t *testing.T) {
	r := smallSite(t, "[groups.\"=HYPERLINK(1)\"]\norgs = [\"acme\"]\n\n[[users]]\nemail = \"@x\"\ngroups = [\"=HYPERLINK(1)\"]\n\n[portals.p]\ngroups = [\"=HYPERLINK(1)\"]\n")
	var out bytes.Buffer
	if err := r.Write(&out, "csv"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	if recs[1][1] != "'=HYPERLINK(1)" || recs[2][1] != "'@x" {
		t.Errorf("records: %v", recs)
	}
}

// TestUserListedTwice: two users with one email are two rows, each saying
// so.
func TestUserListedTwice(t *testing.T) {
	r := smallSite(t, "[groups.a]\norgs = [\"acme\"]\n\n[[users]]\nemail = \"x@x\"\ngroups = [\"a\"]\n\n[[users]]\nemail = \"x@x\"\nrole = \"admin\"\n\n[portals.p]\ngroups = [\"a\"]\n")
	var notes []string
	for _, row := range r.Rows {
		if row.Kind == accessreview.KindUser {
			notes = append(notes, strings.Join(row.Notes, " | "))
		}
	}
	want := "this email is listed 2 times in access.toml / in no group: reaches no portal | this email is listed 2 times in access.toml"
	if got := strings.Join(notes, " / "); got != want {
		t.Errorf("notes: %s\nwant %s", got, want)
	}
}
