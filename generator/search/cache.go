package search

import (
	"fmt"
	"slices"
	"sync"

	"github.com/cairn-it/cairn/generator/access"
)

// Cache keeps the parts of the last index built for each portal, by key
// (PartKey), so that a rebuild after an edit tokenizes only the pages
// whose keys changed and assembles the rest; it also keeps each portal's
// numbered and sorted terms, so that assembling parts seen before costs
// no term look-ups or sorting. A part is found by its key whichever
// portal made it: portals that see a page alike share its part. The zero
// Cache is ready to use; it is safe for concurrent use (builds of one
// portal wait for each other).
type Cache struct {
	mu      sync.Mutex
	portals map[string]*portalCache
}

// portalCache is what a Cache keeps of one portal.
type portalCache struct {
	mu    sync.Mutex    // held for a whole Build of the portal
	parts map[Key]*Part // the last build's parts; replaced under Cache.mu
	asm   assembler     // under mu
	// The keys of the last build's pages, in order, and its bytes: the
	// same keys again give the same bytes (under mu).
	keys []Key
	out  []byte
}

// Stats says what one Cache.Build did.
type Stats struct {
	Pages int // pages in the index
	Made  int // parts made (tokenized); the rest were reused
}

// Build returns the bytes of the portal's index file (IndexFile): the
// same bytes as Build(v), made from cached parts where their keys match.
// The cache then holds the portal's parts for the next call. When every
// page's key is what it was in the portal's last build, the bytes
// returned are that build's: callers must not modify them.
func (c *Cache) Build(v *access.View) ([]byte, Stats, error) {
	c.mu.Lock()
	if c.portals == nil {
		c.portals = map[string]*portalCache{}
	}
	pc := c.portals[v.Portal.Name]
	if pc == nil {
		pc = &portalCache{}
		c.portals[v.Portal.Name] = pc
	}
	c.mu.Unlock()
	pc.mu.Lock()
	defer pc.mu.Unlock()

	pages := Pages(v)
	keys := make([]Key, len(pages))
	kr := newKeyer(v)
	for i, p := range pages {
		keys[i] = kr.key(p)
	}
	if pc.out != nil && slices.Equal(keys, pc.keys) {
		return pc.out, Stats{Pages: len(pages)}, nil
	}
	// The parts maps are never changed once made, only replaced (under
	// c.mu): a snapshot of them may be read without a lock.
	c.mu.Lock()
	own, others := pc.parts, make([]map[Key]*Part, 0, len(c.portals))
	for _, other := range c.portals {
		if other != pc && other.parts != nil {
			others = append(others, other.parts)
		}
	}
	c.mu.Unlock()
	parts := make([]*Part, len(pages))
	for i, k := range keys {
		if parts[i] = own[k]; parts[i] != nil {
			continue
		}
		for _, m := range others { // perhaps another portal made it
			if parts[i] = m[k]; parts[i] != nil {
				break
			}
		}
	}

	st := Stats{Pages: len(pages)}
	for _, p := range parts {
		if p == nil {
			st.Made++
		}
	}
	makeParts(v, pages, parts)
	b, err := pc.asm.assemble(parts)
	if err != nil {
		return nil, st, fmt.Errorf("search index of portal %s: %w", v.Portal.Name, err)
	}
	kept := make(map[Key]*Part, len(parts))
	for i, k := range keys {
		kept[k] = parts[i]
	}
	c.mu.Lock()
	pc.parts = kept
	c.mu.Unlock()
	pc.keys, pc.out = keys, b
	return b, st, nil
}
