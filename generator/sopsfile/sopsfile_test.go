package sopsfile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const enc = "ENC[AES256_GCM,data:Tr1x9w==,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:BBBBBBBBBBBBBBBBBBBBBB==,type:str]"

const meta = `sops:
    age:
        - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdl
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2026-11-23T10:00:00Z"
    mac: ` + enc + `
    unencrypted_suffix: _unencrypted
    version: 3.13.3
`

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"sound", "password: " + enc + "\notp_secret: " + enc + "\n" + meta, nil},
		{"empty value", "password: \"\"\n" + meta, nil},
		{"plaintext", "password: hunter2\notp_secret: " + enc + "\n" + meta,
			[]string{`1:11: value of "password" is not encrypted (plain text in a secrets file)`}},
		{"nested plaintext", "password: " + enc + "\nextra:\n  - " + enc + "\n  - plain\n" + meta,
			[]string{`4:5: value of "extra[1]" is not encrypted (plain text in a secrets file)`}},
		{"number", "pin: 1234\n" + meta, []string{`1:6: value of "pin" is not encrypted (plain text in a secrets file)`}},
		{"no metadata", "password: hunter2\n",
			[]string{`1:11: value of "password" is not encrypted (plain text in a secrets file)`, `1:1: no sops metadata: the file is not encrypted`}},
		{"unencrypted suffix", "note_unencrypted: " + enc + "\n" + meta, []string{`1:1: key "note_unencrypted" is stored unencrypted`}},
		{"no mac", "password: " + enc + "\n" + strings.Replace(meta, "    mac: "+enc+"\n", "", 1), []string{`3:5: the sops metadata has no encrypted MAC`}},
		{"no recipients", "password: " + enc + "\nsops:\n    lastmodified: \"2026-11-23T10:00:00Z\"\n    mac: " + enc + "\n",
			[]string{`3:5: the sops metadata names no recipients`}},
		{"encrypted_regex", "password: " + enc + "\n" + meta + "    encrypted_regex: ^pass\n",
			[]string{`13:22: the file is encrypted with encrypted_regex, so some values may be in plain text`}},
		{"not yaml", "password: [unclosed\n", []string{`0:0: not YAML: line 1: did not find expected ',' or ']'`}},
		{"empty", "", []string{`0:0: empty secrets file`}},
		{"list", "- a\n", []string{`1:1: not a mapping of field names to values`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range Check([]byte(c.text)) {
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			for _, g := range got {
				if strings.Contains(g, "hunter2") || strings.Contains(g, "1234") || strings.Contains(g, "plain\"") {
					t.Errorf("message repeats a plaintext value: %s", g)
				}
			}
		})
	}
}

func TestKeys(t *testing.T) {
	var got []string
	for _, k := range Keys([]byte("password: " + enc + "\nwifi_key: " + enc + "\n" + meta)) {
		got = append(got, fmt.Sprintf("%s@%d:%d", k.Name, k.Line, k.Col))
	}
	if strings.Join(got, " ") != "password@1:1 wifi_key@2:1" {
		t.Errorf("Keys = %v", got)
	}
}

// FuzzCheck: Check never panics, always says something, and a problem
// it reports never quotes a value of the file. The placeholder SECRET in
// the input is replaced by a canary; wherever the canary lands as (part
// of) a value, no message or hint may hold it. Key names, anchors, tags
// and the sops metadata may be named in messages, so inputs that put the
// canary there are not held to it.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("password: " + enc + "\n" + meta))
	f.Add([]byte("password: SECRET\n"))
	f.Add([]byte("password: SECRET\n" + meta))
	f.Add([]byte("password: " + enc + "\nnested:\n  deeper: [SECRET, {a: SECRET}]\n" + meta))
	f.Add([]byte("password_unencrypted: SECRET\n" + meta))
	f.Add([]byte("password: 'SECRET\n"))
	f.Add([]byte("password: !!int SECRET\n" + meta))
	f.Add([]byte("password: \"SECRET\\q\"\n"))
	f.Add([]byte("a: &x SECRET\nb: *x\nsops: {}\n"))
	f.Add([]byte("- [\n"))
	const canary = "cnryQ7x2Zk9"
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.ReplaceAll(data, []byte("SECRET"), []byte(canary))
		held := bytes.Contains(data, []byte(canary)) && canaryOnlyInValues(data, canary)
		for _, p := range Check(data) {
			if p.Msg == "" {
				t.Errorf("empty message for %q", data)
			}
			if held && (strings.Contains(p.Msg, canary) || strings.Contains(p.Hint, canary)) {
				t.Errorf("a problem quotes a value: %q (input %q)", p.Msg+" / "+p.Hint, data)
			}
		}
		Keys(data)
	})
}

// canaryOnlyInValues reports whether the canary appears in the file only
// inside values: not in a key, anchor, alias, tag or the sops metadata.
// Text that is not YAML counts as values throughout.
func canaryOnlyInValues(data []byte, canary string) bool {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return !bytes.Contains(data, []byte("&"+canary)) && !bytes.Contains(data, []byte("*"+canary)) && !bytes.Contains(data, []byte("!"+canary))
	}
	ok := true
	var walk func(n *yaml.Node, inSops bool)
	walk = func(n *yaml.Node, inSops bool) {
		if strings.Contains(n.Anchor, canary) || strings.Contains(n.Tag, canary) || (n.Kind == yaml.AliasNode && strings.Contains(n.Value, canary)) {
			ok = false
		}
		if n.Kind == yaml.ScalarNode && inSops && strings.Contains(n.Value, canary) {
			ok = false
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if strings.Contains(k.Value, canary) {
					ok = false
				}
				walk(k, inSops)
				walk(n.Content[i+1], inSops || (n == rootMapping(&doc) && k.Value == "sops"))
			}
			return
		}
		for _, c := range n.Content {
			walk(c, inSops)
		}
	}
	walk(&doc, false)
	return ok
}

func rootMapping(doc *yaml.Node) *yaml.Node {
	if len(doc.Content) == 1 {
		return doc.Content[0]
	}
	return nil
}
