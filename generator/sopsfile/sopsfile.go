// Package sopsfile checks secrets files (<slug>.sops.yaml) without a key
// and without the SOPS library: that each is a SOPS YAML file with a sops
// metadata block and that every value is encrypted, so no plaintext ever
// sits in git. It also says which fields of an item are secret. Checking a
// file's MAC needs the key: that is generator/secrets.
package sopsfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/workers"
)

// SecretFields returns the names of a schema's password-kind fields, in
// schema order: the keys an item's secrets file may hold. For the core
// passwords type these are password and otp_secret.
func SecretFields(s *schema.Schema) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, f := range s.Fields {
		if f.Kind == schema.Password {
			out = append(out, f.Name)
		}
	}
	return out
}

// IsSecretField reports whether name is a password-kind field of the
// item's type.
func IsSecretField(it *model.Item, name string) bool {
	for _, f := range SecretFields(it.Schema) {
		if f == name {
			return true
		}
	}
	return false
}

// IsEncrypted reports whether a YAML scalar is a SOPS-encrypted value,
// what SOPS writes as ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]:
// the text of the regular expression
//
//	^ENC\[AES256_GCM,data:B*,iv:B+,tag:B+,type:(str|int|float|bool|bytes|comment)\]$
//
// with B the base64 characters [A-Za-z0-9+/=], matched by hand: check
// asks it of every value of every secrets file.
func IsEncrypted(s string) bool {
	rest, ok := strings.CutPrefix(s, "ENC[AES256_GCM,data:")
	for _, field := range []string{",iv:", ",tag:", ",type:"} {
		if !ok {
			return false
		}
		n := base64Run(rest)
		if n == 0 && field != ",iv:" { // data may be empty, iv and tag not
			return false
		}
		rest, ok = strings.CutPrefix(rest[n:], field)
	}
	switch rest {
	case "str]", "int]", "float]", "bool]", "bytes]", "comment]":
		return ok
	}
	return false
}

// base64Run returns how many bytes at the start of s are base64
// characters.
func base64Run(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return i
		}
	}
	return len(s)
}

// Problem is one structural problem of a secrets file.
type Problem struct {
	// Line and Col place it in the file (1-based; 0 when unknown).
	Line, Col int
	Msg       string
	Hint      string
}

// Check checks the text of a secrets file: one YAML document, a mapping
// with a sops metadata block that names at least one recipient and a MAC,
// and every other value, at any depth, encrypted. It never needs a key and
// never echoes a value it finds in plain text.
func Check(data []byte) []Problem {
	probs, _, _ := inspect(data)
	return probs
}

// CheckRecipients is Check that also returns, from the same parse, the
// age recipients of a file whose sops metadata has the plain shape SOPS
// writes for age keys alone (see ageRecipients), sorted; known is false
// for any other file, whose recipients only the SOPS library can tell.
func CheckRecipients(data []byte) (probs []Problem, recipients []string, known bool) {
	probs, _, root := inspect(data)
	if len(probs) > 0 || root == nil {
		return probs, nil, false
	}
	recipients, known = ageRecipients(root)
	return probs, recipients, known
}

// inspect parses a secrets file once and returns its problems, its
// top-level keys and its root mapping (both nil when it is not a YAML
// mapping).
func inspect(data []byte) (probs []Problem, keys []KeyPos, root *yaml.Node) {
	add := func(n *yaml.Node, hint, format string, args ...any) {
		p := Problem{Msg: fmt.Sprintf(format, args...), Hint: hint}
		if n != nil {
			p.Line, p.Col = n.Line, n.Column
		}
		probs = append(probs, p)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			add(nil, "write it with cairn secret set, or delete it", "empty secrets file")
			return probs, nil, nil
		}
		add(nil, "restore it from git, or rewrite it with cairn secret set", "not YAML: %s", yamlMessage(err))
		return probs, nil, nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		add(&extra, "a secrets file holds one YAML document", "more than one YAML document")
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		add(&doc, "a secrets file is a mapping of field names to encrypted values, written by cairn secret set", "not a mapping of field names to values")
		return probs, nil, nil
	}
	root = doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "sops" {
			keys = append(keys, KeyPos{Name: k.Value, Line: k.Line, Col: k.Column})
		}
	}
	var meta *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			add(k, "remove one of them", "key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		if k.Value == "sops" {
			meta = v
			continue
		}
		if strings.HasSuffix(k.Value, "_unencrypted") {
			add(k, "rename the key: SOPS leaves keys ending in _unencrypted in plain text", "key %q is stored unencrypted", k.Value)
		}
		checkValues(v, k.Value, add)
	}
	if meta == nil {
		add(root, "encrypt it: cairn secret set ID FIELD (or sops --encrypt --in-place FILE)", "no sops metadata: the file is not encrypted")
		return probs, keys, root
	}
	checkMeta(meta, add)
	return probs, keys, root
}

// checkValues reports every scalar below v that is not encrypted.
func checkValues(v *yaml.Node, path string, add func(*yaml.Node, string, string, ...any)) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" || v.Value == "" {
			return // an empty value holds no secret
		}
		if !IsEncrypted(v.Value) {
			add(v, "encrypt it: run cairn secret set with the value, or sops --encrypt; then rotate the secret, since git history has it in plain text",
				"value of %q is not encrypted (plain text in a secrets file)", path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			checkValues(v.Content[i+1], path+"."+v.Content[i].Value, add)
		}
	case yaml.SequenceNode:
		for i, e := range v.Content {
			checkValues(e, fmt.Sprintf("%s[%d]", path, i), add)
		}
	case yaml.AliasNode:
		add(v, "write the value itself", "value of %q is a YAML alias", path)
	}
}

// ageRecipients returns the recipients of a sound secrets file (root is
// its mapping) when the file has exactly the shape SOPS gives a file
// encrypted for age keys alone, so that the SOPS library would read the
// same recipients from it without error: string keys, each once; every
// value a plain scalar; sops metadata of only age, lastmodified (an
// RFC 3339 string), mac, version and unencrypted_suffix; each age entry
// a mapping of a recipient and its enc. known is false otherwise.
func ageRecipients(root *yaml.Node) (recipients []string, known bool) {
	plain := func(n *yaml.Node) bool {
		return n.Kind == yaml.ScalarNode && n.Anchor == "" && (n.Tag == "!!str" || n.Tag == "!!null")
	}
	var meta *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !plain(k) || k.Tag != "!!str" {
			return nil, false
		}
		if k.Value == "sops" {
			meta = v
		} else if !plain(v) {
			return nil, false
		}
	}
	if meta == nil || meta.Kind != yaml.MappingNode || meta.Anchor != "" {
		return nil, false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(meta.Content); i += 2 {
		k, v := meta.Content[i], meta.Content[i+1]
		if !plain(k) || k.Tag != "!!str" || seen[k.Value] {
			return nil, false
		}
		seen[k.Value] = true
		switch k.Value {
		case "lastmodified":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || v.Anchor != "" {
				return nil, false
			}
			if _, err := time.Parse(time.RFC3339, v.Value); err != nil {
				return nil, false
			}
		case "mac", "version":
			if !plain(v) || v.Tag != "!!str" {
				return nil, false
			}
		case "unencrypted_suffix":
			if !plain(v) || v.Tag != "!!str" || v.Value != "_unencrypted" {
				return nil, false
			}
		case "age":
			if v.Kind != yaml.SequenceNode || v.Anchor != "" {
				return nil, false
			}
			for _, e := range v.Content {
				r, ok := ageEntry(e, plain)
				if !ok {
					return nil, false
				}
				recipients = append(recipients, r)
			}
		default:
			return nil, false
		}
	}
	sort.Strings(recipients)
	return recipients, true
}

// ageEntry returns the recipient of one entry of the sops metadata's age
// list: a mapping of recipient and enc, plain strings, each once.
func ageEntry(e *yaml.Node, plain func(*yaml.Node) bool) (string, bool) {
	if e.Kind != yaml.MappingNode || e.Anchor != "" || len(e.Content) != 4 {
		return "", false
	}
	var recipient string
	has := map[string]bool{}
	for i := 0; i+1 < len(e.Content); i += 2 {
		k, v := e.Content[i], e.Content[i+1]
		if !plain(k) || k.Tag != "!!str" || !plain(v) || v.Tag != "!!str" || has[k.Value] {
			return "", false
		}
		has[k.Value] = true
		if k.Value == "recipient" {
			recipient = v.Value
		}
	}
	if !has["recipient"] || !has["enc"] {
		return "", false
	}
	return recipient, true
}

// recipientKeys are the sops metadata keys that list master keys.
var recipientKeys = []string{"age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms", "key_groups"}

func checkMeta(meta *yaml.Node, add func(*yaml.Node, string, string, ...any)) {
	if meta.Kind != yaml.MappingNode {
		add(meta, "restore the file from git", "the sops metadata is not a mapping")
		return
	}
	get := func(key string) *yaml.Node {
		for i := 0; i+1 < len(meta.Content); i += 2 {
			if meta.Content[i].Value == key {
				return meta.Content[i+1]
			}
		}
		return nil
	}
	mac := get("mac")
	if mac == nil || !IsEncrypted(mac.Value) {
		n := mac
		if n == nil {
			n = meta
		}
		add(n, "restore the file from git, or rewrite it with cairn secret set", "the sops metadata has no encrypted MAC")
	}
	if get("lastmodified") == nil {
		add(meta, "restore the file from git, or rewrite it with cairn secret set", "the sops metadata has no lastmodified")
	}
	n := 0
	for _, k := range recipientKeys {
		if v := get(k); v != nil && v.Kind == yaml.SequenceNode {
			n += len(v.Content)
		}
	}
	if n == 0 {
		add(meta, "add recipients to .sops.yaml and run cairn secret rekey", "the sops metadata names no recipients")
	}
	for _, k := range []string{"unencrypted_regex", "encrypted_regex", "encrypted_suffix", "unencrypted_comment_regex", "encrypted_comment_regex"} {
		if v := get(k); v != nil && v.Value != "" {
			add(v, "remove it from .sops.yaml and run cairn secret rekey: cairn keeps every value encrypted", "the file is encrypted with %s, so some values may be in plain text", k)
		}
	}
	if v := get("unencrypted_suffix"); v != nil && v.Value != "" && v.Value != "_unencrypted" {
		add(v, "remove it from .sops.yaml and run cairn secret rekey: cairn keeps every value encrypted", "the file is encrypted with unencrypted_suffix %q, so some values may be in plain text", v.Value)
	}
}

// yamlMessage returns a YAML error without any quoted input, which could
// be a secret.
func yamlMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "`"); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return strings.TrimPrefix(msg, "yaml: ")
}

// Keys returns the top-level keys of a secrets file other than sops, in
// file order, without decrypting anything. It returns nil when the file
// is not a YAML mapping (Check reports that).
func Keys(data []byte) []KeyPos {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	var out []KeyPos
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "sops" {
			out = append(out, KeyPos{Name: k.Value, Line: k.Line, Col: k.Column})
		}
	}
	return out
}

// Ciphertexts returns the top-level keys of a secrets file other than
// sops with their values as written (the ENC[...] text of an encrypted
// value; a YAML re-encoding of anything else), without decrypting. SOPS
// encrypts every value with a fresh IV, so an unchanged ciphertext means
// an unchanged value, and a changed one means a changed value or a
// re-encryption. It returns nil when the file is not a YAML mapping.
func Ciphertexts(data []byte) map[string]string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	out := map[string]string{}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == "sops" {
			continue
		}
		if v.Kind == yaml.ScalarNode {
			out[k.Value] = v.Value
			continue
		}
		b, err := yaml.Marshal(v)
		if err != nil {
			continue
		}
		out[k.Value] = string(b)
	}
	return out
}

// KeyPos is a top-level key of a secrets file and where it is.
type KeyPos struct {
	Name      string
	Line, Col int
}

// CheckSite checks every item's secrets file structurally and against its
// item: secrets files must be sound SOPS files, may hold only the item's
// password-kind fields, and password items should have one. read reads a
// file relative to the site root. It needs no key.
func CheckSite(site *model.Site, read func(rel string) ([]byte, error)) *diag.List {
	l, _ := CheckSiteFiles(site, read)
	return l
}

// Files is what CheckSiteFiles learned of each secrets file from its one
// parse, for the checks that come after it (secrets.CheckSite compares
// recipients with .sops.yaml): those checks need not read and parse every
// file again. It is not changed after CheckSiteFiles returns, so it may
// be read from several goroutines.
type Files struct {
	files map[string]fileFacts
}

// fileFacts is what one parse of a secrets file told.
type fileFacts struct {
	sound      bool // no structural problem
	known      bool // recipients is what the SOPS library would read
	recipients []string
}

// Recipients returns what the structural check read of the secrets file
// rel: checked is false when it did not read the file (not an item's
// secrets file, or not readable); sound is false when the file has
// structural problems (CheckSite reported them); otherwise, when known,
// recipients are its age recipients, sorted, as CheckRecipients returns
// them. A nil Files has checked no file.
func (f *Files) Recipients(rel string) (recipients []string, known, sound, checked bool) {
	if f == nil {
		return nil, false, false, false
	}
	x, ok := f.files[rel]
	return x.recipients, x.known, x.sound, ok
}

// CheckSiteFiles is CheckSite that also returns what it read of each
// file's recipients. The files are checked by one worker per CPU.
func CheckSiteFiles(site *model.Site, read func(rel string) ([]byte, error)) (*diag.List, *Files) {
	l := &diag.List{}
	facts := make([]fileFacts, len(site.Items))
	checked := make([]bool, len(site.Items))
	// l is safe for concurrent use and sorted when printed; a file's
	// diagnostics come from one worker, in the order below.
	workers.Each(len(site.Items), nil, func(i int) {
		checked[i] = checkItem(l, site.Items[i], read, &facts[i])
	})
	f := &Files{files: map[string]fileFacts{}}
	for i, it := range site.Items {
		if checked[i] {
			f.files[it.Secrets] = facts[i]
		}
	}
	return l, f
}

// CheckItem is CheckSite for one item: the problems of its secrets file,
// or of its having none.
func CheckItem(it *model.Item, read func(rel string) ([]byte, error)) []diag.Diagnostic {
	l := &diag.List{}
	checkItem(l, it, read, &fileFacts{})
	return l.Sorted()
}

// checkItem checks one item's secrets file, adds its problems to l and
// records what the parse told in facts; it reports whether it parsed the
// file.
func checkItem(l *diag.List, it *model.Item, read func(rel string) ([]byte, error), facts *fileFacts) bool {
	if it.Schema == nil {
		return false
	}
	if it.Secrets == "" {
		if it.Type == "passwords" && !it.Archived {
			l.Add(diag.Diagnostic{Pos: diag.Pos{File: it.File}, Severity: diag.Warning, Code: "missing-secrets",
				Message: "password item has no secrets file",
				Hint:    fmt.Sprintf("store the password: cairn secret set %s password", it.ID)})
		}
		return false
	}
	data, err := read(it.Secrets)
	if err != nil {
		l.Errorf(diag.Pos{File: it.Secrets}, "secrets-file", "cannot read: %v", err)
		return false
	}
	probs, keys, root := inspect(data)
	for _, p := range probs {
		l.Add(diag.Diagnostic{Pos: diag.Pos{File: it.Secrets, Line: p.Line, Col: p.Col}, Severity: diag.Error, Code: "secrets-file", Message: p.Msg, Hint: p.Hint})
	}
	if len(probs) == 0 && root != nil {
		facts.sound = true
		facts.recipients, facts.known = ageRecipients(root)
	}
	fields := SecretFields(it.Schema)
	for _, k := range keys {
		if IsSecretField(it, k.Name) {
			continue
		}
		hint := fmt.Sprintf("%s has no password fields; remove the key with cairn secret edit %s", it.Schema.Name, it.ID)
		if len(fields) > 0 {
			hint = fmt.Sprintf("password fields of %s: %s; rename or remove the key with cairn secret edit %s", it.Schema.Name, strings.Join(fields, ", "), it.ID)
			if s := diag.Suggest(k.Name, fields); s != "" {
				hint = fmt.Sprintf("did you mean %q? %s", s, hint)
			}
		}
		l.ErrorHint(diag.Pos{File: it.Secrets, Line: k.Line, Col: k.Col}, "unknown-secret", hint,
			"%q is not a password field of %s", k.Name, it.ID)
	}
	return true
}
