package runbook

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/site/sitetest"
	"github.com/cairn-it/cairn/generator/testsite"
	"github.com/cairn-it/cairn/internal/testtool"

	"github.com/cairn-it/cairn/generator/access"
)

// outDir is where tests leave artifacts: $CAIRN_TEST_OUT/<test>, else a
// temporary folder.
func outDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("CAIRN_TEST_OUT"); d != "" {
		dir := filepath.Join(d, "runbook", strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	if err := testsite.WriteFiles(root, files); err != nil {
		t.Fatal(err)
	}
}

// testPNG is a small diagram-like picture.
func testPNG(t testing.TB) string {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 240; x++ {
			c := color.NRGBA{uint8(x), uint8(y * 2), 180, 255}
			if x < 4 || y < 4 || x > 235 || y > 115 {
				c = color.NRGBA{20, 20, 20, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// asOf is the date every test book is made on.
var asOf = sitetest.Day

// testSite writes a small site with non-ASCII names, every field kind and
// every Markdown construct, and returns its folder. Organizations:
// "muller" (the book's), "aero" (another client that must never show) and
// "lodz" (a shared vendor).
func testSite(t testing.TB) string {
	root := t.TempDir()
	longRows := ""
	for i := 1; i <= 70; i++ {
		longRows += "| Port " + itoa(i) + " | VLAN " + itoa(10+i%4) + " | Patch panel B-" + itoa(i) + ", the long wall by the window in the Müller comms room |\n"
	}
	files := map[string]string{
		"cairn.toml": "title = \"Test docs\"\nexpiry_window_days = 30\n",
		"access.toml": `
[groups.staff]
orgs = ["*"]

[groups.secops]
orgs = ["*"]

[groups.muller-staff]
orgs = ["muller"]
types = ["configurations", "contacts", "locations", "documents", "checklists"]

[portals.internal]
title = "Technicians"
groups = ["staff"]
archived = true

[portals.security]
title = "Security team"
groups = ["staff", "secops"]

[portals.muller]
title = "Müller IT"
groups = ["muller-staff"]
`,
		"schemas/backup.toml": `
name = "Backup"
singular = "Backup job"
[[fields]]
name = "job"
label = "Job"
kind = "text"
use_for_title = true
show_in_list = true
[[fields]]
name = "product"
kind = "select"
options = ["Veeam", "Datto"]
show_in_list = true
[[fields]]
name = "retention_days"
label = "Retention (days)"
kind = "number"
show_in_list = true
[[fields]]
name = "target"
label = "Protects"
kind = "tag"
targets = ["configurations"]
multiple = true
[[fields]]
name = "restore"
label = "Restore"
kind = "header"
[[fields]]
name = "restore_steps"
label = "Restore steps"
kind = "textbox"
[[fields]]
name = "encryption_key"
label = "Encryption key"
kind = "password"
[[fields]]
name = "licence_expires"
label = "Licence expires"
kind = "date"
expires = true
`,
		"content/muller/org.toml": `
name = "Müller Maschinenbau GmbH"
kind = "client"
status = "active"
short_name = "Müller"
description = "Machine builder in Łódź and Ærøskøbing: 40 seats, two sites."
quick_notes = """
Call **Jürgen Müller** before any reboot of [[configurations/sv-fs01]].
Vendor support: [[lodz/contacts/zofia]].
"""
[[alerts]]
level = "critical"
message = "The server room in Ærøskøbing floods: never leave equipment on the floor."
[[alerts]]
level = "info"
message = "Office closed 24–26 December."
`,
		"content/muller/configurations/sv-fs01.toml": `
name = "sv-fs01"
configuration_type = "Server"
primary_ip = "192.0.2.10"
hostname = "sv-fs01.müller.example"
location = "locations/lodz"
contact = "contacts/jurgen"
manufacturer = "Dell"
model = "PowerEdge T350"
serial_number = "SN-ÆØÅ-0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
warranty_expires = 2026-12-10
related = ["documents/restore"]
notes = """
File server. Shares: \\\\sv-fs01\\daten. Restore with [[documents/restore|the restore SOP]].
"""
[[interfaces]]
name = "Ethernet0"
ip = "192.0.2.10"
mac = "00:15:5d:01:02:03"
primary = true
[[interfaces]]
name = "iDRAC"
ip = "192.0.2.11"
mac = "00:15:5d:01:02:04"
`,
		"content/muller/configurations/fw-lodz.toml": `
name = "fw-łódź"
configuration_type = "Firewall"
status = "Active"
primary_ip = "192.0.2.1"
location = "locations/lodz"
warranty_expires = 2026-10-01
`,
		"content/muller/configurations/old-nas.toml": `
name = "old-nas"
configuration_type = "NAS"
archived = true
`,
		"content/muller/configurations/siem-collector.toml": `
name = "siem-collector-secret"
configuration_type = "Server"
access = ["secops"]
`,
		"content/muller/contacts/jurgen.toml": `
first_name = "Jürgen"
last_name = "Müller"
title = "Geschäftsführer"
contact_type = "Owner"
important = true
location = "locations/lodz"
[[emails]]
value = "juergen.mueller@mueller.example"
[[phones]]
value = "+49 30 1234567"
label = "Work"
extension = "12"
[[phones]]
value = "+49 170 7654321"
label = "Mobile"
`,
		"content/muller/contacts/anna.toml": `
first_name = "Anna"
last_name = "Ærø"
title = "Office manager"
`,
		"content/muller/locations/lodz.toml": `
name = "Łódź plant"
primary = true
address_1 = "ul. Piotrkowska 1"
city = "Łódź"
country = "Poland"
access_instructions = """
Keys at the gate house. The comms room is *behind* the canteen.
"""
`,
		"content/muller/passwords/fs-admin.toml": `
name = "sv-fs01 local admin"
category = "Administrator"
username = "Administrator"
url = "https://sv-fs01.mueller.example:8443/a/very/long/path/that/does/not/break/naturally/0123456789abcdef0123456789abcdef"
`,
		"content/muller/domains/mueller-example.toml": `
name = "mueller.example"
registrar = "Gandi"
nameservers = ["ns1.gandi.net", "ns2.gandi.net"]
expires_on = 2026-12-01
`,
		"content/muller/assets/backup/nightly.toml": `
job = "Nightly file server backup"
product = "Veeam"
retention_days = 30
target = ["configurations/sv-fs01"]
licence_expires = 2027-06-30
restore_steps = """
1. Open the Veeam console on [[configurations/sv-fs01]].
2. Pick the restore point.
"""
`,
		"content/muller/files/lan.png":  testPNG(t),
		"content/muller/files/rack.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
		"content/muller/documents/restore.md": `+++
title = "Restore the file server"
category = "SOP"
owner = "contacts/jurgen"
review_by = 2026-11-30
+++

# Restore the file server

When **sv-fs01** fails, follow these steps *in order*. Use ` + "`" + `wbadmin` + "`" + ` only as a last resort.
See [[configurations/sv-fs01]] and [[assets/backup/nightly|the backup job]], the
[vendor guide](https://helpcenter.veeam.com/docs/backup/vsphere/restore_files.html?ver=120&lang=en&a-very-long-query=0123456789abcdef0123456789abcdef0123456789)
and the [network diagram](../files/lan.png).

## Steps

1. Check the backup ran: ~~maybe~~ look at the dashboard.
2. Restore:
   - files first
   - then shares
     - nested once more
3. Tell Jürgen.

- [x] Backup verified @anna due:2026-11-20
- [ ] Restore tested @jurgen due:2026-12-15

> Never restore over live data.
> Quote with **bold**.

| Step | Who | Time |
| --- | --- | ---: |
| Verify | Anna Ærø | 5 min |
| Restore | Jürgen Müller | 2 h |

` + "```powershell\n" + `Get-WBSummary | Format-List
Start-WBFileRecovery -BackupSet $set -SourcePath "D:\Daten\" -TargetPath "E:\restore\averyveryveryveryveryveryveryveryveryveryveryveryveryveryverylongpathsegment"
` + "```\n" + `
![LAN diagram](../files/lan.png)

![Rack](../files/rack.svg)

---

Unbroken: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

## Ports

| Port | VLAN | Where |
| --- | --- | --- |
` + longRows,
		"content/muller/checklists/onboarding-anna.md": `+++
title = "Onboarding Anna Ærø"
assignee = "Jürgen"
due = 2026-12-01
status = "In progress"
+++

- [x] Create the account @jurgen due:2026-11-20
- [ ] Order the laptop @anna due:2026-11-28
- [ ] Add to [[contacts/anna]]
`,
		"content/aero/org.toml": `
name = "Ærø Færgeri"
kind = "client"
`,
		"content/aero/configurations/ferry-pc.toml": `
name = "ferry-pc-ÆRØ"
configuration_type = "Workstation"
`,
		"content/lodz/org.toml": `
name = "Łódź Serwis"
kind = "vendor"
shared = true
`,
		"content/lodz/contacts/zofia.toml": `
first_name = "Zofia"
last_name = "Wójcik"
important = true
`,
	}
	writeFiles(t, root, files)
	return root
}

func itoa(i int) string { return strconv.Itoa(i) }

// openView opens the site at root, fails on check errors, and returns
// the view of portal.
func openView(t testing.TB, root, portal string) *access.View {
	t.Helper()
	v, err := access.NewView(sitetest.Valid(t, root), portal)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// render makes a book and returns its bytes.
func render(t testing.TB, v *access.View, org string, opts Options) []byte {
	t.Helper()
	if opts.AsOf.IsZero() {
		opts.AsOf = asOf
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, v, org, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	tool := testtool.Find(t, "poppler-utils", "pdftotext")
	f := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
