package schema

import (
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// ValueProblem is what is wrong with one value, positioned at the value.
type ValueProblem struct {
	Pos  tomldoc.Pos
	Msg  string
	Hint string
}

func problemf(v *tomldoc.Value, hint, format string, args ...any) *ValueProblem {
	return &ValueProblem{Pos: v.Pos, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// CheckValue checks a value against its field's kind and options, for every
// kind but group (whose records the caller walks) and the link kinds' targets
// (tag targets and upload files, which need the whole site). It returns nil
// when the value is good.
func CheckValue(f *Field, v *tomldoc.Value) *ValueProblem {
	if f.Kind == Header {
		return problemf(v, "remove the value: a header only labels the fields after it", "%q is a header field and holds no value", f.Name)
	}
	if f.Kind == Password {
		if v.Kind == tomldoc.KindString && v.Str == "" {
			return nil
		}
		return problemf(v, fmt.Sprintf("remove it here and run: cairn secret set ID %s", f.Name), "%q is a password field: its value must not be written in plain TOML", f.Name)
	}
	if v.Kind == tomldoc.KindArray && f.Kind != Group {
		if !f.Multiple {
			return problemf(v, "give one value, or set multiple = true on the field in its schema", "%q takes one value, got an array", f.Name)
		}
		for _, e := range v.Array {
			if p := checkScalar(f, e); p != nil {
				return p
			}
		}
		return nil
	}
	return checkScalar(f, v)
}

var (
	emailRe = regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
	phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?$`)
)

// Pattern returns the regular expression the checker matches a value of
// kind k against, for the kinds checked by one (email, phone), or "".
// The syntax is the common subset of Go's RE2 and ECMA-262, so JSON
// Schema validators can use it as a pattern.
func Pattern(k Kind) string {
	switch k {
	case Email:
		return emailRe.String()
	case Phone:
		return phoneRe.String()
	}
	return ""
}

// URLSchemes are the URL schemes a url field accepts.
var URLSchemes = []string{"http", "https", "ftp", "ftps", "sftp", "ssh", "rdp", "vnc", "smb", "ldap", "ldaps", "telnet"}

func checkScalar(f *Field, v *tomldoc.Value) *ValueProblem {
	str := func() (string, *ValueProblem) {
		if v.Kind != tomldoc.KindString {
			return "", problemf(v, "", "%q must be a string, got %s", f.Name, tomldoc.Describe(v))
		}
		return v.Str, nil
	}
	switch f.Kind {
	case Text:
		s, p := str()
		if p != nil {
			return p
		}
		if strings.ContainsAny(s, "\n\r") {
			return problemf(v, "use a textbox field for text of several lines", "%q is a one-line text field, but the value has line breaks", f.Name)
		}
	case Textbox, Tag, Upload:
		if _, p := str(); p != nil {
			return p
		}
	case Number, Percent:
		if v.Kind != tomldoc.KindInteger && v.Kind != tomldoc.KindFloat {
			hint := ""
			if v.Kind == tomldoc.KindString {
				hint = "write the number without quotes"
			}
			return problemf(v, hint, "%q must be a number, got %s", f.Name, tomldoc.Describe(v))
		}
		if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
			return problemf(v, "", "%q must be a finite number, got %s", f.Name, v.Raw)
		}
		if f.Kind == Percent && (v.Float < 0 || v.Float > 100) {
			return problemf(v, "a percent is between 0 and 100", "%q is %s%%, out of range", f.Name, v.Raw)
		}
		if f.Min != nil && v.Float < *f.Min {
			return problemf(v, "", "%q is %s, below the minimum %g", f.Name, v.Raw, *f.Min)
		}
		if f.Max != nil && v.Float > *f.Max {
			return problemf(v, "", "%q is %s, above the maximum %g", f.Name, v.Raw, *f.Max)
		}
		if f.Decimals != nil && v.Kind == tomldoc.KindFloat {
			if i := strings.IndexByte(v.Raw, '.'); i >= 0 {
				frac := strings.TrimRight(strings.SplitN(strings.ToLower(v.Raw[i+1:]), "e", 2)[0], "_")
				if len(frac) > *f.Decimals {
					places := "decimal places"
					if *f.Decimals == 1 {
						places = "decimal place"
					}
					return problemf(v, "", "%q allows at most %d %s, got %s", f.Name, *f.Decimals, places, v.Raw)
				}
			}
		}
	case Date:
		if _, ok := DateOf(v); !ok {
			return problemf(v, "write a TOML date without quotes: 2026-11-23", "%q must be a date (YYYY-MM-DD), got %s", f.Name, tomldoc.Describe(v))
		}
	case Checkbox:
		if v.Kind != tomldoc.KindBool {
			return problemf(v, "write true or false without quotes", "%q is a checkbox and must be true or false, got %s", f.Name, tomldoc.Describe(v))
		}
	case Select:
		s, p := str()
		if p != nil {
			return p
		}
		if len(f.Options) == 0 {
			return nil // the schema's error, reported there
		}
		for _, o := range f.Options {
			if o == s {
				return nil
			}
		}
		hint := "options: " + quoteAll(f.Options)
		if sug := suggest(s, f.Options); sug != "" {
			hint = fmt.Sprintf("did you mean %q? options: %s", sug, quoteAll(f.Options))
		}
		return problemf(v, hint, "%q must be one of the field's options, got %q", f.Name, s)
	case URL:
		s, p := str()
		if p != nil {
			return p
		}
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || !validScheme(u.Scheme) {
			hint := "write an absolute URL with a scheme and host: https://portal.example.com/"
			if err == nil && u.Scheme == "" {
				hint = fmt.Sprintf("add a scheme: https://%s", s)
			}
			return problemf(v, hint, "%q must be a URL, got %q", f.Name, s)
		}
	case Email:
		s, p := str()
		if p != nil {
			return p
		}
		if !emailRe.MatchString(s) {
			return problemf(v, "write a bare address: name@example.com", "%q must be an email address, got %q", f.Name, s)
		}
	case Phone:
		s, p := str()
		if p != nil {
			return p
		}
		if !phoneRe.MatchString(s) || countDigits(s) < 3 {
			return problemf(v, "digits, spaces and + ( ) - . / only: +1 555 0100", "%q must be a phone number, got %q", f.Name, s)
		}
	case IP:
		s, p := str()
		if p != nil {
			return p
		}
		if _, err := netip.ParseAddr(s); err != nil {
			hint := "an IPv4 or IPv6 address: 192.0.2.10 or 2001:db8::10"
			if strings.Contains(s, "/") {
				hint = "this looks like a network: use a cidr field, or drop the /prefix"
			}
			return problemf(v, hint, "%q must be an IP address, got %q", f.Name, s)
		}
	case CIDR:
		s, p := str()
		if p != nil {
			return p
		}
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return problemf(v, "a network in CIDR notation: 198.51.100.0/24", "%q must be a network in CIDR notation, got %q", f.Name, s)
		}
		if pfx.Masked() != pfx {
			return problemf(v, fmt.Sprintf("did you mean %q?", pfx.Masked().String()), "%q has host bits set: %q is not a network address", f.Name, s)
		}
	case Group:
		if v.Kind != tomldoc.KindArray && v.Kind != tomldoc.KindTable {
			return problemf(v, fmt.Sprintf("write one [[%s]] table per record", f.Name), "%q must be a list of records, got %s", f.Name, tomldoc.Describe(v))
		}
	}
	return nil
}

// DateOf returns the date a value holds: a TOML local date, or a string
// in YYYY-MM-DD form.
func DateOf(v *tomldoc.Value) (time.Time, bool) {
	switch v.Kind {
	case tomldoc.KindDate:
		return v.Time, true
	case tomldoc.KindString:
		t, err := time.Parse("2006-01-02", v.Str)
		return t, err == nil
	}
	return time.Time{}, false
}

func validScheme(s string) bool {
	for _, x := range URLSchemes {
		if x == strings.ToLower(s) {
			return true
		}
	}
	return false
}

func countDigits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func suggest(word string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, word) {
			return c
		}
	}
	return diag.Suggest(word, candidates)
}
