package search_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/search"
)

// savedFixture fills a cache with both fixture portals and saves it.
func savedFixture(t *testing.T) (map[string]*access.View, []byte) {
	t.Helper()
	s := fixture(t)
	views := map[string]*access.View{"internal": view(t, s, "internal"), "acme": view(t, s, "acme")}
	var c search.Cache
	for _, v := range views {
		if _, _, err := c.Build(v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return views, buf.Bytes()
}

// TestCacheSaveLoad: a cache saved and loaded in another process builds
// every portal's index with no part made again, byte for byte as a
// fresh build; saving is deterministic.
func TestCacheSaveLoad(t *testing.T) {
	views, saved := savedFixture(t)
	if _, again := savedFixture(t); !bytes.Equal(saved, again) {
		t.Error("two saves of the same cache differ")
	}
	c, err := search.LoadCache(bytes.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range views {
		got, st, err := c.Build(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := mustBuild(t, v)[search.IndexFile]; !bytes.Equal(got, want) {
			t.Errorf("portal %s: index from the loaded cache differs from a fresh build", name)
		}
		if st.Made != 0 {
			t.Errorf("portal %s: %d parts made again after loading the cache, want 0", name, st.Made)
		}
	}
}

// TestLoadCacheRefusesBadBytes: truncated, altered or foreign bytes give
// an error wrapping ErrCacheFormat (never a panic, a hang or a huge
// allocation), or a cache whose indexes are still well-formed.
func TestLoadCacheRefusesBadBytes(t *testing.T) {
	views, saved := savedFixture(t)
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"foreign", []byte("window.cairnSearchIndex={}")},
		{"truncated", saved[:len(saved)/2]},
		{"trailing", append(append([]byte{}, saved...), 0)},
		{"huge count", append([]byte(saved[:bytes.IndexByte(saved, '\n')+1]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)},
	} {
		if _, err := search.LoadCache(bytes.NewReader(tc.b)); !errors.Is(err, search.ErrCacheFormat) {
			t.Errorf("%s: error %v, want one wrapping ErrCacheFormat", tc.name, err)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := append([]byte{}, saved...)
		for range 1 + rng.IntN(4) {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		c, err := search.LoadCache(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, search.ErrCacheFormat) {
				t.Fatalf("altered cache: error %v does not wrap ErrCacheFormat", err)
			}
			continue
		}
		for _, v := range views {
			out, _, err := c.Build(v)
			if err != nil {
				t.Fatal(err)
			}
			decode(t, map[string][]byte{search.IndexFile: out}) // still an index search.js can read
		}
	}
}

// TestSavePortalHoldsOnePortal: what SavePortal writes of a cache that
// built both fixture portals is exactly what Save writes of a cache that
// only ever built the one (no part of the other portal's pages), and a
// cache given it with AddPortal builds that portal's index with no part
// made again, byte for byte as a fresh build.
func TestSavePortalHoldsOnePortal(t *testing.T) {
	s := fixture(t)
	internal, acme := view(t, s, "internal"), view(t, s, "acme")
	var both, one search.Cache
	for _, v := range []*access.View{internal, acme} {
		if _, _, err := both.Build(v); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := one.Build(acme); err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if ok, err := both.SavePortal(&got, "acme"); !ok || err != nil {
		t.Fatalf("SavePortal: %v, %v", ok, err)
	}
	if err := one.Save(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("SavePortal of acme differs from a cache of acme alone")
	}
	if ok, err := both.SavePortal(&bytes.Buffer{}, "nobody"); ok || err != nil {
		t.Errorf("SavePortal of a portal never built: %v, %v; want false, nil", ok, err)
	}

	loaded, err := search.LoadCache(bytes.NewReader(got.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var fresh search.Cache
	fresh.AddPortal("acme", loaded)
	b, st, err := fresh.Build(acme)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, mustBuild(t, acme)[search.IndexFile]) {
		t.Error("acme's index from the added parts differs from a fresh build")
	}
	if st.Made != 0 {
		t.Errorf("%d parts made again after AddPortal, want 0", st.Made)
	}
}
