package secrets

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// EncryptTo encrypts plain to age recipients (age1...) as an ASCII-armored
// age file, which `age -d -i KEYFILE` decrypts. The output differs on
// every call (age draws a fresh file key). An invalid recipient is an
// error naming it, never a file encrypted to fewer people.
func EncryptTo(recipients []string, plain []byte) ([]byte, error) {
	if len(recipients) == 0 {
		return nil, fmt.Errorf("no recipient: give an age public key (age1...)")
	}
	var rs []age.Recipient
	for _, r := range recipients {
		x, err := age.ParseX25519Recipient(strings.TrimSpace(r))
		if err != nil {
			return nil, fmt.Errorf("recipient %q is not an age public key (age1...): %w", r, err)
		}
		rs = append(rs, x)
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, rs...)
	if err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return buf.Bytes(), nil
}

// DecryptAge decrypts an age file (armored or binary) written by EncryptTo
// with these keys, reading at most limit bytes of plaintext.
func (k *Keys) DecryptAge(data []byte, limit int64) ([]byte, error) {
	if !k.Available() {
		return nil, fmt.Errorf("no age key to decrypt with")
	}
	var in io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header)) {
		in = armor.NewReader(bytes.NewReader(data))
	}
	ids := make([]age.Identity, 0, len(k.ids))
	for _, id := range k.ids {
		ids = append(ids, id)
	}
	r, err := age.Decrypt(in, ids...)
	if err != nil {
		return nil, fmt.Errorf("decrypting: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("decrypting: %w", err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("decrypting: the plaintext is larger than %d bytes", limit)
	}
	return out, nil
}
