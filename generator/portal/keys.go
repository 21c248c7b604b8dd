package portal

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"sync"
	"time"

	expirydays "github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/urls"
)

// Key is an input key of an output file: a hash of everything the file is
// made from, so that two files with equal keys have equal bytes. The zero
// Key means "no key": the file must be made every time (sealed secrets,
// sources without a digest).
type Key [sha256.Size]byte

// IsZero reports whether k is the zero Key.
func (k Key) IsZero() bool { return k == Key{} }

// String returns the key in hex.
func (k Key) String() string { return fmt.Sprintf("%x", k[:]) }

// Hasher builds a Key from tagged values. Every value is written with its
// length, so no two sequences of values hash alike. Mark it Volatile when
// an input has no digest: Sum then returns the zero Key.
type Hasher struct {
	h        hash.Hash
	volatile bool
	buf      [10]byte
}

// NewHasher returns a Hasher whose keys are apart from those of any other
// kind of output.
func NewHasher(kind string) *Hasher {
	h := &Hasher{h: sha256.New()}
	h.String(kind)
	return h
}

// String adds a string.
func (h *Hasher) String(s string) {
	h.Int(int64(len(s)))
	h.h.Write([]byte(s))
}

// Bytes adds a byte slice.
func (h *Hasher) Bytes(b []byte) {
	h.Int(int64(len(b)))
	h.h.Write(b)
}

// Int adds an integer.
func (h *Hasher) Int(n int64) {
	k := binary.PutVarint(h.buf[:], n)
	h.h.Write(h.buf[:k])
}

// Bool adds a boolean.
func (h *Hasher) Bool(b bool) {
	if b {
		h.Int(1)
	} else {
		h.Int(0)
	}
}

// Key adds another key; a zero key makes this one volatile too.
func (h *Hasher) Key(k Key) {
	if k.IsZero() {
		h.volatile = true
	}
	h.h.Write(k[:])
}

// Digest adds a source file's digest; a zero digest (a source loaded
// without one) makes the key volatile.
func (h *Hasher) Digest(d model.Digest) {
	if d == (model.Digest{}) {
		h.volatile = true
	}
	h.h.Write(d[:])
}

// Time adds an instant with its zone offset (the dates shown may be in
// the author's zone).
func (h *Hasher) Time(t time.Time) { h.String(t.Format(time.RFC3339Nano)) }

// Volatile makes Sum return the zero Key.
func (h *Hasher) Volatile() { h.volatile = true }

// Sum returns the key, or the zero Key when the hasher is volatile.
func (h *Hasher) Sum() Key {
	if h.volatile {
		return Key{}
	}
	var k Key
	h.h.Sum(k[:0])
	return k
}

// keyer computes page keys: the parts every page shares once, then each
// page's own sources.
type keyer struct {
	r      *Renderer
	ctx    context.Context
	portal Key
	orgNav map[string]Key
}

// PageKeys returns the input key of each page, in order: equal keys mean
// equal bytes from Render. base is the key of what the renderer cannot
// see itself and every page depends on: the program, the theme, the
// site-wide files (cairn.toml, access.toml, schemas, checklist
// templates), as the caller hashed them. Beyond it a page's key covers
// the portal (name, title, options, as-of date, the organization list of
// the sidebar, whether git metadata is shown) and the page's own reads:
//
//   - item page: the item's file digest, id, path and secrets file; its
//     organization's sidebar (name, types and counts); every item or
//     organization it links to and every one linking to it (digest,
//     path: their titles, types and URLs are shown); its attachments;
//     its review state and git history. A page that shows sealed secrets
//     has no key (it is made every time).
//   - type list: every item listed and everything those link to, and
//     their review states.
//   - organization page: the organization's digest and links both ways,
//     every visible item of it and what they link to, its expiring
//     entries and recently changed list.
//   - home: every organization's digest and counts, every expiring entry
//     and its item.
//
// A zero base gives zero keys (none), at once. It may be called from one
// goroutine at a time per renderer; it reads
// Options.History and Options.Changes as Render does.
func (r *Renderer) PageKeys(ctx context.Context, base Key, pages []Page) ([]Key, error) {
	if base.IsZero() {
		return make([]Key, len(pages)), nil // no base, no keys: spare the work
	}
	k := &keyer{r: r, ctx: ctx, orgNav: map[string]Key{}}
	k.portal = k.portalKey(base)
	for _, o := range r.v.Orgs() {
		k.orgNav[o.Slug] = k.navKey(o.Slug)
	}
	out := make([]Key, len(pages))
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		key, err := k.page(p)
		if err != nil {
			return nil, fmt.Errorf("key of page %s: %w", p.Path, err)
		}
		out[i] = key
	}
	return out, nil
}

// portalKey covers what base() and the renderer's options put on every
// page.
func (k *keyer) portalKey(base Key) Key {
	r := k.r
	h := NewHasher("portal")
	h.Key(base)
	h.String(r.v.Portal.Name)
	h.String(r.v.Portal.Title)
	h.String(r.v.Portal.Secrets)
	h.Bool(r.v.Portal.Archived)
	h.String(r.today.Format("2006-01-02"))
	h.Bool(r.opts.Runbooks)
	h.Bool(r.opts.Search)
	h.Bool(r.opts.Calendar)
	h.Bool(r.opts.History != nil)
	h.Bool(r.opts.Changes != nil)
	h.Bool(r.opts.Sealer != nil)
	h.Bool(r.v.ShowsGitMetadata())
	for _, o := range r.v.Orgs() {
		h.String(o.Slug)
		h.String(o.Name)
		h.String(o.Kind)
	}
	return h.Sum()
}

// navKey covers an organization's sidebar: its name, its types and how
// many items of each the portal shows.
func (k *keyer) navKey(org string) Key {
	ix := k.r.orgs[org]
	h := NewHasher("nav")
	h.String(org)
	h.String(ix.org.Name)
	for _, t := range ix.types {
		h.String(t)
		h.Int(int64(len(ix.byType[t])))
	}
	return h.Sum()
}

func (k *keyer) page(p Page) (Key, error) {
	r := k.r
	h := NewHasher("page")
	h.Key(k.portal)
	h.Int(int64(p.Kind))
	h.String(p.Path)
	h.String(p.Org)
	h.String(p.Type)
	if p.Org != "" {
		h.Key(k.orgNav[p.Org])
	}
	switch p.Kind {
	case HomePage:
		for _, o := range r.v.Orgs() {
			ix := r.orgs[o.Slug]
			k.node(h, o.Slug)
			h.Int(int64(len(ix.items)))
			h.Int(int64(len(ix.expiring)))
		}
		k.entries(h, r.expiring)
	case OrgPage:
		ix := r.orgs[p.Org]
		k.node(h, p.Org)
		k.links(h, p.Org)
		for _, it := range ix.items {
			k.node(h, it.ID)
			k.out(h, it.ID)
		}
		k.entries(h, ix.expiring)
		if r.opts.History != nil {
			changes, err := r.opts.History.RecentlyChanged(k.ctx, p.Org)
			if err != nil {
				return Key{}, fmt.Errorf("history of %s: %w", p.Org, err)
			}
			h.Int(int64(len(changes)))
			for _, c := range changes {
				h.String(c.ID)
				h.Time(c.When)
				h.String(c.Author)
				h.String(c.Summary)
				k.node(h, c.ID)
			}
		}
	case ListPage:
		for _, it := range r.orgs[p.Org].byType[p.Type] {
			k.node(h, it.ID)
			k.out(h, it.ID)
			k.review(h, it)
		}
	case ItemPage:
		it := p.Item
		k.node(h, it.ID)
		k.links(h, it.ID)
		k.review(h, it)
		if r.opts.Sealer != nil && r.v.Portal.Secrets == "sealed" && it.Secrets != "" {
			h.Volatile()
		}
		if r.opts.History != nil {
			ih, err := r.opts.History.ItemHistory(k.ctx, it.ID)
			if err != nil {
				return Key{}, fmt.Errorf("history of %s: %w", it.ID, err)
			}
			h.String(ih.Path)
			h.Bool(ih.Omitted)
			h.Time(ih.TruncatedAt)
			h.Int(int64(len(ih.Revisions)))
			for _, rev := range ih.Revisions {
				h.String(rev.Commit)
				h.Time(rev.When)
				h.String(rev.Author)
				h.String(rev.Summary)
			}
		}
	default:
		return Key{}, fmt.Errorf("unknown page kind %d", p.Kind)
	}
	return h.Sum(), nil
}

// node adds what a page may show of an item or organization it names:
// whether the portal sees it and, when it does, its file's digest and
// path (its title, type, URL and fields come from those). A hidden one
// is shown as hidden text whatever it holds.
func (k *keyer) node(h *Hasher, id string) { h.Key(k.r.keys.get(&k.r.keys.nodes, id, k.nodeKey)) }

// nodeKey is node's key of one id, made once per renderer.
func (k *keyer) nodeKey(id string) Key {
	h := NewHasher("node")
	h.String(id)
	if it := k.r.v.Item(id); it != nil {
		h.Int(1)
		h.String(it.File)
		h.String(it.Org)
		h.String(it.Type)
		h.String(it.Slug)
		h.String(it.Secrets)
		h.Digest(it.Digest)
		for _, f := range k.r.v.Attachments(id) {
			h.String(f)
			h.String(urls.FilePath(f))
		}
		return h.Sum()
	}
	if o := k.r.v.Org(id); o != nil {
		h.Int(2)
		h.String(o.File)
		h.Digest(o.Digest)
		for _, f := range k.r.v.Attachments(id) {
			h.String(f)
		}
		return h.Sum()
	}
	h.Int(0)
	return h.Sum()
}

// out adds every visible item or organization that id links to (tags,
// related, wiki and relative links: every reference the renderer
// resolves is one of these links or an attachment of id).
func (k *keyer) out(h *Hasher, id string) { h.Key(k.r.keys.get(&k.r.keys.outs, id, k.outKey)) }

func (k *keyer) outKey(id string) Key {
	h := NewHasher("out")
	ls := k.r.v.Links(id)
	h.Int(int64(len(ls)))
	for _, l := range ls {
		h.String(string(l.Kind))
		h.String(l.Field)
		h.String(l.Text)
		h.String(l.Anchor)
		k.node(h, l.To)
	}
	return h.Sum()
}

// links adds the links both ways: what id links to and what links to it.
func (k *keyer) links(h *Hasher, id string) {
	k.out(h, id)
	h.Key(k.r.keys.get(&k.r.keys.ins, id, k.inKey))
}

func (k *keyer) inKey(id string) Key {
	h := NewHasher("in")
	ls := k.r.v.Backlinks(id)
	h.Int(int64(len(ls)))
	for _, l := range ls {
		h.String(string(l.Kind))
		h.String(l.Field)
		k.node(h, l.From)
	}
	return h.Sum()
}

// keyCache holds the keys of nodes and their links, made once per
// renderer and shared by PageKeys, ViewKey and OrgKey. A volatile key
// (zero) is kept as such: it makes every key that includes it zero.
type keyCache struct {
	mu               sync.Mutex
	nodes, outs, ins map[string]Key
}

// get returns (*m)[id], making it with mk the first time. mk may call
// get again (for other ids): the lock is not held while it runs.
func (c *keyCache) get(m *map[string]Key, id string, mk func(string) Key) Key {
	c.mu.Lock()
	if *m == nil {
		*m = map[string]Key{}
	}
	k, ok := (*m)[id]
	c.mu.Unlock()
	if ok {
		return k
	}
	k = mk(id)
	c.mu.Lock()
	(*m)[id] = k
	c.mu.Unlock()
	return k
}

// entries adds expiring entries as shown, with their items.
func (k *keyer) entries(h *Hasher, es []expirydays.Entry) {
	h.Int(int64(len(es)))
	for _, e := range es {
		h.String(e.ID)
		h.String(e.Title)
		h.String(e.Org)
		h.String(e.Type)
		h.String(string(e.Kind))
		h.String(e.What)
		h.String(e.Field)
		h.String(e.Assignee)
		h.String(e.Label)
		h.Time(e.Date)
		h.Int(int64(e.Days))
		k.node(h, e.ID)
		k.node(h, e.Org)
	}
}

// review adds a document's review state (it depends on git dates).
func (k *keyer) review(h *Hasher, it *model.Item) {
	rv := k.r.review(it)
	if rv == nil {
		h.Int(0)
		return
	}
	h.Int(1)
	h.Bool(rv.Stale)
	h.String(rv.Text)
	h.String(rv.Due)
	h.String(rv.Last)
	h.String(rv.Every)
}

// ViewKey is a key of everything a portal's view holds: every visible
// organization and item with what they link to both ways and their
// attachments' paths, under base. Outputs made from the whole view (the
// search index, the calendar feed) use it with their own inputs.
func (r *Renderer) ViewKey(base Key) Key {
	if base.IsZero() {
		return Key{}
	}
	k, h := r.portalHasher("view", base)
	for _, o := range r.v.Orgs() {
		k.node(h, o.Slug)
		k.links(h, o.Slug)
	}
	for _, it := range r.v.Items() {
		k.node(h, it.ID)
		k.links(h, it.ID)
	}
	return h.Sum()
}

// OrgKey is a key of one organization as the portal's view shows it: the
// organization and every visible item of it, each with what it links to
// both ways, under base. A runbook's key starts from it.
func (r *Renderer) OrgKey(base Key, org string) Key {
	if base.IsZero() {
		return Key{}
	}
	k, h := r.portalHasher("org", base)
	// A runbook names the organizations of the items it links to: every
	// organization's file counts.
	for _, o := range r.v.Orgs() {
		k.node(h, o.Slug)
	}
	k.node(h, org)
	k.links(h, org)
	if ix := r.orgs[org]; ix != nil {
		for _, it := range ix.items {
			k.node(h, it.ID)
			k.links(h, it.ID)
		}
	}
	return h.Sum()
}

// portalHasher starts a key of what the portal's view shows: base, the
// portal's name and whether it shows archived items (ViewKey, OrgKey).
func (r *Renderer) portalHasher(label string, base Key) (*keyer, *Hasher) {
	h := NewHasher(label)
	h.Key(base)
	h.String(r.v.Portal.Name)
	h.Bool(r.v.Portal.Archived)
	return &keyer{r: r}, h
}
