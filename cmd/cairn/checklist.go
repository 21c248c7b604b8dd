package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/checklist"
	"github.com/cairn-it/cairn/generator/scaffold"
	"github.com/cairn-it/cairn/generator/site"
)

// ChecklistOptions are the flags of cairn checklist (the list of open runs).
type ChecklistOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	Org    string
	Format string
	Today  string
}

// ChecklistStartOptions are the arguments of cairn checklist start.
type ChecklistStartOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	Template string
	Org      string
	Slug     string
	Title    string
	Assignee string
	Due      string
	Today    string
}

func newChecklistCmd(f *Factory, g *globalOptions, runF func(*ChecklistOptions) error, startF func(*ChecklistStartOptions) error) *cobra.Command {
	opts := &ChecklistOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "checklist",
		Short: "List open checklists with their progress and overdue tasks; start one from a template",
		Long: `Checklist lists the open checklist runs (content/<org>/checklists/*.md whose
status is neither Done nor Cancelled, and not archived): progress, due date,
assignee, and every task whose due:YYYY-MM-DD is before today, with its file
and line. Runs are sorted by due date. --today measures "overdue" against
another date.

cairn checklist start writes a new run from a template: see
cairn checklist start --help and cairn help checklists.`,
		Example: `  cairn checklist
  cairn checklist --org acme --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Format != "text" && opts.Format != "json" {
				return &usageError{fmt.Errorf("--format %q: want text or json", opts.Format)}
			}
			if runF != nil {
				return runF(opts)
			}
			return checklistRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Org, "org", "", "only this organization's checklists")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&opts.Today, "today", "", "measure overdue tasks against this date (YYYY-MM-DD) instead of the clock's")
	cmd.AddCommand(newChecklistStartCmd(f, g, startF))
	return cmd
}

func newChecklistStartCmd(f *Factory, g *globalOptions, runF func(*ChecklistStartOptions) error) *cobra.Command {
	opts := &ChecklistStartOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "start TEMPLATE ORG",
		Short: "Start a checklist run from a template",
		Long: `Start writes content/ORG/checklists/SLUG.md from checklists/TEMPLATE.md: the
template's tasks, headings and text, with front matter naming the template
(template = "TEMPLATE"), the assignee, the due date, status "Not started",
and related = [the template's sop] when the template names one
(sop = "documents/sops/...") and ORG has it.

A template task may be due relative to the run: due:+3d, due:-1w (days or
weeks) count from --due, or from today when there is no --due, and are
written as dates. SLUG defaults to TEMPLATE-DATE and the title to the
template's title and DATE (DATE: --due, else today). The file is written
whole or not at all, and never over an existing one.`,
		Example: `  cairn checklist start onboarding acme --due 2026-12-01 --assignee dana --title "Onboarding: Jo Ramirez"
  cairn checklist start monthly-patching acme --slug patching-2026-12`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &usageError{fmt.Errorf("checklist start takes TEMPLATE ORG")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Template, opts.Org = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return checklistStartRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slug, "slug", "", "the run's slug (default: TEMPLATE-DATE)")
	cmd.Flags().StringVar(&opts.Title, "title", "", "the run's title (default: the template's title and the date)")
	cmd.Flags().StringVar(&opts.Assignee, "assignee", "", "who runs it")
	cmd.Flags().StringVar(&opts.Due, "due", "", "the run's due date (YYYY-MM-DD); relative task dates count from it")
	cmd.Flags().StringVar(&opts.Today, "today", "", "the start date (YYYY-MM-DD) instead of the clock's")
	return cmd
}

func checklistRun(cmd *cobra.Command, opts *ChecklistOptions) error {
	res, day, err := openSiteAt(cmd.Context(), opts.Global.Site, opts.Today, opts.Now)
	if err != nil {
		return err
	}
	if opts.Org != "" && res.Site.Org(opts.Org) == nil {
		return &usageError{fmt.Errorf("no organization %q", opts.Org)}
	}
	runs := checklist.Titled(res.Site, checklist.Open(res.Site.Items, opts.Org, day))
	if opts.Format == "json" {
		return checklist.WriteJSON(opts.IO.Out, runs)
	}
	return checklist.WriteText(opts.IO.Out, runs, day)
}

func checklistStartRun(cmd *cobra.Command, opts *ChecklistStartOptions) error {
	res, day, err := openSiteAt(cmd.Context(), opts.Global.Site, opts.Today, opts.Now)
	if err != nil {
		return err
	}
	st, err := checklist.Start(res.Site, opts.Template, checklist.StartOptions{
		Org: opts.Org, Slug: opts.Slug, Title: opts.Title, Assignee: opts.Assignee, Due: opts.Due, Today: day})
	if err != nil {
		return &usageError{err}
	}
	return writeRun(opts.IO, opts.Global.Site, st)
}

// openSiteAt opens and checks the site as of --today (todayFlag), else
// the clock's date, and returns that date.
func openSiteAt(ctx context.Context, root, todayFlag string, now func() time.Time) (*site.Result, time.Time, error) {
	day, err := today(todayFlag, now)
	if err != nil {
		return nil, day, err
	}
	res, err := site.Open(ctx, root, day)
	return res, day, err
}

// writeRun writes a started checklist run, whole and never over an
// existing file, and says where; cairn new checklists calls it too.
func writeRun(io *IOStreams, root string, st *checklist.Started) error {
	for _, n := range st.Notes {
		fmt.Fprintln(io.ErrOut, "note: "+n)
	}
	path := filepath.Join(root, filepath.FromSlash(st.File))
	if err := scaffold.WriteNew(path, st.Text); err != nil {
		if errors.Is(err, scaffold.ErrExists) {
			return &problemError{fmt.Sprintf("%s already exists: choose another --slug", path)}
		}
		return err
	}
	fmt.Fprintln(io.Out, path)
	return nil
}
