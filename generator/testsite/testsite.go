// Package testsite writes synthetic cairn sites for tests and benchmarks:
// realistic in shape (several organizations, every core type, flexible
// assets from the project's default schemas, documents that link to each
// other) and valid, so `cairn check` reports nothing on them. The same
// options always write the same bytes.
//
// A site of opts.Items items has:
//
//   - opts.Orgs organizations: the first is the MSP itself ("internal",
//     shared = true), the second a shared "vendors" organization, the rest
//     clients; every one has at least one item of each type while there are
//     items enough;
//   - items of every core type (configurations, contacts, locations,
//     passwords with a <slug>.sops.yaml beside some, domains,
//     ssl-certificates, documents in nested folders with index.md pages,
//     checklists that follow root checklist templates) and of several
//     flexible types (backup, email, lan, active-directory, applications,
//     site-summary, vendors, when schemas/ has them), their values generated
//     from the schemas: every required field set, select values among the
//     options, numbers in range, tag fields pointing to existing items of an
//     allowed type in the same organization or a shared one;
//   - Markdown (document bodies, notes, textbox fields) with [[wiki links]]
//     (some with #anchors), relative links between documents and to
//     attachments under files/, and same-page #anchor links;
//   - related = [...] lists, including links into the shared organizations;
//   - access.toml with groups, users and portals.
//
// Expiry dates lie in 2031 and later, so a check measured against any
// earlier day has no expiry warnings either.
package testsite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/schemas"
)

// Options say what site to write.
type Options struct {
	// Items is the number of items (documents, checklists, core items and
	// flexible assets; not org.toml files or templates) written, exactly.
	Items int
	// Orgs is the number of organizations, at least 1; 0 means one per 500
	// items plus the two shared ones (at least 3).
	Orgs int
	// Seed makes the choices (names, values, link targets); the same
	// options write the same site.
	Seed int64
	// FlexTypes names the flexible asset types items are made of (schema
	// slugs from the project's schemas/); nil means DefaultFlexTypes. Types
	// missing from the embedded schemas are skipped. Every default schema
	// is written to schemas/ whatever this says.
	FlexTypes []string
	// Portals is the number of portals access.toml declares, in this
	// order: internal (staff: every organization), helpdesk (every
	// organization but passwords), then one per client organization. 0
	// means the default: internal, helpdesk and the first five clients'.
	// 1 is a single internal portal that sees everything. More portals
	// than internal, helpdesk and the clients is an error.
	Portals int
}

// DefaultFlexTypes are the flexible asset types a site uses unless
// Options.FlexTypes says otherwise.
var DefaultFlexTypes = []string{"active-directory", "applications", "backup", "email", "lan", "site-summary", "vendors"}

// ErrNotEmpty is returned when the target folder holds files already.
var ErrNotEmpty = errors.New("testsite: the folder is not empty")

// Write writes a site into dir, which must be absent or empty. It is safe
// to call from several goroutines with different folders.
func Write(dir string, opts Options) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	if opts.Items < 0 {
		return fmt.Errorf("testsite: Items must be 0 or more, got %d", opts.Items)
	}
	if opts.Portals < 0 {
		return fmt.Errorf("testsite: Portals must be 0 or more, got %d", opts.Portals)
	}
	g, err := newGen(opts)
	if err != nil {
		return err
	}
	g.plan()
	files := g.files()
	// Create every folder once, then write the files in name order.
	dirs := map[string]bool{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
		dirs[path.Dir(name)] = true
	}
	sort.Strings(names)
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return fmt.Errorf("testsite: %w", err)
		}
	}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), files[name], 0o644); err != nil {
			return fmt.Errorf("testsite: %w", err)
		}
	}
	return nil
}

// org is one planned organization.
type org struct {
	slug, name, kind string
	shared           bool
	items            []*item
	byType           map[string][]*item
	docFolders       []string
}

// item is one planned item.
type item struct {
	org  *org
	typ  string // type folder: "configurations", "assets/backup", "documents"
	slug string // below the type folder; "sops/x" or "sops" (index) for documents
	file string // relative to the site root
	idx  int
}

func (it *item) id() string { return it.org.slug + "/" + it.typ + "/" + it.slug }

type gen struct {
	opts      Options
	rng       *rand.Rand
	core      map[string]*schema.Schema
	flex      []*schema.Schema
	flexFiles map[string][]byte
	orgs      []*org
	templates []string
	seq       int
}

func newGen(opts Options) (*gen, error) {
	if opts.Orgs <= 0 {
		opts.Orgs = opts.Items/500 + 2
		if opts.Orgs < 3 {
			opts.Orgs = 3
		}
	}
	if most := 2 + max(0, opts.Orgs-2); opts.Portals > most {
		return nil, fmt.Errorf("testsite: %d portals asked for, but %d organizations give at most %d (internal, helpdesk and one per client)", opts.Portals, opts.Orgs, most)
	}
	if opts.FlexTypes == nil {
		opts.FlexTypes = DefaultFlexTypes
	}
	g := &gen{opts: opts, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x636169726e)), core: map[string]*schema.Schema{}, flexFiles: map[string][]byte{}}
	core, err := schema.LoadCore()
	if err != nil {
		return nil, err
	}
	for _, s := range core {
		g.core[s.Type] = s
	}
	// Every default schema is written (their tag fields target each
	// other); items are made of the types opts.FlexTypes names.
	entries, err := fs.ReadDir(schemas.Defaults, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if slug, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() {
			data, err := fs.ReadFile(schemas.Defaults, e.Name())
			if err != nil {
				return nil, err
			}
			g.flexFiles[slug] = data
		}
	}
	for _, slug := range opts.FlexTypes {
		data, ok := g.flexFiles[slug]
		if !ok {
			continue // not (yet) among the project's schemas
		}
		s, probs := schema.Parse("schemas/"+slug+".toml", data, slug, false)
		if len(probs) > 0 || s == nil {
			continue
		}
		g.flex = append(g.flex, s)
	}
	return g, nil
}

func (g *gen) pick(n int) int { return g.rng.IntN(n) }

func pickOne[T any](g *gen, xs []T) T { return xs[g.rng.IntN(len(xs))] }

var (
	orgWords   = []string{"bright", "smile", "ferrum", "harlow", "pike", "cedar", "summit", "harbor", "maple", "granite", "orchid", "atlas", "beacon", "copper", "delta", "ember", "falcon", "glacier", "juniper", "kestrel", "lumen", "meridian", "nimbus", "oak", "quarry", "river", "sable", "tundra", "violet", "willow"}
	orgSuffix  = []string{"dental", "precision", "law", "clinic", "logistics", "foods", "design", "realty", "school", "labs"}
	firstNames = []string{"dana", "sam", "lena", "priya", "marcus", "ines", "karen", "jo", "mei", "arjun", "tom", "zofia", "noah", "ava", "liam", "emma", "omar", "yuki", "ravi", "sofia"}
	lastNames  = []string{"kim", "okafor", "fischer", "nair", "webb", "garcia", "li", "ramirez", "tanaka", "mehta", "becker", "wojcik", "smith", "jones", "novak", "silva", "haddad", "ito", "khan", "rossi"}
	topics     = []string{"backup-restore", "new-starter", "leaver", "vpn-setup", "printer-mapping", "patching", "firewall-change", "dns-change", "mfa-reset", "certificate-renewal", "mailbox-migration", "wifi-guest", "server-reboot", "disaster-recovery", "licence-audit"}
	docFolders = []string{"", "sops", "kb", "policies", "network"}
	hostPrefix = []string{"sv", "ws", "lt", "fw", "sw", "ap", "prn", "nas", "ups"}
	templates  = []string{"onboarding", "offboarding", "monthly-patching"}
)

// typeOrder is the order types are planned in: each org gets one of every
// type first, then the rest by weight.
func (g *gen) typeWeights() ([]string, []int) {
	types := []string{"configurations", "contacts", "locations", "passwords", "domains", "ssl-certificates", "documents", "checklists"}
	weights := []int{25, 15, 3, 10, 4, 4, 22, 4}
	for _, s := range g.flex {
		types = append(types, s.Type)
		weights = append(weights, 13/len(g.flex)+1)
	}
	return types, weights
}

func (g *gen) plan() {
	n := g.opts.Orgs
	used := map[string]bool{}
	for i := 0; i < n; i++ {
		o := &org{byType: map[string][]*item{}}
		switch {
		case i == 0:
			o.slug, o.name, o.kind, o.shared = "msp", "Northwind IT", "internal", true
		case i == 1:
			o.slug, o.name, o.kind, o.shared = "vendors", "Vendors", "vendor", true
		default:
			for {
				o.slug = pickOne(g, orgWords) + "-" + pickOne(g, orgSuffix)
				if i > 60 {
					o.slug += "-" + strconv.Itoa(i)
				}
				if !used[o.slug] {
					break
				}
			}
			o.name = titleCase(o.slug)
			o.kind = "client"
		}
		used[o.slug] = true
		g.orgs = append(g.orgs, o)
	}
	types, weights := g.typeWeights()
	total := 0
	for _, w := range weights {
		total += w
	}
	for i := 0; i < g.opts.Items; i++ {
		o := g.orgs[i%n]
		k := len(o.items)
		var typ string
		if k < len(types) {
			typ = types[k]
		} else {
			r := g.pick(total)
			for j, w := range weights {
				if r < w {
					typ = types[j]
					break
				}
				r -= w
			}
		}
		g.addItem(o, typ)
	}
	// Folder index pages: the first document of each folder becomes its
	// index.md, so folders are items too.
	for _, o := range g.orgs {
		seen := map[string]bool{}
		for _, it := range o.byType["documents"] {
			folder := path.Dir(it.slug)
			if folder == "." || seen[folder] {
				continue
			}
			seen[folder] = true
			it.slug = folder
			it.file = "content/" + o.slug + "/documents/" + folder + "/index.md"
		}
	}
}

func (g *gen) addItem(o *org, typ string) {
	g.seq++
	it := &item{org: o, typ: typ, idx: g.seq}
	var ext = ".toml"
	switch typ {
	case "configurations":
		it.slug = fmt.Sprintf("%s-%s%02d", pickOne(g, hostPrefix), strings.SplitN(o.slug, "-", 2)[0][:2], g.seq)
	case "contacts":
		it.slug = fmt.Sprintf("%s-%s-%d", pickOne(g, firstNames), pickOne(g, lastNames), g.seq)
	case "locations":
		it.slug = fmt.Sprintf("%s-office-%d", pickOne(g, []string{"head", "branch", "plant", "warehouse", "clinic"}), g.seq)
	case "passwords":
		it.slug = fmt.Sprintf("%s-admin-%d", pickOne(g, []string{"domain", "firewall", "m365", "registrar", "nas", "wifi", "rmm"}), g.seq)
	case "domains":
		it.slug = fmt.Sprintf("%s-%d-example", strings.ReplaceAll(o.slug, "-", ""), g.seq)
	case "ssl-certificates":
		it.slug = fmt.Sprintf("%s-%d", pickOne(g, []string{"portal", "mail", "vpn", "www", "remote"}), g.seq)
	case "documents":
		folder := pickOne(g, docFolders)
		it.slug = fmt.Sprintf("%s-%d", pickOne(g, topics), g.seq)
		if folder != "" {
			it.slug = folder + "/" + it.slug
		}
		ext = ".md"
	case "checklists":
		it.slug = fmt.Sprintf("%s-%d", pickOne(g, templates), g.seq)
		ext = ".md"
	default:
		it.slug = fmt.Sprintf("%s-%d", strings.TrimPrefix(typ, "assets/"), g.seq)
	}
	it.file = "content/" + o.slug + "/" + typ + "/" + it.slug + ext
	o.items = append(o.items, it)
	o.byType[typ] = append(o.byType[typ], it)
}

// files renders the whole planned site.
func (g *gen) files() map[string][]byte {
	out := map[string][]byte{
		"cairn.toml": []byte("title = \"Synthetic site\"\noutput = \"public\"\nexpiry_window_days = 30\n"),
	}
	out["access.toml"] = g.access()
	for slug, data := range g.flexFiles {
		out["schemas/"+slug+".toml"] = data
	}
	for _, t := range templates {
		out["checklists/"+t+".md"] = []byte(fmt.Sprintf("+++\ntitle = %q\ncategory = \"SOP\"\n+++\n\n# %s\n\n- [ ] Confirm the request with an approver\n- [ ] Do the work\n- [ ] Update the documentation\n", titleCase(t), titleCase(t)))
	}
	for _, o := range g.orgs {
		out["content/"+o.slug+"/org.toml"] = g.orgFile(o)
		out["content/"+o.slug+"/files/network-diagram.pdf"] = []byte("%PDF-1.4\n% synthetic\n")
		out["content/"+o.slug+"/files/photos/comms-room.jpg"] = []byte("\xff\xd8\xff synthetic")
		for _, it := range o.items {
			if it.typ == "documents" || it.typ == "checklists" {
				out[it.file] = g.markdownItem(it)
			} else {
				out[it.file] = g.tomlItem(it)
			}
			if it.typ == "passwords" {
				out[strings.TrimSuffix(it.file, ".toml")+".sops.yaml"] = []byte(SecretsFile)
			}
		}
	}
	return out
}

func (g *gen) access() []byte {
	var b bytes.Buffer
	b.WriteString("[groups.staff]\ndescription = \"Every technician\"\norgs = [\"*\"]\n\n")
	b.WriteString("[groups.helpdesk]\norgs = [\"*\"]\ndeny = [\"*/passwords\"]\n\n")
	clients := g.portalClients()
	for _, o := range clients {
		fmt.Fprintf(&b, "[groups.%s-staff]\norgs = [%q]\ntypes = [\"configurations\", \"contacts\", \"locations\", \"documents\", \"assets\"]\n\n", o.slug, o.slug)
	}
	b.WriteString("[[users]]\nemail = \"dana@northwind.example\"\nname = \"Dana Kim\"\nrole = \"admin\"\ngroups = [\"staff\"]\n\n")
	b.WriteString("[[users]]\nemail = \"lena@northwind.example\"\nname = \"Lena Fischer\"\nrole = \"editor\"\ngroups = [\"helpdesk\"]\n\n")
	b.WriteString("[portals.internal]\ntitle = \"Internal\"\ngroups = [\"staff\"]\nsecrets = \"none\"\n")
	if g.opts.Portals == 1 {
		return b.Bytes()
	}
	b.WriteString("\n[portals.helpdesk]\ngroups = [\"helpdesk\"]\nsecrets = \"none\"\n")
	if g.opts.Portals > 0 {
		clients = clients[:g.opts.Portals-2]
	}
	for _, o := range clients {
		fmt.Fprintf(&b, "\n[portals.%s]\ntitle = %q\ngroups = [\"%s-staff\"]\n", o.slug, o.name+" IT", o.slug)
	}
	return b.Bytes()
}

// portalClients returns the client organizations that get a group of
// their own: the first five, or as many as Options.Portals needs.
func (g *gen) portalClients() []*org {
	clients := g.orgs[min(2, len(g.orgs)):]
	if n := max(5, g.opts.Portals-2); len(clients) > n {
		clients = clients[:n]
	}
	return clients
}

func (g *gen) orgFile(o *org) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "name = %q\nkind = %q\nstatus = \"active\"\nshared = %t\nshort_name = %q\n", o.name, o.kind, o.shared, strings.ToUpper(o.slug[:3]))
	fmt.Fprintf(&b, "description = %q\n", "Documentation of "+o.name+".")
	b.WriteString("quick_notes = \"\"\"\nCall the office before any visit.")
	if docs := o.byType["documents"]; len(docs) > 0 {
		fmt.Fprintf(&b, " Escalation: [[documents/%s|the escalation SOP]].", docs[0].slug)
	}
	b.WriteString("\n\"\"\"\n\n[[alerts]]\nlevel = \"warning\"\nmessage = \"The comms room door is alarmed.\"\n")
	return b.Bytes()
}

// refTo returns how an item in from's org writes a link to to: the short
// form inside one organization, the full id across.
func refTo(from *org, to *item) string {
	if to.org == from {
		return to.typ + "/" + to.slug
	}
	return to.id()
}

// target picks a link target of one of the types (any type when empty) in
// the item's org or, now and then, in a shared org; nil when there is none.
func (g *gen) target(from *item, types []string) *item {
	var pool []*item
	orgs := []*org{from.org}
	if g.pick(4) == 0 {
		for _, o := range g.orgs {
			if o.shared && o != from.org {
				orgs = append(orgs, o)
			}
		}
	}
	for _, o := range orgs {
		if len(types) == 0 {
			pool = append(pool, o.items...)
			continue
		}
		for _, t := range types {
			if t == "assets" {
				for typ, its := range o.byType {
					if strings.HasPrefix(typ, "assets/") {
						pool = append(pool, its...)
					}
				}
				continue
			}
			pool = append(pool, o.byType[t]...)
		}
	}
	// Never link to itself: not an error, but not realistic either.
	if len(pool) == 0 || (len(pool) == 1 && pool[0] == from) {
		return nil
	}
	for {
		if t := pool[g.pick(len(pool))]; t != from {
			return t
		}
	}
}

func (g *gen) schemaOf(typ string) *schema.Schema {
	if s := g.core[typ]; s != nil {
		return s
	}
	for _, s := range g.flex {
		if s.Type == typ {
			return s
		}
	}
	return nil
}

func (g *gen) tomlItem(it *item) []byte {
	s := g.schemaOf(it.typ)
	var b, tables bytes.Buffer
	if len(s.TitleFields()) == 0 {
		fmt.Fprintf(&b, "name = %q\n", titleCase(it.slug))
	}
	g.fields(&b, &tables, it, s.Fields)
	g.related(&b, it)
	if g.pick(3) == 0 {
		b.WriteString("notes = \"\"\"\n")
		g.paragraph(&b, it)
		b.WriteString("\"\"\"\n")
	}
	b.Write(tables.Bytes())
	return b.Bytes()
}

func (g *gen) markdownItem(it *item) []byte {
	s := g.schemaOf(it.typ)
	var b, tables bytes.Buffer
	b.WriteString("+++\n")
	g.fields(&b, &tables, it, s.Fields)
	g.related(&b, it)
	b.Write(tables.Bytes())
	b.WriteString("+++\n\n")
	title := titleCase(path.Base(it.slug))
	fmt.Fprintf(&b, "# %s\n\n", title)
	if it.typ == "checklists" {
		b.WriteString("Follow the steps in order; tick each one as it is done.\n\n")
		for i := 0; i < 3+g.pick(5); i++ {
			done := " "
			if g.pick(2) == 0 {
				done = "x"
			}
			fmt.Fprintf(&b, "- [%s] Step %d of the run @%s due:%s\n", done, i+1, pickOne(g, firstNames), g.date(2026, 2))
		}
		b.WriteString("\n## Notes\n\n")
		g.paragraph(&b, it)
		return b.Bytes()
	}
	b.WriteString("## Purpose\n\n")
	g.paragraph(&b, it)
	b.WriteString("\n## Steps\n\n")
	for i := 0; i < 2+g.pick(4); i++ {
		fmt.Fprintf(&b, "%d. ", i+1)
		g.sentence(&b, it)
		b.WriteString("\n")
	}
	b.WriteString("\nBefore you start, read [the verification](#verify).\n")
	// A relative link to a sibling document or across folders, and to an
	// attachment.
	if docs := it.org.byType["documents"]; len(docs) > 1 {
		other := docs[g.pick(len(docs))]
		if other != it {
			rel := relPath(path.Dir(it.file), other.file)
			fmt.Fprintf(&b, "See also [%s](%s#steps).\n", titleCase(path.Base(other.slug)), rel)
		}
	}
	fmt.Fprintf(&b, "The [network diagram](%s) shows the layout.\n", relPath(path.Dir(it.file), "content/"+it.org.slug+"/files/network-diagram.pdf"))
	b.WriteString("\n## Verify\n\n")
	g.paragraph(&b, it)
	return b.Bytes()
}

// relPath returns the relative path from folder dir to file, both relative
// to the site root.
func relPath(dir, file string) string {
	r, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(file))
	if err != nil {
		return file
	}
	return filepath.ToSlash(r)
}

func (g *gen) related(b *bytes.Buffer, it *item) {
	n := g.pick(4)
	var refs []string
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		t := g.target(it, nil)
		if t == nil {
			continue
		}
		r := refTo(it.org, t)
		if !seen[r] {
			seen[r] = true
			refs = append(refs, strconv.Quote(r))
		}
	}
	if len(refs) > 0 {
		fmt.Fprintf(b, "related = [%s]\n", strings.Join(refs, ", "))
	}
}

// Sentence returns one of the sentences generated documents are made of,
// chosen by n (any int), so that other generators (the Hugo pages of the
// comparison benchmark) write text of the same kind.
func Sentence(n int) string {
	if n < 0 {
		n = -n
	}
	return sentences[n%len(sentences)]
}

var sentences = []string{
	"Sign in with your named admin account, never a shared one.",
	"Check the monitoring dashboard for open alerts first.",
	"Take a snapshot before any change and note its name in the ticket.",
	"Tell the client's contact when the work starts and when it ends.",
	"Record what changed in the ticket and in this document.",
}

// sentence writes one sentence, sometimes with a wiki link.
func (g *gen) sentence(b *bytes.Buffer, it *item) {
	b.WriteString(pickOne(g, sentences))
	if t := g.target(it, nil); t != nil && g.pick(2) == 0 {
		ref := refTo(it.org, t)
		switch {
		case t.typ == "documents" && g.pick(2) == 0:
			fmt.Fprintf(b, " See [[%s#steps]].", ref)
		case g.pick(2) == 0:
			fmt.Fprintf(b, " It runs on [[%s|%s]].", ref, titleCase(path.Base(t.slug)))
		default:
			fmt.Fprintf(b, " Related: [[%s]].", ref)
		}
	}
}

func (g *gen) paragraph(b *bytes.Buffer, it *item) {
	for i := 0; i < 2+g.pick(2); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		g.sentence(b, it)
	}
	b.WriteByte('\n')
}

// fields writes the values of fields: scalars to b, group records to
// tables (TOML wants them after every top-level key).
func (g *gen) fields(b, tables *bytes.Buffer, it *item, fields []*schema.Field) {
	for _, f := range fields {
		switch f.Kind {
		case schema.Header, schema.Password:
			continue
		case schema.Group:
			if !f.Required && g.pick(3) == 0 {
				continue
			}
			n := 1
			if f.Multiple {
				n = 1 + g.pick(3)
			}
			for i := 0; i < n; i++ {
				fmt.Fprintf(tables, "\n[[%s]]\n", f.Name)
				var sub, none bytes.Buffer
				g.fields(&sub, &none, it, f.Fields)
				tables.Write(sub.Bytes())
			}
			continue
		}
		if !f.Required && !f.UseForTitle && g.pick(10) < 4 {
			continue
		}
		if f.Name == "template" && it.typ == "checklists" {
			fmt.Fprintf(b, "template = %q\n", strings.TrimRight(strings.TrimRight(it.slug, "0123456789"), "-"))
			continue
		}
		v := g.value(it, f)
		if v == "" {
			continue
		}
		fmt.Fprintf(b, "%s = %s\n", f.Name, v)
	}
}

// value returns a TOML value for field f of item it, or "" to leave it out.
func (g *gen) value(it *item, f *schema.Field) string {
	if f.Multiple && f.Kind != schema.Tag {
		n := 1 + g.pick(2)
		var vs []string
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			if v := g.scalar(it, f, i); v != "" && !seen[v] {
				seen[v] = true
				vs = append(vs, v)
			}
		}
		return "[" + strings.Join(vs, ", ") + "]"
	}
	if f.Kind == schema.Tag {
		n := 1
		if f.Multiple {
			n = 1 + g.pick(3)
		}
		var vs []string
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			t := g.target(it, f.Targets)
			if t == nil {
				continue
			}
			r := strconv.Quote(refTo(it.org, t))
			if !seen[r] {
				seen[r] = true
				vs = append(vs, r)
			}
		}
		switch {
		case len(vs) == 0:
			return ""
		case f.Multiple:
			return "[" + strings.Join(vs, ", ") + "]"
		}
		return vs[0]
	}
	return g.scalar(it, f, 0)
}

func (g *gen) date(year, span int) string {
	return fmt.Sprintf("%04d-%02d-%02d", year+g.pick(span), 1+g.pick(12), 1+g.pick(28))
}

func (g *gen) scalar(it *item, f *schema.Field, i int) string {
	host := strings.ReplaceAll(it.org.slug, "-", "") + ".example"
	switch f.Kind {
	case schema.Checkbox:
		return strconv.FormatBool(g.pick(2) == 0)
	case schema.Date:
		if f.Expires {
			return g.date(2031, 5)
		}
		return g.date(2019, 7)
	case schema.Number:
		lo, hi := 0.0, 1000.0
		if f.Min != nil {
			lo = *f.Min
		}
		if f.Max != nil {
			hi = *f.Max
		}
		if hi > lo+1000 {
			hi = lo + 1000
		}
		n := lo + float64(g.pick(int(hi-lo)+1))
		if n > hi {
			n = hi
		}
		return strconv.FormatFloat(n, 'f', -1, 64)
	case schema.Percent:
		return strconv.Itoa(g.pick(101))
	case schema.Select:
		return strconv.Quote(f.Options[(g.pick(len(f.Options))+i)%len(f.Options)])
	case schema.URL:
		return strconv.Quote(fmt.Sprintf("https://%s.%s/%s", pickOne(g, []string{"portal", "admin", "www", "console"}), host, f.Name))
	case schema.Email:
		return strconv.Quote(fmt.Sprintf("%s.%s@%s", pickOne(g, firstNames), pickOne(g, lastNames), host))
	case schema.Phone:
		return strconv.Quote(fmt.Sprintf("+1 555 %04d", g.pick(10000)))
	case schema.IP:
		return strconv.Quote(fmt.Sprintf("10.%d.%d.%d", it.idx%250, g.pick(250), 1+g.pick(250)))
	case schema.CIDR:
		return strconv.Quote(fmt.Sprintf("10.%d.%d.0/24", it.idx%250, g.pick(250)))
	case schema.Textbox:
		var b bytes.Buffer
		g.paragraph(&b, it)
		return "\"\"\"\n" + b.String() + "\"\"\""
	case schema.Upload:
		return strconv.Quote("network-diagram.pdf")
	}
	// Text: a few names get realistic values.
	switch f.Name {
	case "name":
		if it.typ == "configurations" {
			return strconv.Quote(it.slug)
		}
	case "first_name":
		return strconv.Quote(titleCase(strings.SplitN(it.slug, "-", 2)[0]))
	case "last_name":
		return strconv.Quote(titleCase(strings.SplitN(it.slug, "-", 3)[1]))
	case "title":
		if it.typ == "documents" || it.typ == "checklists" {
			return strconv.Quote(titleCase(path.Base(it.slug)))
		}
	case "mac":
		return strconv.Quote(fmt.Sprintf("00:15:5d:%02x:%02x:%02x", g.pick(256), g.pick(256), g.pick(256)))
	case "review_every": // a document's review cadence: a duration
		return strconv.Quote(fmt.Sprintf("%dmo", 1+g.pick(24)))
	}
	if f.UseForTitle {
		return strconv.Quote(titleCase(path.Base(it.slug)))
	}
	return strconv.Quote(fmt.Sprintf("%s %d", f.DisplayLabel(), g.pick(100)+i*100))
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// SecretsFile is a structurally sound SOPS file holding one encrypted
// "password" value (encrypted for two throwaway age keys nobody holds):
// what a password item's <slug>.sops.yaml looks like to a check that has
// no key.
const SecretsFile = `password: ENC[AES256_GCM,data:J1xwYn7Y,iv:avWZmNm9w/CCpGyJQKTs7SN0J50VEx9K/evnf0K/naA=,tag:EUtInMYNi25EjtF+w79OEg==,type:str]
sops:
    age:
        - enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBNQkRLWllvdW04T3d5STdH
            bWZsdFNGdlFadmtEMmNNL3E4MU80KzlxZkhrCmdZUjRyN3JucGZBZGVPTllZNFBJ
            T3AwRmlkTDI1eXhacWdaY3ZSZlY0c2MKLS0tIDlMeWdWeVQrODVEVDNRVGdEcnEr
            d1F4UDVWNnZaWHp0Yk9Bb3NoalZzRjQKzJBKW+dTfMi4Y7WyVDG1LqKQkKyewKRr
            pOCr0c05s2R5Zmc86MWH5R3Gl3UW64cSeoboDChlJszdALrAm+jM0g==
            -----END AGE ENCRYPTED FILE-----
          recipient: age1a092uzgpw2ademmq3srqstumzx6rwf3zfjdx6pl4a6se98yttcys5le9js
        - enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBJSDB0VWRWN1VBSTJ1cHZM
            VDhNdm9vV0kwRlZYbXNZNERuSnJpeE8xQ2hzCktndE9wVHNDeFhObng4dmFDOHFv
            aW1UeTlxdEZTUCtsR0pTNmp5S1BUbFUKLS0tIHpabjI1Kzc4MHVCa0FWTGo3OE5E
            Z3lMa29uNld4N3dTYlNEYlZ2NmZYQjgKzz5qBz6x5eeeWFkJzGzbnO24e+l3RJ7Q
            +zB1GE91PsVkejJnOsPxF2BgSsIUwjlotQzGgJHGsSvASegejpv5hg==
            -----END AGE ENCRYPTED FILE-----
          recipient: age1hmjmf0d3ljmw06qnjud2qyn6rfmsqt49mkf78kddtz47m7suqclq26dqpj
    lastmodified: "2026-11-23T14:25:35Z"
    mac: ENC[AES256_GCM,data:9RU1BjRc2/TX+Vq77AvpV80O0ktoxRbTS6yOx4Yu4UoHJDByw4Jz8pwL4N5d9IiGdgh7CuLUy1dTPjXLN2jE0JWh388pd5+9Lep9KG/wmfAMmTzFSDbHX8JZna7m5r3efMAw8ZO4gq/DUaG0218MF2zjl7tN6+bW66B34rW7vkI=,iv:zW7WjcYuqBJiYcVhYiHWn1lfAxanxtUjhb9UAc+u1tQ=,tag:A0RHQQGLXNSsi/Z03EUWPA==,type:str]
    unencrypted_suffix: _unencrypted
    version: 3.13.3
`
