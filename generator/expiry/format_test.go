package expiry

import (
	"bytes"
	"testing"
)

func TestWriteFormats(t *testing.T) {
	r := sampleReport()
	r.Entries[2].Title = "=HYPERLINK(\"x\")"
	cases := []struct {
		name  string
		write func(*bytes.Buffer, Report) error
		want  string
	}{
		{"text", func(b *bytes.Buffer, r Report) error { return WriteText(b, r) }, `DATE        DAYS LEFT  ORGANIZATION  ITEM                        WHAT
2026-11-20  -3         acme          acme/domains/acme-example   Domain expires (expired 3 days ago)
2026-12-01  8          acme          acme/ssl-certificates/www   SSL Certificate expires (in 8 days)
2026-12-10  17         acme          acme/checklists/onboarding  Hand over the laptop, the badge and the keys to the server room — and explain the door code ✓✓✓ @dana (in 17 days)
`},
		{"csv", func(b *bytes.Buffer, r Report) error { return WriteCSV(b, r) }, `date,days_left,org,id,title,type,kind,what,assignee
2026-11-20,-3,acme,acme/domains/acme-example,acme.example,,expires,Domain expires,
2026-12-01,8,acme,acme/ssl-certificates/www,www.acme.example,ssl-certificates,expires,SSL Certificate expires,
2026-12-10,17,acme,acme/checklists/onboarding,"'=HYPERLINK(""x"")",checklists,task,"Hand over the laptop, the badge and the keys to the server room — and explain the door code ✓✓✓",dana
`},
		{"json", func(b *bytes.Buffer, r Report) error {
			return WriteJSON(b, Report{AsOf: r.AsOf, Within: r.Within, Entries: r.Entries[:1], Failing: r.Failing})
		}, `{
  "as_of": "2026-11-23",
  "within": "30d",
  "expired": 1,
  "failing": 1,
  "entries": [
    {
      "id": "acme/domains/acme-example",
      "title": "acme.example",
      "org": "acme",
      "type": "",
      "kind": "expires",
      "what": "Domain expires",
      "date": "2026-11-20",
      "days_left": -3,
      "fails": true
    }
  ]
}
`},
		{"empty json", func(b *bytes.Buffer, r Report) error { return WriteJSON(b, Report{AsOf: r.AsOf, Within: r.Within}) }, `{
  "as_of": "2026-11-23",
  "within": "30d",
  "expired": 0,
  "failing": 0,
  "entries": []
}
`},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := c.write(&b, r); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, b.String(), c.want)
		}
	}
}
