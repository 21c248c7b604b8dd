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
	"runtime"
	"sort"
	"strings"
	"sync"

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
// reported. It decides every file and encrypts every secret before it
// writes one, so that a refusal (no recipient) writes nothing. With DryRun
// it only fills the report.
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
		if err := im.recipients(); err != nil {
			return err
		}
	}
	if nsecrets > 0 && im.opts.DryRun && len(im.opts.Recipients) == 0 {
		for _, rel := range rels {
			if im.outs[rel].secret == nil {
				continue
			}
			if _, err := store.RuleFor(rel); err != nil {
				im.rep.Warnings = append(im.rep.Warnings, Note{File: secrets.ConfigFile,
					Message: "the import itself would refuse the passwords, with no recipient to encrypt them to: give --recipient age1..."})
			}
			break
		}
	}
	type pending struct {
		rel, act string
		data     []byte // nil: copy the output's src
	}
	var todo []pending
	changed := false
	sec := im.secretActions(store, rels, man)
	for _, rel := range rels {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		o := im.outs[rel]
		if _, err := sitefs.Stat(im.opts.Site, rel); errors.Is(err, fs.ErrNotExist) && man.Files[rel] != "" {
			// An earlier import wrote it and someone deleted it since.
			im.rep.Files["kept"]++
			im.rep.Kept = append(im.rep.Kept, Note{File: rel, Message: "deleted since it was imported: not written again (remove its line from " + ManifestFile + " to have it back)"})
			continue
		}
		if o.secret != nil {
			r := sec[rel]
			if r.err != nil {
				return r.err
			}
			if r.act == "" {
				if r.files != "" {
					im.rep.Files[r.files]++
				}
				if r.note != nil && r.files == "kept" {
					im.rep.Kept = append(im.rep.Kept, *r.note)
				} else if r.note != nil {
					im.rep.Warnings = append(im.rep.Warnings, *r.note)
				}
				if r.data != nil {
					man.Files[rel], changed = sum(r.data), true
				}
				continue
			}
			todo = append(todo, pending{rel, r.act, r.data})
			continue
		}
		have, err := sitefs.ReadFile(im.opts.Site, rel, MaxAttachment)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", rel, err)
		}
		ours := exists && man.Files[rel] == sum(have)
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
		if o.src != "" {
			man.Files[rel] = sum(data)
			data = nil // read again when written: attachments are not all held at once
		}
		todo = append(todo, pending{rel, act, data})
	}
	for _, p := range todo {
		im.rep.Files[map[string]string{"create": "created", "update": "updated"}[p.act]]++
		im.rep.Changes = append(im.rep.Changes, Change{Path: p.rel, Action: p.act})
	}
	if im.opts.DryRun || (len(todo) == 0 && !changed) {
		return nil
	}
	w, err := newSiteWriter(im.opts.Site)
	if err != nil {
		return err
	}
	defer w.close()
	for _, p := range todo {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		data := p.data
		if data == nil {
			if data, err = im.exp.ReadFile(im.outs[p.rel].src, MaxAttachment); err != nil {
				return err
			}
		}
		if err := w.write(p.rel, data); err != nil {
			return err
		}
		man.Files[p.rel] = sum(data)
	}
	data, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	if err := w.write(ManifestFile, append(data, '\n')); err != nil {
		return err
	}
	return w.sync()
}

// secretResult is what to do with one secrets file, and what to report.
type secretResult struct {
	act  string // "", create or update
	data []byte
	// files is the report's count it adds to when act is "".
	files string
	note  *Note // kept (files == "kept") or a warning
	err   error
}

// secretAction decides what to do with a secrets file: leave it, or create
// or update it with the encrypted bytes. An existing file is compared with
// the export's values when the keys can open it; else it is kept as it
// is. It only reads the site and the report's settings, so calls for
// different files may run at once.
func (im *importer) secretAction(store *secrets.Store, rel string, o *output, exists, ours bool) secretResult {
	f := secrets.NewFile()
	keys := make([]string, 0, len(o.secret))
	for k := range o.secret {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.Set(k, o.secret[k])
	}
	act := map[bool]string{true: "update", false: "create"}[exists]
	if exists {
		if !im.opts.Keys.Available() {
			return secretResult{files: "unchanged"}
		}
		cur, err := store.Open(rel)
		if err != nil {
			return secretResult{files: "unchanged", note: &Note{File: rel, Message: "exists and cannot be opened with your keys: kept as it is"}}
		}
		same := len(cur.Keys()) == len(keys)
		for _, k := range keys {
			v, ok := cur.Get(k)
			same = same && ok && v == o.secret[k]
		}
		if same {
			return secretResult{files: "unchanged"}
		}
		if !ours {
			return secretResult{files: "kept", note: &Note{File: rel, Message: "its secrets were changed since the import: kept; the export's values differ"}}
		}
	}
	if im.opts.DryRun {
		return secretResult{act: act}
	}
	data, err := store.Encrypt(rel, f)
	if err != nil {
		if _, rerr := store.RuleFor(rel); rerr != nil {
			return secretResult{err: &NoRecipientError{Reason: rerr.Error(), SopsChanged: im.sopsChanged}}
		}
		return secretResult{err: err}
	}
	return secretResult{act: act, data: data}
}

// secretActions runs secretAction for every secrets file, on every CPU
// (encrypting is most of a large import's work), and returns the results
// by path.
func (im *importer) secretActions(store *secrets.Store, rels []string, man manifest) map[string]secretResult {
	type job struct {
		rel    string
		result secretResult
	}
	var jobs []*job
	for _, rel := range rels {
		if im.outs[rel].secret != nil {
			jobs = append(jobs, &job{rel: rel})
		}
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if err := im.ctx.Err(); err != nil {
					j.result = secretResult{err: err}
					continue
				}
				have, err := sitefs.ReadFile(im.opts.Site, j.rel, sitefs.MaxSourceFile)
				exists := err == nil
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					j.result = secretResult{err: fmt.Errorf("reading %s: %w", j.rel, err)}
					continue
				}
				j.result = im.secretAction(store, j.rel, im.outs[j.rel], exists, exists && man.Files[j.rel] == sum(have))
				if j.result.act == "" && j.result.err == nil && exists && man.Files[j.rel] == "" {
					j.result.data = have // recorded in the manifest as it is
				}
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	out := make(map[string]secretResult, len(jobs))
	for _, j := range jobs {
		out[j.rel] = j.result
	}
	return out
}

// recipients adds the --recipient keys to .sops.yaml. Whether every
// secrets file then has a rule shows when it is encrypted, before any
// other file is written.
func (im *importer) recipients() error {
	for _, r := range im.opts.Recipients {
		if !strings.HasPrefix(r, "age1") {
			return fmt.Errorf("--recipient %q: want an age public key (age1...); cairn keys init prints yours", r)
		}
		n, err := secrets.AddRecipient(im.opts.Site, r)
		if err != nil {
			return fmt.Errorf("adding %s to %s: %w", r, secrets.ConfigFile, err)
		}
		if n > 0 {
			im.sopsChanged = true
			im.rep.Changes = append(im.rep.Changes, Change{Path: secrets.ConfigFile, Action: "update"})
			im.rep.Warnings = append(im.rep.Warnings, Note{File: secrets.ConfigFile, Message: fmt.Sprintf("added recipient %s to %d creation rule(s)", r, n)})
		}
	}
	return nil
}

// NoRecipientError refuses to import passwords with no one to encrypt them
// to. Nothing has been written when it is returned.
type NoRecipientError struct {
	Reason string
	// SopsChanged: the --recipient keys were added to .sops.yaml before
	// the refusal (nothing else was written).
	SopsChanged bool
}

// Error says why, and how to give a recipient; it holds no secret.
func (e *NoRecipientError) Error() string {
	written := "nothing was written"
	if e.SopsChanged {
		written = "nothing but the recipients in .sops.yaml was written"
	}
	return fmt.Sprintf("the export holds passwords and there is no recipient to encrypt them to (%s): pass --recipient age1... (your public key: cairn keys init), or put your key in .sops.yaml with cairn keys init --add-to-sops; %s", e.Reason, written)
}

// siteWriter writes files inside the site: folders made as needed (a link
// on the way is refused by os.Root), each file as a temporary file beside
// it and then a rename, so a reader (or an interrupted import) sees the
// old or the whole new file. Each folder is opened once as its own root,
// so that writing a file costs one openat rather than one per path
// element. Files are not synced one by one (tens of thousands of fsyncs
// took most of a large import's time): sync flushes them all at the end.
type siteWriter struct {
	root *os.Root
	dirs map[string]*os.Root
}

func newSiteWriter(site string) (*siteWriter, error) {
	r, err := os.OpenRoot(site)
	if err != nil {
		return nil, err
	}
	return &siteWriter{root: r, dirs: map[string]*os.Root{}}, nil
}

func (w *siteWriter) close() {
	for _, d := range w.dirs {
		d.Close()
	}
	w.root.Close()
}

func (w *siteWriter) dir(rel string) (*os.Root, error) {
	if d := w.dirs[rel]; d != nil {
		return d, nil
	}
	if err := w.root.MkdirAll(rel, 0o755); err != nil {
		return nil, err
	}
	d, err := w.root.OpenRoot(rel)
	if err != nil {
		return nil, err
	}
	w.dirs[rel] = d
	return d, nil
}

func (w *siteWriter) write(rel string, data []byte) error {
	d, err := w.dir(path.Dir(rel))
	if err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	base := path.Base(rel)
	tmp := "." + base + ".import-tmp"
	f, err := d.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = d.Rename(tmp, base)
	}
	if werr != nil {
		d.Remove(tmp)
		return fmt.Errorf("writing %s: %w", rel, werr)
	}
	return nil
}

// sync flushes what was written to disk.
func (w *siteWriter) sync() error { return syncSite(w.root) }
