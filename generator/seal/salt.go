package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// SaltsFile is where a site keeps the salt of each sealed portal,
// relative to the site root. cairn build writes it when it seals a portal
// for the first time; it must be committed with the site so that the next
// build (on any machine, in CI) seals with the same salt and so writes
// the same bytes. The salts are not secret.
const SaltsFile = ".cairn/seal-salts.toml"

// SaltLen is the length of a salt in bytes.
const SaltLen = 16

// saltsHeader opens a salts file cairn writes.
const saltsHeader = `# Salts of the sealed portals (secrets = "sealed" in access.toml), written
# by cairn build the first time it seals a portal. Commit this file: with
# it, every build seals a portal's secrets to the same bytes. The salts
# are not secret; a portal given a new salt simply seals anew.
`

// Salts are the salts of a site's sealed portals, by portal name. The zero
// value is an empty set. It is not safe for concurrent use.
type Salts struct {
	m       map[string][]byte
	changed bool
}

// maxSaltsFile bounds the salts file: a few lines per portal.
const maxSaltsFile = 64 << 10

// LoadSalts reads root/SaltsFile; a site without one has no salts yet.
// A file that is not valid TOML, or holds a salt that is not the base64
// (URL alphabet, no padding) of SaltLen bytes, is an error naming it, and
// so is a symbolic link (for the file or its folder) or a file over
// 64 KiB: cairn reads nothing outside the site.
func LoadSalts(root string) (*Salts, error) {
	p, err := saltsPath(root)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return &Salts{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", SaltsFile, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSaltsFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", SaltsFile, err)
	}
	if len(data) > maxSaltsFile {
		return nil, fmt.Errorf("%s is larger than %d KiB: it holds one line per sealed portal; delete it to have cairn build make new salts", SaltsFile, maxSaltsFile>>10)
	}
	return ParseSalts(data)
}

// saltsPath returns root/SaltsFile after making sure that neither the
// file nor its folder is a symbolic link.
func saltsPath(root string) (string, error) {
	dir := filepath.Join(root, filepath.FromSlash(filepath.Dir(SaltsFile)))
	p := filepath.Join(root, filepath.FromSlash(SaltsFile))
	for _, q := range []string{dir, p} {
		if fi, err := os.Lstat(q); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			rel, _ := filepath.Rel(root, q)
			return "", fmt.Errorf("%s is a symbolic link: cairn does not follow links out of the site; replace it with a regular file or folder", filepath.ToSlash(rel))
		}
	}
	return p, nil
}

// Write writes the salts to root/SaltsFile with write (an atomic file
// writer), creating its folder. It refuses, like LoadSalts, a file or
// folder that is a symbolic link.
func (s *Salts) Write(root string, write func(path string, data []byte) error) error {
	p, err := saltsPath(root)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", SaltsFile, err)
	}
	if err := write(p, s.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", SaltsFile, err)
	}
	s.changed = false
	return nil
}

// ParseSalts parses the contents of a salts file.
func ParseSalts(data []byte) (*Salts, error) {
	var doc struct {
		Portals map[string]string `toml:"portals"`
	}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		where := SaltsFile
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			where = fmt.Sprintf("%s:%d:%d", SaltsFile, row, col)
		}
		return nil, fmt.Errorf("%s: %v: want a [portals] table of PORTAL = 'SALT' lines (delete the file to have cairn build make new salts)", where, err)
	}
	s := &Salts{m: map[string][]byte{}}
	for name, v := range doc.Portals {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) != SaltLen {
			return nil, fmt.Errorf("%s: the salt of portal %q is not %d bytes of base64 (delete the line to have cairn build make a new one)", SaltsFile, name, SaltLen)
		}
		s.m[name] = b
	}
	return s, nil
}

// Salt returns the portal's salt, making a random one from random (nil
// means crypto/rand) when the portal has none yet. Changed then reports
// true until the salts are written.
func (s *Salts) Salt(portal string, random io.Reader) ([]byte, error) {
	if b, ok := s.m[portal]; ok {
		return b, nil
	}
	if random == nil {
		random = rand.Reader
	}
	b := make([]byte, SaltLen)
	if _, err := io.ReadFull(random, b); err != nil {
		return nil, fmt.Errorf("making a salt for portal %q: %w", portal, err)
	}
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[portal] = b
	s.changed = true
	return b, nil
}

// Changed reports whether Salt made a salt that is not in the file yet.
func (s *Salts) Changed() bool { return s.changed }

// Bytes returns the salts file's contents: a comment, then the portals in
// name order.
func (s *Salts) Bytes() []byte {
	names := make([]string, 0, len(s.m))
	for n := range s.m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(saltsHeader)
	b.WriteString("\n[portals]\n")
	for _, n := range names {
		key, _ := toml.Marshal(map[string]string{n: base64.RawURLEncoding.EncodeToString(s.m[n])})
		b.Write(key)
	}
	return []byte(b.String())
}
