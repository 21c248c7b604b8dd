package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/codeowners"
	"github.com/cairn-it/cairn/generator/site"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// CodeownersOptions are the flags of cairn codeowners.
type CodeownersOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	// Output is where to write; "" for codeowners.DefaultPath in the site.
	Output string
	// Check compares instead of writing: exit 1 when the file differs.
	Check bool
}

func newCodeownersCmd(f *Factory, g *globalOptions, runF func(*CodeownersOptions) error) *cobra.Command {
	opts := &CodeownersOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Write CODEOWNERS from access.toml: who approves changes to what",
		Long: `Codeowners writes a CODEOWNERS file from access.toml, so the forge (GitHub,
GitLab, Gitea) asks the right people to approve a pull request: the
site-wide files (schemas, checklists, themes, access.toml, cairn.toml,
.sops.yaml, .cairn/, the file itself) are owned by the admins, or by
[codeowners] site; each organization's folder by the teams and the editors,
managers and admins (with a forge handle) of the groups that see it, with
narrower lines for types and items some of those groups may not see.

Without --output it rewrites the CODEOWNERS cairn wrote before, else writes
.github/CODEOWNERS when the site has a .github folder, else CODEOWNERS at
the site's root. The file is written whole or not at all. With --check it
writes nothing and exits 1 when the file is missing or out of date.
cairn check warns (codeowners-stale) when a CODEOWNERS cairn wrote is out
of date.`,
		Example: `  cairn codeowners
  cairn codeowners --output .gitlab/CODEOWNERS
  cairn codeowners --check        # in CI: fail when access.toml changed and CODEOWNERS did not`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return codeownersRun(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "the file to write (default: .github/CODEOWNERS when .github exists, else CODEOWNERS, in the site)")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; exit 1 when the file is missing or differs")
	return cmd
}

func codeownersRun(cmd *cobra.Command, opts *CodeownersOptions) error {
	root := opts.Global.Site
	res, err := site.Open(cmd.Context(), root, opts.Now())
	if err != nil {
		return err
	}
	// Owners come from access.toml alone: its errors stop the command,
	// errors in content do not.
	if err := stopOnAccessErrors(opts.IO.ErrOut, res.Diags, "cairn codeowners"); err != nil {
		return err
	}

	path, self, err := codeownersTarget(root, opts.Output)
	if err != nil {
		return err
	}
	want := codeowners.Generate(res.Site, self)
	have, err := readCodeowners(root, path, self)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	switch {
	case exists && bytes.Equal(have, want):
		fmt.Fprintf(opts.IO.ErrOut, "%s is up to date\n", path)
		return nil
	case opts.Check && !exists:
		return &problemError{fmt.Sprintf("%s does not exist: run cairn codeowners and commit it", path)}
	case opts.Check:
		return &problemError{fmt.Sprintf("%s is out of date: run cairn codeowners and commit the result", path)}
	}
	if err := atomicfile.WriteFile(path, want, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", path)
	return nil
}

// codeownersTarget returns the file to write and its path relative to the
// site with slashes ("" when it is outside the site). An --output is
// relative to the current folder, as cairn build's is.
func codeownersTarget(root, output string) (path, self string, err error) {
	if output == "" {
		rel, err := codeowners.DefaultPath(root)
		if err != nil {
			return "", "", err
		}
		return filepath.Join(root, filepath.FromSlash(rel)), rel, nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", "", err
	}
	absOut, err := filepath.Abs(output)
	if err != nil {
		return "", "", err
	}
	rel, err := filepath.Rel(absRoot, absOut)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return output, "", nil
	}
	return output, filepath.ToSlash(rel), nil
}

// readCodeowners reads the file there is now: through sitefs when it is in
// the site, so a link out of it is refused.
func readCodeowners(root, path, self string) ([]byte, error) {
	if self != "" {
		return sitefs.ReadFile(root, self, sitefs.MaxSourceFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sitefs.MaxSourceFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > sitefs.MaxSourceFile {
		return nil, fmt.Errorf("%s is larger than %s: not a CODEOWNERS file cairn wrote", path, sitefs.Size(sitefs.MaxSourceFile))
	}
	return data, nil
}
