package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/schema"
)

func TestSetValues(t *testing.T) {
	one := 1.0
	s := &schema.Schema{Type: "assets/server", Fields: []*schema.Field{
		{Name: "host", Kind: schema.Text, UseForTitle: true},
		{Name: "status", Kind: schema.Select, Options: []string{"Active", "Inactive"}},
		{Name: "cores", Kind: schema.Number, Min: &one},
		{Name: "load", Kind: schema.Percent},
		{Name: "backed_up", Kind: schema.Checkbox},
		{Name: "bought", Kind: schema.Date},
		{Name: "ips", Kind: schema.IP, Multiple: true},
		{Name: "site", Kind: schema.URL},
		{Name: "admin_password", Kind: schema.Password},
		{Name: "nics", Kind: schema.Group, Multiple: true, Fields: []*schema.Field{{Name: "ip", Kind: schema.IP}}},
		{Name: "more", Kind: schema.Header},
	}}
	good := []struct {
		sets []string
		want scaffold.Values
	}{
		{nil, scaffold.Values{}},
		{[]string{"host=sv 1", "status=Active", "cores=4", "load=12.5", "backed_up=true", "bought=2026-11-23"},
			scaffold.Values{"host": `"sv 1"`, "status": `"Active"`, "cores": "4", "load": "12.5", "backed_up": "true", "bought": "2026-11-23"}},
		{[]string{"ips=192.0.2.1", "ips=2001:db8::1"}, scaffold.Values{"ips": `["192.0.2.1", "2001:db8::1"]`}},
		{[]string{`host=a "b" = c`}, scaffold.Values{"host": `"a \"b\" = c"`}},
		{[]string{"host="}, scaffold.Values{"host": `""`}},
		{[]string{"site=https://x.example/?a=b"}, scaffold.Values{"site": `"https://x.example/?a=b"`}},
	}
	for _, c := range good {
		got, err := setValues(s, c.sets)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("setValues(%q) = %v, %v; want %v", c.sets, got, err, c.want)
		}
	}
	bad := []struct{ set, want string }{
		{"status", `--set "status": want FIELD=VALUE, like --set status=Active`},
		{"=x", `--set "=x": want FIELD=VALUE, like --set status=Active`},
		{"stauts=Active", `--set stauts: assets/server has no field "stauts": did you mean "status"?`},
		{"colour=red", `--set colour: assets/server has no field "colour": fields: host, status, cores, load, backed_up, bought, ips, site, admin_password, nics`},
		{"more=x", `--set more: assets/server has no field "more": did you mean "cores"?`},
		{"name=x", `--set name: assets/server has no field "name": did you mean "nics"?`},
		{"status=active", `--set status: "status" must be one of the field's options, got "active"; did you mean "Active"? options: "Active", "Inactive"`},
		{"cores=four", `--set cores: "cores" must be a number, got the string "four"`},
		{"cores=0", `--set cores: "cores" is 0, below the minimum 1`},
		{"cores=4\nevil = 1", `--set cores: "cores" must be a number, got the string "4\nevil = 1"`},
		{"cores=[4, 5]", `--set cores: "cores" takes one value, got an array`},
		{"load=120", `--set load: "load" is 120%, out of range; a percent is between 0 and 100`},
		{"backed_up=yes", `--set backed_up: "backed_up" is a checkbox and must be true or false, got the string "yes"`},
		{"bought=next spring", `--set bought: "bought" must be a date (YYYY-MM-DD), got the string "next spring"`},
		{"ips=10.0.0.0/8", `--set ips: "ips" must be an IP address, got "10.0.0.0/8"; this looks like a network: use a cidr field, or drop the /prefix`},
		{"host=two\nlines", `--set host: "host" is a one-line text field, but the value has line breaks; use a textbox field for text of several lines`},
		{"host=\xff", `--set host: the value is not valid UTF-8`},
		{"admin_password=hunter2", `--set admin_password: "admin_password" is a password field: once the item exists, store it with cairn secret set ID admin_password`},
		{"nics=x", `--set nics: "nics" is a group of records: write its [[nics]] tables in the file`},
	}
	for _, c := range bad {
		_, err := setValues(s, []string{c.set})
		var ue *usageError
		if err == nil || err.Error() != c.want || !errors.As(err, &ue) {
			t.Errorf("setValues(%q) = %v\nwant usage error %s", c.set, err, c.want)
		}
		if strings.Contains(c.set, "hunter2") && err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Error("the error repeats a password given on the command line")
		}
	}
	if _, err := setValues(s, []string{"host=a", "host=b"}); err == nil || err.Error() != `--set host: given twice, but "host" takes one value` {
		t.Errorf("twice: %v", err)
	}
	// A type without title fields takes its name by --set.
	noTitle := &schema.Schema{Type: "assets/x", Fields: []*schema.Field{{Name: "vendor", Kind: schema.Text}}}
	if got, err := setValues(noTitle, []string{"name=Veeam"}); err != nil || got["name"] != `"Veeam"` {
		t.Errorf("name of a type without title fields: %v, %v", got, err)
	}
}

// TestNewFillsTitleAndSetValues runs cairn new with --set on a fresh site:
// the title comes from the slug, the --set values are written as TOML of
// their kind, and the item passes check as written.
func TestNewFillsTitleAndSetValues(t *testing.T) {
	dir := newSite(t)
	code, stdout, stderr := cli(t, "-C", dir, "new", "configurations", "example", "sv-dc01",
		"--set", "configuration_type=Server", "--set", "status=Active", "--set", "primary_ip=192.0.2.10",
		"--set", "purchased_on=2024-01-31", "--set", "location=locations/head-office", "--set", `model=R7 "rack"`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := readFile(t, dir, "content/example/configurations/sv-dc01.toml")
	if strings.TrimSpace(stdout) == "" {
		t.Error("no path printed")
	}
	for _, want := range []string{"\nname = \"sv-dc01\"\n", "\nconfiguration_type = \"Server\"\n", "\nstatus = \"Active\"\n",
		"\nprimary_ip = \"192.0.2.10\"\n", "\npurchased_on = 2024-01-31\n", "\nlocation = \"locations/head-office\"\n",
		"\nmodel = \"R7 \\\"rack\\\"\"\n", "\n# serial_number = \"\"\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if code, _, _ := cli(t, "-C", dir, "new", "contacts", "example", "jo-ramirez"); code != 0 {
		t.Fatal("new contacts failed")
	}
	contact := readFile(t, dir, "content/example/contacts/jo-ramirez.toml")
	if !strings.Contains(contact, "\nfirst_name = \"Jo\"\n") || !strings.Contains(contact, "\nlast_name = \"Ramirez\"\n") {
		t.Errorf("contact names not filled:\n%s", contact)
	}
	if code, _, _ := cli(t, "-C", dir, "new", "documents", "example", "ops/restore-veeam"); code != 0 {
		t.Fatal("new documents failed")
	}
	if doc := readFile(t, dir, "content/example/documents/ops/restore-veeam.md"); !strings.Contains(doc, "\ntitle = \"Restore Veeam\"\n") {
		t.Errorf("document title not filled:\n%s", doc)
	}
	if code, out, _ := cli(t, "-C", dir, "check", "--strict"); code != 0 {
		t.Errorf("the new items fail check:\n%s", out)
	}
	// A refused --set writes nothing.
	code, _, stderr = cli(t, "-C", dir, "new", "configurations", "example", "sv-dc02", "--set", "status=Retired")
	if code != exitUsage || !strings.HasPrefix(stderr, `cairn: --set status: "status" must be one of the field's options, got "Retired"`) {
		t.Errorf("bad select: exit %d, %q", code, stderr)
	}
	code, _, stderr = cli(t, "-C", dir, "new", "org", "acme", "--set", "kind=client")
	if code != exitUsage || stderr != "cairn: --set fills an item's fields: edit org.toml for an organization's\nRun 'cairn --help' for usage.\n" {
		t.Errorf("org with --set: exit %d, %q", code, stderr)
	}
	if code, out, _ := cli(t, "-C", dir, "check", "--strict"); code != 0 || !strings.Contains(out, "6 items") {
		t.Errorf("after refusals:\n%s", out)
	}
}
