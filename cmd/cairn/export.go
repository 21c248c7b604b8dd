package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/export"
	"github.com/cairn-it/cairn/generator/secrets"
)

// ExportOptions are the flags of cairn export.
type ExportOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	Org            string
	Type           string
	Portal         string
	Format         string
	Output         string
	IncludeSecrets bool
	Recipients     []string
}

func newExportCmd(f *Factory, g *globalOptions, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "export --format csv|json [--org ORG] [--type TYPE] [--portal NAME] [-o DIR|FILE.zip]",
		Short: "Export the site's data: a CSV or JSON file per type, Markdown, attachments",
		Long: `Export writes the data of every organization (or of --org), every type (or
--type) for other tools: one TYPE.csv or TYPE.json per type (assets/backup.csv
for a flexible type), with a header of field names and one row per item
(id, org, file, then the fields; group fields and lists as JSON cells),
organizations.csv (or .json) unless --type is given, documents' and
checklists' Markdown files and the attachments at their paths under
content/, and for the whole site the checklist templates (checklists/). The same site gives the same bytes; a zip's entries have a fixed
time. See cairn help export for how every value is written and read back.

--portal NAME exports only what that portal's audience may see (its
organizations, items and attachments, as cairn build would publish them
for it): what to hand to a client.

Secrets are left out. With --include-secrets and --recipient age1... (one or
more), the secret values of the exported items are written as one file,
secrets.json.age, encrypted to those recipients, and nowhere else; reading
them needs your own age key (SOPS_AGE_KEY_FILE, ...).

-o is a folder that must be new or empty (default: export), or a FILE.zip;
either is written whole or not at all. The site must pass cairn check.`,
		Example: `  cairn export --format csv -o export
  cairn export --org acme --format json -o acme.zip
  cairn export --portal acme --format csv -o acme-handover.zip
  cairn export --org acme --type configurations --format csv -o acme-configurations
  cairn export --org acme --format csv --include-secrets --recipient age1... -o acme.zip`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.Format != "csv" && opts.Format != "json":
				return &usageError{fmt.Errorf("--format %q: want csv or json", opts.Format)}
			case opts.IncludeSecrets && len(opts.Recipients) == 0:
				return &usageError{fmt.Errorf("--include-secrets needs --recipient age1...: secrets are exported only encrypted")}
			case !opts.IncludeSecrets && len(opts.Recipients) > 0:
				return &usageError{fmt.Errorf("--recipient is for --include-secrets")}
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Org, "org", "", "only this organization")
	cmd.Flags().StringVar(&opts.Portal, "portal", "", "only what this portal's audience may see (access.toml)")
	cmd.Flags().StringVar(&opts.Type, "type", "", "only this type (configurations, assets/backup or backup, documents, ...)")
	cmd.Flags().StringVar(&opts.Format, "format", "", "csv or json (required)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "a new or empty folder, or FILE.zip (default: export)")
	cmd.Flags().BoolVar(&opts.IncludeSecrets, "include-secrets", false, "also export secret values, encrypted to --recipient")
	cmd.Flags().StringArrayVar(&opts.Recipients, "recipient", nil, "an age public key (age1...) to encrypt secrets to (repeatable)")
	return cmd
}

func exportRun(cmd *cobra.Command, opts *ExportOptions) error {
	ctx := cmd.Context()
	if opts.IncludeSecrets {
		// A recipient that is not an age key is a usage error, found
		// before anything is read or written.
		if _, err := secrets.EncryptTo(opts.Recipients, nil); err != nil {
			return &usageError{err}
		}
	}
	res, _, err := openSiteAt(ctx, opts.Global.Site, "", opts.Now)
	if err != nil {
		return err
	}
	path := opts.Output
	if path == "" {
		path = "export"
	}
	// An export inside a source folder would add its copies to the site
	// (content/ORG/... Markdown files become items): refused as cairn
	// build refuses such an output.
	if _, err := build.CheckOutput(res.Site.Root, path, true); err != nil {
		return &usageError{fmt.Errorf("-o: %w", err)}
	}
	if res.Diags.HasErrors() {
		return &problemError{"cairn export: the site has errors; run cairn check and fix them first"}
	}
	eo := export.Options{Org: opts.Org, Type: opts.Type, Format: opts.Format}
	if opts.Portal != "" {
		v, err := access.NewView(res.Site, opts.Portal)
		if err != nil {
			return &usageError{err}
		}
		if opts.IncludeSecrets && v.Portal.Secrets != "sealed" {
			return &usageError{fmt.Errorf("portal %q carries no secrets (secrets = \"sealed\" in access.toml): export it without --include-secrets", opts.Portal)}
		}
		eo.Scope = v
	}
	if opts.IncludeSecrets {
		keys, err := loadSiteKeys(res.Site, opts.Getenv)
		if err != nil {
			return err
		}
		eo.Secrets = &secrets.Store{Root: res.Site.Root, Keys: keys, Now: opts.Now}
		eo.Encrypt, eo.Recipients = secrets.EncryptTo, opts.Recipients
	}
	var out export.Output
	if strings.HasSuffix(strings.ToLower(path), ".zip") {
		out, err = export.NewZip(path)
	} else {
		out, err = export.NewDir(path)
	}
	if err != nil {
		return err
	}
	sum, err := export.Export(ctx, res.Site, eo, out)
	if err != nil {
		out.Abort()
		var oe *export.OptionError
		if errors.As(err, &oe) {
			return &usageError{err}
		}
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "exported %d items (%d types, %d Markdown files, %d attachments", sum.Items, sum.Types, sum.Markdown, sum.Attachments)
	if opts.IncludeSecrets {
		fmt.Fprintf(opts.IO.ErrOut, ", %d secret values encrypted to %d recipients", sum.Secrets, len(opts.Recipients))
	}
	fmt.Fprintln(opts.IO.ErrOut, ")")
	fmt.Fprintln(opts.IO.Out, path)
	return nil
}
