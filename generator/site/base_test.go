package site_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/testsite"
)

// today is the fixed day expiries are measured against in these tests.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// baseSite is a small valid site that uses every feature the checker
// checks: three organizations (acme and other are clients, vendors is
// shared), every core type, a flexible type "kit" with a field of every
// kind, documents with headings, wiki and relative links, a checklist and
// its template, a secrets file and an attachment. Each test case plants
// one fault in a copy of it.
var baseSite = map[string]string{
	"cairn.toml": `title = "Test site"
expiry_window_days = 30
`,
	"access.toml": `[groups.staff]
orgs = ["*"]

[groups.acme-people]
orgs = ["acme"]
types = ["configurations", "documents", "assets/kit"]
deny = ["acme/passwords"]

[[users]]
email = "dana@msp.example"
role = "editor"
groups = ["staff"]

[portals.internal]
groups = ["staff"]
secrets = "sealed"
`,
	"schemas/kit.toml": `name = "Kits"
singular = "Kit"
[[fields]]
name = "title"
kind = "text"
required = true
use_for_title = true
[[fields]]
name = "count"
kind = "number"
min = 0
max = 10
decimals = 1
[[fields]]
name = "share"
kind = "percent"
[[fields]]
name = "bought"
kind = "date"
[[fields]]
name = "renew"
kind = "date"
expires = true
[[fields]]
name = "active"
kind = "checkbox"
[[fields]]
name = "tier"
kind = "select"
options = ["Gold", "Silver", "Bronze"]
[[fields]]
name = "host"
kind = "tag"
targets = ["configurations"]
[[fields]]
name = "secret"
kind = "password"
[[fields]]
name = "manual"
kind = "upload"
[[fields]]
name = "addr"
kind = "ip"
[[fields]]
name = "net"
kind = "cidr"
[[fields]]
name = "site"
kind = "url"
[[fields]]
name = "mail"
kind = "email"
[[fields]]
name = "phone"
kind = "phone"
[[fields]]
name = "details"
kind = "textbox"
[[fields]]
name = "ports"
kind = "group"
multiple = true
  [[fields.fields]]
  name = "label"
  kind = "text"
  required = true
  [[fields.fields]]
  name = "vlan"
  kind = "number"
`,
	"checklists/onboarding.md": `+++
title = "Onboarding"
+++

- [ ] Create the account
- [ ] Order the laptop
`,
	"content/acme/org.toml": `name = "Acme"
kind = "client"
quick_notes = """
Call first. See [[documents/restore]].
"""
`,
	"content/vendors/org.toml": `name = "Vendors"
kind = "vendor"
shared = true
`,
	"content/other/org.toml": `name = "Other client"
`,
	"content/acme/locations/hq.toml": `name = "Head office"
phone = "+1 555 0100"
`,
	"content/acme/contacts/jo.toml": `first_name = "Jo"
last_name = "Ramirez"
location = "locations/hq"

[[emails]]
value = "jo@acme.example"
`,
	"content/acme/configurations/sv1.toml": `name = "sv1"
configuration_type = "Server"
primary_ip = "192.0.2.10"
location = "locations/hq"
warranty_expires = 2027-03-31
related = ["documents/restore", "vendors/contacts/rep"]

[[interfaces]]
name = "eth0"
ip = "192.0.2.10"
`,
	"content/acme/passwords/admin.toml": `name = "Domain admin"
username = "administrator"
`,
	"content/acme/passwords/admin.sops.yaml": testsite.SecretsFile,
	"content/acme/assets/kit/k1.toml": `title = "Kit one"
count = 2.5
share = 40
bought = 2024-01-15
renew = 2027-01-15
active = true
tier = "Gold"
host = "configurations/sv1"
manual = "lan.pdf"
addr = "192.0.2.20"
net = "192.0.2.0/24"
site = "https://kit.acme.example/"
mail = "kit@acme.example"
phone = "+1 555 0101"
details = """
Runs on [[configurations/sv1]].
"""

[[ports]]
label = "uplink"
vlan = 10
`,
	"content/acme/files/lan.pdf": "%PDF-1.4\n",
	"content/acme/documents/restore.md": `+++
title = "Restore"
+++

# Restore

Restore [[configurations/sv1|the server]], then [verify](#verify).

## Verify

See the [network](network/index.md) and [VLANs](network/vlans.md#plan).
`,
	"content/acme/documents/network/index.md": `+++
title = "Network"
+++

# Network

The [LAN diagram](../../files/lan.pdf).
`,
	"content/acme/documents/network/vlans.md": `+++
title = "VLANs"
category = "Reference"
+++

## Plan

Back to [[documents/network]].
`,
	"content/acme/checklists/onboard-jo.md": `+++
title = "Onboard Jo"
template = "onboarding"
+++

- [x] Create the account @dana due:2026-11-20
- [ ] Order the laptop
`,
	"content/vendors/contacts/rep.toml": `first_name = "Rep"
`,
	"content/other/configurations/x1.toml": `name = "x1"
configuration_type = "Workstation"
`,
}

// fault changes a copy of the base site.
type fault func(t *testing.T, files map[string]string)

// write sets (adds or replaces) a file.
func write(name, body string) fault {
	return func(t *testing.T, files map[string]string) { files[name] = body }
}

// edit replaces old with new in a file; old must be there.
func edit(name, old, new string) fault {
	return func(t *testing.T, files map[string]string) {
		t.Helper()
		body, ok := files[name]
		if !ok || !strings.Contains(body, old) {
			t.Fatalf("edit %s: %q not found", name, old)
		}
		files[name] = strings.Replace(body, old, new, 1)
	}
}

// remove deletes a file.
func remove(name string) fault {
	return func(t *testing.T, files map[string]string) {
		t.Helper()
		if _, ok := files[name]; !ok {
			t.Fatalf("remove %s: no such file", name)
		}
		delete(files, name)
	}
}

// writeSite writes files into a new temporary folder and returns it.
func writeSite(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := testsite.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openWith writes the base site with faults planted and opens it.
func openWith(t *testing.T, faults ...fault) *site.Result {
	t.Helper()
	files := map[string]string{}
	for k, v := range baseSite {
		files[k] = v
	}
	for _, f := range faults {
		f(t, files)
	}
	res, err := site.Open(context.Background(), writeSite(t, files), today)
	if err != nil {
		t.Fatalf("site.Open: %v", err)
	}
	return res
}

// report formats diagnostics one per line, as a user reads them plus the
// rule code: "file:line:col: severity [code]: message", with the hint
// indented on the next line.
func report(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s: %s [%s]: %s\n", d.Pos, d.Severity, d.Code, d.Message)
		if d.Hint != "" {
			fmt.Fprintf(&b, "    hint: %s\n", d.Hint)
		}
	}
	return b.String()
}

func TestBaseSiteIsValid(t *testing.T) {
	res := openWith(t)
	if got := report(res.Diags.Sorted()); got != "" {
		t.Fatalf("the base site has diagnostics:\n%s", got)
	}
	if res.Stats.Orgs != 3 || res.Stats.Items != 11 {
		t.Errorf("stats = %+v, want 3 orgs and 11 items", res.Stats)
	}
	// Every kind of link in the base site resolved into the graph.
	g := res.Site.Graph
	var got []string
	for _, l := range g.Out("acme/documents/restore") {
		got = append(got, fmt.Sprintf("%s %s#%s", l.Kind, l.To, l.Anchor))
	}
	sort.Strings(got)
	want := []string{"relative acme/documents/network#", "relative acme/documents/network/vlans#plan", "wiki acme/configurations/sv1#"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("links of restore:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if in := g.In("vendors/contacts/rep"); len(in) != 1 || in[0].From != "acme/configurations/sv1" || in[0].Kind != "related" {
		t.Errorf("backlinks of the vendor rep = %+v", in)
	}
	if it := res.Site.Item("acme/passwords/admin"); it == nil || it.Secrets != "content/acme/passwords/admin.sops.yaml" {
		t.Errorf("the password item's secrets file was not attached: %+v", it)
	}
}
