package itglue

import (
	"fmt"
	"sort"
	"strings"
)

// embedded is a password stored in its flexible parent's secrets file.
type embedded struct {
	r      row
	parent *item
}

// readPasswords sorts passwords.csv: general passwords and those embedded
// in a core item become password items (related to their parent); the
// first password embedded in a flexible asset goes into that asset's own
// secrets file, later ones become related password items.
func (im *importer) readPasswords() error {
	t := im.tables["passwords"]
	if t == nil {
		return nil
	}
	rows := append([]row(nil), t.rows...)
	sort.SliceStable(rows, func(i, j int) bool { return numericLess(rows[i].get("id"), rows[j].get("id")) })
	taken := map[*item]bool{}
	for _, r := range rows {
		parent := im.passwordParent(r)
		if parent != nil && strings.HasPrefix(parent.typ, "assets/") && !taken[parent] && parent.org == im.orgOf(r) {
			taken[parent] = true
			f := im.flexOf(parent.typ)
			f.pwField = "password"
			if r.get("otp_secret", "otp") != "" {
				f.otpField = "otp_secret"
			}
			im.embeds = append(im.embeds, embedded{r: r, parent: parent})
			im.rep.Items["embedded passwords"]++
			continue
		}
		it := im.newItem("passwords", "passwords", r, r.get("name"))
		if it == nil {
			continue
		}
		if parent != nil {
			if parent.org != it.org {
				im.rep.Warnings = append(im.rep.Warnings, note(r, "its resource belongs to another organization: not related"))
			} else {
				it.parent = parent
			}
		}
	}
	return nil
}

// passwordParent returns the item a password is embedded in, or nil.
func (im *importer) passwordParent(r row) *item {
	typ := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(r.get("resource_type")))
	id := r.get("resource_id")
	if typ == "" || id == "" {
		return nil
	}
	var kind string
	switch strings.TrimSuffix(typ, "s") {
	case "configuration":
		kind = "configurations"
	case "contact":
		kind = "contacts"
	case "location":
		kind = "locations"
	case "domain":
		kind = "domains"
	case "sslcertificate":
		kind = "ssl-certificates"
	case "document":
		kind = "documents"
	default:
		kind = "flexible-assets"
	}
	if p := im.byID[kind+"/"+id]; p != nil {
		return p
	}
	im.rep.Warnings = append(im.rep.Warnings, note(r, fmt.Sprintf("its resource (%s %s) is not in the export: imported as a general password", r.get("resource_type"), id)))
	return nil
}

// mapPasswords maps password items and puts embedded passwords into their
// parents' secrets.
func (im *importer) mapPasswords() error {
	s := im.core["passwords"]
	for _, it := range im.items {
		if it.typ != "passwords" {
			continue
		}
		m := im.newMapper(it, s)
		if it.name == "" {
			it.name = "Unnamed password"
			im.rep.Warnings = append(im.rep.Warnings, note(it.row, "a password with no name: named \"Unnamed password\""))
		}
		m.take("name")
		m.tb.str("name", im.passwordTitle(it))
		m.selectOr("category", "", "password_category", "password_category_name", "category")
		m.field("username", "username")
		m.field("url", "url")
		for _, c := range []string{"resource_type", "resource_id"} {
			if i := it.row.t.col(c); i >= 0 && it.parent != nil {
				m.used[i] = true
			}
		}
		im.secretCols(m, it)
		m.rest()
	}
	for _, e := range im.embeds {
		f := im.flexOf(e.parent.typ)
		if e.parent.secrets == nil {
			e.parent.secrets = map[string]string{}
		}
		if i := e.r.t.col("password"); e.r.at(i) != "" {
			e.parent.secrets[f.pwField] = e.r.fields[i]
		}
		if i := e.r.t.col("otp_secret", "otp"); e.r.at(i) != "" && f.otpField != "" {
			e.parent.secrets[f.otpField] = e.r.fields[i]
		}
		// the rest of the row is not secret: it goes to the parent's notes.
		var parts []string
		for i, h := range e.r.t.header {
			switch h {
			case "password", "otp_secret", "otp", "id", "organization", "organization_name", "resource_type", "resource_id":
				continue
			}
			if v := e.r.at(i); v != "" {
				parts = append(parts, e.r.t.labels[i]+": "+oneLine(v))
			}
		}
		e.parent.extras = append(e.parent.extras, extra{label: "Password (IT Glue id " + e.r.get("id") + ")", value: strings.Join(parts, "; ")})
	}
	return nil
}

// secretCols moves the password and OTP columns of a password row into
// the item's secrets, in memory only.
func (im *importer) secretCols(m *mapper, it *item) {
	for _, c := range []struct {
		field string
		cols  []string
	}{
		{"password", []string{"password"}}, {"otp_secret", []string{"otp_secret", "otp"}},
	} {
		v, col := m.take(c.cols...)
		if col < 0 || v == "" {
			continue
		}
		if it.secrets == nil {
			it.secrets = map[string]string{}
		}
		it.secrets[c.field] = it.row.fields[col] // untrimmed: spaces may be part of a password
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// titleKey is how cairn check compares password titles
// (duplicate-password-title): case and runs of spaces do not count.
func titleKey(title string) string {
	return strings.ToLower(strings.Join(strings.Fields(title), " "))
}

// takeTitle marks a password title taken in an organization, and says
// whether it was free.
func (im *importer) takeTitle(orgSlug, title string) bool {
	taken := im.pwTitles[orgSlug]
	if taken == nil {
		taken = map[string]bool{}
		im.pwTitles[orgSlug] = taken
	}
	k := titleKey(title)
	if taken[k] {
		return false
	}
	taken[k] = true
	return true
}

// passwordTitle returns the title of a password item: its name, unless
// an earlier password of its organization (by IT Glue id, or one made by
// hand) has it; then the name with what it opens, or with its IT Glue id.
// An archived password keeps its name: check does not compare those.
func (im *importer) passwordTitle(it *item) string {
	if it.archived {
		return it.name
	}
	var tries []string
	if it.parent != nil && it.parent.name != "" {
		tries = append(tries, fmt.Sprintf("%s (%s)", it.name, it.parent.name))
	}
	tries = append(tries, fmt.Sprintf("%s (IT Glue id %s)", it.name, it.id))
	return im.uniqueTitle(it.org, it.name, tries, it.row.where())
}

// uniqueTitle returns name if no password of the organization has that
// title yet, else the first free one of tries (numbered past the last),
// reporting the change at where: cairn check asks for password titles
// unique in an organization (duplicate-password-title).
func (im *importer) uniqueTitle(o *org, name string, tries []string, where Note) string {
	if im.takeTitle(o.slug, name) {
		return name
	}
	title := ""
	for _, t := range tries {
		if im.takeTitle(o.slug, t) {
			title = t
			break
		}
	}
	last := tries[len(tries)-1]
	for n := 2; title == ""; n++ {
		if t := fmt.Sprintf("%s (%d)", last, n); im.takeTitle(o.slug, t) {
			title = t
		}
	}
	where.Message = fmt.Sprintf("a second password titled %q in %s: titled %q, as cairn check asks for titles unique in an organization", name, o.name, title)
	im.rep.Warnings = append(im.rep.Warnings, where)
	return title
}
