package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// Placeholder stands where a new site's .sops.yaml (cairn init) wants
// the age public keys of the people who may read the secrets. Store
// refuses to encrypt for it, naming the fix; AddRecipient replaces it.
const Placeholder = "AGE-PUBLIC-KEY-HERE"

// configRule is one creation rule of .sops.yaml as cairn reads it to
// explain a failure (SOPS itself decides which rule applies).
type configRule struct {
	pathRegex string
	age       string
}

// readConfigRules reads the creation rules of the site's .sops.yaml. It
// returns nil rules when the file is missing.
func readConfigRules(root string) ([]configRule, error) {
	data, err := sitefs.ReadFile(root, ConfigFile, sitefs.MaxSourceFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var conf struct {
		Rules []struct {
			PathRegex string `yaml:"path_regex"`
			Age       any    `yaml:"age"`
		} `yaml:"creation_rules"`
	}
	if err := yaml.Unmarshal(data, &conf); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML: %s", ConfigFile, firstLine(strings.TrimPrefix(err.Error(), "yaml: ")))
	}
	var out []configRule
	for _, r := range conf.Rules {
		out = append(out, configRule{pathRegex: r.PathRegex, age: fmt.Sprint(r.Age)})
	}
	return out, nil
}

// explainRule says why no usable creation rule applies to rel, when cairn
// can tell (no rule matches it, or the one that does holds Placeholder);
// it returns nil when it cannot, leaving SOPS's own error.
func explainRule(root, rel string) error {
	rules, err := readConfigRules(root)
	if err != nil {
		return err
	}
	for _, r := range rules {
		re, err := regexp.Compile(r.pathRegex)
		if err != nil {
			return fmt.Errorf("%s: path_regex %q is not a valid regular expression: %v", ConfigFile, r.pathRegex, err)
		}
		if !re.MatchString(rel) {
			continue
		}
		if strings.Contains(r.age, Placeholder) {
			return fmt.Errorf("%s: the creation rule for %s (path_regex %s) still holds the placeholder %s instead of age public keys: run cairn keys init --add-to-sops to make your key and put it there, or replace %s with the public keys (age1...) of everyone who may read these secrets, comma-separated",
				ConfigFile, rel, r.pathRegex, Placeholder, Placeholder)
		}
		return nil
	}
	dir := strings.SplitN(strings.TrimPrefix(rel, "content/"), "/", 2)[0]
	return fmt.Errorf("%s has no creation rule for %s: add one naming the age public keys of who may read it, above any catch-all rule:\n  - path_regex: ^content/%s/.*\\.sops\\.yaml$\n    age: age1...,age1...\nor one rule for every organization:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: age1...",
		ConfigFile, rel, regexp.QuoteMeta(dir))
}

// AddRecipient adds an age public key to every creation rule of the
// site's .sops.yaml that names age recipients (replacing Placeholder
// where it stands), or writes a .sops.yaml with one rule for every
// organization's secrets when there is none. Rules that already name
// the key are left alone. It returns how many rules it changed. The file
// is replaced atomically; comments are kept, though YAML layout may be
// normalised. Files already encrypted are not changed: someone who can
// read them must run cairn secret rekey.
func AddRecipient(root, recipient string) (int, error) {
	path := filepath.Join(root, ConfigFile)
	data, err := sitefs.ReadFile(root, ConfigFile, sitefs.MaxSourceFile)
	if errors.Is(err, fs.ErrNotExist) {
		text := "# SOPS creation rules (written by cairn keys init --add-to-sops); see: cairn help secrets\ncreation_rules:\n  - path_regex: ^content/.*\\.sops\\.yaml$\n    age: " + recipient + "\n"
		return 1, atomicfile.WriteFile(path, []byte(text), 0o644)
	}
	if err != nil {
		return 0, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return 0, fmt.Errorf("%s is not valid YAML: %s; fix it, then add %s by hand", ConfigFile, firstLine(strings.TrimPrefix(err.Error(), "yaml: ")), recipient)
	}
	rules := mappingValue(&doc, "creation_rules")
	if rules == nil || rules.Kind != yaml.SequenceNode {
		return 0, fmt.Errorf("%s has no creation_rules list: add one naming %s (cairn help secrets shows one)", ConfigFile, recipient)
	}
	changed := 0
	for _, r := range rules.Content {
		age := mappingValue(r, "age")
		if age == nil || age.Kind != yaml.ScalarNode {
			continue
		}
		var keys []string
		for _, k := range strings.Split(age.Value, ",") {
			if k = strings.TrimSpace(k); k != "" && k != Placeholder {
				keys = append(keys, k)
			}
		}
		has := false
		for _, k := range keys {
			has = has || k == recipient
		}
		if has && !strings.Contains(age.Value, Placeholder) {
			continue
		}
		if !has {
			keys = append(keys, recipient)
		}
		age.Value, age.Style = strings.Join(keys, ","), 0
		changed++
	}
	if changed == 0 {
		return 0, nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return 0, fmt.Errorf("writing %s: %w", ConfigFile, err)
	}
	return changed, atomicfile.WriteFile(path, b.Bytes(), 0o644)
}

// mappingValue returns the value of key in a mapping node (or in the
// mapping a document node holds), or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
