package runbook

import (
	"context"
	"io"
	"sync"

	"github.com/cairn-it/cairn/generator/access"
)

// Maker writes the runbooks of one build. It measures every book with one
// Fonts, made when first needed, and remembers where each book's
// sections and items fell: a portal whose view of an organization is the
// same as an earlier portal's (layoutKey, ViewKey without the portal's
// name) starts from that layout, which saves the counting pass. The bytes
// written are always those Write gives.
//
// A Maker is safe for concurrent use. Its memory is a page number per
// section and item of the books it wrote; make one per build.
type Maker struct {
	fontsOnce sync.Once
	fonts     *Fonts
	fontsErr  error

	mu      sync.Mutex
	layouts map[string]map[string]int
	passes  int // layout passes run, for tests
}

// NewMaker returns a Maker with nothing made yet.
func NewMaker() *Maker {
	return &Maker{layouts: map[string]map[string]int{}}
}

// Write writes the runbook as Write does, with the Maker's Fonts unless
// opts.Fonts is set.
func (m *Maker) Write(ctx context.Context, w io.Writer, v *access.View, org string, opts Options) error {
	if opts.Fonts == nil {
		m.fontsOnce.Do(func() { m.fonts, m.fontsErr = NewFonts() })
		if m.fontsErr != nil {
			return m.fontsErr
		}
		opts.Fonts = m.fonts
	}
	key := layoutKey(v, org, opts)
	var guess map[string]int
	if key != "" {
		m.mu.Lock()
		guess = m.layouts[key]
		m.mu.Unlock()
	}
	pages, passes, err := write(ctx, w, v, org, opts, guess)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.passes += passes
	if err != nil || key == "" {
		return err
	}
	if _, ok := m.layouts[key]; !ok {
		m.layouts[key] = pages
	}
	return nil
}
