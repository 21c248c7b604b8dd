package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/provenance"
	"github.com/cairn-it/cairn/generator/seal"
	"github.com/cairn-it/cairn/generator/site"
)

// BuildOptions are the flags of cairn build.
type BuildOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	Portals []string
	Today   string
	Output  string
	// PassphraseFiles are --passphrase-file values for sealed portals.
	PassphraseFiles []string
	// NoRunbooks skips the PDF runbooks, for quick previews.
	NoRunbooks bool
	// RunbooksOnly makes only the PDF runbooks: with a --no-runbooks
	// build of the same commit, the two outputs merged are a full build.
	RunbooksOnly bool
}

func newBuildCmd(f *Factory, g *globalOptions, runF func(*BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the static HTML portals: one site per portal of access.toml",
		Long: `Build checks the site, then writes every portal of access.toml (or the ones
named with --portal) as a complete static site in <output>/<portal>/: pages,
theme assets, the attachments the portal may see, its search index, PDF
runbooks and, when cairn.toml sets base_url, a sitemap.xml. Each portal is made
only from what its audience may see.

The output folder is cairn.toml's output (default "public"), relative to the
site, unless --output says otherwise. It may not be the site, contain it, or
overlap its sources; cairn.toml may not name a folder outside the site (only
--output may). A portal folder is replaced only if an earlier build wrote it
(it holds a .cairn-portal file).

A build is all or none: every portal is rendered into a staging folder inside
the output folder, and only when all succeeded is each swapped into place (on
Linux and macOS in one atomic exchange), so a failed or interrupted build
leaves every previous portal untouched. It is deterministic: the same site gives the same
bytes. See cairn help deploying.

A build is incremental: the output folder keeps a manifest per portal (in
<output>/.cairn/, never served) with an input key and a hash of every file.
When no file of the site, the as-of date, the git commit or the program
changed since the last build, it stops at once ("nothing changed"); otherwise
it loads and checks the site, makes only the files whose inputs changed, and
keeps (hard-links) every file whose key or bytes are the same. The output is
byte for byte what a clean build writes. A missing or foreign manifest means
a full build. --no-runbooks and --runbooks-only split a build in two (pages
link to runbooks in both): the two outputs merged are a full build.

Expiry badges are measured against the "as of" date: --today, else the date of
the site's git HEAD commit (its committer time, in UTC), else today's date.

Errors in site-wide files (cairn.toml, access.toml, schemas, themes,
checklists) refuse the build: it prints them and exits 1. Errors in an
organization's files stop only the portals that show that organization: the
others are built, the stopped ones keep their previous output, and it exits 1.`,
		Example: `  cairn build
  cairn build --portal internal --portal helpdesk
  cairn build --today 2026-11-23 --output /srv/www/docs`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.NoRunbooks && opts.RunbooksOnly {
				return &usageError{errors.New("--no-runbooks and --runbooks-only are the two halves of a build: give one of them (or neither, for both)")}
			}
			if runF != nil {
				return runF(opts)
			}
			return buildRun(cmd, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Portals, "portal", nil, "build only this portal (repeat for several)")
	cmd.Flags().StringVar(&opts.Today, "today", "", `the "as of" date for expiry badges (YYYY-MM-DD); default: the git HEAD commit's date, else today`)
	cmd.Flags().StringArrayVar(&opts.PassphraseFiles, "passphrase-file", nil, "PORTAL=FILE (or FILE for every portal): read a sealed portal's passphrase from FILE instead of $CAIRN_PORTAL_PASSPHRASE_<PORTAL>")
	cmd.Flags().BoolVar(&opts.NoRunbooks, "no-runbooks", false, "skip the PDF runbooks (most of a build's time), for a quick preview")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "the folder to write portals into (default: cairn.toml's output, relative to the site)")
	cmd.Flags().BoolVar(&opts.RunbooksOnly, "runbooks-only", false, "make only the PDF runbooks; merged with a --no-runbooks output of the same commit it is a full build (docs/ci.md)")
	return cmd
}

func buildRun(cmd *cobra.Command, opts *BuildOptions) error {
	root := opts.Global.Site
	prov, err := siteProvenance(cmd.Context(), root, opts.Today, opts.Now)
	if err != nil {
		return err
	}
	inputs, done, err := buildUpToDate(cmd.Context(), opts, prov)
	if err != nil || done {
		return err
	}
	status := newStatusLine(opts.IO)
	status.Show("reading the site")
	res, err := site.Open(cmd.Context(), root, prov.AsOf)
	status.Clear()
	if err != nil {
		return err
	}
	refuse := func() error {
		errs, warns := res.Diags.Count()
		if werr := diag.WriteTextColor(opts.IO.ErrOut, res.Diags.Sorted(), opts.IO.ColorErr); werr != nil {
			return fmt.Errorf("writing the report: %w", werr)
		}
		return &problemError{msg: fmt.Sprintf("build refused: the site has %s and %s (fix them, then build again; cairn check shows the same list)", plural(errs, "error"), plural(warns, "warning"))}
	}
	names := opts.Portals
	// blocked reports the portals that errors in their organizations stop.
	var blocked error
	if res.Diags.Err() != nil {
		// Errors in site-wide files refuse everything; errors in an
		// organization stop only the portals that see it.
		if len(names) == 0 {
			names = access.Portals(res.Site)
		}
		var known []string
		for _, p := range names {
			if res.Site.Access.Portals[p] != nil {
				known = append(known, p)
			}
		}
		siteWide, stopped, err := build.Blocked(res.Site, res.Diags.Sorted(), known)
		if err != nil || len(siteWide) > 0 {
			return refuse()
		}
		if err := unknownPortal(res.Site, names); err != nil {
			return err
		}
		if len(known) == 0 {
			return refuse()
		}
		var keep []string
		for _, n := range names {
			if stopped[n] == nil {
				keep = append(keep, n)
			}
		}
		if werr := diag.WriteTextColor(opts.IO.ErrOut, res.Diags.Sorted(), opts.IO.ColorErr); werr != nil {
			return fmt.Errorf("writing the report: %w", werr)
		}
		var lines []string
		for _, n := range names {
			if d := stopped[n]; d != nil {
				lines = append(lines, fmt.Sprintf("build refused for portal %s: %s in the organizations it shows (its previous output is kept)", n, plural(len(d), "error")))
			}
		}
		if len(lines) > 0 {
			blocked = &problemError{msg: strings.Join(lines, "\n")}
		}
		if len(keep) == 0 {
			return blocked
		}
		names = keep
	}
	if err := buildPortals(cmd.Context(), opts, res.Site, names, prov, inputs); err != nil {
		return err
	}
	return blocked
}

// buildPortals builds the named portals (every portal when names is
// empty) of a site whose views are free of errors, and reports them. in
// is the scan of the site made before loading it (buildUpToDate); nil
// lets the build scan.
func buildPortals(ctx context.Context, opts *BuildOptions, s *model.Site, names []string, prov provenance.Provenance, in *build.Inputs) error {
	root := opts.Global.Site
	out, explicit := opts.Output, opts.Output != ""
	if out == "" {
		out = s.Config.Output
		if out == "" {
			out = "public"
		}
		if !filepath.IsAbs(out) {
			out = filepath.Join(root, out)
		}
	}
	if err := unknownPortal(s, opts.Portals); err != nil {
		return err
	}
	bopts := build.Options{Output: out, OutputOutsideSite: explicit, Portals: names, Today: prov.AsOf, Commit: prov.Commit, Dirty: prov.Dirty, NoRunbooks: opts.NoRunbooks,
		RunbooksOnly: opts.RunbooksOnly, Inputs: in}
	switch ix, err := history.Load(ctx, root); {
	case err == nil:
		bopts.History = build.GitHistory(ix, s)
		bopts.Changes = lastChanges(ix, root, opts.IO.ErrOut)
	case !errors.Is(err, history.ErrNoRepository):
		return fmt.Errorf("reading the git history for item revisions and recently changed items: %w", err)
	}
	// Sealed portals get a sealer each; secrets fail closed before
	// anything is written. One build covers every portal.
	sg, err := sealers(ctx, s, names, opts.PassphraseFiles, opts.Getenv, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	if sg != nil {
		bopts.Sealers = sg.Sealers
	}
	status := newStatusLine(opts.IO)
	bopts.Progress = buildProgress(status, len(names), len(access.Portals(s)))
	r, err := build.Build(ctx, s, bopts)
	status.Clear()
	var failed *build.FailedError
	if err != nil && !errors.As(err, &failed) {
		return err
	}
	switch wrote, err := sg.SaveSalts(s.Root); {
	case err != nil:
		return err
	case wrote:
		fmt.Fprintf(opts.IO.ErrOut, "note: wrote new sealing salts to %s: commit it, so that later builds seal to the same bytes\n", seal.SaltsFile)
	}
	for _, p := range r.Portals {
		fmt.Fprintf(opts.IO.ErrOut, "built portal %s: %d pages, %d files, %s -> %s (%s of %s files rewritten, %s made)\n", p.Name, p.Pages, p.Files, size(p.Bytes), p.Dir, thousands(p.Rewritten), thousands(p.Files), thousands(p.Made))
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s\n", prov)
	if failed != nil {
		return &problemError{msg: "build refused for some portals:\n" + failed.Error()}
	}
	return nil
}

// unknownPortal returns a usage error for the first of names that
// access.toml does not define.
func unknownPortal(s *model.Site, names []string) error {
	for _, p := range names {
		if s.Access.Portals[p] == nil {
			return &usageError{fmt.Errorf("--portal %s: no such portal in access.toml", p)}
		}
	}
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// buildProgress shows a build's stages on the status line: how many of the
// portals are done, then the swap into place. Portal names come from
// access.toml and are slugs. The caller clears the line when the build
// returns.
func buildProgress(status *statusLine, named, all int) func(build.Stage, string) {
	total := named
	if total == 0 {
		total = all
	}
	done := 0
	return func(stage build.Stage, portal string) {
		switch stage {
		case build.StageStaging:
			status.Show("building %s", plural(total, "portal"))
		case build.StagePortal:
			done++
			status.Show("building portals: %d of %d done (%s)", done, total, portal)
		case build.StageRendered:
			status.Show("moving the new portals into place")
		}
	}
}
