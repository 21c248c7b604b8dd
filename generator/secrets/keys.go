// Package secrets reads and writes an item's secret values: the
// <slug>.sops.yaml file beside it, encrypted with the real SOPS library
// for the age recipients the site's .sops.yaml names for its path. It is
// the only package of cairn that imports SOPS (which pulls in every cloud
// KMS SDK); everything else reaches secrets through small interfaces.
package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"filippo.io/age"
	sopsage "github.com/getsops/sops/v3/age"
)

// The environment variables SOPS reads age keys from.
const (
	EnvAgeKey     = "SOPS_AGE_KEY"
	EnvAgeKeyFile = "SOPS_AGE_KEY_FILE"
)

// Keys are the age private keys (identities) this user can decrypt with,
// and where they came from. The zero value holds no keys. Keys is safe for
// concurrent use once loaded.
type Keys struct {
	ids sopsage.ParsedIdentities
	// Sources names where keys were found, for messages: "SOPS_AGE_KEY_FILE
	// (/home/dana/keys.txt)".
	Sources []string
	// Searched names every place looked at, found or not.
	Searched []string
}

// Available reports whether any key was found.
func (k *Keys) Available() bool { return k != nil && len(k.ids) > 0 }

// Recipients returns the public keys (age1...) of the X25519 identities.
func (k *Keys) Recipients() []string {
	if k == nil {
		return nil
	}
	var out []string
	for _, id := range k.ids {
		if x, ok := id.(*age.X25519Identity); ok {
			out = append(out, x.Recipient().String())
		}
	}
	return out
}

// KeyOptions say where LoadKeys looks.
type KeyOptions struct {
	// Getenv reads the environment (os.Getenv in the CLI, a map in tests).
	Getenv func(string) string
	// SiteKeyFile is the site's sops_age_key_file from cairn.toml, resolved
	// against the site root, or "". Only the project's demo sets it.
	SiteKeyFile string
}

// DefaultKeyFile returns where SOPS looks for age keys when no variable is
// set: $XDG_CONFIG_HOME/sops/age/keys.txt, else the platform's user
// configuration folder (~/.config on Linux, ~/Library/Application Support
// on macOS, %AppData% on Windows). It returns "" when no folder is known.
func DefaultKeyFile(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		switch runtime.GOOS {
		case "windows":
			dir = getenv("AppData")
		case "darwin", "ios":
			if h := getenv("HOME"); h != "" {
				dir = filepath.Join(h, "Library", "Application Support")
			}
		default:
			if h := getenv("HOME"); h != "" {
				dir = filepath.Join(h, ".config")
			}
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, filepath.FromSlash(sopsage.SopsAgeKeyUserConfigPath))
}

// KeyFileForNewKey returns where cairn keys init saves a new key: the file
// SOPS_AGE_KEY_FILE names, else DefaultKeyFile.
func KeyFileForNewKey(getenv func(string) string) string {
	if f := getenv(EnvAgeKeyFile); f != "" {
		return f
	}
	return DefaultKeyFile(getenv)
}

// LoadKeys collects age keys from the places SOPS reads them: the
// SOPS_AGE_KEY variable, the file SOPS_AGE_KEY_FILE names, and the default
// key file; then the site's demo key file, if cairn.toml names one. A
// place that does not exist is skipped; a key file that exists but cannot
// be read or parsed is an error naming it. Finding no key at all is not
// an error: Available reports it, and decryption says where it looked.
func LoadKeys(opts KeyOptions) (*Keys, error) {
	k := &Keys{}
	if v := opts.Getenv(EnvAgeKey); v != "" {
		k.Searched = append(k.Searched, EnvAgeKey)
		if err := k.importText(v, true); err != nil {
			return nil, fmt.Errorf("%s: %w", EnvAgeKey, err)
		}
		k.Sources = append(k.Sources, EnvAgeKey)
	} else {
		k.Searched = append(k.Searched, EnvAgeKey+" (not set)")
	}
	files := []struct{ label, path string }{}
	if f := opts.Getenv(EnvAgeKeyFile); f != "" {
		files = append(files, struct{ label, path string }{EnvAgeKeyFile + " (" + f + ")", f})
	} else {
		k.Searched = append(k.Searched, EnvAgeKeyFile+" (not set)")
	}
	if f := DefaultKeyFile(opts.Getenv); f != "" {
		files = append(files, struct{ label, path string }{f, f})
	}
	if opts.SiteKeyFile != "" {
		files = append(files, struct{ label, path string }{"cairn.toml sops_age_key_file (" + opts.SiteKeyFile + ")", opts.SiteKeyFile})
	}
	for _, f := range files {
		k.Searched = append(k.Searched, f.label)
		data, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading age keys from %s: %w", f.label, err)
		}
		if err := k.importText(string(data), false); err != nil {
			return nil, fmt.Errorf("age keys in %s: %w", f.label, err)
		}
		k.Sources = append(k.Sources, f.label)
	}
	return k, nil
}

// ParseKeys returns the keys in an age key file's text (lines of
// AGE-SECRET-KEY-1..., comments with #), for tests and tools.
func ParseKeys(text string) (*Keys, error) {
	k := &Keys{}
	if err := k.importText(text, false); err != nil {
		return nil, err
	}
	k.Sources = []string{"text"}
	return k, nil
}

func (k *Keys) importText(text string, manyPerLine bool) error {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if manyPerLine {
			lines = append(lines, strings.Fields(line)...)
		} else {
			lines = append(lines, line)
		}
	}
	for _, l := range lines {
		// Parse X25519 keys here so that a bad line is reported without
		// echoing it: it may be a private key.
		if strings.HasPrefix(l, "AGE-SECRET-KEY-1") {
			id, err := age.ParseX25519Identity(l)
			if err != nil {
				return errors.New("a line starting AGE-SECRET-KEY-1 is not a valid age key")
			}
			k.ids = append(k.ids, id)
			continue
		}
		if err := k.ids.Import(l); err != nil {
			return errors.New("a line is not an age key (want AGE-SECRET-KEY-1...)")
		}
	}
	return nil
}

// NewKeyFile makes a new age key and returns the text of a key file in
// age-keygen's format (created and public key comments, then the key) and
// the public key to add to .sops.yaml.
func NewKeyFile(now time.Time, comment string) (text, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", fmt.Errorf("generating an age key: %w", err)
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		if line != "" {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	fmt.Fprintf(&b, "# created: %s\n", now.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "# public key: %s\n", id.Recipient())
	fmt.Fprintf(&b, "%s\n", id)
	return b.String(), id.Recipient().String(), nil
}

// WriteNewKeyFile writes text to path (0600, its folder 0700), refusing to
// replace an existing file.
func WriteNewKeyFile(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the key folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: cairn never overwrites a key (it may be the only copy); move it away first if you really mean to replace it", path)
	}
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
