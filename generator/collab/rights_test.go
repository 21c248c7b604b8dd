package collab

import (
	"testing"

	"github.com/cairn-it/cairn/generator/model"
)

// TestRightsForMatchesEmailsASCIIOnly matches the identity header to
// access.toml's users without regard to ASCII case only: Unicode case
// folding would let "ſam@…" (long s) or "\u212aaren@…" (Kelvin sign),
// addresses an identity provider may hand out, sign in as sam or karen.
func TestRightsForMatchesEmailsASCIIOnly(t *testing.T) {
	site := &model.Site{Access: model.Access{Users: []model.User{
		{Email: "sam.okafor@msp.example", Name: "Sam"},
		{Email: "karen.li@client.example", Name: "Karen"},
	}}}
	tests := []struct {
		header, want string
	}{
		{"sam.okafor@msp.example", "Sam"},
		{"SAM.Okafor@MSP.example", "Sam"},
		{" karen.li@client.example ", "Karen"},
		{"ſam.okafor@msp.example", ""},
		{"\u212aaren.li@client.example", ""},
		{"karen.li@client.example\u0131", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got := ""
		if r, ok := RightsFor(site, tc.header); ok {
			got = r.User.Name
		}
		if got != tc.want {
			t.Errorf("RightsFor(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
