package secrets

import (
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/sopsfile"
)

// TestRecipientsFromOneParse: the recipients sopsfile.CheckRecipients
// reads from its own parse of a secrets file are the SOPS library's
// (RecipientsOf), for a file SOPS wrote and for thousands of variants
// made by editing its lines (metadata keys removed, added, repeated or
// retyped, values made mappings, anchors, other key types); whenever it
// says it knows them, the library reads the file without error and lists
// the same. So check's recipients findings are those of before.
func TestRecipientsFromOneParse(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient + "," + b.recipient})
	f := NewFile()
	f.Set("password", "Tr0ub4dor&3")
	f.Set("otp_secret", "JBSWY3DPEHPK3PXP")
	if err := store(root, nil).Save(rel, f); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	probs, got, known := sopsfile.CheckRecipients(data)
	want, err := RecipientsOf(rel, data)
	if len(probs) > 0 || !known || err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("file SOPS wrote: problems %v, known %v, recipients %v; SOPS: %v, %v", probs, known, got, want, err)
	}
	lines := strings.Split(string(data), "\n")
	extra := []string{
		"    pgp: []", "    kms: []", "    key_groups: []", "    shamir_threshold: 2", "    lastmodified: 2026-11-23T14:25:35Z",
		`    lastmodified: "yesterday"`, "    mac: 3", "    version: 3.13.3", "    unencrypted_suffix: _plain", "    encrypted_regex: ^x$",
		"    age: []", "    age:", "        - recipient: age1x", "          enc: x", "          recipient: age1y", "        - &a",
		"    x: y", "other: !!binary aGk=", "other: {a: 1}", "other: [1]", "1: x", "password: again", "sops: x", "&s sops:", "    - a",
		"          extra: x", "    age: *a", "    lastmodified: null", "",
	}
	rnd := rand.New(rand.NewSource(3))
	compared, fast := 0, 0
	for n := 0; n < 3000; n++ {
		v := append([]string{}, lines...)
		for k := 1 + rnd.Intn(3); k > 0; k-- {
			i := rnd.Intn(len(v))
			switch rnd.Intn(3) {
			case 0:
				v = append(v[:i], v[i+1:]...)
			case 1:
				v = append(v[:i], append([]string{extra[rnd.Intn(len(extra))]}, v[i:]...)...)
			default:
				v[i] = extra[rnd.Intn(len(extra))]
			}
		}
		text := []byte(strings.Join(v, "\n"))
		probs, got, known := sopsfile.CheckRecipients(text)
		if len(probs) > 0 {
			continue // check skips the file: the structural check reports it
		}
		compared++
		if !known {
			continue // check asks the SOPS library, as before
		}
		fast++
		want, err := RecipientsOf(rel, text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("file:\n%s\nfrom one parse %v; SOPS: %v, %v", text, got, want, err)
		}
	}
	t.Logf("%d sound variants, %d read from one parse", compared, fast)
	if fast < 300 || compared-fast < 100 {
		t.Fatalf("%d sound variants, %d read from one parse: the test compares too little", compared, fast)
	}
}
