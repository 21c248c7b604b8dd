package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/provenance"
	"github.com/cairn-it/cairn/generator/site"
)

// ExpiringOptions are the flags of cairn expiring.
type ExpiringOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	// Within is the window listed ("30d"); "" for cairn.toml's
	// expiry_window_days.
	Within string
	// FailWithin makes dates within it of today fail the run too ("7d").
	FailWithin string
	Org        string
	Today      string
	Format     string
	// Notify is a webhook URL to post a summary to.
	Notify string
	// Client posts to Notify; nil for a default client. Tests set it.
	Client *http.Client
}

func newExpiringCmd(f *Factory, g *globalOptions, runF func(*ExpiringOptions) error) *cobra.Command {
	opts := &ExpiringOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "expiring",
		Short: "List what expires or falls due soon: certificates, domains, warranties, rotations, reviews, tasks",
		Long: `Expiring lists every date that falls due within a window of today, and those
already past, one line each with the date, the days left, the organization and
the item:

  - every field a schema marks expires = true (in group records too): SSL
    certificates, domains, warranties, licences, support contracts, leases
  - password items (any type cairn.toml's [rotation] names) older than their
    maximum age, counted from last_rotated or else their last change in git
  - documents past their review date (review_every, [review]; see cairn stale)
  - open checklist tasks with a due:YYYY-MM-DD date

Archived items are left out. "Today" is --today, else the clock's date (not
the HEAD commit's, as cairn build uses): a scheduled job asks about today.

With --notify URL it also posts a JSON summary ({"text": "<Markdown>"}, the
shape Slack and Microsoft Teams incoming webhooks take) to the URL, retrying
network errors, timeouts, 429 and 5xx answers up to 4 times with backoff.

EXIT STATUS
  0  nothing has expired, and nothing falls within --fail-within
  1  something has expired, or falls due within --fail-within (today
     included), or the site has errors
  2  bad flags or arguments
  3  the site could not be read, or the webhook would not take the summary

See cairn help expiry.`,
		Example: `  cairn expiring
  cairn expiring --within 90d --org acme
  cairn expiring --fail-within 7d --notify "$WEBHOOK"    # a scheduled CI job
  cairn expiring --format ics > expiring.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return expiringRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Within, "within", "", "list what falls due within this span: 30d, 2w, 6mo, 1y (default: cairn.toml's expiry_window_days)")
	cmd.Flags().StringVar(&opts.FailWithin, "fail-within", "", "exit 1 also when something falls due within this span (default: only when something has expired)")
	cmd.Flags().StringVar(&opts.Org, "org", "", "only this organization (its slug)")
	cmd.Flags().StringVar(&opts.Today, "today", "", "the date to measure against (YYYY-MM-DD); default: today")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json, csv or ics")
	cmd.Flags().StringVar(&opts.Notify, "notify", "", "post a summary to this webhook URL (Slack, Teams)")
	return cmd
}

// durationFlag parses a span flag; "" gives def.
func durationFlag(name, value string, def *expiry.Duration) (*expiry.Duration, error) {
	if value == "" {
		return def, nil
	}
	d, err := expiry.ParseDuration(value)
	if err != nil {
		return nil, &usageError{fmt.Errorf("--%s: %w", name, err)}
	}
	return &d, nil
}

// datedSite is a site opened for the dated commands (expiring, stale):
// its file's last changes in git, or nil outside git.
type datedSite struct {
	site    *model.Site
	changes expiry.Changes
	asOf    time.Time
}

// openDated opens the site, reports its errors to errOut (the command
// goes on: what could be read is listed) and reads its git history once.
// org, when not "", must name an organization.
func openDated(ctx context.Context, root, todayFlag, org string, now func() time.Time, errOut io.Writer) (datedSite, bool, error) {
	t, err := today(todayFlag, now)
	if err != nil {
		return datedSite{}, false, err
	}
	asOf := provenance.Date(t.UTC()) // the clock's date in UTC, as documented
	res, err := site.Open(ctx, root, asOf)
	if err != nil {
		return datedSite{}, false, err
	}
	hasErrors := false
	if res.Diags.Err() != nil {
		errs, _ := res.Diags.Count()
		hasErrors = true
		fmt.Fprintf(errOut, "warning: the site has %s (cairn check lists them); files that could not be read are left out\n", plural(errs, "error"))
	}
	if org != "" && res.Site.Org(org) == nil {
		var slugs []string
		for _, o := range res.Site.Orgs {
			slugs = append(slugs, o.Slug)
		}
		return datedSite{}, false, &usageError{fmt.Errorf("--org %s: no such organization (organizations: %s)", org, strings.Join(slugs, ", "))}
	}
	d := datedSite{site: res.Site, asOf: asOf}
	switch ix, err := history.Load(ctx, root); {
	case err == nil:
		d.changes = lastChanges(ix, root, errOut)
	case errors.Is(err, history.ErrNoRepository):
		fmt.Fprintln(errOut, "note: the site is not in git: password ages count from last_rotated and reviews from reviewed_on only")
	default:
		return datedSite{}, false, fmt.Errorf("reading the git history for last changes: %w", err)
	}
	return d, hasErrors, nil
}

// lastChanges returns the last changes of a history index for the dated
// commands, cairn build and cairn serve. In a shallow clone it marks them
// incomplete and warns on errOut: last changes older than the clone's
// depth are unknown.
func lastChanges(ix *history.Index, root string, errOut io.Writer) expiry.Changes {
	c := expiry.FromHistory(ix)
	if provenance.Shallow(root) {
		fmt.Fprintln(errOut, "warning: the site is a shallow clone: last changes older than its depth are unknown, so password ages and reviews count from last_rotated and reviewed_on only (fetch the whole history: fetch-depth: 0 on GitHub, GIT_DEPTH: 0 on GitLab)")
		c = expiry.Incomplete(c)
	}
	return c
}

func expiringRun(ctx context.Context, opts *ExpiringOptions) error {
	switch opts.Format {
	case "text", "json", "csv", "ics":
	default:
		return &usageError{fmt.Errorf("--format %q: want text, json, csv or ics", opts.Format)}
	}
	failWithin, err := durationFlag("fail-within", opts.FailWithin, nil)
	if err != nil {
		return err
	}
	withinFlag, err := durationFlag("within", opts.Within, nil)
	if err != nil {
		return err
	}
	ds, hasErrors, err := openDated(ctx, opts.Global.Site, opts.Today, opts.Org, opts.Now, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	within := expiry.Duration{Days: ds.site.Config.ExpiryWindowDays}
	if withinFlag != nil {
		within = *withinFlag
	}
	// A --fail-within wider than the window still lists what fails.
	if failWithin != nil && failWithin.After(ds.asOf).After(within.After(ds.asOf)) {
		within = *failWithin
	}
	entries := expiry.Collect(expiry.SiteSource(ds.site), ds.changes, ds.asOf)
	if opts.Org != "" {
		entries = expiry.OfOrg(entries, opts.Org)
	}
	entries = expiry.DueWithin(entries, ds.asOf, within)
	r := expiry.Report{AsOf: ds.asOf, Within: within, Entries: entries, Failing: expiry.Failing(entries, ds.asOf, failWithin)}
	var werr error
	switch opts.Format {
	case "json":
		werr = expiry.WriteJSON(opts.IO.Out, r)
	case "csv":
		werr = expiry.WriteCSV(opts.IO.Out, r)
	case "ics":
		werr = expiry.WriteICS(opts.IO.Out, entries, expiry.ICSOptions{Name: ds.site.Config.Title, AsOf: ds.asOf})
	default:
		if len(entries) == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "nothing falls due within %s of %s\n", within, ds.asOf.Format("2006-01-02"))
		} else {
			werr = expiry.WriteText(opts.IO.Out, r)
		}
	}
	if werr != nil {
		return fmt.Errorf("writing the list: %w", werr)
	}
	if opts.Notify != "" {
		n := expiry.Notifier{Client: opts.Client}
		if err := n.Post(ctx, opts.Notify, expiry.NewMessage(ds.site.Config.Title, r)); err != nil {
			return fmt.Errorf("--notify: %w", err)
		}
		fmt.Fprintln(opts.IO.ErrOut, "posted the summary to the webhook")
	}
	switch {
	case len(r.Failing) > 0:
		what := "expired"
		if failWithin != nil {
			what = "expired or due within " + failWithin.String()
		}
		return &problemError{msg: fmt.Sprintf("%d %s (as of %s)", len(r.Failing), what, ds.asOf.Format("2006-01-02"))}
	case hasErrors:
		return &problemError{msg: "the site has errors (cairn check lists them)"}
	}
	return nil
}
