package secrets

import (
	"context"
	"path"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// PathFor returns where an item's secrets file lives (or would live):
// <slug>.sops.yaml beside its TOML file, relative to the site root.
func PathFor(it *model.Item) string {
	if it.Secrets != "" {
		return it.Secrets
	}
	return path.Join(path.Dir(it.File), strings.TrimSuffix(path.Base(it.File), path.Ext(it.File))+".sops.yaml")
}

// Secrets returns the decrypted values of an item's password-kind fields
// (runbook.SecretSource): an empty map when the item has no secrets file,
// an error naming the file when it cannot be decrypted. Keys of the file
// that are not password fields of the item are left out. It may be called
// from many goroutines at once.
func (s *Store) Secrets(ctx context.Context, it *model.Item) (map[string]string, error) {
	out := map[string]string{}
	if it.Secrets == "" {
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.Open(it.Secrets)
	if err != nil {
		return nil, err
	}
	for _, name := range sopsfile.SecretFields(it.Schema) {
		if v, ok := f.Get(name); ok {
			out[name] = v
		}
	}
	return out, nil
}

// Secret returns one decrypted field of an item, ok=false when the item
// has no value for it. It may be called from many goroutines at once.
func (s *Store) Secret(ctx context.Context, it *model.Item, field string) (string, bool, error) {
	vals, err := s.Secrets(ctx, it)
	if err != nil {
		return "", false, err
	}
	v, ok := vals[field]
	return v, ok && v != "", nil
}
