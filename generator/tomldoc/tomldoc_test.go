package tomldoc

import (
	"strings"
	"testing"
)

func TestParsePositions(t *testing.T) {
	src := "name = \"sv1\"\nport = 8_080\nwhen = 2026-11-23\n\n[[interfaces]]\nname = \"eth0\"\nip = \"192.0.2.1\"\n\n[[interfaces]]\nname = \"eth1\"\nnotes = \"\"\"\nline one\n\"\"\"\n"
	root, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := root.Keys(); strings.Join(got, ",") != "name,port,when,interfaces,notes" && strings.Join(got, ",") != "name,port,when,interfaces" {
		t.Fatalf("keys = %v", got)
	}
	if v := root.Get("port"); v.Kind != KindInteger || v.Int != 8080 || v.Pos != (Pos{2, 8}) || v.KeyPos != (Pos{2, 1}) {
		t.Errorf("port = %+v", v)
	}
	if v := root.Get("when"); v.Kind != KindDate || v.Time.Format("2006-01-02") != "2026-11-23" {
		t.Errorf("when = %+v", v)
	}
	ifs := root.Get("interfaces")
	if ifs.Kind != KindArray || len(ifs.Array) != 2 {
		t.Fatalf("interfaces = %+v", ifs)
	}
	ip := ifs.Array[0].Table.Get("ip")
	if ip.Str != "192.0.2.1" || ip.Pos != (Pos{7, 6}) {
		t.Errorf("ip = %+v", ip)
	}
	notes := ifs.Array[1].Table.Get("notes")
	if !notes.Multiline || notes.Str != "line one\n" || notes.StrPos != (Pos{12, 1}) {
		t.Errorf("notes = %+v", notes)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"a = 1\na = 2\n", `2:1: key "a" is already defined at line 1`},
		{"a = \n", "1:5: unexpected character"},
		{"[t]\nx = 1\n[t]\n", "3:2: table [t] is already defined at line 1"},
		{"d = 2026-02-30\n", "1:5: 2026-02-30 is not a calendar date"},
		{"a = \"unterminated\n", "1:"},
		{"x = {a = 1}\n[x]\n", "2:2: table [x] is already defined"},
		{"a.b = 1\n[a]\n", "2:2: table [a] is already defined"},
		{"a = [1, 2\n", "1:"},
		{"k = 1\n\xff = 2\n", "2:1: the file is not valid UTF-8"},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.src))
		if err == nil {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %q, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a = 1\n[b]\nc = [1, {d = 2}]\n[[e]]\nf = 2026-01-01\n"))
	f.Add([]byte("x = \"\"\"\nmulti\n\"\"\"\na.b.c = true"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := Parse(data)
		if err == nil && root == nil {
			t.Fatal("nil root without error")
		}
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok || se.Pos.Line < 1 || se.Pos.Col < 1 {
				t.Fatalf("error without position: %#v", err)
			}
		}
	})
}

// A UTF-8 byte-order mark is skipped; positions count from after it.
func TestParseSkipsBOM(t *testing.T) {
	root, err := Parse([]byte("\xef\xbb\xbfname = \"x\"\nport = 1\n"))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if v := root.Get("name"); v == nil || v.Str != "x" || v.Pos != (Pos{1, 8}) || v.KeyPos != (Pos{1, 1}) {
		t.Errorf("name = %+v", v)
	}
	// Only at the start: elsewhere it is an error like any stray character.
	if _, err := Parse([]byte("name = \"x\"\n\xef\xbb\xbfport = 1\n")); err == nil {
		t.Error("a BOM inside the file was accepted")
	}
}

func TestValueSizeLimit(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string
	}{
		{"a = 1\nnotes = \"" + strings.Repeat("x", MaxValue+1) + "\"\n", "2:9: the string is 1048577 bytes long; the limit for one value is 1 MiB (1048576 bytes)"},
		{"a = 1\nnotes = '''\n" + strings.Repeat("x\n", MaxValue/2+1) + "'''\n", "2:9: the string is 1048578 bytes long; the limit for one value is 1 MiB (1048576 bytes)"},
		{"[t]\nv = [\"" + strings.Repeat("x", 3<<19) + "\"]\n", "2:6: the string is 1572864 bytes long; the limit for one value is 1 MiB (1048576 bytes)"},
	} {
		_, err := Parse([]byte(c.src))
		se, ok := err.(*SyntaxError)
		if !ok || se.Error() != c.want || se.Hint == "" {
			t.Errorf("err = %v\nwant %s, with a hint", err, c.want)
		}
	}
	if _, err := Parse([]byte("notes = \"" + strings.Repeat("x", MaxValue) + "\"\n")); err != nil {
		t.Errorf("a value of exactly MaxValue bytes: %v", err)
	}
}
