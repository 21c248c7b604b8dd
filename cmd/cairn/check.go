package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/site"
)

// CheckOptions are the flags of cairn check.
type CheckOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	Strict bool
	Format string
	Today  string
}

func newCheckCmd(f *Factory, g *globalOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the site: schemas, fields, links, secrets, expiries",
		Long: `Check reads every file of the site and reports every problem it finds, as
file:line:col: severity: message, with a hint where one helps, then a summary.

It exits 1 when there are errors (or warnings, with --strict), 0 otherwise.
Run it in CI on every pull request.`,
		Example: `  cairn check
  cairn check --strict --format github     # annotations in a GitHub Actions job
  cairn check --format json | jq .summary`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json or github")
	cmd.Flags().StringVar(&opts.Today, "today", "", "measure expiries against this date (YYYY-MM-DD) instead of the clock's")
	return cmd
}

// today returns the date expiries are measured against.
func today(flag string, now func() time.Time) (time.Time, error) {
	if flag == "" {
		return now(), nil
	}
	t, err := time.Parse("2006-01-02", flag)
	if err != nil {
		return time.Time{}, &usageError{fmt.Errorf("--today %q: want a date like 2026-11-23", flag)}
	}
	return t, nil
}

// checkSummary is the summary of a check run, as JSON and text.
type checkSummary struct {
	Orgs     int `json:"orgs"`
	Items    int `json:"items"`
	Links    int `json:"links_checked"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Expiring int `json:"expiring_soon"`
	Expired  int `json:"expired"`
}

func checkRun(cmd *cobra.Command, opts *CheckOptions) error {
	switch opts.Format {
	case "text", "json", "github":
	default:
		return &usageError{fmt.Errorf("--format %q: want text, json or github", opts.Format)}
	}
	day, err := today(opts.Today, opts.Now)
	if err != nil {
		return err
	}
	res, err := site.Open(cmd.Context(), opts.Global.Site, day)
	if err != nil {
		return err
	}
	res.Diags.Merge(checkSecrets(cmd.Context(), res.Site, os.Getenv)) // MACs, with the user's keys (secretcheck.go)
	ds := res.Diags.Sorted()
	errs, warns := res.Diags.Count()
	sum := checkSummary{Orgs: res.Stats.Orgs, Items: res.Stats.Items, Links: res.Stats.Links,
		Errors: errs, Warnings: warns, Expiring: res.Stats.Expiring, Expired: res.Stats.Expired}
	out := opts.IO.Out
	switch opts.Format {
	case "json":
		err = diag.WriteJSON(out, ds, sum)
	case "github":
		if err = diag.WriteGitHub(out, ds); err == nil {
			err = writeSummary(opts.IO.ErrOut, sum)
		}
	default:
		if err = diag.WriteTextColor(out, ds, opts.IO.ColorOut); err == nil {
			err = writeSummary(out, sum)
		}
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if errs > 0 || (opts.Strict && warns > 0) {
		return &problemError{}
	}
	return nil
}

func writeSummary(w io.Writer, s checkSummary) error {
	_, err := fmt.Fprintf(w, "checked %d organizations, %d items, %d links: %s, %s; %d expiring within the window, %d expired\n",
		s.Orgs, s.Items, s.Links, plural(s.Errors, "error"), plural(s.Warnings, "warning"), s.Expiring, s.Expired)
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
