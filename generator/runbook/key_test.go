package runbook

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/cairn-it/cairn/generator/expiry"
)

// viewsAccess adds three portals to the test site: "copy" sees what
// "internal" sees under the same title, "less" the same but the muller
// domain item.
const viewsAccess = `
[groups.staff]
orgs = ["*"]

[groups.secops]
orgs = ["*"]

[groups.nodomains]
orgs = ["*"]
deny = ["muller/domains"]

[portals.internal]
title = "Technicians"
groups = ["staff"]

[portals.copy]
title = "Technicians"
groups = ["staff"]

[portals.less]
title = "Technicians"
groups = ["nodomains"]
`

// viewsSite writes the test site with viewsAccess and the files given
// (replacing the site's).
func viewsSite(t *testing.T, extra map[string]string) string {
	t.Helper()
	root := testSite(t)
	writeFiles(t, root, map[string]string{"access.toml": viewsAccess})
	writeFiles(t, root, extra)
	return root
}

// TestViewKey: the key is the same for the same view and options, and
// differs when anything the book prints differs: the portal's name, an
// item the portal does not see, a linked item in another organization,
// the as-of date, the commit. An edit the book cannot show (an item of
// another client) leaves it alone.
func TestViewKey(t *testing.T) {
	root := viewsSite(t, nil)
	opts := Options{AsOf: asOf, Commit: "0123456789abcdef", Portal: "internal"}
	internal := openView(t, root, "internal")
	base := ViewKey(internal, "muller", opts)
	if base == "" || base != ViewKey(openView(t, root, "internal"), "muller", opts) {
		t.Fatalf("key %q of the same view and options is not stable", base)
	}
	copyOpts := opts
	copyOpts.Portal = "copy"
	cp := openView(t, root, "copy")
	if ViewKey(cp, "muller", copyOpts) == base {
		t.Error("portals copy and internal have one key, but the book prints the portal's name")
	}
	if layoutKey(cp, "muller", copyOpts) != layoutKey(internal, "muller", opts) {
		t.Error("portals copy and internal see the same, but their layout keys differ")
	}
	lessOpts := opts
	lessOpts.Portal = "internal" // the same name: only the view differs
	less := openView(t, root, "less")
	if ViewKey(less, "muller", lessOpts) == base {
		t.Error("a view without the domain item has the key of one with it")
	}
	if bytes.Equal(render(t, less, "muller", lessOpts), render(t, internal, "muller", opts)) {
		t.Error("a view without the domain item gives the same PDF as one with it")
	}
	next := opts
	next.AsOf = asOf.AddDate(0, 0, 1)
	commit := opts
	commit.Commit = "fedcba9876543210"
	for name, o := range map[string]Options{"as-of date": next, "commit": commit} {
		if ViewKey(internal, "muller", o) == base {
			t.Errorf("another %s has the same key", name)
		}
	}
	if ViewKey(internal, "nobody", opts) != "" {
		t.Error("an organization the view does not have has a key")
	}
	withSecrets := opts
	withSecrets.Secrets = SecretSourceFunc(nil)
	if ViewKey(internal, "muller", withSecrets) != "" {
		t.Error("a book with secret values has a key")
	}

	// The shared vendor's contact, linked from muller's quick notes, is
	// printed by name: renaming her changes the key. Aero's computer is
	// not in muller's book.
	renamed := viewsSite(t, map[string]string{"content/lodz/contacts/zofia.toml": "first_name = \"Zofia\"\nlast_name = \"Nowak\"\nimportant = true\n"})
	if ViewKey(openView(t, renamed, "internal"), "muller", opts) == base {
		t.Error("renaming a linked contact in another organization left the key alone")
	}
	other := viewsSite(t, map[string]string{"content/aero/configurations/ferry-pc.toml": "name = \"ferry-pc-2\"\nconfiguration_type = \"Workstation\"\n"})
	if got := ViewKey(openView(t, other, "internal"), "muller", opts); got != base {
		t.Error("an edit to another client's item changed muller's key")
	}
}

// TestMakerReusesLayouts: a Maker lays out muller's book for portal copy
// once, starting from internal's layout (same view), and the bytes are
// those a fresh Write gives; portal less sees one item less, so its book
// is laid out from scratch and differs.
func TestMakerReusesLayouts(t *testing.T) {
	root := viewsSite(t, nil)
	m := NewMaker()
	books := map[string][]byte{}
	passes := map[string]int{}
	for _, p := range []string{"internal", "copy", "less"} {
		v := openView(t, root, p)
		opts := Options{AsOf: asOf, Portal: p}
		before := m.passes
		var buf bytes.Buffer
		if err := m.Write(context.Background(), &buf, v, "muller", opts); err != nil {
			t.Fatal(err)
		}
		passes[p] = m.passes - before
		books[p] = buf.Bytes()
		if fresh := render(t, v, "muller", opts); !bytes.Equal(buf.Bytes(), fresh) {
			t.Errorf("portal %s: the Maker's book differs from Write's", p)
		}
	}
	want := map[string]int{"internal": 2, "copy": 1, "less": 2}
	for p, n := range want {
		if passes[p] != n {
			t.Errorf("portal %s: %d layout passes, want %d (all: %v)", p, passes[p], n, passes)
		}
	}
	if bytes.Equal(books["less"], books["internal"]) {
		t.Error("portal less's book is internal's")
	}
}

// TestFontsMeasureAsFpdf: the shared width tables give the very float
// fpdf's GetStringWidth gives, for every style, size and kind of text.
func TestFontsMeasureAsFpdf(t *testing.T) {
	f, err := NewFonts()
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMetrics(f)
	if err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	for _, ff := range fontFiles {
		pdf.AddUTF8FontFromBytes(ff.family, ff.style, bytes.Clone(ff.ttf))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", " ", "Müller Maschinenbau GmbH", "fw-łódź · 192.0.2.1", "Ærøskøbing — “quoted”", "\u00a0\u200b\ufffd", "日本語"}
	for i := 0; i < 200; i++ {
		var b strings.Builder
		for j := 0; j < 1+rng.IntN(30); j++ {
			b.WriteRune(rune(32 + rng.IntN(0xFFF0-32)))
		}
		texts = append(texts, b.String())
	}
	for _, st := range []style{0, bold, italic, bold | italic, mono, mono | bold, strike} {
		for _, size := range []float64{7.5, 8.5, 9.5, 10, 17, 26} {
			fam, fs := st.font()
			pdf.SetFont(fam, strings.ReplaceAll(fs, "S", ""), size)
			for _, s := range texts {
				if got, want := m.width(s, st, size), pdf.GetStringWidth(s); got != want {
					t.Fatalf("style %d, %g pt, %q: width %v, fpdf says %v", st, size, s, got, want)
				}
			}
		}
	}
}

// TestExpiriesOfTheBookAsOfTheView: collecting the book's items alone
// lists what collecting every item of the view and keeping the book's
// gave.
func TestExpiriesOfTheBookAsOfTheView(t *testing.T) {
	root := testSite(t)
	for _, p := range []string{"internal", "muller"} {
		v := openView(t, root, p)
		for _, o := range v.Orgs() {
			b, err := newBook(context.Background(), v, o.Slug, Options{AsOf: asOf, IncludeArchived: p == "internal"})
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]bool{}
			for _, it := range b.inBookItems() {
				in[it.ID] = true
			}
			var want []expiry.Entry
			for _, e := range expiry.Expiring(expiry.OfOrg(expiry.Collect(v, nil, b.asOf), o.Slug), v.Config().ExpiryWindowDays) {
				if in[e.ID] {
					want = append(want, e)
				}
			}
			if !slices.EqualFunc(b.expiringList, want, func(a, c expiry.Entry) bool { return a == c }) {
				t.Errorf("portal %s, %s: expiring %v, want %v", p, o.Slug, b.expiringList, want)
			}
		}
	}
}
