// Package otp computes time-based one-time passwords (TOTP, RFC 6238)
// from a base32 secret or an otpauth:// URI, as authenticator apps do.
package otp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Params are a TOTP secret and its settings.
type Params struct {
	Secret    []byte
	Algorithm string // SHA1, SHA256 or SHA512
	Digits    int
	Period    int // seconds
}

// Parse reads an otp_secret value: a base32 secret (spaces and case
// ignored, padding optional) with the usual SHA1, 6 digits and 30 seconds,
// or an otpauth://totp/... URI with its secret, algorithm, digits and
// period parameters. Errors never repeat the secret.
func Parse(s string) (Params, error) {
	p := Params{Algorithm: "SHA1", Digits: 6, Period: 30}
	s = strings.TrimSpace(s)
	secret := s
	if strings.HasPrefix(strings.ToLower(s), "otpauth://") {
		u, err := url.Parse(s)
		if err != nil {
			return p, errors.New("otp_secret: not a valid otpauth:// URI")
		}
		if u.Host != "totp" {
			return p, errors.New("otp_secret: the otpauth type is not supported (only otpauth://totp/)")
		}
		q := u.Query()
		secret = q.Get("secret")
		if a := q.Get("algorithm"); a != "" {
			p.Algorithm = strings.ToUpper(a)
		}
		if d := q.Get("digits"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 6 || n > 10 {
				return p, errors.New("otp_secret: digits must be 6 to 10")
			}
			p.Digits = n
		}
		if d := q.Get("period"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 1 {
				return p, errors.New("otp_secret: period must be a positive number of seconds")
			}
			p.Period = n
		}
	}
	switch p.Algorithm {
	case "SHA1", "SHA256", "SHA512":
	default:
		return p, errors.New("otp_secret: the algorithm is not supported (SHA1, SHA256, SHA512)")
	}
	secret = strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(secret, " ", ""), "-", ""))
	secret = strings.TrimRight(secret, "=")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(key) == 0 {
		return p, errors.New("otp_secret: not a base32 secret (letters A-Z and digits 2-7) or an otpauth://totp/ URI")
	}
	p.Secret = key
	return p, nil
}

// Code returns the code at time t, and how many seconds it stays valid.
func (p Params) Code(t time.Time) (string, int) {
	step := t.Unix() / int64(p.Period)
	var h func() hash.Hash
	switch p.Algorithm {
	case "SHA256":
		h = sha256.New
	case "SHA512":
		h = sha512.New
	default:
		h = sha1.New
	}
	m := hmac.New(h, p.Secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint64(1)
	for range p.Digits {
		mod *= 10
	}
	code := fmt.Sprintf("%0*d", p.Digits, uint64(bin)%mod)
	left := p.Period - int(t.Unix()%int64(p.Period))
	return code, left
}
