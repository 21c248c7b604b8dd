// Package scaffold writes new files from schemas: an item with its fields
// and hints as comments (cairn new), an organization, and a whole new site
// (cairn init).
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/schemas"
)

// Item returns the text of a new item of type s: required fields as empty
// values to fill in, optional ones commented out, hints and select options
// as comments. Markdown types (documents, checklists) get front matter and
// a body outline.
func Item(s *schema.Schema, id string) []byte { return ItemWith(s, id, nil) }

// Values are values to write into a new item, by top-level field name (or
// "name" for a type without title fields), as TOML literals: `"sv-dc01"`,
// `true`, `2026-11-23`, `["a", "b"]`. The caller has checked them.
type Values map[string]string

// ItemWith is Item with some fields filled in: each field in values is
// written with its value, uncommented, whether it is required or not.
func ItemWith(s *schema.Schema, id string, values Values) []byte {
	return ItemWithBody(s, id, values, nil)
}

// ItemWithBody is ItemWith with the Markdown body of a document or
// checklist given (a checklist run's tasks from its template); nil gives
// the outline ItemWith writes. A "related" entry in values is written as
// the related key instead of its commented example. body is ignored for
// TOML types.
func ItemWithBody(s *schema.Schema, id string, values Values, body []byte) []byte {
	var b strings.Builder
	md := s.Type == "documents" || s.Type == "checklists"
	if md {
		b.WriteString("+++\n")
	}
	fmt.Fprintf(&b, "# %s %s. Fill in the values, then run: cairn check\n", s.DisplaySingular(), id)
	if len(s.TitleFields()) == 0 {
		name := `""`
		if v, ok := values["name"]; ok {
			name = v
		}
		b.WriteString("\nname = " + name + "\n")
	}
	writeFields(&b, s.Fields, values)
	if v, ok := values["related"]; ok {
		b.WriteString("\nrelated = " + v + "\n")
	} else {
		b.WriteString("\n# related = [\"configurations/<slug>\"]   # ids of related items\n")
	}
	if !md {
		b.WriteString("# notes = \"\"\"\n# Markdown notes; link items with [[type/slug]].\n# \"\"\"\n")
		return []byte(b.String())
	}
	b.WriteString("+++\n\n")
	if body != nil {
		b.Write(body)
	} else if s.Type == "checklists" {
		b.WriteString("- [ ] First task @assignee due:2026-12-31\n- [ ] Second task\n")
	} else {
		b.WriteString("## Purpose\n\nWhat this document is for.\n\n## Steps\n\n1. First step.\n")
	}
	return []byte(b.String())
}

func writeFields(b *strings.Builder, fields []*schema.Field, values Values) {
	for _, f := range fields {
		b.WriteByte('\n')
		if f.Kind == schema.Header {
			fmt.Fprintf(b, "# --- %s ---\n", f.DisplayLabel())
			if f.Hint != "" {
				fmt.Fprintf(b, "# %s\n", oneLine(f.Hint))
			}
			continue
		}
		comment := f.DisplayLabel() + " (" + string(f.Kind)
		if f.Multiple {
			comment += ", several"
		}
		comment += ")"
		if f.Required {
			comment += ", required"
		}
		if f.Hint != "" {
			comment += ". " + oneLine(f.Hint)
		}
		fmt.Fprintf(b, "# %s\n", comment)
		if len(f.Options) > 0 {
			fmt.Fprintf(b, "# One of: %s\n", quoteAll(f.Options))
		}
		if len(f.Targets) > 0 {
			fmt.Fprintf(b, "# Points to: %s\n", strings.Join(f.Targets, ", "))
		}
		switch f.Kind {
		case schema.Password:
			fmt.Fprintf(b, "# The value is a secret: it is kept encrypted in <slug>.sops.yaml (cairn secret set ID %s), never here.\n", f.Name)
			continue
		case schema.Group:
			fmt.Fprintf(b, "# [[%s]]\n", f.Name)
			for _, sf := range f.Fields {
				fmt.Fprintf(b, "# %s = %s\n", sf.Name, placeholder(sf))
			}
			continue
		}
		line := fmt.Sprintf("%s = %s", f.Name, placeholder(f))
		if f.Default != nil {
			line = fmt.Sprintf("%s = %s", f.Name, f.Default.Raw)
		}
		if v, ok := values[f.Name]; ok {
			line = fmt.Sprintf("%s = %s", f.Name, v)
		} else if !f.Required {
			line = "# " + line
		}
		b.WriteString(line + "\n")
	}
}

func placeholder(f *schema.Field) string {
	switch f.Kind {
	case schema.Checkbox:
		return "false"
	case schema.Number, schema.Percent:
		return "0"
	}
	if f.Multiple {
		return "[]"
	}
	return `""`
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// Org returns the text of a new org.toml.
func Org(slug string) []byte {
	return []byte(fmt.Sprintf(`# Organization %s. Every key: cairn help format
name = %q
kind = "client"          # internal | client | vendor | partner
status = "active"        # active | inactive | prospect
shared = false           # true lets other organizations link here (vendors, your own org)
# short_name = ""
# description = ""
# quick_notes = """
# Shown at the top of the organization's page and runbook.
# """

# [[alerts]]
# level = "warning"      # info | warning | critical
# message = ""
`, slug, titleCase(slug)))
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// ErrExists is returned (wrapped) when a file to be written already
// exists; it is atomicfile.ErrExists.
var ErrExists = atomicfile.ErrExists

// WriteNew writes data to path, creating parent folders, whole or not at
// all (atomicfile.WriteNew), and refuses to overwrite an existing file.
func WriteNew(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	err := atomicfile.WriteNew(path, data, 0o644)
	if errors.Is(err, ErrExists) {
		return fmt.Errorf("%s %w: refusing to overwrite it", path, ErrExists)
	}
	return err
}

// Site writes a new site into dir, which must be empty or absent: the
// settings, an example access.toml and .sops.yaml, the default flexible
// schemas, one example organization, and the editor files (the JSON
// Schemas in .cairn/schemas and .taplo.toml). The result passes cairn
// check.
func Site(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: cairn init writes into a new or empty folder", dir)
	}
	files := map[string]string{
		"cairn.toml":  initConfig,
		"access.toml": initAccess,
		".sops.yaml":  initSops,
		".gitignore":  "/public/\n",
		"content/example/org.toml": `name = "Example Organization"
kind = "internal"
status = "active"
shared = true
quick_notes = """
Your own organization. Add clients with: cairn new org SLUG
"""
`,
		"content/example/locations/head-office.toml": `name = "Head office"
primary = true
address_1 = "1 Example Street"
city = "Springfield"
country = "US"
phone = "+1 555 0100"
`,
		"content/example/configurations/fw01.toml": `name = "fw01"
configuration_type = "Firewall"
status = "Active"
primary_ip = "192.0.2.1"
location = "locations/head-office"
manufacturer = "Example Networks"
model = "EX-100"

[[interfaces]]
name = "wan"
ip = "203.0.113.10"
primary = true

[[interfaces]]
name = "lan"
ip = "192.0.2.1"
`,
		"content/example/documents/getting-started.md": `+++
title = "Getting started"
category = "How-to"
related = ["configurations/fw01"]
+++

# Getting started

Every item is a file. This document links to [[configurations/fw01|the firewall]].

- Add items with ` + "`cairn new TYPE ORG SLUG`" + `.
- Check everything with ` + "`cairn check`" + `.
`,
	}
	for name, body := range files {
		if err := WriteNew(filepath.Join(dir, filepath.FromSlash(name)), []byte(body)); err != nil {
			return err
		}
	}
	entries, err := fs.ReadDir(schemas.Defaults, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".toml") {
			continue
		}
		data, err := fs.ReadFile(schemas.Defaults, e.Name())
		if err != nil {
			return err
		}
		if err := WriteNew(filepath.Join(dir, "schemas", e.Name()), data); err != nil {
			return err
		}
	}
	return editorFiles(dir)
}

const initConfig = `# Site settings. Every key: cairn help format
title = "IT documentation"
output = "public"
expiry_window_days = 30

# Links from item pages to your forge's commit and edit pages (GitLab
# and Gitea patterns: cairn help history). Uncomment and fill in:
# [forge]
# commit_url = "https://github.com/ORG/REPO/commit/{commit}"
# edit_url = "https://github.com/ORG/REPO/edit/main/{path}"
`

const initAccess = `# Who may see what. How it works: cairn help portals
[groups.staff]
description = "Every technician"
orgs = ["*"]

[[users]]
email = "you@example.com"
name = "You"
role = "admin"
groups = ["staff"]

[portals.internal]
title = "Internal documentation"
groups = ["staff"]
secrets = "none"
`

const initSops = `# SOPS creation rules: who can decrypt the secrets (<slug>.sops.yaml files)
# of which organization. cairn secret set/rotate/rekey and the stock sops CLI
# both read this file; the first rule whose path_regex matches a secrets
# file's path (relative to this folder) wins.
#
# PUT YOUR KEY IN before storing a secret:
#   cairn keys init --add-to-sops
# makes your personal age key and writes its public key (age1...) in place of
# AGE-PUBLIC-KEY-HERE below. Or replace AGE-PUBLIC-KEY-HERE by hand with the
# public keys of everyone (and every CI job) who may read the secrets,
# comma-separated; a colleague prints theirs with cairn keys init or
# cairn keys list. After any change of recipients, run cairn secret rekey.
#
# The rule below covers every organization. To give one organization other
# recipients (a client's own IT contact, say), add a rule for it ABOVE it:
#   - path_regex: ^content/acme/.*\.sops\.yaml$
#     age: age1...,age1...
# How it works: cairn help secrets
creation_rules:
  - path_regex: ^content/.*\.sops\.yaml$
    age: AGE-PUBLIC-KEY-HERE
`
