package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
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
