package secrets

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// TestCheckSiteParsedReadsNoFileAgain: given the structural check's
// parse (sopsfile.CheckSiteFiles, as site.Open runs it), the recipients
// check finds exactly what it finds reading each file itself, and it
// still finds it with the files gone from disk: it parsed none again.
func TestCheckSiteParsedReadsNoFileAgain(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	root := newSite(t, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient})
	core, err := schema.LoadCore()
	if err != nil {
		t.Fatal(err)
	}
	var pw *schema.Schema
	for _, c := range core {
		if c.Type == "passwords" {
			pw = c
		}
	}
	if pw == nil {
		t.Fatal("no core schema passwords")
	}
	s := &model.Site{Root: root}
	for i, name := range []string{"a", "b", "c"} {
		rel := "content/acme/passwords/" + name + ".sops.yaml"
		f := NewFile()
		f.Set("password", "Tr0ub4dor&3")
		// b's file is encrypted for b alone, whom the rule does not name.
		rules := [][2]string{{`.*`, a.recipient}, {`.*`, b.recipient}}[i%2]
		writeRules(t, root, rules)
		if err := store(root, nil).Save(rel, f); err != nil {
			t.Fatal(err)
		}
		s.Items = append(s.Items, &model.Item{ID: "acme/passwords/" + name, Type: "passwords", Schema: pw, Secrets: rel})
	}
	writeRules(t, root, [2]string{`^content/acme/.*\.sops\.yaml$`, a.recipient})
	read := func(rel string) ([]byte, error) { return sitefs.ReadFile(root, rel, sitefs.MaxSourceFile) }
	structural, files := sopsfile.CheckSiteFiles(s, read)
	if n := len(structural.Sorted()); n != 0 {
		t.Fatalf("structural check: %d findings, want none", n)
	}
	ctx := context.Background()
	want := CheckSite(ctx, s, nil).Sorted()
	if len(want) != 2 {
		t.Fatalf("CheckSite: %d findings, want 2 (b's extra and missing recipient)", len(want))
	}
	for _, d := range want {
		if d.Code != "secrets-recipients" || d.Pos.File != "content/acme/passwords/b.sops.yaml" {
			t.Fatalf("CheckSite: %+v, want secrets-recipients findings for b", d)
		}
	}
	if got := CheckSiteParsed(ctx, s, nil, files).Sorted(); !reflect.DeepEqual(got, want) {
		t.Errorf("CheckSiteParsed: %+v\nwant %+v", got, want)
	}
	for _, it := range s.Items {
		if err := os.Remove(filepath.Join(root, it.Secrets)); err != nil {
			t.Fatal(err)
		}
	}
	if got := CheckSiteParsed(ctx, s, nil, files).Sorted(); !reflect.DeepEqual(got, want) {
		t.Errorf("CheckSiteParsed with the files gone: %+v\nwant %+v (it read them again)", got, want)
	}
}
