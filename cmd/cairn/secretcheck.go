package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// checkSecrets is the part of cairn check that needs keys: with a key
// available, every secrets file this user can decrypt must decrypt and
// match its MAC (a file changed without the key fails, naming it). Files
// for other recipients are skipped; files with structural problems are
// left to the structural check (generator/sopsfile, run by site.Open).
func checkSecrets(ctx context.Context, s *model.Site, getenv func(string) string) *diag.List {
	l := &diag.List{}
	if s == nil {
		return l
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		l.Add(diag.Diagnostic{Pos: diag.Pos{File: "cairn.toml"}, Severity: diag.Warning, Code: "secrets-keys",
			Message: "cannot load age keys, so secrets files were not verified: " + err.Error()})
		return l
	}
	if !keys.Available() {
		return l
	}
	st := &secrets.Store{Root: s.Root, Keys: keys}
	for _, it := range s.Items {
		if it.Secrets == "" || ctx.Err() != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(it.Secrets)))
		if err != nil || len(sopsfile.Check(data)) > 0 {
			continue
		}
		if err := st.Verify(it.Secrets); err != nil {
			if errors.Is(err, secrets.ErrNotRecipient) || errors.Is(err, secrets.ErrNoKeys) {
				continue
			}
			l.ErrorHint(diag.Pos{File: it.Secrets}, "secrets-mac",
				"restore the file from git (git log -p "+it.Secrets+"), or have someone who knows the values set them again",
				"%s", strings.TrimPrefix(err.Error(), it.Secrets+": "))
		}
	}
	return l
}
