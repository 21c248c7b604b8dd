package advisor_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/advisor"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/site/sitetest"
)

// repo is the project's root, which holds the demo site.
var repo = filepath.Join("..", "..")

// demoCopy copies the demo site into a new temporary folder: tests plant
// faults in the copy as a reviewer would.
func demoCopy(t *testing.T) string { return sitetest.CopyDemo(t, repo) }

// fault changes one file of a site copy.
type fault func(t *testing.T, root string)

// change rewrites a file with fn, which may fail the test.
func change(file string, fn func(t *testing.T, data string) string) fault {
	return func(t *testing.T, root string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(file))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fn(t, string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// edit replaces old, which must occur exactly once, with new in file.
func edit(file, old, new string) fault {
	return change(file, func(t *testing.T, data string) string {
		if n := strings.Count(data, old); n != 1 {
			t.Fatalf("%s: %q occurs %d times, want 1", file, old, n)
		}
		return strings.Replace(data, old, new, 1)
	})
}

// write writes a whole file.
func write(file, body string) fault {
	return func(t *testing.T, root string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// appendTo adds text at the end of a file.
func appendTo(file, text string) fault {
	return change(file, func(_ *testing.T, data string) string { return data + "\n" + text })
}

// remove deletes a file.
func remove(file string) fault {
	return func(t *testing.T, root string) {
		t.Helper()
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(file))); err != nil {
			t.Fatal(err)
		}
	}
}

// advise plants faults in a copy of the demo, checks it (which must find
// no error: the faults are good documentation, only bad practice) and
// runs the advisor.
func advise(t *testing.T, opts advisor.Options, faults ...fault) (*advisor.Result, *model.Site) {
	t.Helper()
	root := demoCopy(t)
	for _, f := range faults {
		f(t, root)
	}
	res := sitetest.Open(t, root)
	if err := res.Diags.Err(); err != nil {
		t.Fatalf("the planted site has check errors:\n%v", err)
	}
	ar, err := advisor.Run(context.Background(), res.Site, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ar, res.Site
}

// report is the advisor's diagnostics as cairn check prints them.
func report(t *testing.T, r *advisor.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := diag.WriteText(&b, r.Diags.Sorted()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A ruleCase plants faults in the demo; want is the advisor's whole
// report, exactly as cairn check prints it ("" when nothing must fire).
type ruleCase struct {
	name   string
	faults []fault
	want   string
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := advise(t, advisor.Options{}, tc.faults...)
			if got := report(t, r); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// shiftLines rewrites the FILE:LINE: positions of the cases' wants, which
// are written for a demo FILE of base lines, to the lines the demo's FILE
// has now: the faults append to it, so what they add moves with its length.
func shiftLines(t *testing.T, file string, base int, cases []ruleCase) []ruleCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, file))
	if err != nil {
		t.Fatal(err)
	}
	shift := strings.Count(string(data), "\n") - base
	re := regexp.MustCompile(regexp.QuoteMeta(file) + `:(\d+):`)
	for i := range cases {
		cases[i].want = re.ReplaceAllStringFunc(cases[i].want, func(m string) string {
			n, _ := strconv.Atoi(re.FindStringSubmatch(m)[1])
			return fmt.Sprintf("%s:%d:", file, n+shift)
		})
	}
	return cases
}

// TestDemoIsClean: the demo breaks no rule; what it shows on purpose is
// suppressed in place, with a reason.
func TestDemoIsClean(t *testing.T) {
	r, _ := advise(t, advisor.Options{})
	if got := report(t, r); got != "" {
		t.Errorf("the demo has advisor findings:\n%s", got)
	}
	var got []string
	for _, s := range r.Suppressed {
		got = append(got, s.Pos.String()+" "+s.Code+" by "+s.By.String())
	}
	want := []string{
		"access.toml:6:2 group-sees-all by access.toml:14:13",
		"access.toml:116:2 unsealed-passwords by access.toml:123:13",
		"content/ferrum/documents/network/vlans.md:54:45 data-in-document by content/ferrum/documents/network/vlans.md:54:57",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppressed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const vmRestore = "content/ferrum/documents/sops/vm-restore.md"

func TestDataInDocument(t *testing.T) {
	runCases(t, []ruleCase{
		{"a server's IP pasted into an SOP", []fault{edit(vmRestore, "[[configurations/fr-veeam01]]; sign in", "fr-veeam01 (10.20.100.50); sign in")},
			`content/ferrum/documents/sops/vm-restore.md:15:13: warning: IP address 10.20.100.50 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-veeam01]] (primary_ip)
`},
		{"beside a link to the item that holds it", []fault{edit(vmRestore, "[[configurations/fr-veeam01]]; sign in", "[[configurations/fr-veeam01]] (10.20.100.50); sign in")},
			`content/ferrum/documents/sops/vm-restore.md:15:32: warning: IP address 10.20.100.50 written in the text of a document
    hint: drop the copy: the text links [[configurations/fr-veeam01]] already, which holds it (primary_ip) and stays right when it changes
`},
		{"a paragraph that links another item", []fault{edit(vmRestore, "[[configurations/fr-veeam01]]; sign in", "[[configurations/fr-veeam01]] (the DC is 10.20.100.21); sign in")},
			`content/ferrum/documents/sops/vm-restore.md:15:42: warning: IP address 10.20.100.21 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-dc01]] (primary_ip)
`},
		{"a MAC address", []fault{edit(vmRestore, "## Choose the restore", "The DC's NIC is 00:15:5D:14:64:21.\n\n## Choose the restore")},
			`content/ferrum/documents/sops/vm-restore.md:18:17: warning: MAC address 00:15:5D:14:64:21 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-dc01]] (interfaces.mac)
`},
		{"a serial number an item holds", []fault{edit(vmRestore, "## Choose the restore", "If the SAN (serial 8FRSAN1) is lost, call the vendor.\n\n## Choose the restore")},
			`content/ferrum/documents/sops/vm-restore.md:18:20: warning: serial number 8FRSAN1 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-san01]] (serial_number)
`},
		{"a code no item holds is no serial", []fault{edit(vmRestore, "## Choose the restore", "Order part 8FRSAN2X for a spare.\n\n## Choose the restore")}, ""},
		{"a phone number and an email address no item holds", []fault{edit(vmRestore, "## Choose the restore", "Veeam support: +1 614 555 0199, support@veeam.example.\n\n## Choose the restore")},
			`content/ferrum/documents/sops/vm-restore.md:18:16: warning: phone number +1 614 555 0199 written in the text of a document
    hint: record it on a contact or location and link that item here, like [[contacts/...]]
content/ferrum/documents/sops/vm-restore.md:18:33: warning: email address support@veeam.example written in the text of a document
    hint: record it on a contact or location and link that item here, like [[contacts/...]]
`},
		{"an IPv6 address", []fault{edit(vmRestore, "## Choose the restore", "The tunnel's far end is 2001:db8:20::1.\n\n## Choose the restore")},
			`content/ferrum/documents/sops/vm-restore.md:18:25: warning: IP address 2001:db8:20::1 written in the text of a document
    hint: record it on the item it belongs to (a configuration's primary_ip or interfaces) and link that item here, like [[configurations/...]]
`},
		{"in a checklist", []fault{edit("content/ferrum/checklists/onboarding-ana-souza.md", "Request from [[contacts/emily-novak]]", "Request from emily.novak@ferrum-precision.example")},
			`content/ferrum/checklists/onboarding-ana-souza.md:12:14: warning: email address emily.novak@ferrum-precision.example written in the text of a checklist
    hint: link the item that holds it instead of copying the value: [[contacts/emily-novak]] (emails.value)
`},
		{"networks, versions, masks, dates and placeholders are not data", []fault{edit(vmRestore, "## Choose the restore",
			"Subnet 10.20.100.0/24, mask 255.255.255.0, range 10.20.100.50-10.20.100.60, Veeam v12.1.2.172,\nbuild 10.0.20348.1, released 2026-09-27, mail user@ferrum-precision.example, call ext. 2201.\n\n## Choose the restore")}, ""},
		{"suppressed by a comment", []fault{edit(vmRestore, "[[configurations/fr-veeam01]]; sign in", "fr-veeam01 (10.20.100.50); sign in <!-- cairn:ignore data-in-document the console address is printed on the rack label -->")}, ""},
	})
}

// TestDataInDocumentWrittenOtherwise: values written the way people write
// them, not the way the item holds them, in a Markdown table, a URL, a
// code block: each reported at its column, naming the item that holds it.
func TestDataInDocumentWrittenOtherwise(t *testing.T) {
	const sop = "content/harlowpike/documents/sops/remote-access-setup.md"
	const grace = "content/harlowpike/contacts/grace-oduya.toml"
	runCases(t, []ruleCase{
		{"a host's address with its prefix length, an address in a URL", []fault{edit(sop, "## Enrol\n", "## Enrol\n\n| Gateway | 10.40.100.1/24 |\n| --- | --- |\n| Console | https://10.40.99.1/php/login.php |\n")},
			`content/harlowpike/documents/sops/remote-access-setup.md:18:13: warning: IP address 10.40.100.1 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/hp-fw01]] (interfaces.ip)
content/harlowpike/documents/sops/remote-access-setup.md:20:21: warning: IP address 10.40.99.1 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/hp-fw01]] (primary_ip)
`},
		{"a phone number without the country code its contact holds", []fault{edit(grace, `value = "+1 555 0186"`, `value = "+1 (555) 010-1234"`),
			edit(sop, "## Enrol\n", "## Enrol\n\nOut of hours, call Grace on (555) 010-1234 or 555.010.1234 first.\n")},
			`content/harlowpike/documents/sops/remote-access-setup.md:18:29: warning: phone number (555) 010-1234 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[contacts/grace-oduya]] (phones.value)
content/harlowpike/documents/sops/remote-access-setup.md:18:47: warning: phone number 555.010.1234 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[contacts/grace-oduya]] (phones.value)
`},
		{"networks, labelled versions and ticket numbers", []fault{edit(sop, "## Enrol\n", "## Enrol\n\n| Firmware | 10.2.0.1 |\n| --- | --- |\n| Subnet | 10.40.100.0/24 |\n| Ticket | INC-555-123-4567 |\n")}, ""},
	})
}

// TestDataInFrontMatterAndTemplates: a document's summary and a checklist
// template are text of documents too.
func TestDataInFrontMatterAndTemplates(t *testing.T) {
	const restore = "content/harlowpike/documents/sops/matter-restore.md"
	runCases(t, []ruleCase{
		{"an address in a document's summary", []fault{edit(restore, `summary = "From the DMS's own history first, then Veeam."`, `summary = "From hp-dms01 (10.40.100.30) first, then Veeam."`)},
			`content/harlowpike/documents/sops/matter-restore.md:3:27: warning: IP address 10.40.100.30 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/hp-dms01]] (primary_ip)
`},
		{"an escaped title: the value's place", []fault{edit(restore, `title = "Restoring matter documents and email"`, `title = "Restoring \"matter\" documents from 10.40.100.30"`)},
			`content/harlowpike/documents/sops/matter-restore.md:2:9: warning: IP address 10.40.100.30 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/hp-dms01]] (primary_ip)
`},
		{"an assignee written as an address is no copy", []fault{edit("content/harlowpike/checklists/offboarding-tom-whitfield.md", `assignee = "dana"`, `assignee = "dana.kim@northwind-it.example"`)}, ""},
		{"an address in a checklist template", []fault{edit("checklists/monthly-patching.md", "- [ ] Tell the client's contact", "- [ ] Snapshot 10.40.100.30 first\n- [ ] Tell the client's contact")},
			`checklists/monthly-patching.md:18:16: warning: IP address 10.40.100.30 written in the text of a checklist template
    hint: record it on the item it belongs to (a configuration's primary_ip or interfaces) and link that item here, like [[configurations/...]]
`},
		{"a shared organization's address, in a document and a template", []fault{
			edit("content/harlowpike/documents/sops/remote-access-setup.md", "## Enrol\n", "## Enrol\n\nFrom the jump host 10.10.0.21 only.\n"),
			edit("checklists/monthly-patching.md", "- [ ] Tell the client's contact", "- [ ] Sign in to 10.10.0.21 first\n- [ ] Tell the client's contact")},
			`checklists/monthly-patching.md:18:18: warning: IP address 10.10.0.21 written in the text of a checklist template
    hint: link the item that holds it instead of copying the value: [[northwind/configurations/nw-jump01]] (primary_ip)
content/harlowpike/documents/sops/remote-access-setup.md:18:20: warning: IP address 10.10.0.21 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[northwind/configurations/nw-jump01]] (primary_ip)
`},
		{"suppressed in a checklist template", []fault{edit("checklists/monthly-patching.md", "- [ ] Tell the client's contact",
			"<!-- cairn:ignore data-in-document the lab host every client's runbook starts from -->\n- [ ] Snapshot 10.40.100.30 first\n- [ ] Tell the client's contact")}, ""},
	})
}

const plantSw = "content/ferrum/configurations/fr-plant-sw01.toml"
const coreSw = "content/ferrum/configurations/fr-core-sw01.toml"

func TestDuplicateData(t *testing.T) {
	serial := func() string {
		data, err := os.ReadFile(filepath.Join(repo, coreSw))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "serial_number") {
				return l
			}
		}
		t.Fatal("fr-core-sw01 has no serial number")
		return ""
	}()
	runCases(t, []ruleCase{
		{"a serial number duplicated", []fault{edit(plantSw, `serial_number = "SG2FER0107"`, serial)},
			`content/ferrum/configurations/fr-core-sw01.toml:8:17: warning: serial number ` + strings.Trim(strings.TrimPrefix(serial, "serial_number = "), `"`) + ` is also in configurations/fr-plant-sw01 (serial_number)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["configurations/fr-plant-sw01"] or [[configurations/fr-plant-sw01]]; if one of them replaced the other, set archived = true on the old one
content/ferrum/configurations/fr-plant-sw01.toml:8:17: warning: serial number ` + strings.Trim(strings.TrimPrefix(serial, "serial_number = "), `"`) + ` is also in configurations/fr-core-sw01 (serial_number)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["configurations/fr-core-sw01"] or [[configurations/fr-core-sw01]]; if one of them replaced the other, set archived = true on the old one
`},
		{"an IP address in two configurations", []fault{edit("content/ferrum/configurations/fr-dc02.toml", "\nip = \"10.30.10.10\"", "\nip = \"10.20.100.21\"")},
			`content/ferrum/configurations/fr-dc01.toml:4:14: warning: IP address 10.20.100.21 is also in configurations/fr-dc02 (interfaces.ip)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["configurations/fr-dc02"] or [[configurations/fr-dc02]]; if one of them replaced the other, set archived = true on the old one
content/ferrum/configurations/fr-dc02.toml:20:6: warning: IP address 10.20.100.21 is also in configurations/fr-dc01 (primary_ip)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["configurations/fr-dc01"] or [[configurations/fr-dc01]]; if one of them replaced the other, set archived = true on the old one
`},
		{"an archived item's old address, a LAN's gateway and DNS servers", []fault{
			edit("content/ferrum/configurations/fr-fs-old.toml", `primary_ip = "10.20.100.9"`, `primary_ip = "10.20.100.40"`)}, ""},
		{"a contact's direct line and an office switchboard", []fault{
			edit("content/ferrum/contacts/ana-souza.toml", "[[emails]]", "[[phones]]\nvalue = \"+1 555 0199\"\nlabel = \"Mobile\"\n\n[[emails]]"),
			edit("content/ferrum/contacts/raj-patel.toml", "[[emails]]", "[[phones]]\nvalue = \"+1 555 0199\"\nlabel = \"Mobile\"\n\n[[emails]]")},
			`content/ferrum/contacts/ana-souza.toml:10:9: warning: phone number +1 555 0199 is also in contacts/raj-patel (phones.value)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["contacts/raj-patel"] or [[contacts/raj-patel]]; if one of them replaced the other, set archived = true on the old one
content/ferrum/contacts/raj-patel.toml:9:9: warning: phone number +1 555 0199 is also in contacts/ana-souza (phones.value)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["contacts/ana-souza"] or [[contacts/ana-souza]]; if one of them replaced the other, set archived = true on the old one
`},
	})
}

// TestDuplicatePhoneWrittenOtherwise: one number, written with its country
// code on one contact and without on another, is one number.
func TestDuplicatePhoneWrittenOtherwise(t *testing.T) {
	runCases(t, []ruleCase{
		{"a mobile with and without its country code", []fault{
			edit("content/harlowpike/contacts/grace-oduya.toml", `value = "+1 555 0186"`, `value = "+1 (555) 010-1234"`),
			edit("content/harlowpike/contacts/eleanor-harlow.toml", `value = "+1 555 0185"`, `value = "555-010-1234"`)},
			`content/harlowpike/contacts/eleanor-harlow.toml:19:9: warning: phone number 555-010-1234 is also in contacts/grace-oduya (phones.value)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["contacts/grace-oduya"] or [[contacts/grace-oduya]]; if one of them replaced the other, set archived = true on the old one
content/harlowpike/contacts/grace-oduya.toml:20:9: warning: phone number +1 (555) 010-1234 is also in contacts/eleanor-harlow (phones.value)
    hint: keep the value in the one item it belongs to and link that item instead of copying it: related = ["contacts/eleanor-harlow"] or [[contacts/eleanor-harlow]]; if one of them replaced the other, set archived = true on the old one
`},
		{"two numbers that end alike", []fault{
			edit("content/harlowpike/contacts/grace-oduya.toml", `value = "+1 555 0186"`, `value = "+1 (555) 010-1234"`),
			edit("content/harlowpike/contacts/eleanor-harlow.toml", `value = "+1 555 0185"`, `value = "+44 555 010 1234"`)}, ""},
	})
}

func TestDocumentsBeforeAssets(t *testing.T) {
	doc := "+++\ntitle = \"Printers\"\n+++\n\n# Printers\n\nAsk the office manager.\n"
	runCases(t, []ruleCase{
		{"documents but no core assets", []fault{write("content/acme/org.toml", "name = \"Acme\"\nkind = \"client\"\n"), write("content/acme/documents/printers.md", doc)},
			`content/acme/org.toml:1:1: info: organization acme has 1 documents but no configurations, contacts or locations
    hint: document the core assets first (cairn new configurations acme NAME, contacts, locations), then link them from the documents
`},
		{"a location first", []fault{write("content/acme/org.toml", "name = \"Acme\"\nkind = \"client\"\n"), write("content/acme/documents/printers.md", doc),
			write("content/acme/locations/hq.toml", "name = \"HQ\"\n")}, ""},
		{"suppressed in org.toml", []fault{write("content/acme/org.toml", "name = \"Acme\"\nkind = \"client\"\nsuppress = [{rule = \"documents-before-assets\", reason = \"prospect: the proposal comes first\"}]\n"),
			write("content/acme/documents/printers.md", doc)}, ""},
	})
}

const gatehouse = "content/ferrum/passwords/gatehouse-door.toml"

func TestPasswords(t *testing.T) {
	runCases(t, []ruleCase{
		{"an unlinked general password", []fault{edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "")},
			`content/ferrum/passwords/gatehouse-door.toml:1:8: warning: general password "Plant gatehouse and mezzanine door code" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/..."] in content/ferrum/passwords/gatehouse-door.toml, or link it from that item
`},
		{"an unlinked password whose title names an item", []fault{write("content/ferrum/passwords/san-admin.toml", "name = \"fr-san01 admin\"\ncategory = \"Device\"\nusername = \"admin\"\n")},
			`content/ferrum/passwords/san-admin.toml:1:8: warning: general password "fr-san01 admin" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/fr-san01"], or link it from that item with [[passwords/san-admin]]
`},
		{"an unlinked password whose title names several items", []fault{write("content/ferrum/passwords/fw-admin.toml", "name = \"FortiGate admin (fr-fw-office, fr-fw-plant)\"\ncategory = \"Device\"\n")},
			`content/ferrum/passwords/fw-admin.toml:1:8: warning: general password "FortiGate admin (fr-fw-office, fr-fw-plant)" is related to nothing and nothing links to it
    hint: relate it to what it opens (its title names "configurations/fr-fw-office", "configurations/fr-fw-plant"): related = ["configurations/fr-fw-office", "configurations/fr-fw-plant"], or link it from those items with [[passwords/fw-admin]]
`},
		{"linked from another item only", []fault{edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", ""),
			edit("content/ferrum/locations/millbrook-plant.toml", "name = ", "related = [\"passwords/gatehouse-door\"]\nname = ")}, ""},
		{"two passwords with one title", []fault{write("content/ferrum/passwords/gatehouse-2.toml", "name = \"Plant gatehouse and mezzanine  door code\"\ncategory = \"Other\"\nrelated = [\"locations/millbrook-plant\"]\n")},
			`content/ferrum/passwords/gatehouse-2.toml:1:8: error: password title "Plant gatehouse and mezzanine  door code" is also the title of passwords/gatehouse-door
    hint: give each password a title unique in its organization that says what it opens, like "FortiGate admin (fw01)"; if both hold the same credential, keep one and link it
content/ferrum/passwords/gatehouse-door.toml:1:8: error: password title "Plant gatehouse and mezzanine door code" is also the title of passwords/gatehouse-2
    hint: give each password a title unique in its organization that says what it opens, like "FortiGate admin (fw01)"; if both hold the same credential, keep one and link it
`},
		{"one title in two organizations", []fault{write("content/harlowpike/passwords/gatehouse.toml", "name = \"Plant gatehouse and mezzanine door code\"\ncategory = \"Other\"\nrelated = [\"locations/main-office\"]\n")}, ""},
		{"embedded passwords are off by default", nil, ""},
	})
}

// TestUnlinkedPasswordByAddress: an unlinked password whose URL is an
// address an item holds names that item in its hint.
func TestUnlinkedPasswordByAddress(t *testing.T) {
	runCases(t, []ruleCase{
		{"a URL with the server's address", []fault{write("content/harlowpike/passwords/dms-console.toml",
			"name = \"DMS console admin\"\ncategory = \"Application\"\nusername = \"sa-console\"\nurl = \"https://10.40.100.30:8443/admin\"\n")},
			`content/harlowpike/passwords/dms-console.toml:1:8: warning: general password "DMS console admin" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/hp-dms01"], or link it from that item with [[passwords/dms-console]]
`},
		{"a URL with an address nobody holds", []fault{write("content/harlowpike/passwords/dms-console.toml",
			"name = \"DMS console admin\"\ncategory = \"Application\"\nurl = \"https://10.40.100.99/\"\n")},
			`content/harlowpike/passwords/dms-console.toml:1:8: warning: general password "DMS console admin" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/..."] in content/harlowpike/passwords/dms-console.toml, or link it from that item
`},
	})
}

func TestEmbeddedPasswordTurnedOn(t *testing.T) {
	r, _ := advise(t, advisor.Options{}, appendTo("cairn.toml", "[advisor.rules]\nembedded-password = \"error\"\n"))
	got := report(t, r)
	for _, want := range []string{
		`schemas/wireless.toml:`,
		`: error: type Wireless has a password field "psk": its items embed passwords`,
		`content/brightsmile/assets/wireless/bsd-staff.toml:1:1: error: assets/wireless/bsd-staff keeps a password of its own (content/brightsmile/assets/wireless/bsd-staff.sops.yaml) instead of linking a general password`,
		`    hint: move the secret into a password item and link it: cairn new passwords brightsmile NAME, then related = ["passwords/NAME"] here`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "content/brightsmile/passwords/") {
		t.Errorf("a general password is reported as embedded:\n%s", got)
	}
}

// fakeSecrets is a SecretSource of fixed values.
type fakeSecrets map[string]map[string]string

func (f fakeSecrets) Secrets(_ context.Context, it *model.Item) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range f[it.ID] {
		out[k] = v
	}
	return out, nil
}

func TestSharedSecret(t *testing.T) {
	const canary = "canary-Tr0ub4dor&3"
	src := fakeSecrets{
		"ferrum/passwords/domain-admin":    {"password": canary},
		"ferrum/passwords/idrac-admin":     {"password": canary},
		"ferrum/passwords/erp-sql":         {"password": "something else"},
		"ferrum/passwords/veeam-service":   {"password": ""},
		"harlowpike/passwords/dms-service": {"password": canary}, // another organization
	}
	r, _ := advise(t, advisor.Options{Secrets: src})
	got := report(t, r)
	want := `content/ferrum/passwords/domain-admin.toml:1:1: warning: the secret "password" has the same value as passwords/idrac-admin (password)
    hint: if they are one credential, keep one password item and link it where the other is used; if not, rotate one of them: each credential needs its own value
content/ferrum/passwords/idrac-admin.toml:1:1: warning: the secret "password" has the same value as passwords/domain-admin (password)
    hint: if they are one credential, keep one password item and link it where the other is used; if not, rotate one of them: each credential needs its own value
`
	if strings.Contains(got, canary) {
		t.Fatal("a secret value is in the report")
	}
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// An embedded copy of a general password: the hint names the general one.
	src = fakeSecrets{"ferrum/passwords/fortigate-admin": {"password": canary}, "ferrum/assets/remote-access/site-to-site-vpn": {"shared_secret": canary}}
	r, _ = advise(t, advisor.Options{Secrets: src})
	if got := report(t, r); strings.Contains(got, canary) || !strings.Contains(got, `hint: link the general password that holds it instead: related = ["passwords/fortigate-admin"]`) {
		t.Errorf("an embedded copy: the report does not name the general password:\n%s", got)
	}
	// Without a key the rule does not run.
	r, _ = advise(t, advisor.Options{})
	if got := report(t, r); got != "" {
		t.Errorf("without secrets:\n%s", got)
	}
}

func TestTypes(t *testing.T) {
	email, err := os.ReadFile(filepath.Join(repo, "schemas", "email.toml"))
	if err != nil {
		t.Fatal(err)
	}
	google := strings.NewReplacer(`name = "Email"`, `name = "Google Workspace email"`, `singular = "Email service"`, `singular = "Google Workspace mailbox service"`,
		`slug = "email"`, `slug = "email-google"`, `name = "tenant"`, `name = "workspace_customer_id"`).Replace(string(email))
	runCases(t, []ruleCase{
		{"a near-duplicate email type, used", []fault{write("schemas/email-google.toml", google),
			write("content/ferrum/assets/email-google/ferrum-parts.toml", "mail_domain = \"ferrumparts.example\"\nplatform = \"Google Workspace\"\n")},
			`schemas/email-google.toml:1:1: warning: type Google Workspace email has nearly the same fields as assets/email (91% of their field names and labels in common)
    hint: use one type for both: add what differs to schemas/email.toml (a select field such as platform), move the items of assets/email-google there and remove schemas/email-google.toml
`},
		{"a type no organization uses, shown in no list", []fault{write("schemas/badges.toml", "name = \"Badges\"\nslug = \"badges\"\n\n[[fields]]\nname = \"holder\"\nkind = \"text\"\nrequired = true\nuse_for_title = true\n")},
			`schemas/badges.toml:1:1: info: type Badges is used by no organization
    hint: document something with it (cairn new assets/badges ORG NAME), or remove schemas/badges.toml if the site does not need it
schemas/badges.toml:1:1: warning: type Badges shows no field in lists
    hint: set show_in_list = true on the fields that tell its items apart in a list (the title field, a status, a site)
`},
		{"a copy with renamed fields", []fault{write("schemas/mail-hosting.toml", strings.NewReplacer(`name = "Email"`, `name = "Mail hosting"`, `slug = "email"`, `slug = "mail-hosting"`,
			`name = "mail_domain"`, `name = "domain"`, `name = "platform"`, `name = "provider"`, `name = "tenant"`, `name = "account"`, `name = "admin_url"`, `name = "console"`).Replace(string(email))),
			write("content/ferrum/assets/mail-hosting/parts.toml", "domain = \"ferrumparts.example\"\nprovider = \"Other\"\n")},
			`schemas/mail-hosting.toml:1:1: warning: type Mail hosting has nearly the same fields as assets/email (69% of their field names and labels in common)
    hint: use one type for both: add what differs to schemas/email.toml (a select field such as platform), move the items of assets/mail-hosting there and remove schemas/mail-hosting.toml
`},
		{"a demo type whose only item is gone", []fault{remove("content/ferrum/assets/voice-pbx/ferrum-3cx.toml"), remove("content/ferrum/assets/voice-pbx/ferrum-3cx.sops.yaml"),
			edit("content/ferrum/configurations/fr-pbx01.toml", `related = ["assets/voice-pbx/ferrum-3cx"]`+"\n", "")},
			`schemas/voice-pbx.toml:1:1: info: type Voice / PBX is used by no organization
    hint: document something with it (cairn new assets/voice-pbx ORG NAME), or remove schemas/voice-pbx.toml if the site does not need it
`},
		{"the demo's types are different enough", nil, ""},
	})
}

func TestChecklists(t *testing.T) {
	const cl = "content/ferrum/checklists/offboarding-carlos.md"
	body := "+++\ntitle = \"Offboarding: Carlos Mendez\"\nrelated = [\"contacts/carlos-mendez\"]\n+++\n\n# Offboarding\n\n- [ ] Block sign-in\n"
	runCases(t, []ruleCase{
		{"a checklist with no SOP, a shared organization's SOP that fits", []fault{write(cl, body)},
			`content/ferrum/checklists/offboarding-carlos.md:2:9: warning: checklist "Offboarding: Carlos Mendez" links to no SOP document
    hint: relate it to the SOP it follows: related = ["northwind/documents/sops/leaver"], or link [[northwind/documents/sops/leaver]] in its text
`},
		{"a checklist with no SOP, none that fits", []fault{write(cl, strings.Replace(body, "Offboarding: Carlos Mendez", "Toner for Carlos", 1))},
			`content/ferrum/checklists/offboarding-carlos.md:2:9: warning: checklist "Toner for Carlos" links to no SOP document
    hint: relate it to the SOP it follows: related = ["documents/sops/..."], or write the SOP first
`},
		{"a checklist with no SOP, an SOP that fits", []fault{write(cl, strings.Replace(body, "Carlos Mendez", "new starter Carlos", 1))},
			`content/ferrum/checklists/offboarding-carlos.md:2:9: warning: checklist "Offboarding: new starter Carlos" links to no SOP document
    hint: relate it to the SOP it follows: related = ["documents/sops/new-starter"], or link [[documents/sops/new-starter]] in its text
`},
		{"a checklist related to an SOP", []fault{write(cl, strings.Replace(body, `related = ["contacts/carlos-mendez"]`, `related = ["contacts/carlos-mendez", "documents/sops/new-starter"]`, 1))}, ""},
		{"a checklist linking a shared organization's SOP", []fault{write(cl, body+"\nHow: [[northwind/documents/sops/leaver]]\n")}, ""},
		{"a checklist made from a template that links its SOP", []fault{write(cl, strings.Replace(body, "+++\n\n", "template = \"offboarding\"\n+++\n\n", 1))},
			`content/ferrum/checklists/offboarding-carlos.md:2:9: warning: checklist "Offboarding: Carlos Mendez" links to no SOP document
    hint: relate it to the SOP its template follows: related = ["northwind/documents/sops/leaver"], or link [[northwind/documents/sops/leaver]] in its text
`},
		{"a template with no SOP", []fault{edit("checklists/offboarding.md", "The procedure: [[northwind/documents/sops/leaver]].\n", "")},
			`checklists/offboarding.md:2:1: warning: checklist template "Leaver offboarding" links to no SOP document
    hint: link the procedure it follows with its full id: [[northwind/documents/sops/leaver]]
`},
		{"a template with no SOP, none that fits", []fault{write("checklists/toner.md", "+++\ntitle = \"Toner\"\n+++\n\n- [ ] Order\n")},
			`checklists/toner.md:2:1: warning: checklist template "Toner" links to no SOP document
    hint: link the procedure it follows with its full id, in a shared organization: [[<org>/documents/...]]
`},
	})
}

func TestAccess(t *testing.T) {
	restrict := func(file string) fault {
		return change(file, func(_ *testing.T, data string) string { return "access = [\"staff\"]\n" + data })
	}
	var many []fault
	for _, c := range []string{"fr-ap-plant01", "fr-cnc-pc01", "fr-cnc-pc02", "fr-core-sw01", "fr-dc01", "fr-dc02", "fr-erp01", "fr-fs01", "fr-fw-office", "fr-fw-plant",
		"fr-hv01", "fr-hv02", "fr-lt-asouza", "fr-mfp-office01", "fr-pbx01", "fr-plant-sw01", "fr-qc-pc01", "fr-san01", "fr-veeam01"} {
		many = append(many, restrict("content/ferrum/configurations/"+c+".toml"))
	}
	runCases(t, []ruleCase{
		{"item-level access on too many items", many,
			`content/ferrum/org.toml:1:1: warning: 19 of 75 items of ferrum (25%) have their own access key, more than the 20% the site allows
    hint: give groups what they need in access.toml (types, deny) and keep item-level access for the few exceptions; or raise [advisor] restricted_share
`},
		{"item-level access on a few items", many[:3], ""},
		{"a share the site allows", append(many, appendTo("cairn.toml", "[advisor]\nrestricted_share = 30\n")), ""},
		{"a group that sees everything", []fault{edit("access.toml", `suppress = [{rule = "group-sees-all", reason = "Northwind's engineers support every client and need every credential"}]`, "")},
			`access.toml:6:2: warning: group "staff" sees every organization and every secret (sealed in portal internal)
    hint: give each group only what its people need: orgs = ["..."], a types list, or deny = ["<org>/passwords"]; keep everything for a few admins
`},
		{"a new group that sees everything, in no portal", []fault{appendTo("access.toml", "[groups.auditors]\norgs = [\"*\"]\n")},
			`access.toml:140:2: warning: group "auditors" sees every organization and every password item
    hint: give each group only what its people need: orgs = ["..."], a types list, or deny = ["<org>/passwords"]; keep everything for a few admins
`},
		{"a group that sees everything in an unsealed portal only", []fault{edit("access.toml", "[portals.internal]\ntitle = \"Northwind internal\"\ngroups = [\"staff\"]\nsecrets = \"sealed\"", "[portals.internal]\ntitle = \"Northwind internal\"\ngroups = [\"staff\"]\nsecrets = \"none\""),
			edit("access.toml", `suppress = [{rule = "group-sees-all", reason = "Northwind's engineers support every client and need every credential"}]`, "")},
			`access.toml:110:2: warning: portal "internal" shows password items to group "staff", but its secrets are not sealed
    hint: set secrets = "sealed" if this audience needs the values; otherwise keep passwords from its groups: deny = ["*/passwords"], or a types list without passwords
`},
		{"a new group that lists every organization, in no portal", []fault{appendTo("access.toml", "[groups.auditors]\norgs = [\"brightsmile\", \"ferrum\", \"harlowpike\", \"northwind\", \"vendors\"]\n")},
			`access.toml:140:2: warning: group "auditors" sees every organization and every password item
    hint: give each group only what its people need: orgs = ["..."], a types list, or deny = ["<org>/passwords"]; keep everything for a few admins
`},
		{"a new group that lists all organizations but one", []fault{appendTo("access.toml", "[groups.auditors]\norgs = [\"brightsmile\", \"ferrum\", \"harlowpike\", \"northwind\"]\n")}, ""},
		{"a group that sees every organization but no passwords", []fault{appendTo("access.toml", "[groups.auditors]\norgs = [\"*\"]\ndeny = [\"*/passwords\"]\n")}, ""},
		{"a user in no group", []fault{edit("access.toml", "role = \"lite\"\ngroups = [\"harlowpike-staff\"]\n", "role = \"lite\"\ngroups = []\n")},
			`access.toml:104:3: warning: user "ines.garcia@harlowpike.example" is in no group
    hint: add groups = ["..."] (groups: brightsmile-it, brightsmile-staff, ferrum-staff, harlowpike-staff, helpdesk, staff), or remove the user if they have left
`},
		{"a client portal that shows passwords unsealed", []fault{edit("access.toml", `"checklists", "assets/site-summary", "assets/applications", "assets/wireless"]`, `"checklists", "assets/site-summary", "assets/applications", "assets/wireless", "passwords"]`)},
			`access.toml:125:2: warning: portal "brightsmile" shows password items to group "brightsmile-staff", but its secrets are not sealed
    hint: set secrets = "sealed" if this audience needs the values; otherwise keep passwords from its groups: deny = ["*/passwords"], or a types list without passwords
`},
	})
}

func TestNaming(t *testing.T) {
	runCases(t, []ruleCase{
		{"a name that breaks the convention", []fault{
			appendTo("cairn.toml", "[advisor.naming]\nconfigurations = '^[a-z]{2}-[a-z0-9-]+$'\n"),
			edit("content/ferrum/configurations/fr-erp01.toml", `name = "fr-erp01"`, `name = "ERP01"`)},
			`content/ferrum/configurations/fr-erp01.toml:1:8: warning: "ERP01" does not follow the naming convention for configurations: ^[a-z]{2}-[a-z0-9-]+$
    hint: rename it to match ^[a-z]{2}-[a-z0-9-]+$ (cairn.toml [advisor.naming] configurations)
`},
		{"every name follows it", []fault{appendTo("cairn.toml", "[advisor.naming]\nconfigurations = '^[a-z]{2}-[a-z0-9-]+$'\n")}, ""},
		{"a title of two fields, at the first", []fault{appendTo("cairn.toml", "[advisor.naming]\ncontacts = '^[A-Z][a-z]+ [A-Z]'\n"),
			edit("content/harlowpike/contacts/ines-garcia-lopez.toml", `first_name = "Inés"`, `first_name = "Ines"`)},
			`content/brightsmile/contacts/tomas-alvarez.toml:1:14: warning: "Tomás Álvarez" does not follow the naming convention for contacts: ^[A-Z][a-z]+ [A-Z]
    hint: rename it to match ^[A-Z][a-z]+ [A-Z] (cairn.toml [advisor.naming] contacts)
content/ferrum/contacts/jurgen-muller.toml:1:14: warning: "Jürgen Müller" does not follow the naming convention for contacts: ^[A-Z][a-z]+ [A-Z]
    hint: rename it to match ^[A-Z][a-z]+ [A-Z] (cairn.toml [advisor.naming] contacts)
`},
	})
}

func TestSettings(t *testing.T) {
	cfg := func(s string) fault {
		return appendTo("cairn.toml", s)
	}
	runCases(t, shiftLines(t, "cairn.toml", 14, []ruleCase{
		{"a rule turned off", []fault{cfg("[advisor.rules]\nunlinked-password = \"off\"\n"), edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "")}, ""},
		{"a rule made an error", []fault{cfg("[advisor.rules]\nunlinked-password = \"error\"\n"), edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "")},
			`content/ferrum/passwords/gatehouse-door.toml:1:8: error: general password "Plant gatehouse and mezzanine door code" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/..."] in content/ferrum/passwords/gatehouse-door.toml, or link it from that item
`},
		{"mistakes in [advisor]", []fault{cfg("[advisor]\nrestricted_share = 120\nsimilar_types = 0\n\n[advisor.rules]\nunlinked-pasword = \"warning\"\nnaming = \"loud\"\n\n[advisor.naming]\nconfigurations = '^[A-Z'\nservers = '^x'\n\n[[advisor.ignore]]\nrule = \"naming\"\nfile = \"content/ferrum/org.toml\"\n")},
			`cairn.toml:17:1: error: restricted_share is 120, not between 0 and 100
    hint: a percentage of an organization's items, like 20
cairn.toml:18:1: error: similar_types is 0, not above 0 and at most 1
    hint: a share of the fields two types have in common, like 0.5
cairn.toml:21:1: error: unknown advisor rule "unlinked-pasword"
    hint: did you mean "unlinked-password"?
cairn.toml:22:1: error: advisor rule naming: unknown severity "loud"
    hint: write "error", "warning", "info" or "off"
cairn.toml:25:1: error: naming pattern for configurations is not a regular expression: error parsing regexp: missing closing ]: ` + "`[A-Z`" + `
    hint: write a Go regular expression (RE2), like '^[A-Z]{2,4}-[A-Z0-9-]+$'
cairn.toml:26:1: error: naming: unknown type "servers"
    hint: types: configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets/active-directory, assets/applications, assets/backup, assets/email, assets/file-sharing, assets/internet-wan, assets/lan, assets/licensing, assets/onboarding, assets/printing, assets/remote-access, assets/security, assets/site-summary, assets/vendors, assets/virtualization, assets/voice-pbx, assets/wireless
cairn.toml:28:3: error: suppression of naming gives no reason
    hint: say why the advice does not apply here: reason = "..."
`},
		{"suppressed in cairn.toml", []fault{cfg("[[advisor.ignore]]\nrule = \"unlinked-password\"\nfile = \"content/ferrum/passwords/gatehouse-door.toml\"\nreason = \"the door code is posted at the gate\"\n"),
			edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "")}, ""},
		{"suppressed in cairn.toml, the file written with ./", []fault{cfg("[[advisor.ignore]]\nrule = \"unlinked-password\"\nfile = \"./content/ferrum//passwords/gatehouse-door.toml\"\nreason = \"the door code is posted at the gate\"\n"),
			edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "")}, ""},
		{"suppressed on the item", []fault{edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "suppress = [{rule = \"unlinked-password\", reason = \"the door code is posted at the gate\"}]\n")}, ""},
		{"a suppression on an item without a reason, of an unknown rule", []fault{edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "suppress = [{rule = \"unlinked-password\"}, {rule = \"unlinked\", reason = \"x\"}, {rule = \"naming\", reason = \"x\", until = 2027}]\n")},
			`content/ferrum/passwords/gatehouse-door.toml:1:8: warning: general password "Plant gatehouse and mezzanine door code" is related to nothing and nothing links to it
    hint: relate it to what it opens: related = ["configurations/..."] in content/ferrum/passwords/gatehouse-door.toml, or link it from that item
content/ferrum/passwords/gatehouse-door.toml:4:13: error: suppression of unlinked-password gives no reason
    hint: say why the advice does not apply here: reason = "..."
content/ferrum/passwords/gatehouse-door.toml:4:43: error: suppression names unknown advisor rule "unlinked"
    hint: did you mean "unlinked-password"?
content/ferrum/passwords/gatehouse-door.toml:4:110: error: unknown key "until" in suppress
    hint: suppress entries have the keys rule and reason
`},
		{"a suppression that covers nothing", []fault{edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "related = [\"locations/millbrook-plant\"]\nsuppress = [{rule = \"unlinked-password\", reason = \"the door code is posted at the gate\"}, {rule = \"shared-secret\", reason = \"no key in this test\"}]\n")},
			`content/ferrum/passwords/gatehouse-door.toml:5:13: warning: suppression of unlinked-password covers no finding
    hint: remove it: the advice it answered no longer applies here
`},
		{"a suppression of a rule turned off", []fault{cfg("[advisor.rules]\nunlinked-password = \"off\"\n"),
			edit(gatehouse, "related = [\"locations/millbrook-plant\"]\n", "related = [\"locations/millbrook-plant\"]\nsuppress = [{rule = \"unlinked-password\", reason = \"the door code is posted at the gate\"}]\n")}, ""},
		{"a comment without a reason", []fault{edit(vmRestore, "[[configurations/fr-veeam01]]; sign in", "fr-veeam01 (10.20.100.50); sign in <!-- cairn:ignore data-in-document -->")},
			`content/ferrum/documents/sops/vm-restore.md:15:13: warning: IP address 10.20.100.50 written in the text of a document
    hint: link the item that holds it instead of copying the value: [[configurations/fr-veeam01]] (primary_ip)
content/ferrum/documents/sops/vm-restore.md:15:36: error: suppression of data-in-document gives no reason
    hint: say why the advice does not apply here: reason = "..."
`},
	}))
}

// TestSettingsOfTheWrongType: a value of the wrong type in [advisor] is
// reported once, by the loader that read cairn.toml; the advisor adds no
// second message about a zero value the user never wrote.
func TestSettingsOfTheWrongType(t *testing.T) {
	root := demoCopy(t)
	appendTo("cairn.toml", "[advisor]\nsimilar_types = \"0.5\"\nrestricted_share = true\n\n[advisor.rules]\nnaming = 3\n")(t, root)
	res := sitetest.Open(t, root)
	var loader []string
	for _, d := range res.Diags.Sorted() {
		if d.Pos.File == "cairn.toml" {
			loader = append(loader, d.Message)
		}
	}
	if len(loader) != 3 {
		t.Fatalf("the loader reports %d mistakes in cairn.toml, want 3: %q", len(loader), loader)
	}
	r, err := advisor.Run(context.Background(), res.Site, advisor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := report(t, r); got != "" {
		t.Errorf("the advisor reports them again:\n%s", got)
	}
}

// TestRulesAreDocumented: every rule has a summary in diag.RuleDocs and a
// section in docs/advisor.md, which --explain prints.
func TestRulesAreDocumented(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(repo, "docs", "advisor.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range advisor.Rules() {
		if r.Summary() == "" {
			t.Errorf("%s has no summary in diag.RuleDocs", r.ID)
		}
		if !strings.Contains(string(page), "\n### "+r.ID+"\n") {
			t.Errorf("docs/advisor.md has no section ### %s", r.ID)
		}
	}
}
