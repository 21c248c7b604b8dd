package advisor

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// dataKind is a kind of structured data.
type dataKind uint8

const (
	kindIP dataKind = iota
	kindMAC
	kindPhone
	kindEmail
	kindSerial
)

func (k dataKind) String() string {
	return [...]string{"IP address", "MAC address", "phone number", "email address", "serial number"}[k]
}

// datum is one value of structured data, normalised so that two ways of
// writing it compare equal.
type datum struct {
	kind dataKind
	norm string
}

// holding is where an item holds a datum.
type holding struct {
	item  *model.Item
	field string // the field's path: "primary_ip", "interfaces.mac"
	pos   diag.Pos
	// identity is true when the value is the item's own (its address, its
	// serial), false when it refers to another's (a gateway, DNS servers).
	identity bool
}

// dataIndex is, per organization, who holds each datum.
type dataIndex map[string]map[datum][]holding

// index walks the TOML items' fields once and records their structured
// data by organization.
func (a *advisor) index() dataIndex {
	idx := dataIndex{}
	for _, it := range a.site.Items {
		if it.Body != nil || it.Broken || it.Schema == nil || it.Fields == nil {
			continue
		}
		walkFields(it, it.Schema.Fields, it.Fields, "", func(d datum, field string, v *tomldoc.Value, identity bool) {
			m := idx[it.Org]
			if m == nil {
				m = map[datum][]holding{}
				idx[it.Org] = m
			}
			m[d] = append(m[d], holding{item: it, field: field, pos: it.Pos(v.Pos), identity: identity})
		})
	}
	return idx
}

// walkFields calls fn for each structured datum in the fields of t.
func walkFields(it *model.Item, fields []*schema.Field, t *tomldoc.Table, prefix string, fn func(datum, string, *tomldoc.Value, bool)) {
	for _, f := range fields {
		v := t.Get(f.Name)
		if v == nil {
			continue
		}
		path := prefix + f.Name
		if f.Kind == schema.Group {
			if v.Kind == tomldoc.KindArray {
				for _, e := range v.Array {
					if e.Kind == tomldoc.KindTable {
						walkFields(it, f.Fields, e.Table, path+".", fn)
					}
				}
			}
			continue
		}
		vals := []*tomldoc.Value{v}
		if v.Kind == tomldoc.KindArray {
			vals = v.Array
		}
		for _, e := range vals {
			if e.Kind != tomldoc.KindString || e.Str == "" {
				continue
			}
			if d, identity, ok := classify(f, e.Str); ok {
				if d.kind == kindPhone {
					identity = ownPhone(it, t)
				}
				fn(d, path, e, identity)
			}
		}
	}
}

// referenceWords mark a field whose address is another device's: a LAN's
// gateway, its DNS servers.
var referenceWords = []string{"gateway", "dns", "dhcp", "ntp", "server", "peer", "router", "proxy", "range", "relay"}

// classify says whether a field's value is structured data, and whether it
// is the item's own (identity) or a reference to another's.
func classify(f *schema.Field, s string) (datum, bool, bool) {
	name := strings.ToLower(f.Name)
	identity := true
	for _, w := range referenceWords {
		if strings.Contains(name, w) {
			identity = false
		}
	}
	switch f.Kind {
	case schema.IP:
		if n, ok := normIP(s); ok {
			return datum{kindIP, n}, identity, true
		}
	case schema.Phone:
		if n, ok := normPhone(s); ok {
			return datum{kindPhone, n}, identity, true
		}
	case schema.Email:
		return datum{kindEmail, strings.ToLower(strings.TrimSpace(s))}, false, true
	case schema.Text:
		t := strings.TrimSpace(s)
		if strings.Contains(name, "serial") && len(t) >= 4 && !strings.ContainsAny(t, " \t\n") {
			return datum{kindSerial, strings.ToUpper(t)}, true, true
		}
		if n, ok := normMAC(t); ok {
			return datum{kindMAC, n}, true, true
		}
		if n, ok := normIP(t); ok {
			return datum{kindIP, n}, identity, true
		}
	}
	return datum{}, false, false
}

// ownPhone reports whether a phone number in record t (or the item's top
// table) is the item's own line: a contact's direct number or a location's
// number. A number with an extension is a switchboard that many contacts
// share; a flexible asset's number (a PBX's main number, a carrier's
// fault line) refers to a line documented elsewhere.
func ownPhone(it *model.Item, t *tomldoc.Table) bool {
	switch it.Type {
	case "contacts":
		v := t.Get("extension")
		return v == nil || (v.Kind == tomldoc.KindString && strings.TrimSpace(v.Str) == "")
	case "locations":
		return true
	}
	return false
}

func normIP(s string) (string, bool) {
	ip, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || ip.Zone() != "" {
		return "", false
	}
	return ip.Unmap().String(), true
}

var macRe = regexp.MustCompile(`^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$`)

func normMAC(s string) (string, bool) {
	if (len(s) != 17 && len(s) != 14) || !macRe.MatchString(s) {
		return "", false
	}
	// The separators dropped by hand: a strings.Replacer built per call
	// cost 6 KB of garbage for each value of a 100,000-item site.
	b := make([]byte, 0, 12)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ':' && c != '-' && c != '.' {
			b = append(b, c)
		}
	}
	hex := strings.ToLower(string(b))
	if strings.Count(s, ":") != 5 && strings.Count(s, "-") != 5 && strings.Count(s, ".") != 2 {
		return "", false // mixed separators
	}
	return hex, true
}

// normPhone keeps a phone number's digits, and a leading +; numbers of
// fewer than 7 digits (extensions) are not compared.
func normPhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	n := b.String()
	if len(strings.TrimPrefix(n, "+")) < 7 {
		return "", false
	}
	return n, true
}

// duplicateData reports an IP address, MAC address, serial number or phone
// number that two items of one organization hold as their own. Archived
// items are left out: a replacement takes over the old item's address.
func (a *advisor) duplicateData() {
	for _, org := range a.orgSlugs() {
		m := a.data()[org]
		keys := make([]datum, 0, len(m))
		for d := range m {
			if d.kind != kindEmail {
				keys = append(keys, d)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].kind != keys[j].kind {
				return keys[i].kind < keys[j].kind
			}
			return keys[i].norm < keys[j].norm
		})
		for _, d := range keys {
			// A number written without its country code is the one
			// number of the organization that has it, if there is one:
			// its holdings join that number's.
			same := []datum{d}
			if d.kind == kindPhone {
				ps := a.samePhones(org, d.norm)
				switch {
				case !strings.HasPrefix(d.norm, "+") && len(ps) == 1:
					continue // reported with ps[0]
				case strings.HasPrefix(d.norm, "+"):
					for _, p := range ps {
						if len(a.samePhones(org, p.norm)) == 1 {
							same = append(same, p)
						}
					}
				}
			}
			var hs []holding
			items := map[string]bool{}
			for _, h := range concat(m, same) {
				if h.identity && !h.item.Archived && !items[h.item.ID] {
					items[h.item.ID] = true
					hs = append(hs, h)
				}
			}
			if len(hs) < 2 {
				continue
			}
			for i, h := range hs {
				others := othersOf(len(hs), i, func(j int) string { return fmt.Sprintf("%s (%s)", localID(hs[j].item), hs[j].field) })
				first := hs[0]
				if first.item == h.item {
					first = hs[1]
				}
				a.add(finding{rule: RuleDuplicateData, pos: h.pos,
					msg: fmt.Sprintf("%s %s is also in %s", d.kind, display(h, d), others),
					hint: fmt.Sprintf("keep the value in the one item it belongs to and link that item instead of copying it: related = [%q] or [[%s]]; if one of them replaced the other, set archived = true on the old one",
						localID(first.item), localID(first.item))})
			}
		}
	}
}

// concat returns the holdings of the data ds, in order.
func concat(m map[datum][]holding, ds []datum) []holding {
	if len(ds) == 1 {
		return m[ds[0]]
	}
	var out []holding
	for _, d := range ds {
		out = append(out, m[d]...)
	}
	return out
}

// display returns a datum as the holder wrote it.
func display(h holding, d datum) string {
	if v := fieldValue(h); v != "" {
		return v
	}
	return d.norm
}

// fieldValue finds the written value of a holding again by its position.
func fieldValue(h holding) string {
	var out string
	if h.item.Schema == nil {
		return ""
	}
	walkFields(h.item, h.item.Schema.Fields, h.item.Fields, "", func(_ datum, field string, v *tomldoc.Value, _ bool) {
		if out == "" && field == h.field && h.item.Pos(v.Pos) == h.pos {
			out = v.Str
		}
	})
	return out
}

// localID is an item's id within its organization: "configurations/sv1".
func localID(it *model.Item) string { return strings.TrimPrefix(it.ID, it.Org+"/") }

// othersOf names the entries of a list of n other than the i-th, the
// first three by name and the rest by count, without building names it
// does not print (a value shared by thousands of items stays linear).
func othersOf(n, i int, name func(int) string) string {
	var names []string
	for j := 0; j < n && len(names) < 3; j++ {
		if j != i {
			names = append(names, name(j))
		}
	}
	if rest := n - 1 - len(names); rest > 0 {
		return fmt.Sprintf("%s and %d more", strings.Join(names, ", "), rest)
	}
	return strings.Join(names, ", ")
}

func joinLimit(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:n], ", "), len(list)-n)
}

func (a *advisor) orgSlugs() []string {
	out := make([]string, len(a.site.Orgs))
	for i, o := range a.site.Orgs {
		out[i] = o.Slug
	}
	return out
}
