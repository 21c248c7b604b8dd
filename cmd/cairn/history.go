package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// HistoryOptions are the flags of cairn history.
type HistoryOptions struct {
	IO     *IOStreams
	Global *globalOptions

	// ID is the item's id, an organization's slug, or an item's file.
	ID string
	// Format is text or json.
	Format string
}

func newHistoryCmd(f *Factory, g *globalOptions, runF func(*HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{IO: f.IO, Global: g}
	cmd := &cobra.Command{
		Use:   "history ID|FILE",
		Short: "Show who changed an item, when, and why, from git",
		Long: `History prints the revisions of one item, given by its id or its file (or,
given an organization's slug, of its org.toml) from the site's git
history: for each commit that changed
the item's file or its secrets file, newest first, the author date, the
commit, the author, the subject and what it did to each file (added,
modified, renamed from another path). Renames are followed.

Attachments are not part of an item's history: they are files of their
own, often shared by several items. At most 100 revisions are kept per
file (the output says when older ones are omitted). In a shallow clone
the history stops at the clone's oldest commit, and the output says what
is unknown. Files with uncommitted changes are named.

EXIT STATUS
  0  the history was printed
  2  usage error: no such item or organization, bad flags
  3  the site is not in a git repository (or it has no commits), or git
     could not be read`,
		Example: `  cairn history acme/configurations/fw01
  cairn history acme/documents/sops/restore --format json
  cairn history acme                      # the organization's org.toml
  cairn history content/acme/passwords/vpn.toml   # an item by its file`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if opts.Format != "text" && opts.Format != "json" {
				return &usageError{fmt.Errorf("--format: %q is not text or json", opts.Format)}
			}
			if runF != nil {
				return runF(opts)
			}
			return historyRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `FORMAT`: text or json")
	return cmd
}

// errNoGitHistory is what cairn history says outside git.
var errNoGitHistory = errors.New("no history: the site is not in a git repository, or the repository has no commits yet (history comes from git: commit the site, then run cairn history again)")

func historyRun(cmd *cobra.Command, opts *HistoryOptions) error {
	ctx := cmd.Context()
	root := opts.Global.Site
	s, _, err := load.Load(ctx, root)
	if err != nil {
		return err
	}
	id, title, files, err := historyFiles(s, opts.ID)
	if err != nil {
		return err
	}
	ix, err := history.LoadFiles(ctx, root, files...)
	if errors.Is(err, history.ErrNoRepository) {
		return errNoGitHistory
	}
	if err != nil {
		return fmt.Errorf("reading the git history: %w", err)
	}
	rep := history.Report{ID: id, Title: title, History: ix.Files(files...), Shallow: ix.Shallow}
	for _, f := range files {
		data, err := sitefs.ReadFile(root, f, sitefs.MaxSourceFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if !ix.Committed(f, data) {
			rep.Uncommitted = append(rep.Uncommitted, f)
		}
	}
	if opts.Format == "json" {
		return rep.WriteJSON(opts.IO.Out)
	}
	return rep.WriteText(opts.IO.Out)
}

// historyFiles returns the files whose history is an item's (its file and
// its secrets file) or an organization's (its org.toml).
func historyFiles(s *model.Site, id string) (string, string, []string, error) {
	it := s.Item(id)
	if it == nil { // a file's path names its item too
		for _, cand := range s.Items {
			if cand.File == path.Clean(filepath.ToSlash(id)) {
				it = cand
			}
		}
	}
	if it != nil {
		files := []string{it.File}
		if it.Secrets != "" {
			files = append(files, it.Secrets)
		}
		return it.ID, it.Title, files, nil
	}
	if o := s.Org(id); o != nil {
		return o.Slug, o.Name, []string{o.File}, nil
	}
	// Suggest among the items of the same folder first, else among all.
	var ids, near []string
	for _, o := range s.Orgs {
		ids = append(ids, o.Slug)
	}
	for _, it := range s.Items {
		ids = append(ids, it.ID)
		if path.Dir(it.ID) == path.Dir(id) {
			near = append(near, it.ID)
		}
	}
	if len(near) > 0 {
		ids = near
	}
	hint := "give an item's id (content/ path without extension) or an organization's slug"
	if sug := diag.Suggest(id, ids); sug != "" {
		hint = fmt.Sprintf("did you mean %q?", sug)
	}
	return "", "", nil, &usageError{fmt.Errorf("no item or organization %q: %s", id, hint)}
}
