package main

import (
	"context"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/site"
)

// loadCheckKeys and checkSecretsWith are the part of cairn check that
// reads secrets files with .sops.yaml and the user's keys
// (secrets.CheckSite): recipients that differ from .sops.yaml, and MACs
// of the files this user can decrypt. The keys are loaded first, since
// the advisor's shared-secret rule uses them too.

// loadCheckKeys loads the user's age keys for checkSecretsWith: nil keys
// and a warning when they cannot be loaded, nil keys and no warning when
// s is nil.
func loadCheckKeys(s *model.Site, getenv func(string) string) (*secrets.Keys, *diag.List) {
	l := &diag.List{}
	if s == nil {
		return nil, l
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		l.Add(diag.Diagnostic{Pos: diag.Pos{File: "cairn.toml"}, Severity: diag.Warning, Code: "secrets-keys",
			Message: "cannot load age keys, so secrets files were not verified: " + err.Error()})
		return nil, l
	}
	return keys, l
}

// checkSecretsWith adds to l (loadCheckKeys' warnings) the findings of
// secrets.CheckSiteParsed with keys (which may be nil), taking recipients
// from site.Open's parse of each file, and returns l. It only reads res,
// so it may run beside other readers of the site.
func checkSecretsWith(ctx context.Context, res *site.Result, keys *secrets.Keys, l *diag.List) *diag.List {
	if res.Site == nil {
		return l
	}
	l.Merge(secrets.CheckSiteParsed(ctx, res.Site, keys, res.SecretsFiles))
	return l
}
