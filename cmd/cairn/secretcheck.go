package main

import (
	"context"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
)

// checkSecrets is the part of cairn check that reads secrets files with
// .sops.yaml and the user's keys (secrets.CheckSite): recipients that
// differ from .sops.yaml, and MACs of the files this user can decrypt.
// It returns the keys it loaded too (nil when none could be), for the
// advisor's shared-secret rule.
func checkSecrets(ctx context.Context, s *model.Site, getenv func(string) string) (*diag.List, *secrets.Keys) {
	l := &diag.List{}
	if s == nil {
		return l, nil
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		l.Add(diag.Diagnostic{Pos: diag.Pos{File: "cairn.toml"}, Severity: diag.Warning, Code: "secrets-keys",
			Message: "cannot load age keys, so secrets files were not verified: " + err.Error()})
		keys = nil
	}
	l.Merge(secrets.CheckSite(ctx, s, keys))
	return l, keys
}
