package semdiff

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// secretDelta is what changed in an item's secrets, for portals: which
// keys it has (metadata every portal may show), and values (which only a
// sealed portal's pages carry). A pure re-encryption is neither.
type secretDelta struct{ keys, values bool }

// secrets compares every item's secrets file, by key name. A key whose
// ciphertext is the same on both sides is unchanged (SOPS encrypts each
// value with a fresh IV); one whose ciphertext differs changed or was
// re-encrypted, which only decrypting both sides can tell.
func (c *comparer) secrets(ctx context.Context) error {
	c.secretChanged = map[string]secretDelta{}
	oldByHead := map[string]*model.Item{}
	for _, it := range c.base.Site.Items {
		if it.Secrets != "" {
			oldByHead[c.mapID(it.ID)] = it
		}
	}
	seen := map[string]bool{}
	var ids []string
	for _, it := range c.head.Site.Items {
		if it.Secrets != "" {
			ids = append(ids, it.ID)
			seen[it.ID] = true
		}
	}
	for id := range oldByHead {
		if !seen[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		var oldData, newData []byte
		var oldFile, newFile string
		if o := oldByHead[id]; o != nil {
			b, err := c.base.Read(o.Secrets)
			if err != nil {
				return fmt.Errorf("%s: %w", c.base.Label, err)
			}
			oldData, oldFile = b, o.Secrets
		}
		if n := c.head.Site.Item(id); n != nil && n.Secrets != "" {
			b, err := c.head.Read(n.Secrets)
			if err != nil {
				return fmt.Errorf("%s: %w", c.head.Label, err)
			}
			newData, newFile = b, n.Secrets
		}
		if oldFile != "" && newFile != "" && bytes.Equal(oldData, newData) {
			continue
		}
		sc := c.secretsFile(id, oldFile, newFile, oldData, newData)
		if sc != nil {
			c.r.Secrets = append(c.r.Secrets, *sc)
			c.secretChanged[id] = secretDelta{
				keys:   len(sc.Added)+len(sc.Removed) > 0,
				values: len(sc.Changed)+len(sc.Unknown) > 0,
			}
		}
	}
	return nil
}

func (c *comparer) secretsFile(id, oldFile, newFile string, oldData, newData []byte) *SecretsChange {
	file := newFile
	if file == "" {
		file = oldFile
	}
	sc := &SecretsChange{Item: id, File: file, Added: []string{}, Removed: []string{}, Changed: []string{}, Reencrypted: []string{}, Unknown: []string{},
		RecipientsAdded: []string{}, RecipientsRemoved: []string{}}
	if oldFile != "" && newFile != "" {
		oldR, errOld := secrets.RecipientsOf(oldFile, oldData)
		newR, errNew := secrets.RecipientsOf(newFile, newData)
		if errOld == nil && errNew == nil {
			sc.RecipientsAdded, sc.RecipientsRemoved = minus(newR, oldR), minus(oldR, newR)
		}
	}
	var oldCT, newCT map[string]string
	if oldFile != "" {
		oldCT = sopsfile.Ciphertexts(oldData)
	}
	if newFile != "" {
		newCT = sopsfile.Ciphertexts(newData)
	}
	var differ []string
	for k := range newCT {
		if _, ok := oldCT[k]; !ok {
			sc.Added = append(sc.Added, k)
		} else if oldCT[k] != newCT[k] {
			differ = append(differ, k)
		}
	}
	for k := range oldCT {
		if _, ok := newCT[k]; !ok {
			sc.Removed = append(sc.Removed, k)
		}
	}
	sort.Strings(sc.Added)
	sort.Strings(sc.Removed)
	sort.Strings(differ)
	if len(differ) > 0 {
		c.classify(sc, differ, oldFile, newFile, oldData, newData)
	}
	if len(sc.Added)+len(sc.Removed)+len(sc.Changed)+len(sc.Reencrypted)+len(sc.Unknown) == 0 {
		if oldFile == "" || newFile == "" {
			return sc // an empty secrets file added or removed
		}
		sc.Note = "only the file's SOPS metadata changed (recipients, MAC or dates); no value changed"
		return sc
	}
	if len(sc.Reencrypted) > 0 && len(sc.Changed)+len(sc.Unknown)+len(sc.Added)+len(sc.Removed) == 0 {
		sc.Note = "re-encrypted without a value change"
	}
	return sc
}

// classify sorts keys whose ciphertext differs into changed, re-encrypted
// and unknown, decrypting both files when a key is available.
func (c *comparer) classify(sc *SecretsChange, keys []string, oldFile, newFile string, oldData, newData []byte) {
	if c.opts.Decrypter == nil {
		sc.Unknown = keys
		sc.Note = "cannot tell a changed value from a re-encryption without a key (set SOPS_AGE_KEY_FILE)"
		return
	}
	oldVals, errOld := c.opts.Decrypter.Decrypt(oldFile, oldData)
	newVals, errNew := c.opts.Decrypter.Decrypt(newFile, newData)
	if errOld != nil || errNew != nil {
		sc.Unknown = keys
		sc.Note = "cannot tell a changed value from a re-encryption: no key available here opens both versions of the file"
		return
	}
	for _, k := range keys {
		ov, okOld := oldVals[k]
		nv, okNew := newVals[k]
		switch {
		case !okOld || !okNew:
			sc.Unknown = append(sc.Unknown, k)
		case ov == nv:
			sc.Reencrypted = append(sc.Reencrypted, k)
		default:
			sc.Changed = append(sc.Changed, k)
		}
	}
	if len(sc.Unknown) > 0 {
		sc.Note = "some values are not text and were not compared"
	}
}

// minus returns the elements of a not in b, in a's order, [] for none.
func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	out := []string{}
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}
