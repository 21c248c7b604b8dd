package itglue

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// mapItems maps every core and flexible item's row onto its fields.
func (im *importer) mapItems() error {
	for _, it := range im.items {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		switch it.typ {
		case "locations":
			im.mapLocation(it)
		case "contacts":
			im.mapContact(it)
		case "configurations":
			im.mapConfiguration(it)
		case "domains":
			im.mapDomain(it)
		case "ssl-certificates":
			im.mapCertificate(it)
		case "documents", "passwords":
		default:
			im.mapFlexible(it)
		}
	}
	return nil
}

func (im *importer) mapLocation(it *item) {
	m := im.newMapper(it, im.core["locations"])
	m.field("name", "name")
	if !m.set["name"] {
		m.tb.str("name", fallbackName(it.name, "Unnamed location"))
	}
	m.field("primary", "primary")
	m.field("address_1", "address_1", "address1", "address")
	m.field("address_2", "address_2", "address2")
	m.field("city", "city")
	m.field("region", "region", "region_name", "state")
	m.field("postal_code", "postal_code", "zip", "postcode")
	m.field("country", "country", "country_name")
	m.field("phone", "phone")
	m.rest()
}

func (im *importer) mapContact(it *item) {
	m := im.newMapper(it, im.core["contacts"])
	first, fc := m.take("first_name")
	last, _ := m.take("last_name")
	if first == "" {
		first, last = last, ""
		if first == "" {
			first = it.name
		}
		if fc >= 0 {
			im.rep.Warnings = append(im.rep.Warnings, note(it.row, "no first name: the last name stands in for it"))
		}
	}
	if first == "" {
		first = "Unnamed"
		im.rep.Warnings = append(im.rep.Warnings, note(it.row, "a contact with no name: named \"Unnamed\""))
	}
	m.tb.str("first_name", first)
	if last != "" {
		m.tb.str("last_name", last)
	}
	m.field("title", "title")
	if v, col := m.take("contact_type", "contact_type_name", "type"); v != "" {
		m.used[col] = false
		m.selectOr("contact_type", "", "contact_type", "contact_type_name", "type")
	}
	m.field("important", "important")
	m.field("location", "location", "location_name")
	m.group("emails", map[string][]string{"value": {"value", "email"}, "label": {"label_name", "label"}, "primary": {"primary"}}, "contact_emails", "emails")
	m.group("phones", map[string][]string{"value": {"value", "number"}, "label": {"label_name", "label"}, "extension": {"extension"}, "primary": {"primary"}}, "contact_phones", "phones")
	m.rest()
}

func (im *importer) mapConfiguration(it *item) {
	m := im.newMapper(it, im.core["configurations"])
	if it.name == "" {
		it.name = "Unnamed configuration"
		im.rep.Warnings = append(im.rep.Warnings, note(it.row, "a configuration with no name: named \"Unnamed configuration\""))
	}
	m.take("name")
	m.tb.str("name", it.name)
	m.selectOr("configuration_type", "Other", "configuration_type", "configuration_type_name", "type")
	m.selectOr("status", "", "configuration_status", "configuration_status_name", "status")
	m.field("hostname", "hostname")
	m.field("primary_ip", "primary_ip", "ip_address")
	m.field("location", "location", "location_name")
	m.field("contact", "contact", "contact_name")
	m.field("manufacturer", "manufacturer", "manufacturer_name")
	m.field("model", "model", "model_name")
	m.field("serial_number", "serial_number", "serial")
	m.field("asset_tag", "asset_tag")
	m.field("operating_system", "operating_system", "operating_system_name")
	m.field("purchased_on", "purchased_at", "purchased_on", "purchase_date")
	m.field("warranty_expires", "warranty_expires_at", "warranty_expires", "warranty_expiry")
	m.field("installed_by", "installed_by")
	m.group("interfaces", map[string][]string{"name": {"name"}, "ip": {"ip_address", "ip"}, "mac": {"mac_address", "mac"}, "primary": {"primary"}},
		"configuration_interfaces", "interfaces")
	m.rest()
}

func (im *importer) mapDomain(it *item) {
	m := im.newMapper(it, im.core["domains"])
	m.field("name", "name")
	if !m.set["name"] {
		m.tb.str("name", fallbackName(it.name, "Unnamed domain"))
	}
	m.field("registrar", "registrar", "registrar_name")
	m.field("dns_host", "dns_host", "dns_provider")
	m.field("nameservers", "nameservers", "name_servers")
	m.field("auto_renew", "auto_renew")
	m.field("expires_on", "expires_on", "expires_at", "expiration_date")
	m.rest()
}

func (im *importer) mapCertificate(it *item) {
	m := im.newMapper(it, im.core["ssl-certificates"])
	m.field("name", "common_name", "name")
	if !m.set["name"] {
		m.tb.str("name", fallbackName(it.name, "Unnamed certificate"))
	}
	m.field("subject_alternative_names", "subject_alternative_names", "sans", "alt_names")
	m.field("issuer", "issued_by", "issuer")
	m.field("valid_from", "issued_at", "valid_from", "issued_on")
	m.field("expires_on", "expires_at", "expires_on", "expiration_date")
	m.field("key_type", "key_type")
	m.field("auto_renew", "auto_renew", "auto_renews")
	if cert := certOf(it.row); cert != nil {
		// The certificate itself says what the columns left out.
		if !m.set["expires_on"] {
			m.tb.raw("expires_on", cert.NotAfter.UTC().Format("2006-01-02"))
			m.set["expires_on"] = true
		}
		if !m.set["valid_from"] {
			m.tb.raw("valid_from", cert.NotBefore.UTC().Format("2006-01-02"))
			m.set["valid_from"] = true
		}
		if !m.set["issuer"] && cert.Issuer.CommonName != "" {
			m.tb.str("issuer", oneLine(cert.Issuer.CommonName))
			m.set["issuer"] = true
		}
		if !m.set["subject_alternative_names"] && len(cert.DNSNames) > 0 {
			m.tb.strs("subject_alternative_names", cert.DNSNames)
			m.set["subject_alternative_names"] = true
		}
	}
	if !m.set["expires_on"] {
		im.rep.Warnings = append(im.rep.Warnings, note(it.row, fmt.Sprintf("certificate %q has no expiry date in the export: cairn check asks for expires_on; add it by hand", it.name)))
	}
	m.rest()
}

// certOf returns the first PEM certificate in a row's cells, or nil.
func certOf(r row) *x509.Certificate {
	for _, c := range r.fields {
		i := strings.Index(c, "-----BEGIN CERTIFICATE-----")
		if i < 0 {
			continue
		}
		if b, _ := pem.Decode([]byte(strings.ReplaceAll(c[i:], "\r\n", "\n"))); b != nil {
			if cert, err := x509.ParseCertificate(b.Bytes); err == nil {
				return cert
			}
		}
	}
	return nil
}

func fallbackName(name, def string) string {
	if strings.TrimSpace(name) == "" {
		return def
	}
	return name
}
