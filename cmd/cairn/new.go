package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// NewOptions are the arguments of cairn new.
type NewOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Type   string
	Org    string
	Slug   string
	// Sets are the --set FIELD=VALUE assignments, in order.
	Sets []string
}

func newNewCmd(f *Factory, g *globalOptions, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "new TYPE ORG SLUG | new org SLUG",
		Short: "Create an item from its schema, or a new organization",
		Long: `New writes a new item file from its type's schema: required fields to fill in,
optional ones commented out, hints and select options as comments. Once the
values are filled in, the item passes cairn check.

The title field is filled from SLUG: a configuration's, domain's or
certificate's name is the slug as it is (sv-dc01); other titles are its
words capitalised (restore-veeam: "Restore Veeam"); a contact's first and
last name are its first and other words (jo-ramirez: "Jo", "Ramirez").
--set FIELD=VALUE (repeatable) fills any other field, checked against the
schema as cairn check would; a field that takes several values gets one
value per --set.

TYPE is a type folder (configurations, contacts, locations, passwords, domains,
ssl-certificates, documents, checklists) or a flexible type (backup or
assets/backup). Documents may have a path as SLUG: sops/new-starter.

A checklist with --set template=NAME is a run of checklists/NAME.md, with
its tasks, written as cairn checklist start NAME ORG --slug SLUG writes it.`,
		Example: `  cairn new org acme
  cairn new configurations acme sv-dc01
  cairn new backup acme veeam
  cairn new documents acme sops/new-starter
  cairn new checklists acme onboard-jo --set template=onboarding --set due=2026-12-01
  cairn new configurations acme sv-dc01 --set configuration_type=Server --set primary_ip=192.0.2.10`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 && args[0] == "org" {
				return nil
			}
			if len(args) != 3 {
				return &usageError{fmt.Errorf("new takes TYPE ORG SLUG, or org SLUG")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "org" {
				opts.Type, opts.Slug = "org", args[1]
			} else {
				opts.Type, opts.Org, opts.Slug = args[0], args[1], args[2]
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(cmd, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Sets, "set", nil, "fill a field: `FIELD=VALUE` (repeatable)")
	return cmd
}

func newRun(cmd *cobra.Command, opts *NewOptions) error {
	root := opts.Global.Site
	if _, err := os.Stat(filepath.Join(root, "cairn.toml")); err != nil {
		return load.ErrNotSite
	}
	if opts.Type == "org" {
		if len(opts.Sets) > 0 {
			return &usageError{fmt.Errorf("--set fills an item's fields: edit org.toml for an organization's")}
		}
		if !schema.IsSlug(opts.Slug) {
			return &usageError{fmt.Errorf("%q is not a valid slug: use lower-case letters, digits and single hyphens", opts.Slug)}
		}
		if why := schema.ReservedOrgSlug(opts.Slug); why != "" {
			return &usageError{fmt.Errorf("organization slug %q is reserved: %s (reserved: %s)", opts.Slug, why, schema.ReservedOrgSlugs())}
		}
		path := filepath.Join(root, "content", opts.Slug, "org.toml")
		if err := scaffold.WriteNew(path, scaffold.Org(opts.Slug)); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.Out, path)
		return nil
	}
	for _, part := range strings.Split(opts.Slug, "/") {
		if !schema.IsSlug(part) {
			return &usageError{fmt.Errorf("%q is not a valid slug: use lower-case letters, digits and single hyphens", opts.Slug)}
		}
	}
	if !schema.IsSlug(opts.Org) {
		return &usageError{fmt.Errorf("%q is not a valid organization slug", opts.Org)}
	}
	if _, err := os.Stat(filepath.Join(root, "content", opts.Org, "org.toml")); err != nil {
		return &usageError{fmt.Errorf("no organization %q: create it first with cairn new org %s", opts.Org, opts.Org)}
	}
	s, err := findSchema(root, opts.Type)
	if err != nil {
		return err
	}
	if strings.Contains(opts.Slug, "/") && s.Type != "documents" {
		return &usageError{fmt.Errorf("only documents may have a path as SLUG")}
	}
	ext := ".toml"
	if s.Type == "documents" || s.Type == "checklists" {
		ext = ".md"
	}
	id := opts.Org + "/" + s.Type + "/" + opts.Slug
	path := filepath.Join(root, "content", opts.Org, filepath.FromSlash(s.Type), filepath.FromSlash(opts.Slug)+ext)
	values, err := setValues(s, opts.Sets)
	if err != nil {
		return err
	}
	if tmpl := setTemplate(opts.Sets); s.Type == checklist.Type && tmpl != "" {
		// A run of a template: the same code as cairn checklist start.
		return newChecklistRun(cmd, opts, tmpl, values)
	}
	for k, v := range scaffold.TitleValues(s, opts.Slug) {
		if _, set := values[k]; !set {
			values[k] = v
		}
	}
	text := scaffold.ItemWith(s, id, values)
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(jsonschema.DefaultDir), jsonschema.FileName(s.Type))); err == nil {
		// The site has exported its schemas: point editors at this one.
		text = append([]byte(jsonschema.Directive(jsonschema.DefaultDir, s.Type)), text...)
	}
	if err := scaffold.WriteNew(path, text); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, path)
	return nil
}

// findSchema finds a type by folder name: a core type, "assets/x" or "x"
// for a flexible type in the site's schemas/.
func findSchema(root, typ string) (*schema.Schema, error) {
	core, err := schema.LoadCore()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range core {
		if s.Type == typ {
			return s, nil
		}
		names = append(names, s.Type)
	}
	slug := strings.TrimPrefix(typ, "assets/")
	err = fs.ErrNotExist
	if schema.IsSlug(slug) {
		var s *schema.Schema
		if s, err = readFlexSchema(root, slug); err == nil {
			return s, nil
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err // a link out of the site, a file too large, a broken schema: say so
	}
	entries, _ := sitefs.ReadDir(root, "schemas")
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok {
			names = append(names, n)
		}
	}
	return nil, &usageError{fmt.Errorf("unknown type %q; types: %s", typ, strings.Join(names, ", "))}
}

// setTemplate returns the template a --set template=NAME names, or "".
func setTemplate(sets []string) string {
	tmpl := ""
	for _, a := range sets {
		if name, val, ok := strings.Cut(a, "="); ok && strings.TrimSpace(name) == "template" {
			tmpl = strings.TrimSpace(val)
		}
	}
	return tmpl
}

// newChecklistRun writes a checklist that names a template as a run of it,
// with the template's tasks: cairn new checklists ORG SLUG --set
// template=NAME does what cairn checklist start NAME ORG --slug SLUG does.
func newChecklistRun(cmd *cobra.Command, opts *NewOptions, tmpl string, values scaffold.Values) error {
	res, day, err := openSiteAt(cmd.Context(), opts.Global.Site, "", opts.Now)
	if err != nil {
		return err
	}
	delete(values, "template")
	st, err := checklist.Start(res.Site, tmpl, checklist.StartOptions{Org: opts.Org, Slug: opts.Slug, Today: day, Set: values})
	if err != nil {
		return &usageError{err}
	}
	return writeRun(opts.IO, opts.Global.Site, st)
}
