package tomldoc

import (
	"testing"
	"unsafe"
)

// TestStringSharesRaw: a string value written without escapes shares
// its text with Raw (one copy of each string in memory, not two); one
// with escapes or a trimmed leading newline is decoded as before.
func TestStringSharesRaw(t *testing.T) {
	for _, c := range []struct {
		doc, want string
		shared    bool
	}{
		{`a = "plain"`, "plain", true},
		{`a = 'literal \n'`, `literal \n`, true},
		{"a = \"\"\"one\nline\"\"\"", "one\nline", true},
		{"a = '''x'''", "x", true},
		{`a = "tab\there"`, "tab\there", false},
		{"a = \"\"\"\nfirst\"\"\"", "first", false},
		{`a = ""`, "", false},
	} {
		root, err := Parse([]byte(c.doc))
		if err != nil {
			t.Fatalf("%s: %v", c.doc, err)
		}
		v := root.Get("a")
		if v.Str != c.want {
			t.Errorf("%s: Str %q, want %q", c.doc, v.Str, c.want)
		}
		raw, str := uintptr(unsafe.Pointer(unsafe.StringData(v.Raw))), uintptr(unsafe.Pointer(unsafe.StringData(v.Str)))
		if shared := len(v.Str) > 0 && str >= raw && str < raw+uintptr(len(v.Raw)); shared != c.shared {
			t.Errorf("%s: Str shares Raw's memory: %v, want %v", c.doc, shared, c.shared)
		}
	}
}
