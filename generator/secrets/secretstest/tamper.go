// Package secretstest holds what tests of secrets handling share: the
// ways a secrets file can be changed without the key.
package secretstest

import (
	"regexp"
	"strings"
)

// Tampering is one change to a secrets file made without the key.
type Tampering struct {
	// Name says what was changed.
	Name string
	// Edit changes the text of a secrets file written by cairn secret set
	// holding password then otp_secret. It returns the text unchanged
	// when the file does not have the expected shape.
	Edit func(text string) string
	// Want is the exact error cairn gives, after "<file>: ".
	Want string
}

// retag changes the type tag of the password value.
func retag(typ string) func(string) string {
	return func(text string) string {
		return replaceIn(text, "password: ENC[", ",type:str]", ",type:"+typ+"]")
	}
}

// replaceIn replaces old with new on the first line starting with prefix.
func replaceIn(text, prefix, old, new string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) && strings.Contains(l, old) {
			lines[i] = strings.Replace(l, old, new, 1)
			return strings.Join(lines, "\n")
		}
	}
	return text
}

// partRe splits the password value into its parts (data, iv, tag).
var partRe = regexp.MustCompile(`(password: ENC\[AES256_GCM,data:)([^,]*)(,iv:)([^,]*)(,tag:)([^,]*)(,type:\w+\])`)

// Tamperings returns changes an attacker without the key can make to a
// secrets file: type tags, the MAC, lastmodified, values swapped,
// reordered, cut or put in plain text (the placeholder CANARY stands for
// a plaintext value; callers replace it). Each comes with the error
// generator/secrets gives.
func Tamperings() []Tampering {
	const doesNot = "does not decrypt (changed, moved to another key, or damaged), so the file was changed without the key or is damaged; restore it from git"
	const tagged = " but is not one: the type tag was changed without the key; restore it from git"
	const mismatch = "MAC mismatch: the file was changed without the key (values removed, reordered or replaced); restore it from git"
	const badMAC = "the MAC does not decrypt, so the file was changed without the key (its MAC or lastmodified) or is damaged; restore it from git"
	lines := func(text string) []string { return strings.Split(text, "\n") }
	return []Tampering{
		{"type int", retag("int"), `the value of "password" is tagged type:int` + tagged},
		{"type float", retag("float"), `the value of "password" is tagged type:float` + tagged},
		{"type bool", retag("bool"), `the value of "password" is tagged type:bool` + tagged},
		{"type time", retag("time"), `the value of "password" is tagged type:time` + tagged},
		{"type comment", retag("comment"), mismatch},
		{"type unknown", retag("secret"), `the value of "password" has an unknown type tag, so the file was changed without the key or is damaged; restore it from git`},
		{"values swapped between keys", func(text string) string {
			l := lines(text)
			p, o := strings.TrimPrefix(l[0], "password: "), strings.TrimPrefix(l[1], "otp_secret: ")
			l[0], l[1] = "password: "+o, "otp_secret: "+p
			return strings.Join(l, "\n")
		}, `the value of "password" ` + doesNot},
		{"keys reordered", func(text string) string {
			l := lines(text)
			l[0], l[1] = l[1], l[0]
			return strings.Join(l, "\n")
		}, mismatch},
		{"key dropped", func(text string) string { return strings.Join(lines(text)[1:], "\n") }, mismatch},
		{"data flipped", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				d := []byte(p[2])
				if d[0] == 'A' {
					d[0] = 'B'
				} else {
					d[0] = 'A'
				}
				return p[1] + string(d) + p[3] + p[4] + p[5] + p[6] + p[7]
			})
		}, `the value of "password" ` + doesNot},
		{"data truncated", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2][:4] + p[3] + p[4] + p[5] + p[6] + p[7]
			})
		}, `the value of "password" ` + doesNot},
		{"enc cut short", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2][:8]
			})
		}, `the value of "password" is not encrypted, so the file was changed without the key or is damaged; restore it from git`},
		{"iv changed", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2] + p[3] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" + p[5] + p[6] + p[7]
			})
		}, `the value of "password" ` + doesNot},
		{"iv empty", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2] + p[3] + p[5] + p[6] + p[7]
			})
		}, `the value of "password" has an empty iv, so the file was changed without the key or is damaged; restore it from git`},
		{"iv not base64", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2] + p[3] + "!!" + p[5] + p[6] + p[7]
			})
		}, `the value of "password" has a damaged iv (not base64), so the file was changed without the key or is damaged; restore it from git`},
		{"tag cut", func(text string) string {
			return partRe.ReplaceAllStringFunc(text, func(m string) string {
				p := partRe.FindStringSubmatch(m)
				return p[1] + p[2] + p[3] + p[4] + p[5] + p[6][:8] + p[7]
			})
		}, `the value of "password" has a damaged authentication tag, so the file was changed without the key or is damaged; restore it from git`},
		{"mac removed", func(text string) string {
			var out []string
			for _, l := range lines(text) {
				if !strings.HasPrefix(strings.TrimSpace(l), "mac: ") {
					out = append(out, l)
				}
			}
			return strings.Join(out, "\n")
		}, "its sops metadata has no MAC, so changes made without the key could not be detected; restore it from git"},
		{"mac wrong", func(text string) string {
			// The password's own ciphertext where the MAC should be.
			enc := strings.TrimPrefix(lines(text)[0], "password: ")
			l := lines(text)
			for i, x := range l {
				if strings.HasPrefix(strings.TrimSpace(x), "mac: ") {
					l[i] = "    mac: " + enc
				}
			}
			return strings.Join(l, "\n")
		}, badMAC},
		{"mac type int", func(text string) string {
			return replaceIn(text, "mac: ENC[", ",type:str]", ",type:int]")
		}, badMAC},
		{"lastmodified changed", func(text string) string {
			return regexp.MustCompile(`lastmodified: "[^"]*"`).ReplaceAllString(text, `lastmodified: "2020-01-01T00:00:00Z"`)
		}, badMAC},
		{"value in plain text", func(text string) string {
			l := lines(text)
			l[1] = "otp_secret: CANARY"
			return strings.Join(l, "\n")
		}, `the value of "otp_secret" is not encrypted, so the file was changed without the key or is damaged; restore it from git`},
		{"encrypted_regex added", func(text string) string {
			return replaceIn(text, "unencrypted_suffix: ", "unencrypted_suffix: _unencrypted", "encrypted_regex: ^nothing$")
		}, "its sops metadata sets encrypted_regex, so some values may be in plain text: cairn keeps every value encrypted; remove it from .sops.yaml and run cairn secret rekey"},
	}
}
