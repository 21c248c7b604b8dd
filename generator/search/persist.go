package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
)

// cacheMagic starts a saved Cache. It names the part format, so a cache
// saved by a cairn that made other parts is refused, not misread.
const cacheMagic = "cairn search cache\x00" + partFormat + "\n"

// MaxCacheBytes bounds what LoadCache reads: a saved cache of a
// 100,000-item site's portals is well under it.
const MaxCacheBytes = 1 << 30

// ErrCacheFormat is wrapped by LoadCache's errors about the bytes it read
// (another format or version, truncated or inconsistent data): the caller
// then builds without the cache.
var ErrCacheFormat = errors.New("not a search cache of this cairn version")

// Save writes the cache's parts (each portal's last build) to w, so that
// a later process can LoadCache them: an incremental cairn build keeps
// them beside its output. The sorted terms are not saved; the first
// Build after LoadCache sorts them again. Save may run beside Build.
func (c *Cache) Save(w io.Writer) error {
	c.mu.Lock()
	names := make([]string, 0, len(c.portals))
	maps := map[string]map[Key]*Part{}
	for name, pc := range c.portals {
		if pc.parts != nil {
			names = append(names, name)
			maps[name] = pc.parts
		}
	}
	c.mu.Unlock()
	sort.Strings(names)

	// Each part once, however many portals hold it.
	index := map[*Part]int{}
	var parts []*Part
	var keys []Key
	lists := make([][]int, len(names))
	for i, name := range names {
		ks := make([]Key, 0, len(maps[name]))
		for k := range maps[name] {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(a, b int) bool { return string(ks[a][:]) < string(ks[b][:]) })
		for _, k := range ks {
			p := maps[name][k]
			n, ok := index[p]
			if !ok {
				n = len(parts)
				index[p] = n
				parts = append(parts, p)
				keys = append(keys, k)
			}
			lists[i] = append(lists[i], n)
		}
	}

	bw := bufio.NewWriter(w)
	var e encoder
	e.b = append(e.b, cacheMagic...)
	e.num(len(parts))
	for i, p := range parts {
		e.b = append(e.b, keys[i][:]...)
		if p.org {
			e.b = append(e.b, 1)
		} else {
			e.b = append(e.b, 0)
		}
		for _, s := range []string{p.name, p.typ, p.url, p.title, p.summary, p.text} {
			e.str(s)
		}
		e.num(len(p.terms))
		for _, t := range p.terms {
			e.num(int(t))
		}
		if len(e.b) > 1<<16 {
			if _, err := bw.Write(e.b); err != nil {
				return fmt.Errorf("saving the search cache: %w", err)
			}
			e.b = e.b[:0]
		}
	}
	e.num(len(names))
	for i, name := range names {
		e.str(name)
		e.num(len(lists[i]))
		for _, n := range lists[i] {
			e.num(n)
		}
	}
	if _, err := bw.Write(e.b); err != nil {
		return fmt.Errorf("saving the search cache: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("saving the search cache: %w", err)
	}
	return nil
}

type encoder struct{ b []byte }

func (e *encoder) num(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) str(s string) {
	e.num(len(s))
	e.b = append(e.b, s...)
}

// LoadCache reads a cache Save wrote. It reads at most MaxCacheBytes and
// checks what it reads: bytes of another format, truncated or
// inconsistent, give an error wrapping ErrCacheFormat, never a cache
// that would make a wrong index's structure. (A part's contents are
// trusted: whoever can write the saved cache can write the output.)
func LoadCache(r io.Reader) (*Cache, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCacheBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the search cache: %w", err)
	}
	if len(data) > MaxCacheBytes {
		return nil, fmt.Errorf("search cache: over %d bytes: %w", MaxCacheBytes, ErrCacheFormat)
	}
	d := &decoder{b: data}
	magic := d.bytes(len(cacheMagic))
	if string(magic) != cacheMagic {
		return nil, fmt.Errorf("search cache: %w", ErrCacheFormat)
	}
	n := d.count(1 + len(Key{}) + 7)
	parts := make([]*Part, 0, min(n, 1<<16))
	keys := make([]Key, 0, min(n, 1<<16))
	for i := 0; i < n && d.err == nil; i++ {
		var k Key
		copy(k[:], d.bytes(len(k)))
		flag := d.bytes(1)
		p := &Part{org: len(flag) == 1 && flag[0] == 1}
		if len(flag) == 1 && flag[0] > 1 {
			d.fail("part %d: bad flag %d", i, flag[0])
		}
		p.name, p.typ = d.str(), d.str()
		url, title, summary := d.str(), d.str(), d.str()
		p.text = d.str()
		p.terms = make([]uint32, d.count(1))
		end := uint32(0)
		for j := range p.terms {
			t := d.num()
			e := uint32(t >> 2)
			if t>>2 > uint64(len(p.text)) || e <= end || t&3 > classTitle {
				d.fail("part %d: bad term %d", i, j)
			}
			p.terms[j], end = uint32(t), e
		}
		if end != uint32(len(p.text)) {
			d.fail("part %d: terms do not cover its text", i)
		}
		p.setDoc(url, title, summary)
		parts = append(parts, p)
		keys = append(keys, k)
	}
	c := &Cache{portals: map[string]*portalCache{}}
	np := d.count(2)
	for i := 0; i < np && d.err == nil; i++ {
		name := d.str()
		m := make(map[Key]*Part)
		for range d.count(1) {
			j := d.num()
			if j >= uint64(len(parts)) {
				d.fail("portal %q: part %d of %d", name, j, len(parts))
				break
			}
			m[keys[j]] = parts[j]
		}
		c.portals[name] = &portalCache{parts: m}
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("bytes after the end")
	}
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

// decoder reads what an encoder wrote, recording the first problem.
type decoder struct {
	b   []byte // what is left to read
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("search cache: %s: %w", fmt.Sprintf(format, args...), ErrCacheFormat)
	}
}

func (d *decoder) num() uint64 {
	if d.err != nil {
		return 0
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail("truncated")
		return 0
	}
	d.b = d.b[k:]
	return n
}

// count reads a count of things of at least size bytes each, refusing
// one the bytes left could not hold.
func (d *decoder) count(size int) int {
	n := d.num()
	if n > uint64(len(d.b)/size) {
		d.fail("count %d too large", n)
		return 0
	}
	return int(n)
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("truncated")
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) str() string { return string(d.bytes(d.count(1))) }

// SavePortal writes what the cache keeps of one portal, the parts of its
// last build, to w in Save's format: a file that holds no other portal's
// pages, which an output folder may keep beside that portal's manifest.
// ok is false, and nothing is written, when the cache has not built the
// portal.
func (c *Cache) SavePortal(w io.Writer, name string) (ok bool, err error) {
	c.mu.Lock()
	var parts map[Key]*Part
	if pc := c.portals[name]; pc != nil {
		parts = pc.parts
	}
	c.mu.Unlock()
	if parts == nil {
		return false, nil
	}
	one := &Cache{portals: map[string]*portalCache{name: {parts: parts}}}
	return true, one.Save(w)
}

// AddPortal gives c the parts of portal name that from holds (a
// LoadCache of what SavePortal wrote), unless c holds parts of that
// portal already; from's other portals are ignored. The next Build of
// the portal tokenizes only the pages whose keys no part has.
func (c *Cache) AddPortal(name string, from *Cache) {
	from.mu.Lock()
	var parts map[Key]*Part
	if pc := from.portals[name]; pc != nil {
		parts = pc.parts
	}
	from.mu.Unlock()
	if parts == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.portals == nil {
		c.portals = map[string]*portalCache{}
	}
	pc := c.portals[name]
	if pc == nil {
		pc = &portalCache{}
		c.portals[name] = pc
	}
	if pc.parts == nil {
		pc.parts = parts
	}
}
