package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
)

// sealers sets up the sealers of the sealed portals among names:
// passphrases from --passphrase-file values (PORTAL=FILE, or FILE for
// every sealed portal) and the environment, keys from the environment.
// The work (and every check that fails closed) is build.Passphrases and
// build.Sealers; nil when no portal is sealed.
func sealers(ctx context.Context, s *model.Site, names, files []string, getenv func(string) string, warn io.Writer) (*build.Sealing, error) {
	sealed := build.SealedPortals(s, names)
	if len(sealed) == 0 {
		return nil, nil
	}
	popts := build.PassphraseOptions{ByPortal: map[string]string{}, Getenv: getenv, Warn: warn}
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
			popts.All = p
		} else {
			popts.ByPortal[name] = p
		}
	}
	pass, err := build.Passphrases(s, sealed, popts)
	if err != nil {
		return nil, err
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		return nil, err
	}
	return build.Sealers(ctx, s, pass, &secrets.Store{Root: s.Root, Keys: keys})
}
