package tomledit_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/collab/tomledit"
)

// TestGolden applies each testdata/NN-name.ops to NN-name.in.toml and
// compares the result with NN-name.out.toml byte for byte: untouched
// keys, comments and order must come out exactly as they went in.
func TestGolden(t *testing.T) {
	ins, err := filepath.Glob("testdata/*.in.toml")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden cases (%v)", err)
	}
	for _, in := range ins {
		base := strings.TrimSuffix(in, ".in.toml")
		t.Run(filepath.Base(base), func(t *testing.T) {
			src := read(t, in)
			d, err := tomledit.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSpace(read(t, base+".ops")), "\n") {
				if err := apply(d, line); err != nil {
					t.Fatalf("%s: %v", line, err)
				}
			}
			got, err := d.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if want := read(t, base+".out.toml"); string(got) != want {
				t.Errorf("got:\n%s\nwant:\n%s", visible(string(got)), visible(want))
			}
		})
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func visible(s string) string {
	return strings.NewReplacer(" ", "·", "\t", "→", "\n", "¶\n").Replace(s)
}

// apply runs one line of an .ops file: set KEY TOML, setstr KEY "go
// string", delete KEY, setrowstr GROUP ROW KEY "go string", deleterow
// GROUP ROW, appendrow GROUP k="v";k2="v2".
func apply(d *tomledit.Doc, line string) error {
	f := strings.SplitN(line, " ", 2)
	switch f[0] {
	case "set":
		k, v, _ := strings.Cut(f[1], " ")
		return d.Set(k, tomledit.Raw(v))
	case "setstr":
		k, v, _ := strings.Cut(f[1], " ")
		s, err := strconv.Unquote(v)
		if err != nil {
			return err
		}
		return d.Set(k, tomledit.String(s))
	case "delete":
		return d.Delete(f[1])
	case "setrowstr":
		p := strings.SplitN(f[1], " ", 4)
		row, _ := strconv.Atoi(p[1])
		s, err := strconv.Unquote(p[3])
		if err != nil {
			return err
		}
		return d.SetInRow(p[0], row, p[2], tomledit.String(s))
	case "deleterow":
		p := strings.SplitN(f[1], " ", 2)
		row, _ := strconv.Atoi(p[1])
		return d.DeleteRow(p[0], row)
	case "appendrow":
		g, rest, _ := strings.Cut(f[1], " ")
		var kvs []tomledit.KV
		for _, kv := range strings.Split(rest, ";") {
			k, v, _ := strings.Cut(kv, "=")
			s, err := strconv.Unquote(v)
			if err != nil {
				return err
			}
			kvs = append(kvs, tomledit.KV{Key: k, Value: tomledit.String(s)})
		}
		return d.AppendRow(g, kvs)
	}
	return os.ErrInvalid
}
