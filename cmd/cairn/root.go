package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes, documented in docs/commands.md under EXIT STATUS.
const (
	exitOK      = 0 // success
	exitProblem = 1 // the site has errors (or warnings under --strict)
	exitUsage   = 2 // bad flags or arguments
	exitFatal   = 3 // the command could not run: unreadable site, I/O failure
)

// problemError means the command ran and found problems in the site; its
// report has already been printed.
type problemError struct{ msg string }

func (e *problemError) Error() string { return e.msg }

// usageError is a mistake in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

// globalOptions are the flags every command has.
type globalOptions struct {
	Site string
	// ProfileCPU and ProfileMem name files for Go profiles of the run
	// (hidden flags, for performance reports).
	ProfileCPU string
	ProfileMem string
}

func newRootCmd(f *Factory) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "cairn",
		Short: "IT documentation as code: check, render and print it",
		Long: `cairn keeps an MSP's or IT team's documentation (organizations, configurations,
contacts, passwords, domains, certificates, flexible assets, SOPs, checklists)
as TOML and Markdown in git, checks it like a compiler, and renders static
portals and PDF runbooks.

EXIT STATUS
  0  success
  1  the site has errors (or, with --strict, warnings)
  2  usage error: bad flags or arguments
  3  the command could not run (unreadable site, I/O failure)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&g.Site, "site", "C", ".", "the site's folder")
	root.PersistentFlags().StringVar(&g.ProfileCPU, "profile-cpu", "", "write a Go CPU profile of the run to `FILE`")
	root.PersistentFlags().StringVar(&g.ProfileMem, "profile-mem", "", "write a Go heap profile at the end of the run to `FILE`")
	_ = root.PersistentFlags().MarkHidden("profile-cpu")
	_ = root.PersistentFlags().MarkHidden("profile-mem")
	var stopProfile func() error
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) (err error) {
		stopProfile, err = startProfile(g)
		return err
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, args []string) error {
		if stopProfile == nil {
			return nil
		}
		return stopProfile()
	}
	root.AddCommand(
		newCheckCmd(f, g, nil),
		newNewCmd(f, g, nil),
		newInitCmd(f, nil),
		newSchemaCmd(f, g, nil),
		newBuildCmd(f, g, nil),
		newRunbookCmd(f, g, nil),
		newServeCmd(f, g, nil),
		newSecretCmd(f, g, nil),
		newKeysCmd(f, g, nil),
		newCodeownersCmd(f, g, nil),
		newAccessCmd(f, g, nil),         // cairn access review (access.go)
		newHistoryCmd(f, g, nil),        // cairn history (history.go)
		newChecklistCmd(f, g, nil, nil), // cairn checklist [start] (checklist.go)
		newExportCmd(f, g, nil),         // cairn export (export.go)
		newDiffCmd(f, g, nil),           // cairn diff (diff.go)
		newExpiringCmd(f, g, nil),       // cairn expiring (expiring.go)
		newStaleCmd(f, g, nil),          // cairn stale (stale.go)
		newCollabCmd(f, g, nil),         // cairn collab (collab.go)
		newImportCmd(f, g, nil),         // cairn import itglue (import.go)
	)
	addVersionCmd(root, f) // cairn version and --version (version.go)
	installHelp(root)
	addCompletions(root, g)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{err} })
	return root
}

// run executes the CLI and maps errors to exit codes, in one place.
func run(ctx context.Context, args []string, f *Factory) int {
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetIn(f.IO.In)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	asJSON := wantsJSON(cmd, args)
	var pe *problemError
	var ue *usageError
	switch {
	case errors.As(err, &pe):
		if pe.msg != "" {
			printError(f.IO.ErrOut, asJSON, "problem", pe.msg, "")
		}
		return exitProblem
	case errors.As(err, &ue), isCobraUsage(err):
		printError(f.IO.ErrOut, asJSON, "usage", err.Error(), "Run 'cairn --help' for usage.\n")
		return exitUsage
	default:
		printError(f.IO.ErrOut, asJSON, "fatal", err.Error(), "")
		return exitFatal
	}
}

// isCobraUsage recognises cobra's own argument errors (unknown command,
// wrong number of arguments), which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
