package secrets

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/keys"
	"github.com/getsops/sops/v3/shamir"
	yamlstore "github.com/getsops/sops/v3/stores/yaml"
	"github.com/getsops/sops/v3/version"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// ConfigFile is the SOPS configuration file at the site root that names
// the recipients of each secrets file by path (creation_rules).
const ConfigFile = ".sops.yaml"

// Store reads and writes the secrets files of one site. Paths are
// slash-separated and relative to Root, like model.Item.Secrets. A Store
// may be used from many goroutines at once.
type Store struct {
	// Root is the site's folder.
	Root string
	// Keys decrypt; they are not needed to encrypt.
	Keys *Keys
	// Now stamps a written file's lastmodified, which SOPS binds into the
	// file's MAC. The CLI passes time.Now.
	Now func() time.Time
}

// File is a decrypted secrets file: its keys and values in file order,
// with any comments. It holds plaintext: keep it no longer than needed and
// never write it anywhere but through Store.Save.
type File struct {
	branch sops.TreeBranch
}

// Keys returns the file's keys in file order.
func (f *File) Keys() []string {
	var out []string
	for _, it := range f.branch {
		if k, ok := it.Key.(string); ok {
			out = append(out, k)
		}
	}
	return out
}

// Get returns the value of key, and whether the file has it. Numbers and
// booleans (as `sops edit` may leave them) are returned as their text.
func (f *File) Get(key string) (string, bool) {
	for _, it := range f.branch {
		if k, ok := it.Key.(string); ok && k == key {
			return leafString(it.Value)
		}
	}
	return "", false
}

// Values returns every single-valued key as a map.
func (f *File) Values() map[string]string {
	out := map[string]string{}
	for _, k := range f.Keys() {
		if v, ok := f.Get(k); ok {
			out[k] = v
		}
	}
	return out
}

// Set sets key to value, in place when the file has it, else at the end.
func (f *File) Set(key, value string) {
	for i, it := range f.branch {
		if k, ok := it.Key.(string); ok && k == key {
			f.branch[i].Value = value
			return
		}
	}
	f.branch = append(f.branch, sops.TreeItem{Key: key, Value: value})
}

// Delete removes key; it reports whether the file had it.
func (f *File) Delete(key string) bool {
	for i, it := range f.branch {
		if k, ok := it.Key.(string); ok && k == key {
			f.branch = append(f.branch[:i], f.branch[i+1:]...)
			return true
		}
	}
	return false
}

func leafString(v any) (string, bool) {
	switch v.(type) {
	case string, int, float64, bool, time.Time:
		b, err := sops.ToBytes(v)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
	return "", false
}

// NewFile returns an empty file, to Set values in and Save.
func NewFile() *File { return &File{} }

func (s *Store) abs(rel string) string { return filepath.Join(s.Root, filepath.FromSlash(rel)) }

// Open reads, decrypts and verifies a secrets file. It fails, naming the
// file, when the file is not SOPS YAML, when no key of s.Keys is one of
// its recipients, when a value does not decrypt, or when the file's MAC
// does not match its content (the file was changed without the key).
func (s *Store) Open(rel string) (*File, error) {
	data, err := sitefs.ReadFile(s.Root, rel, sitefs.MaxSourceFile)
	if err != nil {
		return nil, err // names rel, never a link's target
	}
	return s.decrypt(rel, data)
}

// Verify decrypts a secrets file and checks its MAC, discarding the
// values. It is Open for callers that only need to know the file is sound.
func (s *Store) Verify(rel string) error {
	_, err := s.Open(rel)
	return err
}

// Decrypt decrypts and verifies the bytes of a secrets file that were
// read elsewhere (from a git revision), as Open does for rel on disk;
// rel names the file in errors.
func (s *Store) Decrypt(rel string, data []byte) (*File, error) { return s.decrypt(rel, data) }

func (s *Store) decrypt(rel string, data []byte) (*File, error) {
	st := yamlstore.NewStore(&config.NewStoresConfig().YAML)
	tree, err := st.LoadEncryptedFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not a SOPS file: %s (was it written with cairn secret set or sops?)", rel, firstLine(err.Error()))
	}
	if len(tree.Branches) != 1 {
		return nil, fmt.Errorf("%s: a secrets file holds one YAML document, this one has %d", rel, len(tree.Branches))
	}
	dataKey, err := s.Keys.dataKey(rel, &tree.Metadata)
	if err != nil {
		return nil, err
	}
	if err := decryptTree(rel, &tree, dataKey); err != nil {
		return nil, err
	}
	return &File{branch: tree.Branches[0]}, nil
}

// dataKey recovers a file's data key with these keys: age keys directly,
// other master keys (PGP, cloud KMS) through their own credentials, and
// Shamir key groups combined as SOPS does.
func (k *Keys) dataKey(rel string, md *sops.Metadata) ([]byte, error) {
	if len(md.KeyGroups) == 0 {
		return nil, fmt.Errorf("%s has no recipients in its sops metadata", rel)
	}
	var parts [][]byte
	var recipients []string
	var errs []string
	for _, group := range md.KeyGroups {
		part, err := k.decryptGroup(group)
		if err == nil {
			parts = append(parts, part)
		} else {
			errs = append(errs, err.Error())
		}
		for _, key := range group {
			recipients = append(recipients, key.ToString())
		}
	}
	if len(md.KeyGroups) == 1 {
		if len(parts) == 1 {
			return parts[0], nil
		}
	} else {
		need := md.ShamirThreshold
		if need == 0 {
			need = len(md.KeyGroups)
		}
		if len(parts) >= need {
			key, err := shamir.Combine(parts)
			if err != nil {
				return nil, fmt.Errorf("%s: combining key groups: %w", rel, err)
			}
			return key, nil
		}
	}
	if !k.Available() {
		return nil, keyError(ErrNoKeys, "cannot decrypt %s: no age key found (looked in %s); run cairn keys init to make one, or set SOPS_AGE_KEY_FILE to your key file",
			rel, strings.Join(k.searched(), ", "))
	}
	return nil, keyError(ErrNotRecipient, "cannot decrypt %s: none of your age keys (%s, from %s) is one of its recipients (%s); ask someone who can read it to add your public key to .sops.yaml and run cairn secret rekey",
		rel, strings.Join(k.Recipients(), ", "), strings.Join(k.Sources, ", "), strings.Join(recipients, ", "))
}

func (k *Keys) searched() []string {
	if k == nil {
		return []string{EnvAgeKey, EnvAgeKeyFile, "the default key file"}
	}
	return k.Searched
}

func (k *Keys) decryptGroup(group sops.KeyGroup) ([]byte, error) {
	var errs []error
	for _, key := range group {
		if ak, ok := key.(*sopsage.MasterKey); ok {
			if !k.Available() {
				errs = append(errs, errors.New("no age key"))
				continue
			}
			// A copy, so that concurrent opens do not share state.
			c := *ak
			k.ids.ApplyToMasterKey(&c)
			b, err := c.Decrypt()
			if err == nil {
				return b, nil
			}
			errs = append(errs, err)
			continue
		}
		b, err := key.Decrypt()
		if err == nil {
			return b, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// ErrNoKeys and ErrNotRecipient are what Open's errors wrap when the file
// is sound but cannot be decrypted here: no age key was found at all, or
// none of the keys found is one of the file's recipients.
var (
	ErrNoKeys       = errors.New("no age key found")
	ErrNotRecipient = errors.New("not a recipient")
)

type wrapped struct {
	msg  string
	kind error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.kind }

func keyError(kind error, format string, args ...any) error {
	return &wrapped{msg: fmt.Sprintf(format, args...), kind: kind}
}

// Rule is what the site's .sops.yaml says about one secrets file.
type Rule struct {
	groups    []sops.KeyGroup
	threshold int
	macOnly   bool
}

// Recipients returns the master keys of the rule, as SOPS prints them
// (age1... for age).
func (r *Rule) Recipients() []string {
	var out []string
	for _, g := range r.groups {
		for _, k := range g {
			out = append(out, k.ToString())
		}
	}
	return out
}

// RuleFor returns the creation rule of the site's .sops.yaml for a secrets
// file, matched as the sops CLI matches it (path_regex against the path
// relative to the folder of .sops.yaml; the first match wins).
func (s *Store) RuleFor(rel string) (*Rule, error) {
	conf := filepath.Join(s.Root, ConfigFile)
	// Read through sitefs first: SOPS reads the file itself, and must
	// never be handed a link out of the site (its errors quote content).
	if _, err := sitefs.ReadFile(s.Root, ConfigFile, sitefs.MaxSourceFile); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s at the site root: add creation_rules naming the age recipients for content/<org>/ (cairn help secrets shows one)", ConfigFile)
	} else if err != nil {
		return nil, err
	}
	absConf, err := filepath.Abs(conf)
	if err != nil {
		return nil, err
	}
	absFile, err := filepath.Abs(s.abs(rel))
	if err != nil {
		return nil, err
	}
	if err := explainRule(s.Root, rel); err != nil {
		return nil, err
	}
	c, err := config.LoadCreationRuleForFile(absConf, absFile, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v (for %s)", ConfigFile, err, rel)
	}
	if c == nil {
		return nil, fmt.Errorf("%s has no creation_rules: add one naming the age recipients for %s", ConfigFile, rel)
	}
	for _, opt := range []struct{ name, v string }{
		{"unencrypted_suffix", c.UnencryptedSuffix}, {"encrypted_suffix", c.EncryptedSuffix},
		{"unencrypted_regex", c.UnencryptedRegex}, {"encrypted_regex", c.EncryptedRegex},
		{"unencrypted_comment_regex", c.UnencryptedCommentRegex}, {"encrypted_comment_regex", c.EncryptedCommentRegex},
	} {
		if opt.v != "" {
			return nil, fmt.Errorf("%s: the rule for %s sets %s: cairn keeps every value encrypted; remove it", ConfigFile, rel, opt.name)
		}
	}
	n := 0
	for _, g := range c.KeyGroups {
		n += len(g)
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: the rule for %s names no recipients", ConfigFile, rel)
	}
	return &Rule{groups: c.KeyGroups, threshold: c.ShamirThreshold, macOnly: c.MACOnlyEncrypted}, nil
}

// Encrypt returns f encrypted as SOPS YAML under a fresh data key for the
// recipients .sops.yaml gives for rel, with its MAC computed as the sops
// CLI computes it. f is not changed.
func (s *Store) Encrypt(rel string, f *File) ([]byte, error) {
	if len(f.Keys()) == 0 {
		return nil, fmt.Errorf("%s: nothing to encrypt (the file would have no values)", rel)
	}
	rule, err := s.RuleFor(rel)
	if err != nil {
		return nil, err
	}
	dataKey := make([]byte, 32)
	if _, err := rand.Read(dataKey); err != nil {
		return nil, fmt.Errorf("generating a data key: %w", err)
	}
	groups, err := wrapDataKey(dataKey, rule)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	abs, _ := filepath.Abs(s.abs(rel))
	tree := sops.Tree{
		Branches: sops.TreeBranches{copyBranch(f.branch)},
		Metadata: sops.Metadata{
			KeyGroups:         groups,
			ShamirThreshold:   rule.threshold,
			UnencryptedSuffix: sops.DefaultUnencryptedSuffix, // as the sops CLI sets it when no rule says otherwise
			MACOnlyEncrypted:  rule.macOnly,
			Version:           version.Version,
		},
		FilePath: abs,
	}
	for _, k := range f.Keys() {
		if strings.HasSuffix(k, sops.DefaultUnencryptedSuffix) {
			return nil, fmt.Errorf("%s: key %q ends with %s, which SOPS would leave unencrypted; rename it", rel, k, sops.DefaultUnencryptedSuffix)
		}
	}
	cipher := aes.NewCipher()
	mac, err := tree.Encrypt(dataKey, cipher)
	if err != nil {
		return nil, fmt.Errorf("%s: encrypting: %w", rel, err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	tree.Metadata.LastModified = now().UTC().Truncate(time.Second)
	tree.Metadata.MessageAuthenticationCode, err = cipher.Encrypt(mac, dataKey, tree.Metadata.LastModified.Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("%s: encrypting the MAC: %w", rel, err)
	}
	out, err := s.yamlStore().EmitEncryptedFile(tree)
	if err != nil {
		return nil, fmt.Errorf("%s: writing YAML: %w", rel, err)
	}
	return out, nil
}

// yamlStore is the YAML store with the site's stores settings (indent),
// as the sops CLI would use for this site.
func (s *Store) yamlStore() *yamlstore.Store {
	sc := config.NewStoresConfig()
	if c, err := config.LoadStoresConfig(filepath.Join(s.Root, ConfigFile)); err == nil && c != nil {
		sc = c
	}
	return yamlstore.NewStore(&sc.YAML)
}

// wrapDataKey encrypts the data key for every master key of the rule (a
// Shamir share per key group when there are several), as SOPS's
// UpdateMasterKeys does, without a key service.
func wrapDataKey(dataKey []byte, rule *Rule) ([]sops.KeyGroup, error) {
	parts := [][]byte{dataKey}
	if len(rule.groups) > 1 {
		t := rule.threshold
		if t == 0 {
			t = len(rule.groups)
		}
		var err error
		parts, err = shamir.Split(dataKey, len(rule.groups), t)
		if err != nil {
			return nil, fmt.Errorf("splitting the data key: %w", err)
		}
	}
	out := make([]sops.KeyGroup, len(rule.groups))
	for i, g := range rule.groups {
		for _, key := range g {
			nk, err := freshKey(key)
			if err != nil {
				return nil, err
			}
			if err := nk.Encrypt(parts[i]); err != nil {
				return nil, fmt.Errorf("encrypting the data key for %s: %w", key.ToString(), err)
			}
			out[i] = append(out[i], nk)
		}
	}
	return out, nil
}

// freshKey returns a master key with no encrypted data key yet.
func freshKey(k keys.MasterKey) (keys.MasterKey, error) {
	if ak, ok := k.(*sopsage.MasterKey); ok {
		return sopsage.MasterKeyFromRecipient(ak.Recipient)
	}
	return k, nil
}

// Save encrypts f (see Encrypt) and replaces the file at rel atomically:
// a new file beside it, then a rename, so a failure leaves the old file.
func (s *Store) Save(rel string, f *File) error {
	data, err := s.Encrypt(rel, f)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(s.abs(rel), data, 0o644)
}

// Rekey re-encrypts a secrets file under a fresh data key for the
// recipients .sops.yaml gives now, keeping its values, order and comments.
// A fresh data key matters: a removed recipient who kept the old data key
// must not be able to read values set after the rekey.
func (s *Store) Rekey(rel string) error {
	f, err := s.Open(rel)
	if err != nil {
		return err
	}
	return s.Save(rel, f)
}

// Recipients returns the master keys a secrets file is encrypted for now,
// read from its metadata (no key needed).
func (s *Store) Recipients(rel string) ([]string, error) {
	data, err := sitefs.ReadFile(s.Root, rel, sitefs.MaxSourceFile)
	if err != nil {
		return nil, err
	}
	return RecipientsOf(rel, data)
}

// RecipientsOf returns the master keys the secrets file data (named rel
// in errors) is encrypted for, sorted, read from its metadata without a
// key.
func RecipientsOf(rel string, data []byte) ([]string, error) {
	tree, err := yamlstore.NewStore(&config.NewStoresConfig().YAML).LoadEncryptedFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not a SOPS file: %s", rel, firstLine(err.Error()))
	}
	var out []string
	for _, g := range tree.Metadata.KeyGroups {
		for _, k := range g {
			out = append(out, k.ToString())
		}
	}
	sort.Strings(out)
	return out, nil
}

func copyBranch(b sops.TreeBranch) sops.TreeBranch {
	out := make(sops.TreeBranch, len(b))
	for i, it := range b {
		out[i] = sops.TreeItem{Key: it.Key, Value: copyValue(it.Value)}
	}
	return out
}

func copyValue(v any) any {
	switch v := v.(type) {
	case sops.TreeBranch:
		return copyBranch(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyValue(e)
		}
		return out
	default:
		return v
	}
}

// Plain returns the file as plain YAML, comments kept, for an editor. The
// result is plaintext: the caller owns keeping it off disk.
func (f *File) Plain() ([]byte, error) {
	if len(f.branch) == 0 {
		return []byte{}, nil
	}
	return yamlstore.NewStore(&config.NewStoresConfig().YAML).EmitPlainFile(sops.TreeBranches{copyBranch(f.branch)})
}

// ParsePlain reads plain YAML (as Plain writes it) back into a File. It
// accepts one mapping of names to single values; errors never repeat a
// value.
func ParsePlain(data []byte) (*File, error) {
	branches, err := yamlstore.NewStore(&config.NewStoresConfig().YAML).LoadPlainFile(data)
	if err != nil {
		return nil, fmt.Errorf("not valid YAML: %s", firstLine(err.Error()))
	}
	if len(branches) == 0 {
		return NewFile(), nil
	}
	if len(branches) > 1 {
		return nil, errors.New("more than one YAML document")
	}
	for _, it := range branches[0] {
		k, ok := it.Key.(string)
		if !ok {
			continue // a comment
		}
		if k == "sops" {
			return nil, errors.New("the file has a top-level sops key: remove it")
		}
		if _, ok := leafString(it.Value); !ok && it.Value != nil {
			return nil, fmt.Errorf("%q must be a single value, not a list or mapping", k)
		}
	}
	return &File{branch: branches[0]}, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "`"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
