package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/advisor"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/site"
)

// CheckOptions are the flags of cairn check.
type CheckOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	// Getenv reads the environment: where the age keys are.
	Getenv func(string) string

	Strict bool
	Format string
	Today  string
	// Files, when set, scans only Paths for plaintext secrets (the leaks
	// rules), reading nothing else of the site: a pre-commit hook's check.
	Files bool
	Paths []string
	// Explain, when set, prints the long form of one rule and checks
	// nothing.
	Explain string
	// NoAdvisor skips the best-practice rules (docs/advisor.md).
	NoAdvisor bool
}

func newCheckCmd(f *Factory, g *globalOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "check [--files FILE...]",
		Short: "Check the site: schemas, fields, links, secrets, expiries",
		Long: `Check reads every file of the site and reports every problem it finds, as
file:line:col: severity: message, with a hint where one helps, then a summary.

It exits 1 when there are errors (or warnings, with --strict), 0 otherwise.
Run it in CI on every pull request.

With --files, check scans only the files named as arguments for secrets
written in plain text (the leak rules), reading nothing else of the site but
leaks.toml: fast enough for a pre-commit hook on the staged files. Paths are
relative to the current folder, which may be the site or a folder above it
(--site names the site); a path outside the site is refused, and a file no
portal publishes (README.md, .sops.yaml files) is skipped.

Check also runs the advisor's best-practice rules (structured data in
documents, duplicated data, general passwords, reusable types, checklists
with SOPs, least privilege); cairn.toml's [advisor] table sets their
severities, and --explain RULE prints what a rule means, with an example.`,
		Example: `  cairn check
  cairn check --strict --format github     # annotations in a GitHub Actions job
  cairn check --format sarif > cairn.sarif # for code scanning
  cairn check --format json | jq .summary
  cairn check --files content/acme/documents/vpn.md   # secrets in these files only
  cairn check --explain data-in-document              # what a rule means`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Explain != "" {
				return cobra.NoArgs(cmd, args)
			}
			if opts.Files {
				if len(args) == 0 {
					return &usageError{fmt.Errorf("--files: name the files to scan")}
				}
				return nil
			}
			return cobra.NoArgs(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Paths = args
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json, github or sarif")
	cmd.Flags().BoolVar(&opts.Files, "files", false, "scan only the files given as arguments for plaintext secrets")
	cmd.Flags().StringVar(&opts.Today, "today", "", "measure expiries against this date (YYYY-MM-DD) instead of the clock's")
	cmd.Flags().StringVar(&opts.Explain, "explain", "", "print what the rule `RULE` means, with an example, and check nothing")
	cmd.Flags().BoolVar(&opts.NoAdvisor, "no-advisor", false, "skip the best-practice rules (docs/advisor.md)")
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
	// Infos and Suppressed count the advisor's info findings and the
	// findings a site suppressed in place.
	Infos      int `json:"infos,omitempty"`
	Suppressed int `json:"suppressed,omitempty"`
}

func checkRun(cmd *cobra.Command, opts *CheckOptions) error {
	switch opts.Format {
	case "text", "json", "github", "sarif":
	default:
		return &usageError{fmt.Errorf("--format %q: want text, json, github or sarif", opts.Format)}
	}
	if opts.Explain != "" {
		return explainRun(opts)
	}
	if opts.Files {
		return checkFilesRun(opts)
	}
	day, err := today(opts.Today, opts.Now)
	if err != nil {
		return err
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	defer limitCheckMemory(getenv)()
	res, err := site.Open(cmd.Context(), opts.Global.Site, day)
	if err != nil {
		return err
	}
	// The secrets checks (MACs with the user's keys, recipients; see
	// secretcheck.go) and the advisor both only read the site: they run
	// side by side, and their findings are merged in the same order as
	// when they ran one after the other.
	keys, keyDiags := loadCheckKeys(res.Site, getenv)
	var secretDiags *diag.List
	done := make(chan struct{})
	go func() {
		defer close(done)
		secretDiags = checkSecretsWith(cmd.Context(), res, keys, keyDiags)
	}()
	var ar *advisor.Result
	var advErr error
	if !opts.NoAdvisor {
		adv := advisor.Options{}
		if keys.Available() {
			adv.Secrets = &secrets.Store{Root: res.Site.Root, Keys: keys}
		}
		ar, advErr = advisor.Run(cmd.Context(), res.Site, adv)
	}
	<-done
	res.Diags.Merge(secretDiags)
	if advErr != nil {
		return advErr
	}
	var suppressed []diag.Suppressed
	if ar != nil {
		res.Diags.Merge(ar.Diags)
		suppressed = ar.Suppressed
	}
	ds := res.Diags.Sorted()
	errs, warns := res.Diags.Count()
	sum := checkSummary{Orgs: res.Stats.Orgs, Items: res.Stats.Items, Links: res.Stats.Links,
		Errors: errs, Warnings: warns, Expiring: res.Stats.Expiring, Expired: res.Stats.Expired,
		Infos: res.Diags.CountInfo(), Suppressed: len(suppressed)}
	return report(opts, ds, suppressed, sum, func(w io.Writer) error {
		advice := ""
		if sum.Infos > 0 || sum.Suppressed > 0 {
			advice = fmt.Sprintf("; advice: %s, %d suppressed", plural(sum.Infos, "info"), sum.Suppressed)
		}
		_, err := fmt.Fprintf(w, "checked %d organizations, %d items, %d links: %s, %s; %d expiring within the window, %d expired%s\n",
			sum.Orgs, sum.Items, sum.Links, plural(sum.Errors, "error"), plural(sum.Warnings, "warning"), sum.Expiring, sum.Expired, advice)
		return err
	})
}

// checkMemoryLimit is the soft limit on Go's memory that cairn check
// sets: with the collector's default alone the heap grows to twice the
// live data between cycles, which put a check of 100,000 items at 1.5 to
// 1.7 GB; under the limit the collector runs more often once the heap
// nears it (docs/performance.md, "Load and check"). A site whose live
// data exceeds it is still checked, with the collector busier.
const checkMemoryLimit = 900 << 20

// limitCheckMemory sets checkMemoryLimit unless the GOMEMLIMIT
// environment variable sets a limit of its own (GOMEMLIMIT=off keeps Go's
// default, no limit), and returns the function that restores the limit
// before it.
func limitCheckMemory(getenv func(string) string) func() {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(checkMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}

// report writes the diagnostics in opts.Format (with the suppressed
// findings under JSON), with the summary sum (as
// JSON) or written by summary (the text line: on stdout after text, on
// stderr beside the github and sarif formats, whose stdout is the data
// alone), and returns a problemError when they fail the check.
func report(opts *CheckOptions, ds []diag.Diagnostic, sup []diag.Suppressed, sum any, summary func(io.Writer) error) error {
	out := opts.IO.Out
	var err error
	switch opts.Format {
	case "json":
		err = diag.WriteJSONSuppressed(out, ds, sup, sum)
	case "github":
		if err = diag.WriteGitHub(out, ds); err == nil {
			err = summary(opts.IO.ErrOut)
		}
	case "sarif":
		tool := diag.SARIFTool{Name: "cairn", InformationURI: "https://github.com/cairn-it/cairn",
			DocsURI: "https://github.com/cairn-it/cairn/blob/main/docs/"}
		if err = diag.WriteSARIF(out, ds, tool); err == nil {
			err = summary(opts.IO.ErrOut)
		}
	default:
		if err = diag.WriteTextColor(out, ds, opts.IO.ColorOut); err == nil {
			err = summary(out)
		}
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	errs, warns := 0, 0
	for _, d := range ds {
		switch d.Severity {
		case diag.Error:
			errs++
		case diag.Warning:
			warns++
		}
	}
	if errs > 0 || (opts.Strict && warns > 0) {
		return &problemError{}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
