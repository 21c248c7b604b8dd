package site_test

import (
	"testing"
)

// A rule case plants faults in the base site; want is the whole report,
// one diagnostic per line, exactly as `cairn check` words it.
type ruleCase struct {
	name   string
	faults []fault
	want   string
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := report(openWith(t, tc.faults...).Diags.Sorted())
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

const kit = "content/acme/assets/kit/k1.toml"
const sv1 = "content/acme/configurations/sv1.toml"
const restore = "content/acme/documents/restore.md"

func TestTOMLSyntax(t *testing.T) {
	runRules(t, []ruleCase{
		{"unterminated string", []fault{edit(sv1, `primary_ip = "192.0.2.10"`, `primary_ip = "192.0.2.10`)}, `content/acme/configurations/sv1.toml:3:25: error [toml-syntax]: TOML syntax: basic strings cannot have new lines
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"key defined twice", []fault{edit(sv1, `configuration_type = "Server"`, `configuration_type = "Server"`+"\nname = \"again\"")}, `content/acme/configurations/sv1.toml:3:1: error [toml-syntax]: TOML syntax: key "name" is already defined at line 1
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"missing value", []fault{edit("content/acme/locations/hq.toml", `phone = "+1 555 0100"`, `phone =`)}, `content/acme/locations/hq.toml:2:8: error [toml-syntax]: TOML syntax: unexpected character U+000A at start of value
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"invalid calendar date", []fault{edit(kit, `bought = 2024-01-15`, `bought = 2024-02-30`)}, `content/acme/assets/kit/k1.toml:4:10: error [toml-syntax]: TOML syntax: 2024-02-30 is not a calendar date
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"in front matter, line of the file", []fault{edit(restore, `title = "Restore"`, `title = "Restore`)}, `content/acme/documents/restore.md:2:17: error [toml-syntax]: TOML syntax: basic strings cannot have new lines
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"in org.toml", []fault{write("content/other/org.toml", "name = \"Other\"\n[broken\n")}, `content/other/org.toml:2:8: error [toml-syntax]: TOML syntax: expected ']' to close table name
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"in cairn.toml", []fault{write("cairn.toml", "title = \n")}, `cairn.toml:1:9: error [toml-syntax]: TOML syntax: unexpected character U+000A at start of value
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"in access.toml", []fault{edit("access.toml", `[groups.staff]`, `[groups.staff`)}, `access.toml:1:14: error [toml-syntax]: TOML syntax: expected ']' to close table name
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
		{"not UTF-8", []fault{write("content/acme/locations/hq.toml", "name = \"H\xffQ\"\n")}, `content/acme/locations/hq.toml:1:10: error [toml-syntax]: TOML syntax: the file is not valid UTF-8
    hint: fix the TOML at this place; https://toml.io/en/v1.0.0 has the syntax
`},
	})
}

func TestUnknownFields(t *testing.T) {
	runRules(t, []ruleCase{
		{"typo with did-you-mean", []fault{edit(sv1, `primary_ip =`, `primary_iP =`)}, `content/acme/configurations/sv1.toml:3:1: error [unknown-field]: unknown field "primary_iP" for Configurations
    hint: did you mean "primary_ip"?
`},
		{"no close field", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\ncolour = \"red\"")}, `content/acme/configurations/sv1.toml:2:1: error [unknown-field]: unknown field "colour" for Configurations
    hint: fields of Configurations: name, configuration_type, status, hostname, primary_ip, location, contact, manufacturer, model, serial_number, asset_tag, operating_system, purchased_on, warranty_expires, installed_by, interfaces, related, access, archived, managed_by, notes, suppress, import_id
`},
		{"in a group record", []fault{edit(sv1, "name = \"eth0\"\n", "name = \"eth0\"\nmca = \"00:11:22:33:44:55\"\n")}, `content/acme/configurations/sv1.toml:10:1: error [unknown-field]: unknown field "mca" for interfaces records
    hint: did you mean "mac"?
`},
		{"in a flexible asset", []fault{edit(kit, `tier = "Gold"`, `teir = "Gold"`)}, `content/acme/assets/kit/k1.toml:7:1: error [unknown-field]: unknown field "teir" for Kits
    hint: did you mean "tier"?
`},
		{"in front matter", []fault{edit(restore, `title = "Restore"`, "title = \"Restore\"\ncatgory = \"SOP\"")}, `content/acme/documents/restore.md:3:1: error [unknown-field]: unknown field "catgory" for Documents
    hint: did you mean "category"?
`},
		{"unknown key in org.toml", []fault{edit("content/acme/org.toml", `kind = "client"`, "kind = \"client\"\nsharde = true")}, `content/acme/org.toml:3:1: error [unknown-field]: unknown key "sharde"
    hint: did you mean "shared"?
`},
		{"unknown key in cairn.toml", []fault{write("cairn.toml", "title = \"x\"\nbase_ulr = \"https://x\"\n")}, `cairn.toml:2:1: error [unknown-field]: unknown key "base_ulr"
    hint: did you mean "base_url"?
`},
		{"name on a type titled by other fields", []fault{edit(kit, `title = "Kit one"`, "title = \"Kit one\"\nname = \"Kit\"")}, `content/acme/assets/kit/k1.toml:2:1: error [unknown-field]: Kits take their title from title, not from name
    hint: set title instead
`},
	})
}

func TestMissingFields(t *testing.T) {
	runRules(t, []ruleCase{
		{"required top-level field", []fault{edit(sv1, `configuration_type = "Server"`+"\n", "")}, `content/acme/configurations/sv1.toml:1:1: error [missing-field]: missing required field "configuration_type" (Type)
    hint: add configuration_type = "Server"
`},
		{"title field of a core type", []fault{edit(sv1, `name = "sv1"`+"\n", "")}, `content/acme/configurations/sv1.toml:1:1: error [missing-field]: missing required field "name" (Name)
    hint: add name = "..."
`},
		{"required field of a group record", []fault{edit(sv1, `name = "eth0"`+"\n", "")}, `content/acme/configurations/sv1.toml:8:3: error [missing-field]: interfaces record is missing required field "name"
    hint: add name = ... to this [[interfaces]] record
`},
		{"required field of a flexible group record", []fault{edit(kit, `label = "uplink"`+"\n", "")}, `content/acme/assets/kit/k1.toml:19:3: error [missing-field]: ports record is missing required field "label"
    hint: add label = ... to this [[ports]] record
`},
		{"required field of a flexible type", []fault{edit(kit, `title = "Kit one"`+"\n", "")}, `content/acme/assets/kit/k1.toml:1:1: error [missing-field]: missing required field "title" (Title)
    hint: add title = "..."
`},
		{"organization name", []fault{write("content/other/org.toml", "kind = \"client\"\n")}, `content/other/org.toml:1:1: error [missing-field]: organization other has no name
    hint: add name = "Organization name"
`},
		{"document title", []fault{edit(restore, `title = "Restore"`+"\n", "")}, `content/acme/documents/restore.md:2:1: error [missing-title]: document has no title
    hint: add title = "..." to the front matter
`},
		{"empty document title", []fault{edit(restore, `title = "Restore"`, `title = " "`)}, `content/acme/documents/restore.md:2:9: error [missing-title]: required field "title" (Title) is empty
    hint: fill it in, or remove the item if it is not needed yet
`},
		{"empty required text field", []fault{edit(sv1, `name = "sv1"`, `name = ""`)}, `content/acme/configurations/sv1.toml:1:8: error [missing-field]: required field "name" (Name) is empty
    hint: fill it in, or remove the item if it is not needed yet
`},
		{"checklist title", []fault{edit("content/acme/checklists/onboard-jo.md", `title = "Onboard Jo"`+"\n", "")}, `content/acme/checklists/onboard-jo.md:2:1: error [missing-title]: checklist has no title
    hint: add title = "..." to the front matter
`},
		{"template title", []fault{edit("checklists/onboarding.md", `title = "Onboarding"`+"\n", "")}, `checklists/onboarding.md:1:1: error [missing-title]: checklist template has no title
    hint: add title = "..." to the front matter
`},
		{"alert without message", []fault{edit("content/vendors/org.toml", `shared = true`, "shared = true\n[[alerts]]\nlevel = \"info\"")}, `content/vendors/org.toml:4:3: error [missing-field]: alert has no message
`},
	})
}

func TestValueKinds(t *testing.T) {
	runRules(t, []ruleCase{
		{"date that is not a date", []fault{edit(kit, `bought = 2024-01-15`, `bought = "next spring"`)}, `content/acme/assets/kit/k1.toml:4:10: error [invalid-value]: "bought" must be a date (YYYY-MM-DD), got the string "next spring"
    hint: write a TOML date without quotes: 2026-11-23
`},
		{"date string that is not a calendar date", []fault{edit(kit, `bought = 2024-01-15`, `bought = "2024-13-01"`)}, `content/acme/assets/kit/k1.toml:4:10: error [invalid-value]: "bought" must be a date (YYYY-MM-DD), got the string "2024-13-01"
    hint: write a TOML date without quotes: 2026-11-23
`},
		{"number above max", []fault{edit(kit, `count = 2.5`, `count = 11`)}, `content/acme/assets/kit/k1.toml:2:9: error [invalid-value]: "count" is 11, above the maximum 10
`},
		{"number below min", []fault{edit(kit, `count = 2.5`, `count = -1`)}, `content/acme/assets/kit/k1.toml:2:9: error [invalid-value]: "count" is -1, below the minimum 0
`},
		{"number with too many decimals", []fault{edit(kit, `count = 2.5`, `count = 2.55`)}, `content/acme/assets/kit/k1.toml:2:9: error [invalid-value]: "count" allows at most 1 decimal place, got 2.55
`},
		{"number written as a string", []fault{edit(kit, `count = 2.5`, `count = "2.5"`)}, `content/acme/assets/kit/k1.toml:2:9: error [invalid-value]: "count" must be a number, got the string "2.5"
    hint: write the number without quotes
`},
		{"percent out of range", []fault{edit(kit, `share = 40`, `share = 140`)}, `content/acme/assets/kit/k1.toml:3:9: error [invalid-value]: "share" is 140%, out of range
    hint: a percent is between 0 and 100
`},
		{"percent nan", []fault{edit(kit, `share = 40`, `share = nan`)}, `content/acme/assets/kit/k1.toml:3:9: error [invalid-value]: "share" must be a finite number, got nan
`},
		{"select value not among options", []fault{edit(kit, `tier = "Gold"`, `tier = "Gould"`)}, `content/acme/assets/kit/k1.toml:7:8: error [invalid-value]: "tier" must be one of the field's options, got "Gould"
    hint: did you mean "Gold"? options: "Gold", "Silver", "Bronze"
`},
		{"select value in the wrong case", []fault{edit(kit, `tier = "Gold"`, `tier = "gold"`)}, `content/acme/assets/kit/k1.toml:7:8: error [invalid-value]: "tier" must be one of the field's options, got "gold"
    hint: did you mean "Gold"? options: "Gold", "Silver", "Bronze"
`},
		{"select value far from every option", []fault{edit(kit, `tier = "Gold"`, `tier = "Platinum"`)}, `content/acme/assets/kit/k1.toml:7:8: error [invalid-value]: "tier" must be one of the field's options, got "Platinum"
    hint: options: "Gold", "Silver", "Bronze"
`},
		{"select takes one value", []fault{edit(kit, `tier = "Gold"`, `tier = ["Gold", "Silver"]`)}, `content/acme/assets/kit/k1.toml:7:9: error [invalid-value]: "tier" takes one value, got an array
    hint: give one value, or set multiple = true on the field in its schema
`},
		{"malformed ip", []fault{edit(kit, `addr = "192.0.2.20"`, `addr = "192.0.2"`)}, `content/acme/assets/kit/k1.toml:10:8: error [invalid-value]: "addr" must be an IP address, got "192.0.2"
    hint: an IPv4 or IPv6 address: 192.0.2.10 or 2001:db8::10
`},
		{"ip with a prefix", []fault{edit(kit, `addr = "192.0.2.20"`, `addr = "192.0.2.20/24"`)}, `content/acme/assets/kit/k1.toml:10:8: error [invalid-value]: "addr" must be an IP address, got "192.0.2.20/24"
    hint: this looks like a network: use a cidr field, or drop the /prefix
`},
		{"malformed cidr", []fault{edit(kit, `net = "192.0.2.0/24"`, `net = "192.0.2.0/33"`)}, `content/acme/assets/kit/k1.toml:11:7: error [invalid-value]: "net" must be a network in CIDR notation, got "192.0.2.0/33"
    hint: a network in CIDR notation: 198.51.100.0/24
`},
		{"cidr with host bits set", []fault{edit(kit, `net = "192.0.2.0/24"`, `net = "192.0.2.7/24"`)}, `content/acme/assets/kit/k1.toml:11:7: error [invalid-value]: "net" has host bits set: "192.0.2.7/24" is not a network address
    hint: did you mean "192.0.2.0/24"?
`},
		{"url without scheme", []fault{edit(kit, `site = "https://kit.acme.example/"`, `site = "kit.acme.example"`)}, `content/acme/assets/kit/k1.toml:12:8: error [invalid-value]: "site" must be a URL, got "kit.acme.example"
    hint: add a scheme: https://kit.acme.example
`},
		{"url with unknown scheme", []fault{edit(kit, `site = "https://kit.acme.example/"`, `site = "javascript:alert(1)"`)}, `content/acme/assets/kit/k1.toml:12:8: error [invalid-value]: "site" must be a URL, got "javascript:alert(1)"
    hint: write an absolute URL with a scheme and host: https://portal.example.com/
`},
		{"email without domain", []fault{edit(kit, `mail = "kit@acme.example"`, `mail = "kit@"`)}, `content/acme/assets/kit/k1.toml:13:8: error [invalid-value]: "mail" must be an email address, got "kit@"
    hint: write a bare address: name@example.com
`},
		{"email with a display name", []fault{edit(kit, `mail = "kit@acme.example"`, `mail = "Kit <kit@acme.example>"`)}, `content/acme/assets/kit/k1.toml:13:8: error [invalid-value]: "mail" must be an email address, got "Kit <kit@acme.example>"
    hint: write a bare address: name@example.com
`},
		{"phone with letters", []fault{edit(kit, `phone = "+1 555 0101"`, `phone = "call reception"`)}, `content/acme/assets/kit/k1.toml:14:9: error [invalid-value]: "phone" must be a phone number, got "call reception"
    hint: digits, spaces and + ( ) - . / only: +1 555 0100
`},
		{"checkbox not a bool", []fault{edit(kit, `active = true`, `active = "yes"`)}, `content/acme/assets/kit/k1.toml:6:10: error [invalid-value]: "active" is a checkbox and must be true or false, got the string "yes"
    hint: write true or false without quotes
`},
		{"text with newlines", []fault{edit(sv1, `name = "sv1"`, "name = \"\"\"\nsv1\nsv2\"\"\"")}, `content/acme/configurations/sv1.toml:1:8: error [invalid-value]: "name" is a one-line text field, but the value has line breaks
    hint: use a textbox field for text of several lines
`},
		{"text not a string", []fault{edit(sv1, `name = "sv1"`, `name = 1`)}, `content/acme/configurations/sv1.toml:1:8: error [invalid-value]: "name" must be a string, got integer 1
`},
		{"group that is not records", []fault{edit(kit, "\n[[ports]]\nlabel = \"uplink\"\nvlan = 10\n", ""), edit(kit, `tier = "Gold"`, "tier = \"Gold\"\nports = \"uplink\"")}, `content/acme/assets/kit/k1.toml:8:9: error [invalid-value]: "ports" must be a list of records, got the string "uplink"
    hint: write each record as a [[ports]] table
`},
		{"email in a group record", []fault{edit("content/acme/contacts/jo.toml", `value = "jo@acme.example"`, `value = "jo at acme"`)}, `content/acme/contacts/jo.toml:6:9: error [invalid-value]: "value" must be an email address, got "jo at acme"
    hint: write a bare address: name@example.com
`},
		{"reserved key of the wrong type", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\narchived = \"yes\"")}, `content/acme/configurations/sv1.toml:2:12: error [invalid-value]: "archived" must be true or false, got the string "yes"
`},
		{"import_id not a string", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\nimport_id = 1001")}, `content/acme/configurations/sv1.toml:2:13: error [invalid-value]: "import_id" must be a string, got integer 1001
`},
		{"import_id on an item and an organization", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\nimport_id = \"itglue/configurations/1001\""),
			edit("content/acme/org.toml", `kind = "client"`, "kind = \"client\"\nimport_id = \"itglue/organizations/1\"")}, ``},
		{"related not an array", []fault{edit(sv1, `related = ["documents/restore", "vendors/contacts/rep"]`, `related = "documents/restore"`)}, `content/acme/configurations/sv1.toml:6:11: error [invalid-value]: "related" must be an array of ids, got the string "documents/restore"
    hint: write related = ["configurations/sv1", ...]
`},
		{"organization kind", []fault{edit("content/acme/org.toml", `kind = "client"`, `kind = "customer"`)}, `content/acme/org.toml:2:8: error [invalid-value]: unknown organization kind "customer"
    hint: kinds: internal, client, vendor, partner
`},
	})
}

func TestTagAndRelatedTargets(t *testing.T) {
	runRules(t, []ruleCase{
		{"tag to a missing item, did-you-mean", []fault{edit(sv1, `location = "locations/hq"`, `location = "locations/hg"`)}, `content/acme/configurations/sv1.toml:4:12: error [broken-link]: "location": "locations/hg": no such item
    hint: did you mean "locations/hq"?
`},
		{"tag to a missing item", []fault{edit(sv1, `location = "locations/hq"`, `location = "locations/branch-office"`)}, `content/acme/configurations/sv1.toml:4:12: error [broken-link]: "location": "locations/branch-office": no such item
    hint: there is no file for it under content/acme/locations/
`},
		{"tag to a type the field does not allow", []fault{edit(sv1, `location = "locations/hq"`, `location = "contacts/jo"`)}, `content/acme/configurations/sv1.toml:4:12: error [wrong-target]: "location": contacts/jo is a Contact, which this field does not allow
    hint: "location" may point to locations
`},
		{"flexible tag to a type the field does not allow", []fault{edit(kit, `host = "configurations/sv1"`, `host = "locations/hq"`)}, `content/acme/assets/kit/k1.toml:8:8: error [wrong-target]: "host": locations/hq is a Location, which this field does not allow
    hint: "host" may point to configurations
`},
		{"tag to an organization", []fault{edit(sv1, `location = "locations/hq"`, `location = "acme"`)}, `content/acme/configurations/sv1.toml:4:12: error [broken-link]: "location": "acme" is an organization, not an item
    hint: link an item: <type>/<slug>
`},
		{"related to a missing item", []fault{edit(sv1, `"documents/restore", `, `"documents/restroe", `)}, `content/acme/configurations/sv1.toml:6:12: error [broken-link]: related item: "documents/restroe": no such item
    hint: did you mean "documents/restore"?
`},
		{"related with an unknown type folder", []fault{edit(sv1, `"documents/restore", `, `"servers/sv2", `)}, `content/acme/configurations/sv1.toml:6:12: error [broken-link]: related item: "servers/sv2": no organization "servers"
    hint: an id starts with an organization or a type folder (configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets)
`},
		{"related to a missing organization", []fault{edit(sv1, `"vendors/contacts/rep"`, `"vendorz/contacts/rep"`)}, `content/acme/configurations/sv1.toml:6:33: error [broken-link]: related item: "vendorz/contacts/rep": no organization "vendorz"
    hint: did you mean "vendors"?
`},
		{"related entry not a string", []fault{edit(sv1, `"vendors/contacts/rep"`, `3`)}, `content/acme/configurations/sv1.toml:6:33: error [invalid-value]: "related" entries must be id strings, got integer 3
    hint: write related = ["configurations/sv1", ...]
`},
		{"upload that does not exist", []fault{edit(kit, `manual = "lan.pdf"`, `manual = "wan.pdf"`)}, `content/acme/assets/kit/k1.toml:9:10: error [broken-link]: "manual": attachment "wan.pdf" does not exist
    hint: put the file at content/acme/files/wan.pdf
`},
		{"upload outside files/", []fault{edit(kit, `manual = "lan.pdf"`, `manual = "../../other/files/x.pdf"`)}, `content/acme/assets/kit/k1.toml:9:10: error [bad-path]: "manual": "../../other/files/x.pdf" is not a path below the organization's files/
    hint: give the file's path below content/acme/files/, like diagrams/lan.pdf
`},
		{"checklist template that does not exist", []fault{edit("content/acme/checklists/onboard-jo.md", `template = "onboarding"`, `template = "onbording"`)}, `content/acme/checklists/onboard-jo.md:3:12: error [broken-link]: checklist template "onbording" does not exist
    hint: did you mean "onboarding"?
`},
	})
}

func TestMarkdownLinks(t *testing.T) {
	runRules(t, []ruleCase{
		{"broken wiki link", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[configurations/sv2|the server]]`)}, `content/acme/documents/restore.md:7:9: error [broken-link]: wiki link [[configurations/sv2]]: "configurations/sv2": no such item
    hint: did you mean "configurations/sv1"?
`},
		{"wiki link with an unknown heading anchor", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[documents/network/vlans#plans]]`)}, `content/acme/documents/restore.md:7:9: error [broken-anchor]: wiki link [[documents/network/vlans#plans]]: acme/documents/network/vlans has no heading with anchor #plans
    hint: did you mean "plan"?
`},
		{"wiki anchor on an item without headings", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[configurations/sv1#disks]]`)}, `content/acme/documents/restore.md:7:9: error [broken-anchor]: wiki link [[configurations/sv1#disks]]: acme/configurations/sv1 has no headings to link to
    hint: heading anchors (#...) work on documents and checklists
`},
		{"wiki link to an organization", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[vendors]]`)}, ""},
		{"same-page anchor", []fault{edit(restore, `[verify](#verify)`, `[verify](#verfy)`)}, `content/acme/documents/restore.md:7:49: error [broken-anchor]: link #verfy: no heading with that anchor on this page
    hint: did you mean "verify"?
`},
		{"broken relative link", []fault{edit(restore, `[network](network/index.md)`, `[network](network/overview.md)`)}, `content/acme/documents/restore.md:11:9: error [broken-link]: link "network/overview.md": content/acme/documents/network/overview.md does not exist
    hint: check the path; wiki links ([[documents/...]]) do not depend on where the file is
`},
		{"relative link with an unknown anchor", []fault{edit(restore, `network/vlans.md#plan`, `network/vlans.md#plan-b`)}, `content/acme/documents/restore.md:11:41: error [broken-anchor]: link "network/vlans.md#plan-b": acme/documents/network/vlans has no heading with anchor #plan-b
    hint: did you mean "plan"?
`},
		{"relative link to a missing file", []fault{edit("content/acme/documents/network/index.md", `../../files/lan.pdf`, `../../files/wan.pdf`)}, `content/acme/documents/network/index.md:7:5: error [broken-link]: link "../../files/wan.pdf": file content/acme/files/wan.pdf does not exist
    hint: put the file at content/acme/files/wan.pdf or fix the path
`},
		{"relative link outside content", []fault{edit("content/acme/documents/network/index.md", `../../files/lan.pdf`, `../../../../cairn.toml`)}, `content/acme/documents/network/index.md:7:5: error [bad-path]: link "../../../../cairn.toml" points outside the site's content
    hint: links may point to documents, items and files under content/
`},
		{"absolute link", []fault{edit("content/acme/documents/network/index.md", `../../files/lan.pdf`, `/etc/passwd`)}, `content/acme/documents/network/index.md:7:5: error [bad-path]: link "/etc/passwd": absolute paths do not work in every portal
    hint: use a path relative to this file, like ../files/lan.pdf
`},
		{"broken wiki link in notes", []fault{edit("content/acme/locations/hq.toml", `phone = "+1 555 0100"`, "phone = \"+1 555 0100\"\nnotes = \"\"\"\nKeys: [[contacts/joe]].\n\"\"\"")}, `content/acme/locations/hq.toml:4:7: error [broken-link]: wiki link [[contacts/joe]]: "contacts/joe": no such item
    hint: did you mean "contacts/jo"?
`},
		{"broken wiki link in a textbox", []fault{edit(kit, `Runs on [[configurations/sv1]].`, `Runs on [[configurations/sv9]].`)}, `content/acme/assets/kit/k1.toml:16:9: error [broken-link]: wiki link [[configurations/sv9]]: "configurations/sv9": no such item
    hint: did you mean "configurations/sv1"?
`},
		{"broken wiki link in quick notes", []fault{edit("content/acme/org.toml", `[[documents/restore]]`, `[[documents/restor]]`)}, `content/acme/org.toml:4:17: error [broken-link]: wiki link [[documents/restor]]: "documents/restor": no such item
    hint: did you mean "documents/restore"?
`},
		{"web links are not checked", []fault{edit(restore, `[verify](#verify)`, `[verify](https://example.com/x) and <mailto:x@y.example>`)}, ""},
	})
}

func TestCrossOrganization(t *testing.T) {
	runRules(t, []ruleCase{
		{"tag into another client", []fault{edit(kit, `host = "configurations/sv1"`, `host = "other/configurations/x1"`)}, `content/acme/assets/kit/k1.toml:8:8: error [cross-org]: "host": "other/configurations/x1" links into organization "other", which is not shared
    hint: a portal for acme must never reveal other: link only within the organization or into a shared one (shared = true in content/other/org.toml)
`},
		{"related into another client", []fault{edit(sv1, `"vendors/contacts/rep"`, `"other/configurations/x1"`)}, `content/acme/configurations/sv1.toml:6:33: error [cross-org]: related item: "other/configurations/x1" links into organization "other", which is not shared
    hint: a portal for acme must never reveal other: link only within the organization or into a shared one (shared = true in content/other/org.toml)
`},
		{"wiki link into another client", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[other/configurations/x1]]`)}, `content/acme/documents/restore.md:7:9: error [cross-org]: wiki link [[other/configurations/x1]]: "other/configurations/x1" links into organization "other", which is not shared
    hint: a portal for acme must never reveal other: link only within the organization or into a shared one (shared = true in content/other/org.toml)
`},
		{"wiki link to another client organization", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[other]]`)}, `content/acme/documents/restore.md:7:9: error [cross-org]: wiki link [[other]]: "other" links into organization "other", which is not shared
    hint: a portal for acme must never reveal other: link only within the organization or into a shared one (shared = true in content/other/org.toml)
`},
		{"relative link into another client", []fault{edit(restore, `[network](network/index.md)`, `[x1](../../other/configurations/x1.toml)`)}, `content/acme/documents/restore.md:11:9: error [cross-org]: link "../../other/configurations/x1.toml" points into organization "other", which is not shared
    hint: link only within the organization or into a shared one
`},
		{"links into a shared organization are fine", []fault{
			edit(restore, `[[configurations/sv1|the server]]`, `[[vendors/contacts/rep]] and [rep](../../vendors/contacts/rep.toml)`),
			edit(kit, `host = "configurations/sv1"`, `host = "vendors/configurations/vx"`),
			write("content/vendors/configurations/vx.toml", "name = \"vx\"\nconfiguration_type = \"Router\"\n"),
		}, ""},
	})
}

func TestSlugsAndPaths(t *testing.T) {
	runRules(t, []ruleCase{
		{"upper case file name", []fault{write("content/acme/configurations/SV2.toml", "name = \"sv2\"\nconfiguration_type = \"Server\"\n")}, `content/acme/configurations/SV2.toml: error [bad-slug]: "SV2" is not a valid slug
    hint: rename it: lower-case letters, digits and single hyphens, like sv2
`},
		{"space in file name", []fault{write("content/acme/configurations/sv 2.toml", "name = \"sv2\"\nconfiguration_type = \"Server\"\n")}, `content/acme/configurations/sv 2.toml: error [bad-slug]: "sv 2" is not a valid slug
    hint: rename it: lower-case letters, digits and single hyphens, like sv-2
`},
		{"dots in file name", []fault{write("content/acme/configurations/sv..2.toml", "name = \"sv2\"\nconfiguration_type = \"Server\"\n")}, `content/acme/configurations/sv..2.toml: error [bad-slug]: "sv..2" is not a valid slug
    hint: rename it: lower-case letters, digits and single hyphens, like sv-2
`},
		{"bad document folder", []fault{write("content/acme/documents/My Docs/x.md", "+++\ntitle = \"x\"\n+++\n")}, `content/acme/documents/My Docs: error [bad-slug]: "My Docs" is not a valid slug
    hint: rename it: lower-case letters, digits and single hyphens, like my-docs
`},
		{"bad organization folder", []fault{write("content/Acme Corp/org.toml", "name = \"x\"\n")}, `content/Acme Corp: error [bad-slug]: "Acme Corp" is not a valid slug
    hint: rename it: lower-case letters, digits and single hyphens, like acme-corp
`},
		{"organization named like a type folder", []fault{write("content/documents/org.toml", "name = \"x\"\n")}, `content/documents: error [bad-slug]: organization slug "documents" is reserved
    hint: rename the folder: type folder names cannot be organization slugs
`},
		{"link target in upper case", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[configurations/SV1]]`)}, `content/acme/documents/restore.md:7:9: error [bad-slug]: wiki link [[configurations/SV1]]: "configurations/SV1" is not a valid id
    hint: ids are lower case: "configurations/sv1"
`},
		{"link target with ..", []fault{edit(sv1, `"vendors/contacts/rep"`, `"../other/configurations/x1"`)}, `content/acme/configurations/sv1.toml:6:33: error [bad-slug]: related item: "../other/configurations/x1" is not a valid id
    hint: ids are <org>/<type>/<slug> or, within one organization, <type>/<slug>; slugs are lower-case letters, digits and hyphens
`},
		{"link target absolute", []fault{edit(sv1, `"vendors/contacts/rep"`, `"/etc/passwd"`)}, `content/acme/configurations/sv1.toml:6:33: error [bad-slug]: related item: "/etc/passwd" is not a valid id
    hint: ids are <org>/<type>/<slug> or, within one organization, <type>/<slug>; slugs are lower-case letters, digits and hyphens
`},
		{"link target with a space", []fault{edit(restore, `[[configurations/sv1|the server]]`, `[[configurations/sv 1]]`)}, `content/acme/documents/restore.md:7:9: error [bad-slug]: wiki link [[configurations/sv 1]]: "configurations/sv 1" is not a valid id
    hint: ids are <org>/<type>/<slug> or, within one organization, <type>/<slug>; slugs are lower-case letters, digits and hyphens
`},
		{"duplicate id: x.md beside x/index.md", []fault{write("content/acme/documents/network.md", "+++\ntitle = \"Network again\"\n+++\n")}, `content/acme/documents/network.md:1:1: error [duplicate-id]: duplicate id acme/documents/network: content/acme/documents/network/index.md has the same id
    hint: rename or merge one of them
`},
	})
}

func TestSecrets(t *testing.T) {
	runRules(t, []ruleCase{
		{"password field with a value", []fault{edit("content/acme/passwords/admin.toml", `username = "administrator"`, "username = \"administrator\"\npassword = \"hunter2\"")}, `content/acme/passwords/admin.toml:3:12: error [plaintext-secret]: "password" is a password field: its value must not be written in plain TOML
    hint: remove the value from the TOML and store it encrypted: cairn secret set acme/passwords/admin password
`},
		{"otp secret with a value", []fault{edit("content/acme/passwords/admin.toml", `username = "administrator"`, "username = \"administrator\"\notp_secret = \"JBSWY3DPEHPK3PXP\"")}, `content/acme/passwords/admin.toml:3:14: error [plaintext-secret]: "otp_secret" is a password field: its value must not be written in plain TOML
    hint: remove the value from the TOML and store it encrypted: cairn secret set acme/passwords/admin otp_secret
`},
		{"flexible password field with a value", []fault{edit(kit, `tier = "Gold"`, "tier = \"Gold\"\nsecret = \"s3cret\"")}, `content/acme/assets/kit/k1.toml:8:10: error [plaintext-secret]: "secret" is a password field: its value must not be written in plain TOML
    hint: remove the value from the TOML and store it encrypted: cairn secret set acme/assets/kit/k1 secret
`},
		{"password key on a type without one", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\npassword = \"hunter2\"")}, `content/acme/configurations/sv1.toml:2:12: error [plaintext-secret]: "password" holds a secret in plain text
    hint: remove the value from the TOML and keep it in a password item (configurations has no password field "password"): cairn new passwords acme sv1 && cairn secret set acme/passwords/sv1 password; then rotate it, since git history keeps the plain text
`},
		{"password key in a group record", []fault{edit(sv1, `name = "eth0"`, "name = \"eth0\"\npassword = \"hunter2\"")}, `content/acme/configurations/sv1.toml:10:12: error [plaintext-secret]: "password" holds a secret in plain text
    hint: remove the value from the TOML and keep it in a password item (configurations has no password field "password"): cairn new passwords acme sv1 && cairn secret set acme/passwords/sv1 password; then rotate it, since git history keeps the plain text
`},
		{"password key in front matter", []fault{edit(restore, `title = "Restore"`, "title = \"Restore\"\npassword = \"hunter2\"")}, `content/acme/documents/restore.md:3:12: error [plaintext-secret]: "password" holds a secret in plain text
    hint: remove the value from the TOML and keep it in a password item (documents has no password field "password"): cairn new passwords acme restore && cairn secret set acme/passwords/restore password; then rotate it, since git history keeps the plain text
content/acme/documents/restore.md:3:13: error [secret-leak]: password in plain text (leaks rule password-in-text)
    hint: keep it in a password item instead: cairn new passwords acme SLUG, then cairn secret set acme/passwords/SLUG password, and link it from here as [[passwords/SLUG]]; delete it here and rotate it, since git history keeps the plain text; if it is not a secret, add it to the [allowlist] of leaks.toml or put leaks:allow on the line
`},
		{"an empty password is no secret", []fault{edit("content/acme/passwords/admin.toml", `username = "administrator"`, "username = \"administrator\"\npassword = \"\"")}, ""},
		{"orphan secrets file", []fault{write("content/acme/passwords/old.sops.yaml", "password: ENC[x]\n")}, `content/acme/passwords/old.sops.yaml: error [orphan-secrets]: secrets file has no item: there is no old.toml beside it
    hint: create content/acme/passwords/old.toml or delete the secrets file
`},
	})
}

func TestFilesAndFolders(t *testing.T) {
	runRules(t, []ruleCase{
		{"unknown type folder", []fault{write("content/acme/servers/dc01.toml", "name = \"dc01\"\n")}, `content/acme/servers: error [unknown-type]: "servers" is not a known type folder
    hint: type folders: configurations, contacts, locations, passwords, domains, ssl-certificates, documents, checklists, assets/<type>, files
`},
		{"unknown flexible type folder", []fault{write("content/acme/assets/kits/k2.toml", "title = \"k2\"\n")}, `content/acme/assets/kits: error [unknown-type]: no flexible asset type "kits": there is no schemas/kits.toml
    hint: did you mean assets/kit? flexible types are defined in schemas/<type>.toml
`},
		{"stray file in an organization", []fault{write("content/acme/readme.txt", "hello\n")}, `content/acme/readme.txt: error [stray-file]: unexpected file readme.txt
    hint: an organization folder holds org.toml and type folders
`},
		{"stray file in a type folder", []fault{write("content/acme/configurations/sv1.yaml", "name: sv1\n")}, `content/acme/configurations/sv1.yaml: error [stray-file]: unexpected file sv1.yaml in configurations/
    hint: items are <slug>.toml, their secrets <slug>.sops.yaml; attachments go in files/
`},
		{"non-Markdown file in documents", []fault{write("content/acme/documents/diagram.pdf", "%PDF\n")}, `content/acme/documents/diagram.pdf: error [stray-file]: documents/ holds Markdown (.md) files only
    hint: put attachments in content/acme/files/ and link them
`},
		{"file directly in content", []fault{write("content/notes.md", "hi\n")}, `content/notes.md: error [stray-file]: unexpected file in content/
    hint: content/ holds one folder per organization
`},
		{"missing org.toml", []fault{write("content/newco/configurations/a1.toml", "name = \"a1\"\nconfiguration_type = \"Server\"\n")}, `content/newco: error [missing-org]: folder content/newco has no org.toml
    hint: add content/newco/org.toml with at least name = "..." (cairn new org newco)
`},
		{"document without front matter", []fault{write("content/acme/documents/raw.md", "# Raw\n\nNo front matter.\n")}, `content/acme/documents/raw.md:1:1: error [front-matter]: no front matter: the file must start with a +++ line, then TOML, then another +++ line
    hint: start the file with:
    +++
    title = "..."
    +++
`},
		{"front matter never closed", []fault{write("content/acme/documents/open.md", "+++\ntitle = \"Open\"\n\n# Open\n")}, `content/acme/documents/open.md:1:1: error [front-matter]: front matter opened with +++ on line 1 is never closed: add a +++ line after the TOML
`},
		{"hidden files are ignored", []fault{write("content/acme/configurations/.sv1.toml.swp", "junk"), write("content/acme/.gitkeep", "")}, ""},
	})
}

func TestAccessRules(t *testing.T) {
	runRules(t, []ruleCase{
		{"user in an unknown group", []fault{edit("access.toml", `groups = ["staff"]`+"\n\n[portals", `groups = ["staf"]`+"\n\n[portals")}, `access.toml:9:3: error [access]: user "dana@msp.example" is in unknown group "staf"
    hint: did you mean "staff"?
`},
		{"portal with an unknown group", []fault{edit("access.toml", "[portals.internal]\ngroups = [\"staff\"]", "[portals.internal]\ngroups = [\"helpdesk\"]")}, `access.toml:14:2: error [access]: portal "internal" names unknown group "helpdesk"
    hint: groups: acme-people, staff
`},
		{"group with an unknown organization", []fault{edit("access.toml", `orgs = ["acme"]`, `orgs = ["acme", "acne-corp"]`)}, `access.toml:4:2: error [access]: group "acme-people" names unknown organization "acne-corp"
    hint: organizations: acme, other, vendors
`},
		{"group with an unknown type", []fault{edit("access.toml", `types = ["configurations", "documents", "assets/kit"]`, `types = ["configuration", "documents", "assets/kits"]`)}, `access.toml:4:2: error [access]: group "acme-people" names unknown type "assets/kits"
    hint: did you mean "assets/kit"?
access.toml:4:2: error [access]: group "acme-people" names unknown type "configuration"
    hint: did you mean "configurations"?
`},
		{"deny entry with an unknown organization", []fault{edit("access.toml", `deny = ["acme/passwords"]`, `deny = ["acmee/passwords"]`)}, `access.toml:4:2: error [access]: group "acme-people": deny entry "acmee/passwords" names unknown organization "acmee"
    hint: did you mean "acme"?
`},
		{"deny entry without a type", []fault{edit("access.toml", `deny = ["acme/passwords"]`, `deny = ["acme"]`)}, `access.toml:4:2: error [access]: group "acme-people": deny entry "acme" has no type part
    hint: write deny entries as "<org|*>/<type|*>", like "acme/passwords"
`},
		{"unknown role", []fault{edit("access.toml", `role = "editor"`, `role = "owner"`)}, `access.toml:9:3: error [access]: user "dana@msp.example" has unknown role "owner"
    hint: roles: admin, manager, editor, creator, readonly, lite
`},
		{"unknown secrets policy", []fault{edit("access.toml", `secrets = "sealed"`, `secrets = "plain"`)}, `access.toml:14:2: error [access]: portal "internal": unknown secrets policy "plain"
    hint: secrets is "none" (metadata only) or "sealed" (encrypted in the page)
`},
		{"item access names an unknown group", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\naccess = [\"staf\"]")}, `content/acme/configurations/sv1.toml:2:11: error [access]: unknown group "staf"
    hint: did you mean "staff"?
`},
		{"item access names no group", []fault{edit(sv1, `name = "sv1"`, "name = \"sv1\"\naccess = []")}, `content/acme/configurations/sv1.toml:2:1: error [access]: access = [] would hide the item from every portal
    hint: remove the key to use the organization's groups, or name the groups that may see it
`},
		{"group with types = []", []fault{edit("access.toml", `types = ["configurations", "documents", "assets/kit"]`, `types = []`)}, `access.toml:4:2: error [access]: group "acme-people": types = [] names no type (a group without a types key sees every type)
    hint: remove the key to allow every type, or name the types the group may see
`},
		{"group with orgs = []", []fault{edit("access.toml", `orgs = ["acme"]`, `orgs = []`)}, `access.toml:4:2: error [access]: group "acme-people" names no organizations
    hint: add orgs = ["*"] for every organization, or a list of org slugs
`},
		{"portal with groups = []", []fault{edit("access.toml", "[portals.internal]\ngroups = [\"staff\"]", "[portals.internal]\ngroups = []")}, `access.toml:14:2: error [access]: portal "internal" has no groups
    hint: add groups = ["..."]: a portal shows what its groups may see
`},
		{"history setting with a typo", []fault{edit("access.toml", `secrets = "sealed"`, "secrets = \"sealed\"\nhistory = \"ful\"")}, `access.toml:14:2: error [access]: portal "internal": unknown history setting "ful"
    hint: did you mean "full"?
`},
		{"unknown history setting", []fault{edit("access.toml", `secrets = "sealed"`, "secrets = \"sealed\"\nhistory = \"everything\"")}, `access.toml:14:2: error [access]: portal "internal": unknown history setting "everything"
    hint: history is "dates" (dates only) or "full" (dates, commit subjects and author names)
`},
		{"history settings", []fault{edit("access.toml", `secrets = "sealed"`, "secrets = \"sealed\"\nhistory = \"dates\"\n[portals.other]\ngroups = [\"staff\"]\nhistory = \"full\"")}, ""},
		{"unknown key in access.toml", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\ngroup = \"staff\"")}, `access.toml:12:1: error [unknown-field]: unknown key "users[0].group"
    hint: did you mean "groups"?
`},
		{"forge handles", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\nforge = \"@dana_k.01\""), edit("access.toml", `orgs = ["*"]`, "orgs = [\"*\"]\nteam = \"@msp/tech-team/tier.2\"\n[codeowners]\nsite = [\"@msp/leads\", \"@dana\"]")}, ""},
		{"forge handle without @", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\nforge = \"dana\"")}, `access.toml:9:3: error [access]: user "dana@msp.example": forge handle "dana" does not start with @
    hint: write the user's forge name after an @, like forge = "@dana"; a team belongs in a group's team key
`},
		{"forge handle naming a team", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\nforge = \"@msp/tech\"")}, `access.toml:9:3: error [access]: user "dana@msp.example": forge handle "@msp/tech" names a team (it has a /); a user's handle is one name
    hint: write the user's forge name after an @, like forge = "@dana"; a team belongs in a group's team key
`},
		{"forge handle with a space", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\nforge = \"@dana kim\"")}, `access.toml:9:3: error [access]: user "dana@msp.example": forge handle "@dana kim" has the character ' ' (names are letters, digits, ".", "_" and "-")
    hint: write the user's forge name after an @, like forge = "@dana"; a team belongs in a group's team key
`},
		{"team with an empty name", []fault{edit("access.toml", `orgs = ["*"]`, "orgs = [\"*\"]\nteam = \"@msp/\"")}, `access.toml:1:2: error [access]: group "staff": team "@msp/" has an empty name
    hint: write the forge team after an @, like team = "@northwind-it/technicians"
`},
		{"team with a comment", []fault{edit("access.toml", `orgs = ["*"]`, "orgs = [\"*\"]\nteam = \"@msp/tech#x\"")}, `access.toml:1:2: error [access]: group "staff": team "@msp/tech#x" has the character '#' (names are letters, digits, ".", "_" and "-")
    hint: write the forge team after an @, like team = "@northwind-it/technicians"
`},
		{"site owners", []fault{edit("access.toml", "[portals.internal]", "[codeowners]\nsite = [\"@msp/leads\", \"-x\", \"@-x\"]\n\n[portals.internal]")}, `access.toml:14:2: error [access]: [codeowners] site: handle "-x" does not start with @
    hint: write forge users or teams after an @, like site = ["@northwind-it/admins", "@dana"]
access.toml:14:2: error [access]: [codeowners] site: handle "@-x" has a name starting with '-'
    hint: write forge users or teams after an @, like site = ["@northwind-it/admins", "@dana"]
`},
		{"site owners empty", []fault{edit("access.toml", "[portals.internal]", "[codeowners]\nsite = []\n\n[portals.internal]")}, `access.toml:14:2: error [access]: [codeowners] site = [] names no owner
    hint: remove the key to make the admins' forge handles the owners, or name handles
`},
		{"misspelt forge key", []fault{edit("access.toml", `role = "editor"`, "role = \"editor\"\nforges = \"@dana\"")}, `access.toml:12:1: error [unknown-field]: unknown key "users[0].forges"
    hint: did you mean "forge"?
`},
		{"misspelt codeowners key", []fault{edit("access.toml", "[portals.internal]", "[codeowners]\nsites = [\"@dana\"]\n\n[portals.internal]")}, `access.toml:15:1: error [unknown-field]: unknown key "codeowners.sites"
    hint: did you mean "site"?
`},
	})
}

func TestSchemaFiles(t *testing.T) {
	runRules(t, []ruleCase{
		{"unknown kind", []fault{edit("schemas/kit.toml", `kind = "checkbox"`, `kind = "chekbox"`)}, `schemas/kit.toml:24:3: error [schema]: field "active" has unknown kind "chekbox"
    hint: did you mean "checkbox"?
`},
		{"select without options", []fault{edit("schemas/kit.toml", `options = ["Gold", "Silver", "Bronze"]`+"\n", "")}, `schemas/kit.toml:27:3: error [schema]: select field "tier" has no options
`},
		{"reserved field name", []fault{edit("schemas/kit.toml", `name = "details"`, `name = "notes"`)}, `content/acme/assets/kit/k1.toml:15:1: error [unknown-field]: unknown field "details" for Kits
    hint: fields of Kits: title, count, share, bought, renew, active, tier, host, secret, manual, addr, net, site, mail, phone, notes, ports, name, related, access, archived, managed_by, suppress, import_id
schemas/kit.toml:56:3: error [schema]: field name "notes" is reserved for every item (name, related, access, archived, managed_by, notes, suppress, import_id)
`},
		{"unknown tag target", []fault{edit("schemas/kit.toml", `targets = ["configurations"]`, `targets = ["configuration"]`)}, `content/acme/assets/kit/k1.toml:8:8: error [wrong-target]: "host": configurations/sv1 is a Configuration, which this field does not allow
    hint: "host" may point to configuration
schemas/kit.toml:31:3: error [schema]: field "host" targets unknown type "configuration"
    hint: did you mean "configurations"?
`},
		{"slug that does not match the file", []fault{edit("schemas/kit.toml", `singular = "Kit"`, "singular = \"Kit\"\nslug = \"kits\"")}, `schemas/kit.toml:3:8: error [schema]: slug "kits" does not match the file name "kit"
    hint: rename the file to kits.toml or set slug = "kit"
`},
		{"schema without a name", []fault{edit("schemas/kit.toml", `name = "Kits"`+"\n", "")}, `schemas/kit.toml:1:1: error [schema]: schema has no name
    hint: add name = "Display Name" at the top
`},
		{"unknown schema key", []fault{edit("schemas/kit.toml", `use_for_title = true`, `use_for_titel = true`)}, `content/acme/assets/kit/k1.toml:1:1: error [missing-field]: kit has no name
    hint: add name = "..."
schemas/kit.toml:7:1: error [schema]: unknown key "fields[0].use_for_titel"
    hint: did you mean "use_for_title"?
`},
		{"stray file in schemas", []fault{write("schemas/notes.txt", "x\n")}, `schemas/notes.txt: error [stray-file]: unexpected file notes.txt in schemas/
    hint: schemas/ holds one <type>.toml per flexible asset type
`},
	})
}

func TestChecklists(t *testing.T) {
	runRules(t, []ruleCase{
		{"bad task due date", []fault{edit("content/acme/checklists/onboard-jo.md", `due:2026-11-20`, `due:2026-11-31`)}, `content/acme/checklists/onboard-jo.md:6:3: error [invalid-value]: task due date "2026-11-31" is not a date
    hint: write due:YYYY-MM-DD, like due:2026-12-01
`},
		{"template without tasks", []fault{write("checklists/empty.md", "+++\ntitle = \"Empty\"\n+++\n\nNothing to do.\n")}, `checklists/empty.md:4: warning [empty-checklist]: checklist template has no tasks (write them as - [ ] task)
`},
		{"template with unknown front matter key", []fault{edit("checklists/onboarding.md", `title = "Onboarding"`, "title = \"Onboarding\"\nowner = \"dana\"")}, `checklists/onboarding.md:3:1: error [unknown-field]: unknown key "owner"
    hint: template front matter keys: title, summary, category, sop
`},
		{"template task with a relative due date", []fault{edit("checklists/onboarding.md", `- [ ] Order the laptop`, `- [ ] Order the laptop due:-3d`)}, ""},
		{"template task with a bad due date", []fault{edit("checklists/onboarding.md", `- [ ] Order the laptop`, `- [ ] Order the laptop due:soon`)}, `checklists/onboarding.md:6:3: error [invalid-value]: task due date "soon" is neither a date nor an offset
    hint: write due:YYYY-MM-DD, or an offset from the run's due date like due:+3d or due:-1w
`},
		{"template sop that is not a string", []fault{edit("checklists/onboarding.md", `title = "Onboarding"`, "title = \"Onboarding\"\nsop = 3")}, `checklists/onboarding.md:3:7: error [invalid-value]: sop must be a string
    hint: write sop = "documents/sops/<slug>", the id of the procedure in each organization
`},
	})
}

func TestExpiry(t *testing.T) {
	runRules(t, []ruleCase{
		{"expired date is a warning", []fault{edit(sv1, `warranty_expires = 2027-03-31`, `warranty_expires = 2026-10-01`)}, `content/acme/configurations/sv1.toml:5:20: warning [expired]: Warranty expires 2026-10-01 has passed (53 days ago)
    hint: renew it and update the date, or set archived = true if it is no longer used
`},
		{"expired date on an archived item is not", []fault{edit(sv1, `warranty_expires = 2027-03-31`, "warranty_expires = 2026-10-01\narchived = true")}, ""},
		{"expiring soon is counted, not reported", []fault{edit(sv1, `warranty_expires = 2027-03-31`, `warranty_expires = 2026-12-01`)}, ""},
		{"expired flexible date", []fault{edit(kit, `renew = 2027-01-15`, `renew = "2025-01-15"`)}, `content/acme/assets/kit/k1.toml:5:9: warning [expired]: Renew 2025-01-15 has passed (677 days ago)
    hint: renew it and update the date, or set archived = true if it is no longer used
`},
	})
}

func TestReviewAndRotationPolicy(t *testing.T) {
	const cfg = "title = \"Test site\"\noutput = \"public\"\nexpiry_window_days = 30\n"
	runRules(t, []ruleCase{
		{"a good policy", []fault{write("cairn.toml", cfg+"\n[rotation]\npasswords = \"365d\"\n[rotation.orgs.acme]\npasswords = \"90d\"\n[review]\n\"*\" = \"1y\"\n")}, ""},
		{"a bad duration", []fault{write("cairn.toml", cfg+"\n[rotation]\npasswords = \"yearly\"\n")}, `cairn.toml:6:13: error [invalid-value]: rotation.passwords: "yearly" is not a duration
    hint: write a whole number and a unit: 30d, 2w, 6mo, 1y
`},
		{"an unknown organization and type", []fault{write("cairn.toml", cfg+"\n[rotation]\npasswrds = \"365d\"\n[rotation.orgs.acne]\nconfiguration = \"90d\"\n")}, `cairn.toml:6:1: error [invalid-value]: [rotation] names type "passwrds", which the site does not have
    hint: did you mean "passwords"?
cairn.toml:7:2: error [invalid-value]: [rotation.orgs] names organization "acne", which the site does not have
    hint: did you mean "acme"?
cairn.toml:8:1: error [invalid-value]: [rotation.orgs.acne] names type "configuration", which the site does not have
    hint: did you mean "configurations"?
`},
		{"a document's review_every", []fault{edit(restore, `title = "Restore"`, "title = \"Restore\"\nreview_every = \"half a year\"")}, `content/acme/documents/restore.md:3:16: error [invalid-value]: review_every "half a year" is not a duration
    hint: write a whole number and a unit: 30d, 2w, 6mo, 1y
`},
		{"a review_every of no time", []fault{edit(restore, `title = "Restore"`, "title = \"Restore\"\nreview_every = \"0d\"")}, `content/acme/documents/restore.md:3:16: error [invalid-value]: review_every "0d" is no time at all
    hint: a cadence is at least 1d: 30d, 2w, 6mo, 1y
`},
		{"a good review_every", []fault{edit(restore, `title = "Restore"`, "title = \"Restore\"\nreview_every = \"6mo\"\nreviewed_on = 2026-06-01")}, ""},
	})
}
