// Package itgluetest gives tests the fixture IT Glue export, testdata/basic
// beside package itglue, complete: the repository holds it without key
// material, and Export adds, in a copy, a certificate and its private key
// made at that moment. No private key is ever committed, yet the import's
// tests still see what a real export holds (a PEM key beside a
// certificate, a secret the import must keep out of plain text).
package itgluetest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/csv"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Source is the folder of the committed fixture export.
func Source() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "basic")
}

// The certificate row Export completes: ssl-certificates.csv's row of
// this id gets a self-signed certificate with these names and dates in
// its certificate column and the certificate's key in private_key.
const (
	certRowID = "52"
	certName  = "mail.acme.example.com"
)

var (
	certNames     = []string{certName, "smtp.acme.example.com"}
	certNotBefore = time.Date(2026, 11, 30, 4, 47, 10, 0, time.UTC)
	certNotAfter  = time.Date(2028, 1, 4, 4, 47, 10, 0, time.UTC)
)

// Basic returns a folder holding the complete fixture export, made for
// this test (under t.TempDir()). Call it once per test and pass the folder
// on: each call makes a new key, so two calls give two exports that
// differ in it.
func Basic(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if err := Export(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Secrets returns the secret values of the export in dir, as canaries a
// test looks for outside SOPS files: the password and OTP cells of
// passwords.csv, the secrets its notes and documents hold in plain text,
// and a line of the private key beside the certificate.
func Secrets(t testing.TB, dir string) []string {
	t.Helper()
	passwords := readCSV(t, filepath.Join(dir, "passwords.csv"))
	pw, otp := column(passwords[0], "password"), column(passwords[0], "otp_secret")
	var out []string
	for _, r := range passwords[1:] {
		for _, i := range []int{pw, otp} {
			if i >= 0 && r[i] != "" {
				out = append(out, r[i])
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("the fixture export has %d password and OTP values", len(out))
	}
	out = append(out, "CANARY-Notes7x!q", "CANARY-Doc#2026zz")
	certs := readCSV(t, filepath.Join(dir, "ssl-certificates.csv"))
	key := column(certs[0], "private_key")
	for _, r := range certs[1:] {
		if lines := strings.Split(r[key], "\n"); r[0] == certRowID && len(lines) > 2 {
			return append(out, lines[1])
		}
	}
	t.Fatalf("the fixture export has no private key in row %s of ssl-certificates.csv", certRowID)
	return nil
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %d rows, %v", path, len(rows), err)
	}
	return rows
}

// Export writes the complete fixture export into dir, which must not
// exist: the committed files, and in ssl-certificates.csv a certificate
// and its private key made now.
func Export(dir string) error {
	if err := os.CopyFS(dir, os.DirFS(Source())); err != nil {
		return fmt.Errorf("copying the fixture export: %w", err)
	}
	certPEM, keyPEM, err := certificate()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "ssl-certificates.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	certCol, keyCol := column(rows[0], "certificate"), column(rows[0], "private_key")
	if certCol < 0 || keyCol < 0 {
		return fmt.Errorf("%s: no certificate or private_key column", path)
	}
	done := false
	for _, r := range rows[1:] {
		if r[0] == certRowID {
			r[certCol], r[keyCol], done = certPEM, keyPEM, true
		}
	}
	if !done {
		return fmt.Errorf("%s: no row %s to give a certificate", path, certRowID)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

func column(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// certificate makes a P-256 key and a self-signed certificate for it, and
// returns both as PEM.
func certificate() (certPEM, keyPEM string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(52),
		Subject:               pkix.Name{CommonName: certName},
		DNSNames:              certNames,
		NotBefore:             certNotBefore,
		NotAfter:              certNotAfter,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", fmt.Errorf("making the fixture certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	// As IT Glue writes them in a cell: no line break after the last line.
	certPEM = strings.TrimSuffix(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), "\n")
	keyPEM = strings.TrimSuffix(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})), "\n")
	return certPEM, keyPEM, nil
}
