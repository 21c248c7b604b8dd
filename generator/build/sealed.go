package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/portal"
	"github.com/cairn-it/cairn/generator/seal"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// PassphraseEnv returns the environment variable that holds a sealed
// portal's passphrase: CAIRN_PORTAL_PASSPHRASE_<PORTAL>, upper case, with
// - as _.
func PassphraseEnv(portal string) string {
	return "CAIRN_PORTAL_PASSPHRASE_" + strings.ToUpper(strings.ReplaceAll(portal, "-", "_"))
}

// SealedPortals returns the portals among names (every portal of
// access.toml when names is empty) with secrets = "sealed", in the order
// of names.
func SealedPortals(s *model.Site, names []string) []string {
	if len(names) == 0 {
		names = access.Portals(s)
	}
	var out []string
	for _, n := range names {
		if p := s.Access.Portals[n]; p != nil && p.Secrets == "sealed" {
			out = append(out, n)
		}
	}
	return out
}

// PassphraseOptions say where sealed portals' passphrases come from, in
// order of precedence: ByPortal (cairn build --passphrase-file
// PORTAL=FILE), the portal's PassphraseEnv variable, All (--passphrase-file
// FILE), and last, only when neither ByPortal nor All was given, the
// site's portal_passphrase_file (cairn.toml; the demo's), with a warning.
type PassphraseOptions struct {
	ByPortal map[string]string
	All      string
	Getenv   func(string) string
	// Warn receives the warning printed when the site's
	// portal_passphrase_file is used; nil discards it.
	Warn io.Writer
}

// Passphrases returns the passphrase of each portal of sealed. It fails,
// naming every portal without one and how to give it, before anything is
// built.
func Passphrases(s *model.Site, sealed []string, opts PassphraseOptions) (map[string]string, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	all := opts.All
	if f := s.Config.PortalPassphraseFile; f != "" && all == "" && len(opts.ByPortal) == 0 {
		var need []string
		for _, n := range sealed {
			if getenv(PassphraseEnv(n)) == "" {
				need = append(need, n)
			}
		}
		if len(need) > 0 {
			p := filepath.Join(s.Root, filepath.FromSlash(f))
			if !filepath.IsLocal(filepath.FromSlash(f)) {
				return nil, fmt.Errorf("cairn.toml: portal_passphrase_file %q must name a file inside the site", f)
			}
			data, err := readPassphraseFile(p)
			if err != nil {
				return nil, fmt.Errorf("cairn.toml: portal_passphrase_file %s: %w", f, err)
			}
			all = strings.TrimRight(string(data), "\r\n")
			if opts.Warn != nil {
				fmt.Fprintf(opts.Warn, "warning: sealing portal %s with the passphrase in %s (cairn.toml portal_passphrase_file): for the demo only, never on a real site\n",
					strings.Join(need, ", "), f)
			}
		}
	}
	out := map[string]string{}
	var missing []string
	for _, n := range sealed {
		switch {
		case opts.ByPortal[n] != "":
			out[n] = opts.ByPortal[n]
		case getenv(PassphraseEnv(n)) != "":
			out[n] = getenv(PassphraseEnv(n))
		case all != "":
			out[n] = all
		default:
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		var how []string
		for _, n := range missing {
			how = append(how, fmt.Sprintf("set %s or pass --passphrase-file %s=FILE", PassphraseEnv(n), n))
		}
		return nil, fmt.Errorf("build refused: portal %s has secrets = \"sealed\" but no passphrase (%s); nothing was written",
			strings.Join(missing, ", "), strings.Join(how, "; "))
	}
	return out, nil
}

// maxPassphraseFile bounds the size of a site's portal_passphrase_file.
const maxPassphraseFile = 4 << 10

// readPassphraseFile reads a passphrase file of the site: a regular file
// (not a link, which could lead outside the site or to a device that never
// ends) of at most maxPassphraseFile bytes.
func readPassphraseFile(p string) ([]byte, error) {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, errors.New("must be a regular file, not a link or device")
	case fi.Size() > maxPassphraseFile:
		return nil, fmt.Errorf("is %d bytes; a passphrase file holds at most %d", fi.Size(), maxPassphraseFile)
	}
	return os.ReadFile(p)
}

// SecretSource decrypts every secret field of an item (field -> value).
// generator/secrets.Store implements it.
type SecretSource interface {
	Secrets(ctx context.Context, it *model.Item) (map[string]string, error)
}

// Sealing is what Sealers set up for a build of sealed portals.
type Sealing struct {
	// Sealers seal each sealed portal's secrets: Options.Sealers.
	Sealers map[string]portal.SecretSealer
	salts   *seal.Salts
}

// SaveSalts writes the salts that Sealers made for portals sealed for the
// first time into the site's seal.SaltsFile (atomically), and reports
// whether it wrote any. Call it once the build has succeeded: the next
// build then seals with the same salts, and so writes the same bytes, once
// the file is committed.
func (sg *Sealing) SaveSalts(root string) (bool, error) {
	if sg == nil || sg.salts == nil || !sg.salts.Changed() {
		return false, nil
	}
	err := sg.salts.Write(root, func(path string, data []byte) error {
		return atomicfile.WriteFile(path, data, 0o644)
	})
	return err == nil, err
}

// Sealers sets up a sealer for each portal of pass (portal -> passphrase).
// Everything that could fail about secrets is done here, before a build
// starts: the salts are read (seal.LoadSalts; a portal without one gets a
// random salt, kept in memory until SaveSalts), each key is derived (a
// weak passphrase refuses the build), and every secret the portals show is
// decrypted once from src, so an undecryptable secret refuses the build
// before anything is written. Error messages name portals, items and
// files, never values.
func Sealers(ctx context.Context, s *model.Site, pass map[string]string, src SecretSource) (*Sealing, error) {
	names := make([]string, 0, len(pass))
	for n := range pass {
		names = append(names, n)
	}
	sort.Strings(names) // messages name portals in one order
	names = SealedPortals(s, names)
	if len(names) != len(pass) {
		return nil, fmt.Errorf("build: a passphrase was given for a portal that is not sealed (sealed: %s)", strings.Join(names, ", "))
	}
	m, err := decryptForPortals(ctx, s, names, src)
	if err != nil {
		return nil, err
	}
	salts, err := seal.LoadSalts(s.Root)
	if err != nil {
		return nil, err
	}
	sg := &Sealing{Sealers: make(map[string]portal.SecretSealer, len(names)), salts: salts}
	for _, n := range names {
		salt, err := salts.Salt(n, nil)
		if err != nil {
			return nil, err
		}
		key, err := seal.NewKey(s.Config.Title, n, pass[n], salt)
		if err != nil {
			return nil, fmt.Errorf("build refused: %w; nothing was written", err)
		}
		sg.Sealers[n] = seal.NewSealer(key, m)
	}
	return sg, nil
}

// memo holds the decrypted secrets the sealed portals show, decrypted
// once before the build; it is the sealers' seal.Decrypter. It is safe for
// concurrent use.
type memo struct {
	mu   sync.Mutex
	vals map[string]map[string]string
}

// Secret returns one field's value; an item that has a secrets file but
// was not decrypted beforehand is an error, never a silent blank.
func (m *memo) Secret(_ context.Context, it *model.Item, field string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	vals, ok := m.vals[it.ID]
	if !ok {
		if it.Secrets != "" {
			return "", false, fmt.Errorf("%s was not decrypted before the build", it.Secrets)
		}
		return "", false, nil
	}
	v, ok := vals[field]
	return v, ok && v != "", nil
}

func decryptForPortals(ctx context.Context, s *model.Site, portals []string, src SecretSource) (*memo, error) {
	m := &memo{vals: map[string]map[string]string{}}
	var errs []error
	for _, n := range portals {
		v, err := access.NewView(s, n)
		if err != nil {
			return nil, err
		}
		for _, it := range v.Items() {
			if it.Secrets == "" || len(sopsfile.SecretFields(it.Schema)) == 0 {
				continue
			}
			if _, done := m.vals[it.ID]; done {
				continue
			}
			vals, err := src.Secrets(ctx, it)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			m.vals[it.ID] = vals
		}
	}
	if len(errs) > 0 {
		msg := errors.Join(errs...).Error()
		if len(errs) > 3 {
			msg = errors.Join(errs[:3]...).Error() + fmt.Sprintf("\n... and %d more", len(errs)-3)
		}
		return nil, fmt.Errorf("build refused: sealed portal %s needs secrets this build cannot decrypt; nothing was written:\n%s", strings.Join(portals, ", "), msg)
	}
	return m, nil
}
