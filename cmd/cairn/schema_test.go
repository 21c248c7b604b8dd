package main

import (
	"strings"
	"testing"
)

func TestSchemaShowParsesItsArgument(t *testing.T) {
	f, _, _ := testFactory()
	var got *SchemaShowOptions
	cmd := newSchemaCmd(f, &globalOptions{Site: "somewhere"}, func(o *SchemaShowOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"show", "backup"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Type != "backup" || got.Global.Site != "somewhere" {
		t.Fatalf("options = %+v", got)
	}
	cmd.SetArgs([]string{"show"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "schema show takes one type") {
		t.Errorf("no type: %v", err)
	}
}

func TestSchemaShowPrintsFields(t *testing.T) {
	code, out, errOut := cli(t, "schema", "show", "--site", "../..", "configurations")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"FIELD", "KIND", "configuration_type", "select"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
