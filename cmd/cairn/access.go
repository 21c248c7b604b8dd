package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/accessreview"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// AccessReviewOptions are the flags of cairn access review.
type AccessReviewOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	// Since is a git revision to compare with; "" for the review itself.
	Since string
	// Format is text, csv or json.
	Format string
}

func newAccessCmd(f *Factory, g *globalOptions, runReview func(*AccessReviewOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Audit who can read what (access.toml)",
	}
	cmd.AddCommand(newAccessReviewCmd(f, g, runReview))
	return cmd
}

func newAccessReviewCmd(f *Factory, g *globalOptions, runF func(*AccessReviewOptions) error) *cobra.Command {
	opts := &AccessReviewOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "review",
		Short: "The least-privilege audit: what each group, user and portal can read",
		Long: `Review prints, for every group, user and portal of access.toml, the
organizations, types, items (and which of them carry an item-level access
list) and secrets (by name, never a value) its portals show, and which
portals reach it. Users reach the portals of their groups; a role does not
change what a portal shows. The answers come from the same views the
portals are built from, so the review cannot disagree with them.

Secrets are counted in the text table (SECRETS: secret fields whose
existence the audience sees; SEALED: those whose value a reaching portal
with secrets = "sealed" carries encrypted); --format csv and json list
them as ITEM#KEY.

With --since REV it prints instead what each group, user and portal gained
and lost since that git revision (organizations, types, portals, items,
secrets, sealed values, roles).`,
		Example: `  cairn access review
  cairn access review --format csv > access-review.csv
  cairn access review --since v1.4          # what changed since the last audit
  cairn access review --since HEAD~1 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(accessreview.Formats, opts.Format) {
				return &usageError{fmt.Errorf("--format %q: use one of %s", opts.Format, strings.Join(accessreview.Formats, ", "))}
			}
			if runF != nil {
				return runF(opts)
			}
			return accessReviewRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "", "print what changed in access since this git `REV`ision (commit, branch, tag)")
	cmd.Flags().StringVar(&opts.Format, "format", accessreview.FormatText, "output format: text, csv or json")
	return cmd
}

// stopOnAccessErrors prints the errors of access.toml among diags and
// returns a problemError naming the command when there are any: for the
// commands whose output comes from access.toml alone.
func stopOnAccessErrors(w io.Writer, diags *diag.List, command string) error {
	var accessErrs []diag.Diagnostic
	for _, d := range diags.Sorted() {
		if d.Severity == diag.Error && d.Pos.File == "access.toml" {
			accessErrs = append(accessErrs, d)
		}
	}
	if len(accessErrs) == 0 {
		return nil
	}
	if err := diag.WriteText(w, accessErrs); err != nil {
		return err
	}
	return &problemError{command + ": access.toml has errors; fix them and run it again"}
}

func accessReviewRun(cmd *cobra.Command, opts *AccessReviewOptions) error {
	root := opts.Global.Site
	res, err := site.Open(cmd.Context(), root, opts.Now())
	if err != nil {
		return err
	}
	// The review comes from access.toml: its errors stop the command
	// (portals would not be built from it), errors in content do not.
	if err := stopOnAccessErrors(opts.IO.ErrOut, res.Diags, "cairn access review"); err != nil {
		return err
	}
	now, err := accessreview.Build(res.Site, sitefs.FS(root, ".", sitefs.MaxSourceFile))
	if err != nil {
		return err
	}
	if opts.Since == "" {
		return now.Write(opts.IO.Out, opts.Format)
	}
	old, err := accessreview.AtRevision(cmd.Context(), root, opts.Since)
	if errors.Is(err, gitrev.ErrNoRepository) {
		return &usageError{fmt.Errorf("--since needs the site in a git repository: %w", err)}
	}
	if err != nil {
		return err
	}
	changes := accessreview.Changes(old, now)
	if len(changes) == 0 && opts.Format == accessreview.FormatText {
		fmt.Fprintf(opts.IO.ErrOut, "no change in access since %s\n", opts.Since)
		return nil
	}
	return accessreview.WriteChanges(opts.IO.Out, opts.Format, opts.Since, changes)
}
