package runbook

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// formatVersion names the way this code lays a book out. Change it with
// any change to what a runbook prints or how, so keys made by an older
// cairn never match books made by a newer one.
const formatVersion = "cairn-runbook-1"

// ViewKey returns a key of everything the runbook of organization org, as
// view v sees it with opts, is made from: the organization's file, the
// items in the book and their file digests, their neighbours (what they
// link to and what links to them: ids, digests, whether each is in the
// book), the names of the attachments they may show and the bytes of the
// pictures among them, the site's types and settings, the portal's name
// and title (both are printed), the options (as-of date, commit, types,
// archived items) and this code's format version. Equal keys mean
// byte-identical PDFs from Write. The key is "" when there is none to be
// had: the organization is not in the view, or opts.Secrets is set
// (secret values are not hashed into a key that may be stored).
//
// ViewKey reads only the view, and the pictures' bytes; it may be called
// from any goroutine.
func ViewKey(v *access.View, org string, opts Options) string {
	return viewKey(v, org, opts, true)
}

// layoutKey is ViewKey without the portal's identity: books with equal
// layout keys paginate alike unless the portal's name wraps differently
// on the cover, so one's page numbers are a first guess for the other's.
func layoutKey(v *access.View, org string, opts Options) string {
	return viewKey(v, org, opts, false)
}

func viewKey(v *access.View, org string, opts Options, identity bool) string {
	if v == nil || opts.Secrets != nil {
		return ""
	}
	o := v.Org(org)
	if o == nil {
		return ""
	}
	k := keyWriter{h: sha256.New()}
	k.str(formatVersion)
	if identity {
		k.str(opts.Portal)
		if v.Portal != nil {
			k.str(v.Portal.Title)
		} else {
			k.str("")
		}
	}
	y, m, d := opts.AsOf.Date()
	k.num(int64(y), int64(m), int64(d))
	k.str(opts.Commit)
	k.flag(opts.Dirty)
	k.flag(opts.IncludeArchived)
	k.strs(opts.Types)

	cfg := v.Config()
	k.str(cfg.Title)
	k.num(int64(cfg.ExpiryWindowDays))
	k.value(cfg.Rotation)
	k.value(cfg.Review)
	reg := v.Schemas()
	for _, t := range reg.Types() {
		k.schema(reg.Get(t))
	}

	k.str(o.Slug)
	k.digest(o.Digest)
	var in []*model.Item
	inBook := map[string]bool{}
	for _, it := range v.OrgItems(org) {
		if !opts.prints(it) {
			continue
		}
		in = append(in, it)
		inBook[it.ID] = true
	}
	k.links(v, inBook, v.Links(org))
	k.links(v, inBook, v.Backlinks(org))
	k.files(v, org)
	k.num(int64(len(in)))
	for _, it := range in {
		k.str(it.ID)
		k.digest(it.Digest)
		k.flag(it.Archived)
		k.flag(it.Broken)
		k.links(v, inBook, v.Links(it.ID))
		k.links(v, inBook, v.Backlinks(it.ID))
		k.files(v, it.ID)
	}
	return hex.EncodeToString(k.h.Sum(nil))
}

// keyWriter writes values into a hash unambiguously: every string with
// its length, every list with its count.
type keyWriter struct {
	h   hash.Hash
	buf [8]byte
}

func (k *keyWriter) num(ns ...int64) {
	for _, n := range ns {
		binary.LittleEndian.PutUint64(k.buf[:], uint64(n))
		k.h.Write(k.buf[:])
	}
}

func (k *keyWriter) str(s string) {
	k.num(int64(len(s)))
	k.h.Write([]byte(s))
}

func (k *keyWriter) strs(ss []string) {
	k.num(int64(len(ss)))
	for _, s := range ss {
		k.str(s)
	}
}

func (k *keyWriter) flag(b bool) {
	if b {
		k.num(1)
	} else {
		k.num(0)
	}
}

func (k *keyWriter) digest(d model.Digest) { k.h.Write(d[:]) }

// links writes the other end of each link (links of an item, or to it):
// what it is, which file it is from and whether it is in the book.
func (k *keyWriter) links(v *access.View, inBook map[string]bool, links []model.Link) {
	ends := make([]string, 0, 2*len(links))
	for _, l := range links {
		ends = append(ends, l.From, l.To)
	}
	sort.Strings(ends)
	k.num(int64(len(ends)))
	for i, id := range ends {
		if i > 0 && ends[i-1] == id {
			continue
		}
		k.str(id)
		k.flag(inBook[id])
		if it := v.Item(id); it != nil {
			k.digest(it.Digest)
		} else if o := v.Org(id); o != nil {
			k.digest(o.Digest)
		}
	}
}

// files writes the attachments of an item or organization the view
// carries, and the bytes of the pictures among them (the book prints
// pictures; of other files it prints only their names).
func (k *keyWriter) files(v *access.View, id string) {
	for _, f := range v.Attachments(id) {
		if !v.CanSeeFile(f) {
			continue
		}
		k.str(f)
		switch strings.ToLower(path.Ext(f)) {
		case ".png", ".jpg", ".jpeg":
			data, err := v.ReadFile(f)
			if err != nil {
				k.str("unreadable")
				continue
			}
			sum := sha256.Sum256(data)
			k.h.Write(sum[:])
		}
	}
}

// schema writes what of a type the book prints or lays out by.
func (k *keyWriter) schema(s *schema.Schema) {
	if s == nil {
		k.str("")
		return
	}
	k.str(s.Type)
	k.str(s.Name)
	k.str(s.Singular)
	k.str(s.Slug)
	k.str(s.Description)
	k.fields(s.Fields)
}

func (k *keyWriter) fields(fs []*schema.Field) {
	k.num(int64(len(fs)))
	for _, f := range fs {
		k.str(f.Name)
		k.str(f.Label)
		k.str(string(f.Kind))
		k.str(f.Hint)
		k.flag(f.Required)
		k.value(f.Default)
		k.strs(f.Options)
		k.optInt(f.Decimals)
		k.optFloat(f.Min)
		k.optFloat(f.Max)
		k.flag(f.UseForTitle)
		k.flag(f.ShowInList)
		k.flag(f.Expires)
		k.strs(f.Targets)
		k.flag(f.Multiple)
		k.fields(f.Fields)
	}
}

func (k *keyWriter) optInt(p *int) {
	if p == nil {
		k.flag(false)
		return
	}
	k.flag(true)
	k.num(int64(*p))
}

func (k *keyWriter) optFloat(p *float64) {
	if p == nil {
		k.flag(false)
		return
	}
	k.flag(true)
	k.num(int64(math.Float64bits(*p)))
}

// value writes a TOML value without its position.
func (k *keyWriter) value(val *tomldoc.Value) {
	if val == nil {
		k.num(-1)
		return
	}
	k.num(int64(val.Kind))
	k.str(val.Raw)
	k.str(val.Str)
	k.num(val.Int, int64(math.Float64bits(val.Float)), val.Time.UnixNano())
	k.flag(val.Bool)
	k.num(int64(len(val.Array)))
	for _, e := range val.Array {
		k.value(e)
	}
	if val.Table == nil {
		k.num(-1)
		return
	}
	keys := val.Table.Keys()
	k.num(int64(len(keys)))
	for _, key := range keys {
		k.str(key)
		k.value(val.Table.Get(key))
	}
}
