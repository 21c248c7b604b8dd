package main

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/semdiff"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// DiffOptions are the arguments and flags of cairn diff.
type DiffOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	// Base and Head are git revisions; "" for the defaults (the merge
	// base with the default branch; the working tree).
	Base, Head string
	Format     string
}

func newDiffCmd(f *Factory, g *globalOptions, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "diff [BASE [HEAD]]",
		Short: "Say what a change means: items, values, secrets, links, errors and who sees what",
		Long: `Diff compares the site at two git revisions, read straight from git's
objects (nothing is checked out), and says what the change means: items
added, removed and renamed; every changed value, old → new (group rows
matched by their key field, Markdown as a unified diff); secret keys added,
removed or changed, by name only; links added and removed; the check errors
the change introduces and fixes; and, per portal of access.toml, the items
its audience now sees or no longer sees and the secrets a sealed portal
gains or loses.

BASE defaults to the merge base of HEAD with the default branch
(origin/HEAD, else main or master); HEAD defaults to the working tree.
With a key (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or your default key file) both
versions of a changed secrets file are decrypted in memory to tell a
changed value from a re-encryption; no value is ever printed. Without one
the report says it cannot tell.

The report is written to standard output; --format markdown is made to be
posted as a pull-request comment (see docs/reviewing.md). It exits 0 when
it could compare, whatever changed.`,
		Example: `  cairn diff                      # this branch and its working tree against the default branch
  cairn diff main                 # the working tree against main
  cairn diff v1.2 HEAD --format json
  cairn diff origin/main HEAD --format markdown > comment.md`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Base = args[0]
			}
			if len(args) > 1 {
				opts.Head = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(semdiff.Formats, ", "))
	return cmd
}

func diffRun(ctx context.Context, opts *DiffOptions) error {
	if !slices.Contains(semdiff.Formats, opts.Format) {
		return &usageError{fmt.Errorf("--format %q: use one of %s", opts.Format, strings.Join(semdiff.Formats, ", "))}
	}
	root := opts.Global.Site
	repo, err := gitrev.Open(root)
	if err != nil {
		return fmt.Errorf("cairn diff reads git history: %w", err)
	}
	defer repo.Close()
	today := opts.Now()
	var head *semdiff.Side
	var headCommit *gitrev.Commit
	if opts.Head == "" {
		if head, err = semdiff.WorkTree(ctx, root, today); err != nil {
			return err
		}
		if headCommit, err = repo.Resolve("HEAD"); err != nil {
			return err
		}
	} else {
		if headCommit, err = repo.Resolve(opts.Head); err != nil {
			return err
		}
		if head, err = semdiff.Revision(ctx, repo, headCommit, root, today); err != nil {
			return err
		}
	}
	var baseCommit *gitrev.Commit
	if opts.Base == "" {
		branch, err := repo.DefaultBranch()
		if err != nil {
			return err
		}
		b, err := repo.Resolve(branch)
		if err != nil {
			return err
		}
		if baseCommit, err = repo.MergeBase(headCommit, b, "merge base with "+branch); err != nil {
			return err
		}
	} else if baseCommit, err = repo.Resolve(opts.Base); err != nil {
		return err
	}
	base, err := semdiff.Revision(ctx, repo, baseCommit, root, today)
	if err != nil {
		return err
	}
	r, err := semdiff.Compare(ctx, base, head, semdiff.Options{Decrypter: diffDecrypter(base.Site, root, opts)})
	if err != nil {
		return err
	}
	if r.Commits, r.MoreCommits, err = repo.Log(baseCommit, headCommit, maxDiffCommits); err != nil {
		return err
	}
	return semdiff.Write(opts.IO.Out, r, opts.Format)
}

// maxDiffCommits bounds the commits a report lists.
const maxDiffCommits = 50

// maxSiteKeyFile bounds the site's demo key file: an age key file is a
// few hundred bytes.
const maxSiteKeyFile = 64 << 10

// diffDecrypter returns a decrypter from the keys available here, or nil
// when there are none. The site's demo key file is taken from the base
// side's cairn.toml only: the change under review does not choose which
// file on this machine is read.
func diffDecrypter(base *model.Site, root string, opts *DiffOptions) semdiff.Decrypter {
	var siteKey string
	if rel := base.Config.SopsAgeKeyFile; rel != "" {
		// Only a small regular file inside the site (the demo's key):
		// never a link out of it, a FIFO or a device.
		fi, err := sitefs.Stat(root, path.Clean(rel))
		if err == nil && fi.Mode().IsRegular() && fi.Size() <= maxSiteKeyFile {
			siteKey = filepath.Join(root, filepath.FromSlash(rel))
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "cairn diff: cairn.toml sops_age_key_file %q is not a key file inside the site; not reading it\n", rel)
		}
	}
	keys, err := secrets.LoadKeys(secrets.KeyOptions{Getenv: opts.Getenv, SiteKeyFile: siteKey})
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "cairn diff: %v; comparing secrets without a key\n", err)
		return nil
	}
	if !keys.Available() {
		return nil
	}
	st := &secrets.Store{Root: root, Keys: keys}
	return semdiff.DecryptFunc(func(rel string, data []byte) (map[string]string, error) {
		f, err := st.Decrypt(rel, data)
		if err != nil {
			return nil, err
		}
		return f.Values(), nil
	})
}
