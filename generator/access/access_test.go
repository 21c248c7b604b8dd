package access_test

import (
	"reflect"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
)

// doorSite has two clients and a shared vendors organization. Portal
// "acme" sees acme (but not its passwords) and vendors; portal "other"
// sees other only. A hidden password item of acme refers to an attachment
// that nothing visible refers to.
var doorSite = map[string]string{
	"access.toml": `[groups.acme]
orgs = ["acme", "vendors"]
deny = ["acme/passwords"]

[groups.other]
orgs = ["other"]

[portals.acme]
groups = ["acme"]

[portals.other]
groups = ["other"]
`,
	"content/acme/org.toml":    "name = \"Acme\"\nquick_notes = \"Map: [plan](files/plan.pdf)\"\n",
	"content/other/org.toml":   "name = \"Other\"\n",
	"content/vendors/org.toml": "name = \"Vendors\"\nshared = true\n",
	"content/acme/configurations/sv1.toml": `name = "sv1"
configuration_type = "Server"
related = ["vendors/contacts/rep"]
`,
	"content/acme/passwords/admin.toml": `name = "Admin"
notes = "Recovery codes: [codes](../files/recovery.txt), on [[configurations/sv1]]"
`,
	"content/acme/documents/run.md":   "+++\ntitle = \"Run\"\n+++\n\n[[configurations/sv1]], [[vendors/contacts/rep]], [LAN](../files/lan%20map.pdf), [admin](../passwords/admin.toml)\n",
	"content/acme/files/lan map.pdf":  "%PDF-1.4\n",
	"content/acme/files/plan.pdf":     "%PDF-1.4\n",
	"content/acme/files/recovery.txt": "not for the portal\n",
	"content/vendors/contacts/rep.toml": `first_name = "Rep"
`,
	"content/other/configurations/x1.toml": "name = \"x1\"\nconfiguration_type = \"Workstation\"\n",
}

func openDoor(t *testing.T) *model.Site {
	t.Helper()
	files := map[string]string{}
	for k, v := range doorSite {
		files[k] = v
	}
	s := openSite(t, files)
	if s.Item("acme/documents/run") == nil || s.Graph.Files("acme/documents/run") == nil {
		t.Fatal("the test site did not load or check as meant")
	}
	return s
}

func TestViewAnswersOnlyForWhatThePortalSees(t *testing.T) {
	s := openDoor(t)
	v := view(t, s, "acme")
	const doc, admin = "acme/documents/run", "acme/passwords/admin"

	for _, id := range []string{"other/configurations/x1", admin} {
		if v.Item(id) != nil || v.CanSee(id) || v.Attachments(id) != nil {
			t.Errorf("portal acme reaches hidden item %s", id)
		}
	}
	if v.Org("other") != nil || v.CanSeeOrg("other") {
		t.Error("portal acme reaches organization other")
	}
	if v.Item(doc) == nil || v.Org("vendors") == nil {
		t.Fatal("portal acme misses what it may see")
	}

	// A hidden item's references resolve to nothing, even to a visible target.
	if _, ok := v.Resolve(admin, model.RefID, "configurations/sv1"); ok {
		t.Error("a reference written in a hidden item resolves")
	}
	// A visible item's reference to a hidden one resolves to nothing.
	if _, ok := v.Resolve(doc, model.RefPath, "../passwords/admin.toml"); ok {
		t.Error("a link to a hidden item resolves")
	}
	if got, ok := v.Resolve(doc, model.RefID, "vendors/contacts/rep"); !ok || got.ID != "vendors/contacts/rep" {
		t.Errorf("wiki link into the shared org: %+v, %v", got, ok)
	}
	// The checker stored the decoded path once; the renderer asks with the
	// text as written.
	if got, ok := v.Resolve(doc, model.RefPath, "../files/lan%20map.pdf"); !ok || got.File != "acme/files/lan map.pdf" {
		t.Errorf("link to an attachment: %+v, %v", got, ok)
	}
	if got, ok := v.Resolve("acme", model.RefPath, "files/plan.pdf"); !ok || got.File != "acme/files/plan.pdf" {
		t.Errorf("link in quick notes: %+v, %v", got, ok)
	}

	if want := []string{"acme/files/lan map.pdf", "acme/files/plan.pdf"}; !reflect.DeepEqual(v.Files(), want) {
		t.Errorf("Files = %q, want %q (recovery.txt is referred to by a hidden item only)", v.Files(), want)
	}
	for _, p := range []string{"acme/files/recovery.txt", "../cairn.toml", "acme/files/../../../cairn.toml", "other/org.toml"} {
		if b, err := v.ReadFile(p); err == nil {
			t.Errorf("ReadFile(%q) returned %d bytes; the view must refuse it", p, len(b))
		}
	}
	if b, err := v.ReadFile("acme/files/lan map.pdf"); err != nil || string(b) != "%PDF-1.4\n" {
		t.Errorf("ReadFile of a visible attachment: %q, %v", b, err)
	}

	// Links and backlinks list visible ends only: the shared contact's
	// backlinks in portal other are empty, in portal acme they hold acme's.
	if got := view(t, s, "other").Backlinks("vendors/contacts/rep"); len(got) != 0 {
		t.Errorf("portal other sees backlinks %v", got)
	}
	var from []string
	for _, l := range v.Backlinks("vendors/contacts/rep") {
		from = append(from, l.From)
	}
	if want := []string{"acme/configurations/sv1", doc}; !reflect.DeepEqual(from, want) {
		t.Errorf("backlinks of the vendor contact in portal acme: %q, want %q", from, want)
	}
}

// TestLinksSeqIsLinks: LinksSeq yields what Links returns, in order, for
// every item and organization in every portal, hidden ones included
// (whose visible links Links lists too), and stops when told.
func TestLinksSeqIsLinks(t *testing.T) {
	s := openDoor(t)
	ids := []string{}
	for _, it := range s.Items {
		ids = append(ids, it.ID)
	}
	for _, o := range s.Orgs {
		ids = append(ids, o.Slug)
	}
	links := 0
	for _, portal := range access.Portals(s) {
		v := view(t, s, portal)
		for _, id := range ids {
			var got []model.Link
			for l := range v.LinksSeq(id) {
				got = append(got, *l)
			}
			if want := v.Links(id); !reflect.DeepEqual(got, want) {
				t.Errorf("portal %s, %s: LinksSeq gave %v, Links %v", portal, id, got, want)
			}
			links += len(got)
			for range v.LinksSeq(id) {
				break // must not panic: the iterator stops
			}
		}
	}
	if links == 0 {
		t.Fatal("the test site has no visible links: the test proves nothing")
	}
}
