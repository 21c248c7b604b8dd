package itglue

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// ManifestFile records, per site file an import wrote, the SHA-256 of the
// bytes it wrote: a file whose bytes differ now was changed by hand and is
// not overwritten. It holds no secret (hashes of SOPS files are hashes of
// ciphertext).
const ManifestFile = ".cairn/import/itglue.json"

type manifest struct {
	Files map[string]string `json:"files"`
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// apply writes the planned files: new files, and files whose site bytes
// are still what the last import wrote; a file changed by hand is kept and
// reported. With DryRun it only fills the report.
func (im *importer) apply() error {
	man := manifest{Files: map[string]string{}}
	if data, err := sitefs.ReadFile(im.opts.Site, ManifestFile, sitefs.MaxSourceFile); err == nil {
		if err := json.Unmarshal(data, &man); err != nil {
			return fmt.Errorf("%s is not valid JSON (%v): restore it from git, or delete it to treat every imported file as changed by hand", ManifestFile, err)
		}
		if man.Files == nil {
			man.Files = map[string]string{}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	rels := make([]string, 0, len(im.outs))
	nsecrets := 0
	for r, o := range im.outs {
		rels = append(rels, r)
		if o.secret != nil {
			nsecrets++
		}
	}
	sort.Strings(rels)
	store := &secrets.Store{Root: im.opts.Site, Keys: im.opts.Keys, Now: im.opts.Now}
	if nsecrets > 0 && !im.opts.DryRun {
		if err := im.recipients(store, rels); err != nil {
			return err
		}
	}
	var root *os.Root
	if !im.opts.DryRun {
		var err error
		if root, err = os.OpenRoot(im.opts.Site); err != nil {
			return err
		}
		defer root.Close()
	}
	changed := false
	for _, rel := range rels {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		o := im.outs[rel]
		have, err := sitefs.ReadFile(im.opts.Site, rel, MaxAttachment)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", rel, err)
		}
		ours := exists && man.Files[rel] == sum(have)
		if o.secret != nil {
			act, data, err := im.secretAction(store, rel, o, exists, ours)
			if err != nil {
				return err
			}
			if act == "" {
				if exists && man.Files[rel] == "" {
					man.Files[rel], changed = sum(have), true
				}
				continue
			}
			if err := im.write(root, rel, data, act); err != nil {
				return err
			}
			man.Files[rel], changed = sum(data), true
			continue
		}
		data := o.data
		if o.src != "" {
			if data, err = im.exp.ReadFile(o.src, MaxAttachment); err != nil {
				return err
			}
		}
		switch {
		case exists && string(have) == string(data):
			im.rep.Files["unchanged"]++
			if man.Files[rel] != sum(data) {
				man.Files[rel], changed = sum(data), true
			}
			continue
		case exists && !ours && !o.replaceable:
			im.rep.Files["kept"]++
			im.rep.Kept = append(im.rep.Kept, Note{File: rel, Message: "changed since it was imported (or not written by an import): kept; the export's version differs"})
			continue
		}
		act := "create"
		if exists {
			act = "update"
		}
		if err := im.write(root, rel, data, act); err != nil {
			return err
		}
		man.Files[rel], changed = sum(data), true
	}
	if changed && !im.opts.DryRun {
		data, err := json.MarshalIndent(man, "", "  ")
		if err != nil {
			return err
		}
		return writeAtomic(root, ManifestFile, append(data, '\n'))
	}
	return nil
}

// write records a change and, unless DryRun, writes the file.
func (im *importer) write(root *os.Root, rel string, data []byte, act string) error {
	im.rep.Files[map[string]string{"create": "created", "update": "updated"}[act]]++
	im.rep.Changes = append(im.rep.Changes, Change{Path: rel, Action: act})
	if im.opts.DryRun {
		return nil
	}
	return writeAtomic(root, rel, data)
}

// secretAction decides what to do with a secrets file: "" to leave it,
// create or update with the encrypted bytes. An existing file is
// compared with the export's values when the keys can open it; else it
// is kept as it is.
func (im *importer) secretAction(store *secrets.Store, rel string, o *output, exists, ours bool) (string, []byte, error) {
	f := secrets.NewFile()
	keys := make([]string, 0, len(o.secret))
	for k := range o.secret {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.Set(k, o.secret[k])
	}
	if exists {
		if !im.opts.Keys.Available() {
			im.rep.Files["unchanged"]++
			return "", nil, nil
		}
		cur, err := store.Open(rel)
		if err != nil {
			im.rep.Files["unchanged"]++
			im.rep.Warnings = append(im.rep.Warnings, Note{File: rel, Message: "exists and cannot be opened with your keys: kept as it is"})
			return "", nil, nil
		}
		same := len(cur.Keys()) == len(keys)
		for _, k := range keys {
			v, ok := cur.Get(k)
			same = same && ok && v == o.secret[k]
		}
		if same {
			im.rep.Files["unchanged"]++
			return "", nil, nil
		}
		if !ours {
			im.rep.Files["kept"]++
			im.rep.Kept = append(im.rep.Kept, Note{File: rel, Message: "its secrets were changed since the import: kept; the export's values differ"})
			return "", nil, nil
		}
	}
	if im.opts.DryRun {
		return map[bool]string{true: "update", false: "create"}[exists], nil, nil
	}
	data, err := store.Encrypt(rel, f)
	if err != nil {
		return "", nil, err
	}
	return map[bool]string{true: "update", false: "create"}[exists], data, nil
}

// recipients makes sure every secrets file has recipients: the --recipient
// keys go into .sops.yaml; without any, .sops.yaml must already name them.
func (im *importer) recipients(store *secrets.Store, rels []string) error {
	for _, r := range im.opts.Recipients {
		if !strings.HasPrefix(r, "age1") {
			return fmt.Errorf("--recipient %q: want an age public key (age1...); cairn keys init prints yours", r)
		}
		n, err := secrets.AddRecipient(im.opts.Site, r)
		if err != nil {
			return fmt.Errorf("adding %s to %s: %w", r, secrets.ConfigFile, err)
		}
		if n > 0 {
			im.rep.Changes = append(im.rep.Changes, Change{Path: secrets.ConfigFile, Action: "update"})
			im.rep.Warnings = append(im.rep.Warnings, Note{File: secrets.ConfigFile, Message: fmt.Sprintf("added recipient %s to %d creation rule(s)", r, n)})
		}
	}
	n := 0
	for _, rel := range rels {
		if im.outs[rel].secret == nil {
			continue
		}
		n++
		if _, err := store.RuleFor(rel); err != nil {
			return &NoRecipientError{Passwords: n, Reason: err.Error()}
		}
	}
	return nil
}

// NoRecipientError refuses to import passwords with no one to encrypt them
// to. Nothing has been written when it is returned.
type NoRecipientError struct {
	Passwords int
	Reason    string
}

func (e *NoRecipientError) Error() string {
	return fmt.Sprintf("the export holds passwords and there is no recipient to encrypt them to (%s): pass --recipient age1... (your public key: cairn keys init), or put your key in .sops.yaml with cairn keys init --add-to-sops; nothing was written", e.Reason)
}

// writeAtomic writes a file inside root: folders made as needed (a link
// on the way is refused by os.Root), a temporary file beside it, then a
// rename, so a reader sees the old or the whole new file.
func writeAtomic(root *os.Root, rel string, data []byte) error {
	if err := root.MkdirAll(path.Dir(rel), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	tmp := path.Join(path.Dir(rel), "."+path.Base(rel)+".import-tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = root.Rename(tmp, rel)
	}
	if werr != nil {
		root.Remove(tmp)
		return fmt.Errorf("writing %s: %w", rel, werr)
	}
	return nil
}
