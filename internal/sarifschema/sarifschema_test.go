package sarifschema

import (
	"strings"
	"testing"
)

// TestValidateRejects shows the schema is really applied: logs that break
// it in different ways are refused, a minimal sound one passes.
func TestValidateRejects(t *testing.T) {
	ok := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"cairn"}},"results":[{"ruleId":"x","level":"error","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"content/a.toml"},"region":{"startLine":1,"startColumn":2}}}]}]}]}`
	if err := Validate([]byte(ok)); err != nil {
		t.Fatalf("a sound log: %v", err)
	}
	bad := map[string]string{
		"wrong version":      strings.Replace(ok, `"2.1.0"`, `"2.0.0"`, 1),
		"unknown level":      strings.Replace(ok, `"error"`, `"fatal"`, 1),
		"line zero":          strings.Replace(ok, `"startLine":1`, `"startLine":0`, 1),
		"no driver name":     strings.Replace(ok, `"name":"cairn"`, `"nom":"cairn"`, 1),
		"message not object": strings.Replace(ok, `{"text":"m"}`, `"m"`, 1),
		"unknown top key":    strings.Replace(ok, `{"version"`, `{"extra":1,"version"`, 1),
		"bad uri reference":  strings.Replace(ok, `content/a.toml`, `content/a b%zz.toml`, 1),
	}
	for name, log := range bad {
		if err := Validate([]byte(log)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
