package secrets

import (
	cryptoaes "crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/getsops/sops/v3"
)

// The decryption here is SOPS's, rebuilt so that no value is ever
// interpreted before the file's MAC has been checked, and so that no error
// can quote a decrypted value. SOPS's own Tree.Decrypt converts a value
// tagged type:int, float or bool with strconv while it walks the tree, and
// the strconv error quotes the plaintext; the type tag is not covered by
// the MAC, so anyone could change it without the key and have the error
// (and so the secret) printed. Here every value is decrypted as bytes, the
// MAC is computed over those bytes exactly as SOPS computes it over a
// file SOPS wrote, and only a file whose MAC matches has its values turned
// into numbers or booleans; a value whose tag does not fit it is refused
// without being shown.

// DecryptError is what decrypting a secrets file fails with. Its message
// names the file and what to do, and never holds a decrypted value (nor
// any text of the file but key names and type tags).
type DecryptError struct {
	// File is the secrets file, relative to the site root.
	File string
	// Key is the path of the value concerned ("password", "a:b"), or "".
	Key string
	// Reason says what is wrong, without any value.
	Reason string
	// Tampered is true when the file was changed without the key (or is
	// damaged), as opposed to, say, using a setting cairn refuses.
	Tampered bool
}

func (e *DecryptError) Error() string {
	var b strings.Builder
	b.WriteString(e.File + ": ")
	if e.Key != "" {
		fmt.Fprintf(&b, "the value of %q ", e.Key)
	}
	b.WriteString(e.Reason)
	if e.Tampered {
		b.WriteString("; restore it from git")
	}
	return b.String()
}

// encParts is a parsed ENC[AES256_GCM,data:…,iv:…,tag:…,type:…] value.
type encParts struct {
	data, iv, tag []byte
	typ           string
}

// parseEnc parses an encrypted SOPS value. Its errors never quote the
// input, which may be plaintext put where a value should be encrypted.
func parseEnc(s string) (encParts, error) {
	var p encParts
	const prefix = "ENC[AES256_GCM,"
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, "]") {
		return p, errors.New("is not encrypted")
	}
	fields := strings.Split(s[len(prefix):len(s)-1], ",")
	if len(fields) != 4 {
		return p, errors.New("is not a well-formed encrypted value")
	}
	var err error
	for i, name := range []string{"data", "iv", "tag", "type"} {
		v, ok := strings.CutPrefix(fields[i], name+":")
		if !ok {
			return p, fmt.Errorf("is not a well-formed encrypted value (no %s)", name)
		}
		switch name {
		case "data":
			p.data, err = base64.StdEncoding.DecodeString(v)
		case "iv":
			p.iv, err = base64.StdEncoding.DecodeString(v)
		case "tag":
			p.tag, err = base64.StdEncoding.DecodeString(v)
		case "type":
			p.typ = v
		}
		if err != nil {
			return p, fmt.Errorf("has a damaged %s (not base64)", name)
		}
	}
	switch p.typ {
	case "str", "int", "float", "bool", "bytes", "time", "comment":
	default:
		return p, errors.New("has an unknown type tag")
	}
	if len(p.iv) == 0 {
		return p, errors.New("has an empty iv")
	}
	if len(p.tag) != 16 {
		return p, errors.New("has a damaged authentication tag")
	}
	return p, nil
}

// openValue decrypts one value with the data key and its additional data
// (the value's path, as SOPS binds it). The plaintext is returned as
// bytes, uninterpreted, with the value's type tag.
func openValue(s string, key []byte, aad string) ([]byte, string, error) {
	p, err := parseEnc(s)
	if err != nil {
		return nil, "", err
	}
	block, err := cryptoaes.NewCipher(key)
	if err != nil {
		return nil, "", errors.New("cannot be decrypted: the data key is damaged")
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, len(p.iv))
	if err != nil {
		return nil, "", errors.New("has a damaged iv")
	}
	plain, err := gcm.Open(nil, p.iv, append(p.data, p.tag...), []byte(aad))
	if err != nil {
		return nil, "", errors.New("does not decrypt (changed, moved to another key, or damaged)")
	}
	return plain, p.typ, nil
}

// typedLeaf is a decrypted value still held as text, to be given its type
// once the MAC has matched.
type typedLeaf struct {
	path string
	raw  string
	typ  string
	set  func(any)
}

// decryptTree decrypts every value of tree in place with the data key and
// verifies the file's MAC before giving any value a type other than text.
// rel names the file in errors.
func decryptTree(rel string, tree *sops.Tree, dataKey []byte) error {
	md := &tree.Metadata
	for _, opt := range []struct{ name, v string }{
		{"encrypted_suffix", md.EncryptedSuffix}, {"unencrypted_regex", md.UnencryptedRegex},
		{"encrypted_regex", md.EncryptedRegex}, {"unencrypted_comment_regex", md.UnencryptedCommentRegex},
		{"encrypted_comment_regex", md.EncryptedCommentRegex},
	} {
		if opt.v != "" {
			return &DecryptError{File: rel, Reason: fmt.Sprintf("its sops metadata sets %s, so some values may be in plain text: cairn keeps every value encrypted; remove it from .sops.yaml and run cairn secret rekey", opt.name)}
		}
	}
	if md.MessageAuthenticationCode == "" {
		return &DecryptError{File: rel, Reason: "its sops metadata has no MAC, so changes made without the key could not be detected", Tampered: true}
	}
	hash := sha512.New()
	if md.MACOnlyEncrypted {
		hash.Write(sops.MACOnlyEncryptedInitialization)
	}
	var leaves []typedLeaf
	encrypted := func(path []string) bool {
		if md.UnencryptedSuffix == "" {
			return true
		}
		for _, p := range path {
			if strings.HasSuffix(p, md.UnencryptedSuffix) {
				return false
			}
		}
		return true
	}
	// leaf decrypts one value at path and returns what replaces it.
	leaf := func(in any, path []string, set func(any)) (any, error) {
		name := strings.Join(path, ":")
		enc := encrypted(path)
		if c, isComment := in.(sops.Comment); isComment {
			if !enc {
				return c, nil
			}
			plain, typ, err := openValue(c.Value, dataKey, name+":")
			if err != nil {
				// As SOPS does: a comment that does not decrypt was written
				// in plain text (by an older SOPS); comments are not in the
				// MAC.
				return c, nil
			}
			if typ != "comment" {
				hash.Write(plain) // as SOPS does; the MAC will not match
				return string(plain), nil
			}
			return sops.Comment{Value: string(plain), Inline: c.Inline}, nil
		}
		var v any = in
		if enc {
			s, ok := in.(string)
			if !ok {
				return nil, &DecryptError{File: rel, Key: name, Reason: "is not encrypted (plain text in a secrets file); encrypt it with cairn secret set and rotate the secret, since git history has it", Tampered: false}
			}
			if s == "" {
				v = ""
			} else {
				plain, typ, err := openValue(s, dataKey, name+":")
				if err != nil {
					return nil, &DecryptError{File: rel, Key: name, Reason: err.Error() + ", so the file was changed without the key or is damaged", Tampered: true}
				}
				if typ == "comment" {
					return sops.Comment{Value: string(plain)}, nil
				}
				v = string(plain)
				if typ != "str" && typ != "bytes" {
					leaves = append(leaves, typedLeaf{path: name, raw: string(plain), typ: typ, set: set})
				}
			}
		}
		if !md.MACOnlyEncrypted || enc {
			b, err := sops.ToBytes(v)
			if err != nil {
				return nil, &DecryptError{File: rel, Key: name, Reason: fmt.Sprintf("has a type cairn cannot read (%T)", v)}
			}
			hash.Write(b)
		}
		return v, nil
	}
	var walk func(in any, path []string, set func(any)) error
	walkBranch := func(b sops.TreeBranch, path []string) error {
		for i := range b {
			i := i
			if c, ok := b[i].Key.(sops.Comment); ok {
				v, err := leaf(c, path, nil)
				if err != nil {
					return err
				}
				switch v := v.(type) {
				case sops.Comment:
					b[i].Key = v
				case string:
					b[i].Key = sops.Comment{Value: v, Inline: c.Inline}
				}
				continue
			}
			key, ok := b[i].Key.(string)
			if !ok {
				return &DecryptError{File: rel, Reason: fmt.Sprintf("has a key that is not a string (%T)", b[i].Key), Tampered: true}
			}
			if err := walk(b[i].Value, append(append([]string(nil), path...), key), func(v any) { b[i].Value = v }); err != nil {
				return err
			}
		}
		return nil
	}
	walk = func(in any, path []string, set func(any)) error {
		switch in := in.(type) {
		case sops.TreeBranch:
			return walkBranch(in, path)
		case []any:
			for i := range in {
				i := i
				if err := walk(in[i], path, func(v any) { in[i] = v }); err != nil {
					return err
				}
			}
			return nil
		case nil:
			return nil
		case string, []byte, int, bool, float64, time.Time, sops.Comment:
			if b, ok := in.([]byte); ok {
				in = string(b)
			}
			v, err := leaf(in, path, set)
			if err != nil {
				return err
			}
			set(v)
			return nil
		default:
			return &DecryptError{File: rel, Key: strings.Join(path, ":"), Reason: fmt.Sprintf("has a type cairn cannot read (%T)", in), Tampered: true}
		}
	}
	for _, b := range tree.Branches {
		if err := walkBranch(b, nil); err != nil {
			return err
		}
	}
	computed := fmt.Sprintf("%X", hash.Sum(nil))
	stored, typ, err := openValue(md.MessageAuthenticationCode, dataKey, md.LastModified.Format(time.RFC3339))
	if err != nil || typ != "str" {
		return &DecryptError{File: rel, Reason: "the MAC does not decrypt, so the file was changed without the key (its MAC or lastmodified) or is damaged", Tampered: true}
	}
	if string(stored) != computed {
		return &DecryptError{File: rel, Reason: "MAC mismatch: the file was changed without the key (values removed, reordered or replaced)", Tampered: true}
	}
	// The values are the ones the key's holder wrote: now give them their
	// types. The tags are not in the MAC, so a tag that does not fit its
	// value was changed without the key; the value is not shown.
	for _, l := range leaves {
		v, ok := interpret(l.raw, l.typ)
		if !ok {
			return &DecryptError{File: rel, Key: l.path, Reason: fmt.Sprintf("is tagged type:%s but is not one: the type tag was changed without the key", l.typ), Tampered: true}
		}
		l.set(v)
	}
	return nil
}

// interpret gives a decrypted value its tagged type. It accepts only the
// form SOPS writes for that type (so that the MAC, computed over the
// bytes, is the one SOPS computes over the typed value), and its failure
// carries nothing of the value.
func interpret(raw, typ string) (any, bool) {
	switch typ {
	case "int":
		n, err := strconv.Atoi(raw)
		return n, err == nil && strconv.Itoa(n) == raw
	case "float":
		f, err := strconv.ParseFloat(raw, 64)
		return f, err == nil && strconv.FormatFloat(f, 'f', -1, 64) == raw
	case "bool":
		switch raw {
		case "True":
			return true, true
		case "False":
			return false, true
		}
		return nil, false
	case "time":
		var t time.Time
		if err := t.UnmarshalText([]byte(raw)); err != nil {
			return nil, false
		}
		b, err := t.MarshalText()
		return t, err == nil && string(b) == raw
	}
	return raw, true
}
