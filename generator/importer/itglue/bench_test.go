package itglue

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBigExport writes a fictional export of rows CSV rows over 50
// organizations (locations, contacts, configurations, passwords, domains,
// two flexible types) and docs HTML documents with an image each.
func writeBigExport(t testing.TB, dir string, rows, docs int) {
	t.Helper()
	const orgs = 50
	write := func(name string, header []string, n int, rec func(i int) []string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		w.Write(header)
		for i := 0; i < n; i++ {
			w.Write(rec(i))
		}
		w.Flush()
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	org := func(i int) string { return fmt.Sprintf("Client %02d", i%orgs) }
	write("organizations.csv", []string{"id", "name", "organization_type", "organization_status", "quick_notes"}, orgs, func(i int) []string {
		return []string{fmt.Sprint(i), org(i), "Client", "Active", "<p>Call the <b>office</b> first.</p>"}
	})
	n := rows - orgs - docs
	share := map[string]int{"locations": n / 20, "contacts": n / 5, "configurations": n * 3 / 10, "passwords": n / 5, "domains": n / 20, "email": n / 10}
	share["active-directory"] = n - share["locations"] - share["contacts"] - share["configurations"] - share["passwords"] - share["domains"] - share["email"]
	write("locations.csv", []string{"id", "organization", "name", "city", "phone", "notes"}, share["locations"], func(i int) []string {
		return []string{fmt.Sprint(10_000 + i), org(i), fmt.Sprintf("Site %d", i), "Springfield", "+1 555 0100", "Back door"}
	})
	write("contacts.csv", []string{"id", "organization", "first_name", "last_name", "title", "location", "contact_emails"}, share["contacts"], func(i int) []string {
		return []string{fmt.Sprint(20_000 + i), org(i), "Pat", fmt.Sprintf("Person%d", i), "Staff", fmt.Sprintf("Site %d", i%share["locations"]),
			fmt.Sprintf(`[{"value":"p%d@example.com","label_name":"Work","primary":true}]`, i)}
	})
	write("configurations.csv", []string{"id", "organization", "name", "configuration_type", "primary_ip", "location", "serial_number", "notes", "configuration_interfaces"}, share["configurations"], func(i int) []string {
		return []string{fmt.Sprint(30_000 + i), org(i), fmt.Sprintf("host-%d", i), "Server", fmt.Sprintf("192.0.2.%d", i%250+1), fmt.Sprintf("Site %d", i%share["locations"]),
			fmt.Sprintf("SN%07d", i), "<p>Rack <i>2</i></p>", fmt.Sprintf(`[{"name":"eth0","ip_address":"192.0.2.%d","primary":true}]`, i%250+1)}
	})
	write("passwords.csv", []string{"id", "organization", "name", "password_category", "resource_type", "resource_id", "username", "password", "otp_secret"}, share["passwords"], func(i int) []string {
		rt, rid := "", ""
		if i%10 == 0 {
			rt, rid = "Configuration", fmt.Sprint(30_000+i%share["configurations"])
		}
		return []string{fmt.Sprint(40_000 + i), org(i), fmt.Sprintf("Login %d", i), "Administrator", rt, rid, "admin", fmt.Sprintf("pw-%d-secret", i), ""}
	})
	write("domains.csv", []string{"id", "organization", "name", "registrar_name", "expires_on"}, share["domains"], func(i int) []string {
		return []string{fmt.Sprint(50_000 + i), org(i), fmt.Sprintf("d%d.example.com", i), "Example Registrar", "2027-01-01"}
	})
	write("email.csv", []string{"id", "organization", "Name", "Provider", "Mailboxes", "Admin URL"}, share["email"], func(i int) []string {
		return []string{fmt.Sprint(60_000 + i), org(i), fmt.Sprintf("Mail %d", i), []string{"M365", "Google", "Other"}[i%3], fmt.Sprint(i % 90), "https://admin.example.com"}
	})
	write("active-directory.csv", []string{"id", "organization", "Domain Name", "Domain Controllers", "Recycle Bin", "Last Health Check"}, share["active-directory"], func(i int) []string {
		return []string{fmt.Sprint(70_000 + i), org(i), fmt.Sprintf("ad%d.example.com", i), fmt.Sprintf("host-%d", i%share["configurations"]), "Yes", "2026-10-01"}
	})
	write("documents.csv", []string{"id", "name", "organization", "archived"}, docs, func(i int) []string {
		return []string{fmt.Sprint(80_000 + i), fmt.Sprintf("Procedure %d", i), org(i), "No"}
	})
	for i := 0; i < docs; i++ {
		d := filepath.Join(dir, "documents", fmt.Sprintf("Folder %d", i%7), fmt.Sprintf("DOC-%d-%d Procedure %d", i%orgs, 80_000+i, i))
		os.MkdirAll(d, 0o755)
		next := 80_000 + (i+orgs)%docs
		html := fmt.Sprintf("<h1>Procedure %d</h1><p>See <a href=\"https://x.itglue.com/%d/docs/%d\">the next one</a>.</p><p><img src=\"shot.png\"></p>%s",
			i, i%orgs, next, strings.Repeat("<p>Step with <b>bold</b> text and a list:</p><ul><li>one</li><li>two</li></ul>", 20))
		os.WriteFile(filepath.Join(d, fmt.Sprintf("Procedure %d.html", i)), []byte(html), 0o644)
		os.WriteFile(filepath.Join(d, "shot.png"), []byte("\x89PNG\r\n\x1a\nfictional"), 0o644)
	}
}

// TestWriteBenchExport writes the benchmark export to $CAIRN_BENCH_EXPORT
// for measuring the command as a whole (docs/performance.md); it does
// nothing otherwise.
func TestWriteBenchExport(t *testing.T) {
	dir := os.Getenv("CAIRN_BENCH_EXPORT")
	if dir == "" {
		t.Skip("set CAIRN_BENCH_EXPORT=DIR to write the 20,000-row benchmark export")
	}
	os.MkdirAll(dir, 0o755)
	writeBigExport(t, dir, 20_000, 500)
}

// BenchmarkImport20k imports an export of 20,000 rows and 500 documents
// into a new site.
func BenchmarkImport20k(b *testing.B) {
	exp := b.TempDir()
	writeBigExport(b, exp, 20_000, 500)
	k := newKey(b)
	for b.Loop() {
		b.StopTimer()
		dir := newSite(b)
		b.StartTimer()
		runImport(b, exp, dir, k, nil)
	}
}
