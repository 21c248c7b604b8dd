package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// SchemaShowOptions are the arguments of cairn schema show.
type SchemaShowOptions struct {
	IO     *IOStreams
	Global *globalOptions

	Type string
}

func newSchemaCmd(f *Factory, g *globalOptions, runShow func(*SchemaShowOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Show item types and their fields",
	}
	cmd.AddCommand(newSchemaListCmd(f, g, nil))
	opts := &SchemaShowOptions{IO: f.IO, Global: g}
	cmd.AddCommand(&cobra.Command{
		Use:     "show TYPE",
		Short:   "Print a type's fields: name, kind, options",
		Example: "  cairn schema show configurations\n  cairn schema show backup",
		Args:    exactArgs(1, "schema show takes one type: cairn schema show configurations"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Type = args[0]
			if runShow != nil {
				return runShow(opts)
			}
			return schemaShowRun(opts)
		},
	})
	cmd.AddCommand(newSchemaExportCmd(f, g, nil))
	return cmd
}

// schemaShowRun prints one type's fields as a table.
func schemaShowRun(opts *SchemaShowOptions) error {
	s, err := findSchema(opts.Global.Site, opts.Type)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(opts.IO.Out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s (%s)\n", s.Name, s.Type)
	if s.Description != "" {
		fmt.Fprintf(w, "%s\n", s.Description)
	}
	fmt.Fprintln(w, "\nFIELD\tKIND\tFLAGS\tOPTIONS")
	for _, fd := range s.Fields {
		var flags []string
		for _, fl := range []struct {
			on   bool
			name string
		}{{fd.Required, "required"}, {fd.Multiple, "multiple"}, {fd.UseForTitle, "title"}, {fd.ShowInList, "list"}, {fd.Expires, "expires"}} {
			if fl.on {
				flags = append(flags, fl.name)
			}
		}
		opts := strings.Join(fd.Options, ", ")
		if len(fd.Targets) > 0 {
			opts = "-> " + strings.Join(fd.Targets, ", ")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", fd.Name, fd.Kind, strings.Join(flags, ","), opts)
		for _, sf := range fd.Fields {
			fmt.Fprintf(w, "  .%s\t%s\t\t%s\n", sf.Name, sf.Kind, strings.Join(sf.Options, ", "))
		}
	}
	return w.Flush()
}

// SchemaListOptions are the arguments of cairn schema list.
type SchemaListOptions struct {
	IO     *IOStreams
	Global *globalOptions
}

func newSchemaListCmd(f *Factory, g *globalOptions, runF func(*SchemaListOptions) error) *cobra.Command {
	opts := &SchemaListOptions{IO: f.IO, Global: g}
	return &cobra.Command{
		Use:   "list",
		Short: "List every type: folder, name, number of fields, core or flexible",
		Long: `List prints every type the site knows: the core types, then the flexible types
of its schemas/ folder, with the folder items of the type live in below an
organization, its name and how many fields it has. cairn schema show TYPE
prints one type's fields.`,
		Example: "  cairn schema list",
		Args:    exactArgs(0, "schema list takes no arguments: cairn schema show TYPE shows one type"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return schemaListRun(opts)
		},
	}
}

// schemaListRun prints every type as a table.
func schemaListRun(opts *SchemaListOptions) error {
	if _, err := os.Stat(filepath.Join(opts.Global.Site, "cairn.toml")); err != nil {
		return load.ErrNotSite
	}
	types, err := siteSchemas(opts.Global.Site)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(opts.IO.Out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TYPE\tNAME\tFIELDS\tKIND")
	for _, s := range types {
		kind := "flexible"
		if s.Core {
			kind = "core"
		}
		// A flexible type's name comes from a file a pull request may
		// change: escaped, so it cannot drive the terminal.
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", s.Type, diag.Escape(s.Name), len(s.FieldNames()), kind)
	}
	return w.Flush()
}

// siteSchemas returns the core types in their display order, then the
// site's flexible types (schemas/*.toml) by file name. A schema that does
// not parse is an error naming its file and line.
func siteSchemas(root string) ([]*schema.Schema, error) {
	out, err := schema.LoadCore()
	if err != nil {
		return nil, err
	}
	entries, err := sitefs.ReadDir(root, "schemas")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading schemas/: %w", err)
	}
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".toml")
		if !ok || e.IsDir() || !schema.IsSlug(slug) {
			continue // not a schema file, or one cairn check reports
		}
		s, err := readFlexSchema(root, slug)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// readFlexSchema reads and parses the flexible type schemas/SLUG.toml; a
// missing file is fs.ErrNotExist.
func readFlexSchema(root, slug string) (*schema.Schema, error) {
	file := "schemas/" + slug + ".toml"
	data, err := sitefs.ReadFile(root, file, sitefs.MaxSourceFile)
	if err != nil {
		return nil, err
	}
	s, probs := schema.Parse(file, data, slug, false)
	if len(probs) > 0 {
		return nil, fmt.Errorf("%s:%d:%d: %s (run cairn check)", file, probs[0].Pos.Line, probs[0].Pos.Col, probs[0].Msg)
	}
	return s, nil
}
