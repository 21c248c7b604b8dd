package main

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/runbook"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/site"
)

// RunbookOptions are the arguments of cairn runbook.
type RunbookOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	Org             string
	Portal          string
	Types           []string
	IncludeArchived bool
	IncludeSecrets  bool
	Today           string
	Output          string
}

func newRunbookCmd(f *Factory, g *globalOptions, runF func(*RunbookOptions) error) *cobra.Command {
	opts := &RunbookOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "runbook ORG",
		Short: "Write an organization's PDF runbook, for print and offline use",
		Long: `Runbook writes the PDF book of one organization, as one portal may see it:
a cover, contents, alerts and quick notes, important contacts, what expires
soon, then every item by type with its fields, documents and checklists.
Keep a copy offline for the day the network (and the portal) is down.

The book is made for a portal (--portal; default "internal" when the site has
one, else the first portal of access.toml) and holds only what that portal may
show. Its "as of" date comes from --today, else the date of the site's git HEAD
commit (its committer time, in UTC), else today's date in UTC; the cover and
every footer name the commit, and say "with uncommitted changes" when the
site's files differ from it. It refuses to run while cairn check finds errors
in site-wide files (cairn.toml, access.toml, schemas, checklists, themes) or
in an organization the portal sees (as cairn build refuses that portal), and
writes the file whole or not at all.

--include-secrets prints secret values (decrypted with your age key) in
plain text: only for a portal with secrets = "sealed". Encrypt such a book
(age -r RECIPIENT book.pdf > book.pdf.age) or keep it offline.`,
		Example: `  cairn runbook brightsmile
  cairn runbook ferrum --portal helpdesk --types configurations,contacts -o ferrum.pdf
  cairn runbook ferrum --include-secrets -o - | age -r age1... > ferrum.pdf.age`,
		Args: exactArgs(1, "runbook takes one organization: cairn runbook ORG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Org = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runbookRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Portal, "portal", "", `the portal the book is for (default "internal", else the first portal)`)
	fl.StringSliceVar(&opts.Types, "types", nil, "only these types (type folders: configurations, assets/backup, assets, ...)")
	fl.BoolVar(&opts.IncludeArchived, "include-archived", false, "include archived items (the portal must carry them)")
	fl.BoolVar(&opts.IncludeSecrets, "include-secrets", false, "print secret values (plain text in the PDF: encrypt it)")
	fl.StringVar(&opts.Today, "today", "", "date the book (YYYY-MM-DD) and measure expiries from it, instead of git HEAD's date")
	fl.StringVarP(&opts.Output, "output", "o", "", `the PDF file (default <org>-runbook.pdf; "-" for stdout)`)
	return cmd
}

func runbookRun(cmd *cobra.Command, opts *RunbookOptions) error {
	ctx := cmd.Context()
	prov, err := siteProvenance(ctx, opts.Global.Site, opts.Today, opts.Now)
	if err != nil {
		return err
	}
	res, err := site.Open(ctx, opts.Global.Site, prov.AsOf)
	if err != nil {
		return err
	}
	s := res.Site
	refuse := func() error {
		return &problemError{msg: fmt.Sprintf("cairn: the site has errors; fix them before printing a runbook (cairn check):\n%v", res.Diags.Err())}
	}
	if s == nil {
		return refuse()
	}
	if s.Org(opts.Org) == nil {
		if res.Diags.Err() != nil {
			return refuse()
		}
		var slugs []string
		for _, o := range s.Orgs {
			slugs = append(slugs, o.Slug)
		}
		return &usageError{fmt.Errorf("no organization %q (organizations: %s)", opts.Org, strings.Join(slugs, ", "))}
	}
	portal, err := runbookPortal(s, opts.Portal)
	if err != nil {
		if res.Diags.Err() != nil {
			return refuse()
		}
		return err
	}
	if res.Diags.Err() != nil {
		// As in build: errors in site-wide files refuse every book; errors
		// in an organization refuse only books for portals that see it, so
		// one client's typo does not hold another client's book hostage.
		siteWide, stopped, err := build.Blocked(s, res.Diags.Sorted(), []string{portal})
		if err != nil || len(siteWide) > 0 || stopped[portal] != nil {
			return refuse()
		}
		if werr := diag.WriteTextColor(opts.IO.ErrOut, res.Diags.Sorted(), opts.IO.ColorErr); werr != nil {
			return fmt.Errorf("writing the report: %w", werr)
		}
	}
	v, err := access.NewView(s, portal)
	if err != nil {
		return &usageError{err}
	}
	if !v.CanSeeOrg(opts.Org) {
		return &usageError{fmt.Errorf("portal %q may not see organization %q: choose another --portal", portal, opts.Org)}
	}
	if opts.IncludeArchived && !v.Portal.Archived {
		return &usageError{fmt.Errorf("--include-archived: portal %q does not carry archived items (archived = false in access.toml); use a portal with archived = true", portal)}
	}
	if err := runbook.CheckTypes(v, opts.Types); err != nil {
		return &usageError{fmt.Errorf("--types: %w", err)}
	}
	bo := runbook.Options{Types: opts.Types, IncludeArchived: opts.IncludeArchived, AsOf: prov.AsOf, Commit: prov.Commit, Dirty: prov.Dirty, Portal: portal}
	if opts.IncludeSecrets {
		if v.Portal.Secrets != "sealed" {
			return &usageError{fmt.Errorf("--include-secrets: portal %q carries no secrets (secrets = %q in access.toml); use a portal with secrets = \"sealed\"", portal, v.Portal.Secrets)}
		}
		keys, err := loadSiteKeys(s, opts.Getenv)
		if err != nil {
			return err
		}
		if !keys.Available() {
			return fmt.Errorf("--include-secrets: no age key to decrypt secrets with (searched: %s); set SOPS_AGE_KEY_FILE", strings.Join(keys.Searched, ", "))
		}
		bo.Secrets = &secrets.Store{Root: s.Root, Keys: keys, Now: opts.Now}
	}

	out := opts.Output
	if out == "" {
		out = opts.Org + "-runbook.pdf"
	}
	if out == "-" {
		// Write buffers the whole book, so stdout gets all of it or nothing.
		return runbook.Write(ctx, opts.IO.Out, v, opts.Org, bo)
	}
	var book bytes.Buffer
	if err := runbook.Write(ctx, &book, v, opts.Org, bo); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(out, book.Bytes(), 0o600); err != nil {
		return err
	}
	n := book.Len()
	note := ""
	if opts.IncludeSecrets {
		note = "; it CONTAINS SECRETS in plain text: encrypt it or keep it offline"
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote %s (%d KB, portal %s, %s)%s\n", out, (n+1023)/1024, portal, prov, note)
	return nil
}

// runbookPortal picks the portal: the flag, else "internal", else the
// portal written first in access.toml.
func runbookPortal(s *model.Site, flag string) (string, error) {
	if flag != "" {
		if s.Access.Portals[flag] == nil {
			return "", &usageError{fmt.Errorf("--portal %q: no such portal in access.toml (portals: %s)", flag, strings.Join(access.Portals(s), ", "))}
		}
		return flag, nil
	}
	if s.Access.Portals["internal"] != nil {
		return "internal", nil
	}
	first, line := "", 0
	for _, name := range access.Portals(s) {
		p := s.Access.Portals[name]
		if first == "" || p.Pos.Line < line {
			first, line = name, p.Pos.Line
		}
	}
	if first == "" {
		return "", fmt.Errorf("access.toml defines no portal: add one ([portals.internal] with groups = [...]) to print runbooks")
	}
	return first, nil
}
