package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/importer/itglue"
	"github.com/cairn-it/cairn/generator/secrets"
)

// ImportOptions are the arguments of cairn import itglue.
type ImportOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Getenv func(string) string

	// Export is the export: a .zip or its unpacked folder.
	Export string
	// Into is the site; "" for the global --site.
	Into       string
	Recipients []string
	DryRun     bool
	Format     string
}

func newImportCmd(f *Factory, g *globalOptions, runF func(*ImportOptions) error) *cobra.Command {
	imp := &cobra.Command{
		Use:   "import",
		Short: "Import documentation from another platform",
		Long:  "Import brings a team's documentation in from another platform. See docs/migrating-from-itglue.md.",
	}
	opts := &ImportOptions{IO: f.IO, Global: g, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "itglue EXPORT",
		Short: "Import an IT Glue export (.zip or folder) into the site",
		Long: `Import itglue reads an IT Glue account or organization export, the .zip as
downloaded or its unpacked folder, and writes its organizations, locations,
contacts, configurations, domains, SSL certificates, flexible assets (with a
generated schema per type), documents (HTML to Markdown, images copied to
files/, links between documents as [[wiki links]]), attachments and passwords
into the site. Password and OTP values go straight into SOPS files encrypted to
the --recipient keys (added to .sops.yaml) or to .sops.yaml's rules; with no
recipient at all the import refuses and writes nothing.

Every item keeps its IT Glue id as import_id: importing again merges by it,
writes nothing when nothing changed, and never overwrites a file changed by
hand (it is listed as kept). --dry-run writes nothing and prints what it would
do. The report counts rows read and items written per type and lists what was
skipped, names that could not be linked, and values moved to notes, each with
its CSV file and line. See docs/migrating-from-itglue.md.`,
		Example: "  cairn import itglue export.zip --recipient age1...\n  cairn import itglue ./export --into it-docs --dry-run --format json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{errors.New("import itglue takes one export: cairn import itglue EXPORT")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Export = args[0]
			if runF != nil {
				return runF(opts)
			}
			return importRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Into, "into", "", "the site to import into (default: --site, the current folder)")
	cmd.Flags().StringArrayVar(&opts.Recipients, "recipient", nil, "an age public key (age1...) to encrypt passwords to; repeatable")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "write nothing; print what would be created")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "report format: text or json")
	imp.AddCommand(cmd)
	return imp
}

func importRun(cmd *cobra.Command, opts *ImportOptions) error {
	if opts.Format != "text" && opts.Format != "json" {
		return &usageError{fmt.Errorf("--format %q: want text or json", opts.Format)}
	}
	site := opts.Into
	if site == "" {
		site = opts.Global.Site
	}
	exp, err := itglue.Open(opts.Export)
	if err != nil {
		return err
	}
	defer exp.Close()
	keys, err := secrets.LoadKeys(secrets.KeyOptions{Getenv: opts.Getenv})
	if err != nil {
		keys = nil // without keys an existing secrets file is kept, not compared
	}
	rep, err := itglue.Import(cmd.Context(), exp, itglue.Options{Site: site, Recipients: opts.Recipients, DryRun: opts.DryRun, Keys: keys})
	var nr *itglue.NoRecipientError
	if errors.As(err, &nr) {
		return &problemError{"cairn import itglue: " + nr.Error()}
	}
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		return rep.WriteJSON(opts.IO.Out)
	}
	return rep.WriteText(opts.IO.Out)
}
