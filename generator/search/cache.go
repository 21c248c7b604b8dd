package search

import (
	"fmt"
	"sync"

	"github.com/cairn-it/cairn/generator/access"
)

// Cache keeps the parts of the last index built for each portal, by key
// (PartKey), so that a rebuild after an edit tokenizes only the pages
// whose keys changed and assembles the rest. A part is found by its key
// whichever portal made it: portals that see a page alike share its part.
// The zero Cache is ready to use; it is safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	byPortal map[string]map[Key]*Part // the parts of each portal's last build
}

// Stats says what one Cache.Build did.
type Stats struct {
	Pages int // pages in the index
	Made  int // parts made (tokenized), the rest were reused
}

// Build returns the bytes of the portal's index file (IndexFile): the
// same bytes as Build(v), made from cached parts where their keys match.
// The cache then holds the portal's parts for the next call.
func (c *Cache) Build(v *access.View) ([]byte, Stats, error) {
	pages := Pages(v)
	keys := make([]Key, len(pages))
	for i, p := range pages {
		keys[i] = PartKey(v, p)
	}
	parts := make([]*Part, len(pages))
	c.mu.Lock()
	own := c.byPortal[v.Portal.Name]
	for i, k := range keys {
		if p, ok := own[k]; ok {
			parts[i] = p
			continue
		}
		for _, other := range c.byPortal {
			if p, ok := other[k]; ok {
				parts[i] = p
				break
			}
		}
	}
	c.mu.Unlock()

	st := Stats{Pages: len(pages)}
	var m *maker
	for i, p := range parts {
		if p != nil {
			continue
		}
		if m == nil {
			m = newMaker(v)
		}
		parts[i] = m.part(pages[i])
		st.Made++
	}
	b, err := Assemble(parts)
	if err != nil {
		return nil, st, fmt.Errorf("search index of portal %s: %w", v.Portal.Name, err)
	}

	kept := make(map[Key]*Part, len(parts))
	for i, k := range keys {
		kept[k] = parts[i]
	}
	c.mu.Lock()
	if c.byPortal == nil {
		c.byPortal = map[string]map[Key]*Part{}
	}
	c.byPortal[v.Portal.Name] = kept
	c.mu.Unlock()
	return b, st, nil
}
