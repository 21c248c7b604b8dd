package otp

import (
	"encoding/base32"
	"testing"
	"time"
)

// RFC 6238 appendix B test vectors (8 digits).
func TestRFC6238(t *testing.T) {
	seeds := map[string]string{
		"SHA1":   "12345678901234567890",
		"SHA256": "12345678901234567890123456789012",
		"SHA512": "1234567890123456789012345678901234567890123456789012345678901234",
	}
	for _, c := range []struct {
		t    int64
		alg  string
		want string
	}{
		{59, "SHA1", "94287082"}, {59, "SHA256", "46119246"}, {59, "SHA512", "90693936"},
		{1111111109, "SHA1", "07081804"}, {1234567890, "SHA256", "91819424"}, {20000000000, "SHA512", "47863826"},
	} {
		p := Params{Secret: []byte(seeds[c.alg]), Algorithm: c.alg, Digits: 8, Period: 30}
		if got, _ := p.Code(time.Unix(c.t, 0)); got != c.want {
			t.Errorf("%s at %d: %s, want %s", c.alg, c.t, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	b32 := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, in := range []string{
		b32,
		"gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
		"otpauth://totp/Acme:dana?secret=" + b32 + "&issuer=Acme",
	} {
		p, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got, left := p.Code(time.Unix(59, 0)); got != "287082" || left != 1 {
			t.Errorf("Parse(%q): code %s (%ds left), want 287082 (1s)", in, got, left)
		}
	}
	p, err := Parse("otpauth://totp/x?secret=" + b32 + "&digits=8&algorithm=sha1&period=60")
	if err != nil || p.Digits != 8 || p.Period != 60 {
		t.Errorf("URI params: %+v, %v", p, err)
	}
	for in, want := range map[string]string{
		"not base32!!":                                      "otp_secret: not a base32 secret (letters A-Z and digits 2-7) or an otpauth://totp/ URI",
		"otpauth://hotp/x?secret=" + b32:                    "otp_secret: the otpauth type is not supported (only otpauth://totp/)",
		"otpauth://totp/x?secret=" + b32 + "&algorithm=MD5": "otp_secret: the algorithm is not supported (SHA1, SHA256, SHA512)",
		// A value that is none of these is never repeated: it may be a
		// password stored under otp_secret by mistake.
		"otpauth://cnryHOST/x?secret=" + b32:                     "otp_secret: the otpauth type is not supported (only otpauth://totp/)",
		"otpauth://totp/x?secret=" + b32 + "&algorithm=cnryALGO": "otp_secret: the algorithm is not supported (SHA1, SHA256, SHA512)",
	} {
		if _, err := Parse(in); err == nil || err.Error() != want {
			t.Errorf("Parse: err %v, want %s", err, want)
		}
	}
}
