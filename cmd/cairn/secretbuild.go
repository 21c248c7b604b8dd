package main

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
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/seal"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// passphraseEnv returns the variable that holds a sealed portal's
// passphrase: CAIRN_PORTAL_PASSPHRASE_<PORTAL>, upper case, - as _.
func passphraseEnv(portal string) string {
	return "CAIRN_PORTAL_PASSPHRASE_" + strings.ToUpper(strings.ReplaceAll(portal, "-", "_"))
}

// buildWithSecrets runs build.Build, giving each portal with secrets =
// "sealed" a sealer under its own passphrase. Everything that could fail
// about secrets is done first (passphrases, keys, decrypting every secret
// the sealed portals show), so a missing passphrase or an undecryptable
// secret fails the build before anything is written. Each sealed portal is
// then built on its own (the sealer is per portal); each portal is still
// replaced atomically. files are --passphrase-file values: PORTAL=FILE, or
// FILE for every sealed portal.
//
// A site's portal_passphrase_file (cairn.toml; the demo's only) is used,
// with a warning on warn, for sealed portals that have no passphrase
// otherwise.
func buildWithSecrets(ctx context.Context, s *model.Site, opts build.Options, files []string, getenv func(string) string, warn io.Writer) (*build.Result, error) {
	names := opts.Portals
	if len(names) == 0 {
		names = access.Portals(s)
	}
	var sealed, plain []string
	for _, n := range names {
		if p := s.Access.Portals[n]; p != nil && p.Secrets == "sealed" {
			sealed = append(sealed, n)
		} else {
			plain = append(plain, n)
		}
	}
	if len(sealed) == 0 {
		return build.Build(ctx, s, opts)
	}
	if s.Config.PortalPassphraseFile != "" {
		var need []string
		for _, n := range sealed {
			if getenv(passphraseEnv(n)) == "" {
				need = append(need, n)
			}
		}
		if len(files) == 0 && len(need) > 0 {
			files = []string{filepath.Join(s.Root, filepath.FromSlash(s.Config.PortalPassphraseFile))}
			fmt.Fprintf(warn, "warning: sealing portal %s with the passphrase in %s (cairn.toml portal_passphrase_file): for the demo only, never on a real site\n",
				strings.Join(need, ", "), s.Config.PortalPassphraseFile)
		}
	}
	pass, err := portalPassphrases(sealed, files, getenv)
	if err != nil {
		return nil, err
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		return nil, err
	}
	memo, err := decryptForPortals(ctx, s, sealed, &secrets.Store{Root: s.Root, Keys: keys})
	if err != nil {
		return nil, err
	}
	// Every portal's key before anything is written: a weak passphrase or
	// a bad salts file refuses the whole build.
	salts, err := seal.LoadSalts(s.Root)
	if err != nil {
		return nil, err
	}
	sealKeys := map[string]*seal.Key{}
	for _, n := range sealed {
		salt, err := salts.Salt(n, nil)
		if err != nil {
			return nil, err
		}
		if sealKeys[n], err = seal.NewKey(s.Config.Title, n, pass[n], salt); err != nil {
			return nil, fmt.Errorf("build refused: %w; nothing was written", err)
		}
	}
	result := &build.Result{}
	if len(plain) > 0 {
		o := opts
		o.Portals, o.Sealer = plain, nil
		r, err := build.Build(ctx, s, o)
		if err != nil {
			return nil, err
		}
		result.Portals = append(result.Portals, r.Portals...)
	}
	for _, n := range sealed {
		o := opts
		o.Portals, o.Sealer = []string{n}, seal.NewSealer(sealKeys[n], memo)
		r, err := build.Build(ctx, s, o)
		if err != nil {
			return nil, err
		}
		result.Portals = append(result.Portals, r.Portals...)
	}
	if salts.Changed() {
		// Written once the portals are: the next build seals with the same
		// salts, and so writes the same bytes, once the file is committed.
		if err := salts.Write(s.Root, secrets.WriteFileAtomic); err != nil {
			return nil, err
		}
		fmt.Fprintf(warn, "note: wrote new sealing salts to %s: commit it, so that later builds seal to the same bytes\n", seal.SaltsFile)
	}
	sort.Slice(result.Portals, func(i, j int) bool { return result.Portals[i].Name < result.Portals[j].Name })
	return result, nil
}

func portalPassphrases(sealed, files []string, getenv func(string) string) (map[string]string, error) {
	fromFile := map[string]string{}
	all := ""
	for _, f := range files {
		name, path, ok := strings.Cut(f, "=")
		if !ok {
			name, path = "", f
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &usageError{fmt.Errorf("--passphrase-file %s: %v", f, err)}
		}
		p := strings.TrimRight(string(data), "\r\n")
		if name == "" {
			all = p
		} else {
			fromFile[name] = p
		}
	}
	out := map[string]string{}
	var missing []string
	for _, n := range sealed {
		switch {
		case fromFile[n] != "":
			out[n] = fromFile[n]
		case getenv(passphraseEnv(n)) != "":
			out[n] = getenv(passphraseEnv(n))
		case all != "":
			out[n] = all
		default:
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		var how []string
		for _, n := range missing {
			how = append(how, fmt.Sprintf("set %s or pass --passphrase-file %s=FILE", passphraseEnv(n), n))
		}
		return nil, fmt.Errorf("build refused: portal %s has secrets = \"sealed\" but no passphrase (%s); nothing was written",
			strings.Join(missing, ", "), strings.Join(how, "; "))
	}
	return out, nil
}

// memo holds the decrypted secrets the sealed portals show, decrypted
// once before the build; it is the sealers' Decrypter.
type memo struct {
	mu   sync.Mutex
	vals map[string]map[string]string
}

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

func decryptForPortals(ctx context.Context, s *model.Site, portals []string, st *secrets.Store) (*memo, error) {
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
			vals, err := st.Secrets(ctx, it)
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
