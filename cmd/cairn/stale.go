package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/expiry"
)

// StaleOptions are the flags of cairn stale.
type StaleOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	Org    string
	Today  string
	Format string
}

func newStaleCmd(f *Factory, g *globalOptions, runF func(*StaleOptions) error) *cobra.Command {
	opts := &StaleOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "stale",
		Short: "List documents overdue for review",
		Long: `Stale lists the documents whose review is overdue. A document's cadence is
review_every in its front matter ("6mo"), else the [review] key of the
folder below documents/ that holds it, else [review] "*" in cairn.toml.
Its last review is the later of its last change in git and its reviewed_on
date; a document not committed yet is being written, so it is not stale.
Outside git only reviewed_on counts, and documents without it are listed as
unknown. Portals show a "review overdue" badge on the same documents.

EXIT STATUS
  0  no document is overdue
  1  some document is overdue, or the site has errors
  2  bad flags or arguments
  3  the site could not be read

See cairn help expiry.`,
		Example: `  cairn stale
  cairn stale --org acme --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return staleRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Org, "org", "", "only this organization (its slug)")
	cmd.Flags().StringVar(&opts.Today, "today", "", "the date to measure against (YYYY-MM-DD); default: today")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func staleRun(ctx context.Context, opts *StaleOptions) error {
	if opts.Format != "text" && opts.Format != "json" {
		return &usageError{fmt.Errorf("--format %q: want text or json", opts.Format)}
	}
	ds, hasErrors, err := openDated(ctx, opts.Global.Site, opts.Today, opts.Org, opts.Now, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	var rs []expiry.ItemReview
	for _, r := range expiry.Reviews(expiry.SiteSource(ds.site), ds.changes, ds.asOf) {
		if opts.Org == "" || r.Item.Org == opts.Org {
			rs = append(rs, r)
		}
	}
	stale, unknown := expiry.Overdue(rs)
	var werr error
	switch {
	case opts.Format == "json":
		werr = expiry.WriteStaleJSON(opts.IO.Out, ds.asOf, stale, unknown)
	case len(stale)+len(unknown) == 0:
		fmt.Fprintf(opts.IO.ErrOut, "no document is overdue for review as of %s (%s with a review cadence)\n", ds.asOf.Format("2006-01-02"), plural(len(rs), "document"))
	default:
		werr = expiry.WriteStaleText(opts.IO.Out, stale, unknown)
	}
	if werr != nil {
		return fmt.Errorf("writing the list: %w", werr)
	}
	switch {
	case len(stale) > 0:
		return &problemError{msg: fmt.Sprintf("%s overdue for review (as of %s)", plural(len(stale), "document"), ds.asOf.Format("2006-01-02"))}
	case hasErrors:
		return &problemError{msg: "the site has errors (cairn check lists them)"}
	}
	return nil
}
