package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/scaffold"
)

// InitOptions are the arguments of cairn init.
type InitOptions struct {
	IO  *IOStreams
	Dir string
}

func newInitCmd(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: f.IO}
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Create a new site: settings, access rules, default schemas, an example organization",
		Long: `Init writes a new documentation site into DIR (new or empty): cairn.toml,
access.toml, an example .sops.yaml, the default flexible asset schemas and one
example organization. The new site passes cairn check as it is.`,
		Example: "  cairn init it-docs && cd it-docs && cairn check",
		Args:    exactArgs(1, "init takes one folder: cairn init DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(opts)
			}
			if err := scaffold.Site(opts.Dir); err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "created a new site in %s\nnext: cd %s && cairn check\nthe file format: cairn help format\n", opts.Dir, opts.Dir)
			return nil
		},
	}
}

// exactArgs is cobra.ExactArgs with a message that says how to call the
// command, returned as a usage error.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &usageError{fmt.Errorf("%s", msg)}
		}
		return nil
	}
}
