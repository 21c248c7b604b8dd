package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Release builds stamp these with the linker (goreleaser's ldflags in
// .goreleaser.yaml: -X main.buildVersion=… -X main.buildCommit=…
// -X main.buildDate=…). They are the one exception to "no package-level
// variables": -X can only set a package-level string, and nothing assigns
// them at run time. Empty means "not stamped": cairn version then reads the
// Go build info alone.
var (
	buildVersion string
	buildCommit  string
	buildDate    string
)

// buildStamp is what the linker stamped into the binary, if anything.
type buildStamp struct {
	Version, Commit, Date string
}

// VersionOptions are the flags of cairn version.
type VersionOptions struct {
	IO *IOStreams
	// BuildInfo reads the binary's Go build info (debug.ReadBuildInfo);
	// tests pass a fake.
	BuildInfo func() (*debug.BuildInfo, bool)
	// Stamp is what release builds set with -ldflags -X.
	Stamp buildStamp

	Format string
}

// versionInfo is what cairn version reports, as text and as JSON.
type versionInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go"`
	Platform  string `json:"platform"`
}

// addVersionCmd adds cairn version and the --version flag to root; it is the
// one line root.go needs.
func addVersionCmd(root *cobra.Command, f *Factory) {
	cmd := newVersionCmd(f, nil)
	root.AddCommand(cmd)
	// cobra prints Version through the template for --version; both print
	// the same text as cairn version.
	opts := &VersionOptions{BuildInfo: debug.ReadBuildInfo, Stamp: currentStamp()}
	root.Version = readVersion(opts).Version
	root.SetVersionTemplate(versionText(readVersion(opts)))
	// Add the flag now, not when cobra runs a command, so that every help
	// (cairn help, cairn --help) lists it the same way.
	root.InitDefaultVersionFlag()
	if fl := root.Flags().Lookup("version"); fl != nil {
		fl.Usage = "print cairn's version (as cairn version does)"
	}
}

func currentStamp() buildStamp {
	return buildStamp{Version: buildVersion, Commit: buildCommit, Date: buildDate}
}

func newVersionCmd(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IO, BuildInfo: debug.ReadBuildInfo, Stamp: currentStamp()}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print cairn's version, commit, build date and Go version",
		Long: `Version prints the module version, the VCS commit it was built from (with
"-dirty" when the working tree had changes), the date, and the Go version and
platform.

They come from the Go build info that "go build" and "go install" embed;
release binaries carry the values goreleaser stamps instead. The date is the
release's build date, or else the commit's time (a plain go build records no
build clock, so that builds are reproducible).`,
		Example: `  cairn version
  cairn --version
  cairn version --format json | jq -r .commit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func versionRun(opts *VersionOptions) error {
	switch opts.Format {
	case "text", "json":
	default:
		return &usageError{fmt.Errorf("--format %q: want text or json", opts.Format)}
	}
	v := readVersion(opts)
	var err error
	if opts.Format == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(v)
	} else {
		_, err = fmt.Fprint(opts.IO.Out, versionText(v))
	}
	if err != nil {
		return fmt.Errorf("writing the version: %w", err)
	}
	return nil
}

// versionText is the text form of v, one field a line.
func versionText(v versionInfo) string {
	return fmt.Sprintf("cairn version %s\ncommit  %s\ndate    %s\ngo      %s %s\n",
		v.Version, v.Commit, v.Date, v.GoVersion, v.Platform)
}

// readVersion assembles the version from the linker stamp, where set, and
// the Go build info. A field neither knows is "unknown"; a build without
// module information (go run, GOFLAGS=-buildvcs=false) reports "(devel)".
func readVersion(opts *VersionOptions) versionInfo {
	v := versionInfo{Version: "(devel)", Commit: "unknown", Date: "unknown",
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := opts.BuildInfo(); ok && bi != nil {
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			v.GoVersion = bi.GoVersion
		}
		var dirty bool
		var goos, goarch string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Date = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			case "GOOS":
				goos = s.Value
			case "GOARCH":
				goarch = s.Value
			}
		}
		if dirty && v.Commit != "unknown" {
			v.Commit += "-dirty"
		}
		if goos != "" && goarch != "" {
			v.Platform = goos + "/" + goarch
		}
	}
	if s := opts.Stamp; s.Version != "" {
		v.Version = s.Version
	}
	if s := opts.Stamp; s.Commit != "" {
		v.Commit = s.Commit
	}
	if s := opts.Stamp; s.Date != "" {
		v.Date = s.Date
	}
	return v
}
