package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/generator/load"
)

// SchemaExportOptions are the arguments of cairn schema export.
type SchemaExportOptions struct {
	IO     *IOStreams
	Global *globalOptions

	// Dir is where the schemas go; "" for the site's .cairn/schemas.
	Dir string
	// Taplo also writes the site's .taplo.toml.
	Taplo bool
}

func newSchemaExportCmd(f *Factory, g *globalOptions, runF func(*SchemaExportOptions) error) *cobra.Command {
	opts := &SchemaExportOptions{IO: f.IO, Global: g}
	cmd := &cobra.Command{
		Use:   "export [DIR]",
		Short: "Write a JSON Schema per type, for editors that validate TOML",
		Long: `Export writes the JSON Schema (draft 2020-12) of every item type, core and
flexible, one TYPE.schema.json per type (assets/backup becomes
assets-backup.schema.json), into DIR: by default .cairn/schemas in the site.
Editors that validate TOML against JSON Schemas (VS Code with Even Better TOML,
taplo) then flag unknown keys, bad select values, wrong types and missing
required fields as an item is typed. With --taplo it also writes the site's
.taplo.toml, mapping each type folder to its schema. Run it again after a
schema changes. See docs/editors.md.`,
		Example: "  cairn schema export --taplo\n  cairn schema export /tmp/cairn-schemas",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &usageError{fmt.Errorf("schema export takes at most one folder: cairn schema export [DIR]")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return schemaExportRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Taplo, "taplo", false, "also write .taplo.toml at the site root, mapping each type folder to its schema")
	return cmd
}

// schemaExportRun loads the site's types as the checker does and writes
// their schemas. A type whose schema file has errors stops it: an editor
// must not learn a schema that cairn check rejects.
func schemaExportRun(cmd *cobra.Command, opts *SchemaExportOptions) error {
	root := opts.Global.Site
	site, ds, err := load.Load(cmd.Context(), root)
	if err != nil {
		return err
	}
	var bad []diag.Diagnostic
	for _, d := range ds.Sorted() {
		if d.Severity == diag.Error && strings.HasPrefix(d.Pos.File, "schemas/") {
			bad = append(bad, d)
		}
	}
	if len(bad) > 0 {
		if err := diag.WriteText(opts.IO.ErrOut, bad); err != nil {
			return err
		}
		return &problemError{"cairn schema export: fix the schema errors above first (cairn check lists them too)"}
	}
	types := site.Schemas.Schemas()
	rel := jsonschema.DefaultDir
	var written []string
	if opts.Dir == "" {
		written, err = jsonschema.ExportSite(root, types)
	} else {
		if opts.Taplo {
			// Taplo resolves the schema paths from the site root.
			if rel, err = dirInSite(root, opts.Dir); err != nil {
				return err
			}
		}
		written, err = jsonschema.Export(opts.Dir, types)
	}
	for _, p := range written {
		fmt.Fprintln(opts.IO.Out, p)
	}
	if err != nil {
		return err
	}
	if opts.Taplo {
		p := filepath.Join(root, jsonschema.TaploFile)
		if err := atomicfile.WriteFile(p, jsonschema.Taplo(rel, types), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", jsonschema.TaploFile, err)
		}
		fmt.Fprintln(opts.IO.Out, p)
	}
	return nil
}

// dirInSite returns dir relative to the site root, slash-separated, or
// a usage error when dir is outside the site.
func dirInSite(root, dir string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", &usageError{fmt.Errorf("--taplo needs DIR inside the site (%s): .taplo.toml points at the schemas by a path from the site root", root)}
	}
	return filepath.ToSlash(rel), nil
}
