package scaffold

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/schema"
)

func coreSchema(t *testing.T, typ string) *schema.Schema {
	t.Helper()
	core, err := schema.LoadCore()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range core {
		if s.Type == typ {
			return s
		}
	}
	t.Fatalf("no core type %s", typ)
	return nil
}

func TestTitleValues(t *testing.T) {
	noTitle := &schema.Schema{Type: "assets/x", Fields: []*schema.Field{{Name: "vendor", Kind: schema.Text}}}
	selectTitle := &schema.Schema{Type: "assets/y", Fields: []*schema.Field{{Name: "kind", Kind: schema.Select, UseForTitle: true, Options: []string{"A"}}}}
	cases := []struct {
		s    *schema.Schema
		slug string
		want Values
	}{
		{coreSchema(t, "configurations"), "sv-dc01", Values{"name": `"sv-dc01"`}},
		{coreSchema(t, "domains"), "example-com", Values{"name": `"example-com"`}},
		{coreSchema(t, "ssl-certificates"), "www-example", Values{"name": `"www-example"`}},
		{coreSchema(t, "contacts"), "jo-ramirez", Values{"first_name": `"Jo"`, "last_name": `"Ramirez"`}},
		{coreSchema(t, "contacts"), "mary-ann-smith", Values{"first_name": `"Mary"`, "last_name": `"Ann Smith"`}},
		{coreSchema(t, "contacts"), "jo", Values{"first_name": `"Jo"`}},
		{coreSchema(t, "documents"), "restore-veeam", Values{"title": `"Restore Veeam"`}},
		{coreSchema(t, "documents"), "sops/new-starter", Values{"title": `"New Starter"`}},
		{coreSchema(t, "locations"), "head-office", Values{"name": `"Head Office"`}},
		{coreSchema(t, "checklists"), "onboarding", Values{"title": `"Onboarding"`}},
		{noTitle, "veeam-daily", Values{"name": `"Veeam Daily"`}},
		{selectTitle, "a", Values{}},
	}
	for _, c := range cases {
		if got := TitleValues(c.s, c.slug); !reflect.DeepEqual(got, c.want) {
			t.Errorf("TitleValues(%s, %q) = %v, want %v", c.s.Type, c.slug, got, c.want)
		}
	}
}

func TestItemWithWritesValuesUncommented(t *testing.T) {
	s := coreSchema(t, "contacts")
	text := string(ItemWith(s, "acme/contacts/jo-ramirez", Values{"first_name": `"Jo"`, "last_name": `"Ramirez"`, "important": "true"}))
	for _, want := range []string{"\nfirst_name = \"Jo\"\n", "\nlast_name = \"Ramirez\"\n", "\nimportant = true\n", "\n# title = \"\"\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if string(Item(s, "acme/contacts/x")) != string(ItemWith(s, "acme/contacts/x", nil)) {
		t.Error("Item differs from ItemWith without values")
	}
	noTitle := &schema.Schema{Type: "assets/x", Name: "X", Fields: []*schema.Field{{Name: "vendor", Kind: schema.Text}}}
	if text := string(ItemWith(noTitle, "acme/assets/x/y", Values{"name": `"Y"`})); !strings.Contains(text, "\nname = \"Y\"\n") {
		t.Errorf("no name line:\n%s", text)
	}
}
