// Package seal seals secret values for portals configured with
// secrets = "sealed": each value is encrypted with AES-256-GCM under a key
// derived from the portal's passphrase (PBKDF2-SHA256), so the static page
// carries only ciphertext and the reader's browser decrypts it
// (themes/default/static/sealed.js) after asking for the passphrase.
//
// Output is deterministic: each portal's salt is random, made once and
// kept in the site (SaltsFile), and each nonce is a keyed hash of the
// value and where it is shown (SIV-style), so the same input and salts
// always seal to the same bytes while two different values never share a
// (key, nonce) pair. docs/secrets.md has the reasoning. The package does not import SOPS: it reads plaintext through
// the Decrypter interface, which generator/secrets implements.
package seal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// Iterations is the PBKDF2-SHA256 work factor (OWASP's 2023 figure). It
// is written into every sealed value, so it can be raised later without
// breaking pages built before.
const Iterations = 600_000

// version prefixes every sealed value.
const version = "v1"

// Decrypter gives the plaintext of one secret field of an item, ok=false
// when the item has no value for it. generator/secrets.Store implements
// it. It is called from many goroutines at once.
type Decrypter interface {
	Secret(ctx context.Context, it *model.Item, field string) (value string, ok bool, err error)
}

// DecrypterFunc adapts a function to Decrypter.
type DecrypterFunc func(ctx context.Context, it *model.Item, field string) (string, bool, error)

// Secret calls f.
func (f DecrypterFunc) Secret(ctx context.Context, it *model.Item, field string) (string, bool, error) {
	return f(ctx, it, field)
}

// Key is a portal's sealing key, derived once from its passphrase.
type Key struct {
	portal string
	salt   []byte
	iter   int
	enc    []byte // AES-256-GCM key
	nonce  []byte // HMAC key for nonces
}

// NewKey derives a portal's key from its passphrase and salt (SaltLen
// random bytes, from Salts) with PBKDF2-SHA256 (Iterations rounds; about
// a third of a second). It fails on a passphrase CheckPassphrase refuses
// for the site and portal, and on a salt of the wrong length. A random
// salt per portal and site means no table computed for one can be used
// against another; it does not depend on the passphrase, which would let
// an attacker test guesses without paying for PBKDF2.
func NewKey(siteTitle, portal, passphrase string, salt []byte) (*Key, error) {
	if err := CheckPassphrase(passphrase, siteTitle, portal); err != nil {
		return nil, err
	}
	if len(salt) != SaltLen {
		return nil, fmt.Errorf("the salt of portal %q is %d bytes, want %d", portal, len(salt), SaltLen)
	}
	return deriveKey(salt, Iterations, portal, passphrase)
}

func deriveKey(salt []byte, iter int, portal, passphrase string) (*Key, error) {
	master, err := pbkdf2.Key(sha256.New, passphrase, salt, iter, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving the sealing key: %w", err)
	}
	return &Key{portal: portal, salt: salt, iter: iter, enc: subkey(master, "enc"), nonce: subkey(master, "nonce")}, nil
}

// subkey separates the PBKDF2 output into independent keys:
// HMAC-SHA256(master, "cairn-seal-v1 " + purpose). sealed.js does the
// same with WebCrypto.
func subkey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("cairn-seal-v1 " + purpose))
	return m.Sum(nil)
}

// aad is the additional data a value is bound to: its field name, which
// the page carries in data-field, so a value moved to another field does
// not decrypt.
func aad(field string) []byte { return []byte("cairn-seal-v1\x00" + field) }

// SealValue seals plaintext shown as field of the item with id itemID.
// The nonce is the first 12 bytes of HMAC-SHA256(nonce key, portal, item,
// field, plaintext), so identical input gives identical output and
// different plaintexts get different nonces.
func (k *Key) SealValue(itemID, field, plaintext string) string {
	m := hmac.New(sha256.New, k.nonce)
	for _, part := range []string{k.portal, itemID, field, plaintext} {
		m.Write([]byte(strconv.Itoa(len(part))))
		m.Write([]byte{':'})
		m.Write([]byte(part))
	}
	nonce := m.Sum(nil)[:12]
	block, _ := aes.NewCipher(k.enc) // 32 bytes: cannot fail
	gcm, _ := cipher.NewGCM(block)
	ct := gcm.Seal(nil, nonce, []byte(plaintext), aad(field))
	b64 := base64.RawURLEncoding.EncodeToString
	return strings.Join([]string{version, strconv.Itoa(k.iter), b64(k.salt), b64(nonce), b64(ct)}, ".")
}

// ErrWrongPassphrase is returned by Open when the value does not decrypt.
var ErrWrongPassphrase = errors.New("wrong passphrase (or a damaged value): nothing was decrypted")

// Open decrypts a sealed value shown as field with the passphrase: what
// sealed.js does in the browser, for tests and tools.
func Open(sealed, field, passphrase string) (string, error) {
	parts := strings.Split(sealed, ".")
	if len(parts) != 5 || parts[0] != version {
		return "", fmt.Errorf("not a sealed value (want %s.ITER.SALT.NONCE.CIPHERTEXT)", version)
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return "", fmt.Errorf("sealed value: bad iteration count")
	}
	var raw [3][]byte
	for i := range raw {
		if raw[i], err = base64.RawURLEncoding.DecodeString(parts[i+2]); err != nil {
			return "", fmt.Errorf("sealed value: bad base64")
		}
	}
	k, err := deriveKey(raw[0], iter, "", passphrase)
	if err != nil {
		return "", err
	}
	if len(raw[1]) != 12 {
		return "", fmt.Errorf("sealed value: bad nonce")
	}
	block, _ := aes.NewCipher(k.enc)
	gcm, _ := cipher.NewGCM(block)
	pt, err := gcm.Open(nil, raw[1], raw[2], aad(field))
	if err != nil {
		return "", ErrWrongPassphrase
	}
	return string(pt), nil
}

// Sealer is a portal.SecretSealer: it decrypts an item's secret through a
// Decrypter and seals it with the portal's key. It is safe for concurrent
// use.
type Sealer struct {
	key *Key
	dec Decrypter
}

// NewSealer returns a sealer for one portal.
func NewSealer(key *Key, dec Decrypter) *Sealer { return &Sealer{key: key, dec: dec} }

// Seal returns the sealed value of an item's password-kind field, ok=false
// when the item has no value for it. It fails (and so fails the build)
// when field is not a password field of the item or the secret cannot be
// decrypted: a portal is never built with a secret silently missing.
func (s *Sealer) Seal(ctx context.Context, it *model.Item, field string) (string, bool, error) {
	if !sopsfile.IsSecretField(it, field) {
		return "", false, fmt.Errorf("sealing %s: %q is not a password field of the item", it.ID, field)
	}
	v, ok, err := s.dec.Secret(ctx, it, field)
	if err != nil {
		return "", false, fmt.Errorf("sealing %s %s: %w", it.ID, field, err)
	}
	if !ok || v == "" {
		return "", false, nil
	}
	return s.key.SealValue(it.ID, field, v), true, nil
}
