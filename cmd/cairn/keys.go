package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cairn-it/cairn/generator/secrets"
)

// KeysOptions are the flags and dependencies of cairn keys init and
// cairn keys list.
type KeysOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	// AddToSops is --add-to-sops; AddToSopsSet says the flag was given
	// (without it, init asks on a terminal).
	AddToSops    bool
	AddToSopsSet bool
}

func newKeysCmd(f *Factory, g *globalOptions, runF func(verb string, opts *KeysOptions) error) *cobra.Command {
	opts := &KeysOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	run := func(ctx context.Context, verb string) error {
		if runF != nil {
			return runF(verb, opts)
		}
		if verb == "init" {
			return keysInitRun(opts)
		}
		return keysListRun(ctx, opts)
	}
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage your age key for secrets",
	}
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Make your personal age key, where sops looks for it",
		Long: `Init makes a new age key and saves it where SOPS looks for keys: the file
SOPS_AGE_KEY_FILE names, else $XDG_CONFIG_HOME/sops/age/keys.txt
(~/.config/sops/age/keys.txt on Linux). It never overwrites a key file. It
prints the public key.

With --add-to-sops it also adds the public key to every creation rule of the
site's .sops.yaml that names age recipients (in place of the placeholder a
new site has), or writes a .sops.yaml with one rule for every organization
when there is none. On a terminal, without the flag, it asks. Otherwise add
the key to .sops.yaml by hand. Either way, secrets already stored stay
readable only to their current recipients until someone who can read them
runs cairn secret rekey.

Keep the key file private and backed up offline. Never commit it.`,
		Example: "  cairn keys init --add-to-sops",
		Args:    exactArgs(0, "keys init takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.AddToSopsSet = cmd.Flags().Changed("add-to-sops")
			return run(cmd.Context(), "init")
		},
	}
	initCmd.Flags().BoolVar(&opts.AddToSops, "add-to-sops", false, "also add the public key to the site's .sops.yaml (every creation rule with age recipients)")
	cmd.AddCommand(initCmd)
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "Print the public keys of the age keys cairn can use, and where they are",
		Args:  exactArgs(0, "keys list takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd.Context(), "list")
		},
	})
	return cmd
}

// keysInitRun makes and saves a new age key, and adds it to .sops.yaml
// when asked to.
func keysInitRun(o *KeysOptions) error {
	path := secrets.KeyFileForNewKey(o.Getenv)
	if path == "" {
		return errors.New("cannot tell where to save the key: set SOPS_AGE_KEY_FILE or HOME")
	}
	text, rec, err := secrets.NewKeyFile(o.Now(), "cairn keys init: your personal age key for SOPS secrets.\nKeep it private, back it up offline, never commit it to git.")
	if err != nil {
		return err
	}
	if err := secrets.WriteNewKeyFile(path, text); err != nil {
		return err
	}
	fmt.Fprintln(o.IO.Out, rec)
	fmt.Fprintf(o.IO.ErrOut, "saved a new age key in %s\n", path)
	add := o.AddToSops
	if !o.AddToSopsSet && o.IO.IsTTY && stdinIsTerminal(o.IO) {
		add = confirm(o.IO, fmt.Sprintf("add it to the recipients in %s? [y/N] ", filepath.Join(o.Global.Site, secrets.ConfigFile)))
	}
	if !add {
		fmt.Fprintf(o.IO.ErrOut, "next: add the public key above to the age recipients in %s (or run cairn keys init --add-to-sops next time), then have someone who can read the secrets run cairn secret rekey\n", secrets.ConfigFile)
		return nil
	}
	n, err := secrets.AddRecipient(o.Global.Site, rec)
	if err != nil {
		return fmt.Errorf("the key is saved, but adding it to %s failed: %w", secrets.ConfigFile, err)
	}
	fmt.Fprintf(o.IO.ErrOut, "added it to %s in %s\nnext: commit %s; secrets stored before stay readable only to their recipients until someone who can read them runs cairn secret rekey\n",
		plural(n, "creation rule"), filepath.Join(o.Global.Site, secrets.ConfigFile), secrets.ConfigFile)
	return nil
}

// keysListRun prints the public keys cairn can use.
func keysListRun(ctx context.Context, o *KeysOptions) error {
	var k *secrets.Keys
	var err error
	if _, st, lerr := openSecrets(ctx, o.Global.Site, o.Getenv, o.Now); lerr == nil {
		k = st.Keys
	} else {
		k, err = secrets.LoadKeys(secrets.KeyOptions{Getenv: o.Getenv})
	}
	if err != nil {
		return err
	}
	if !k.Available() {
		return fmt.Errorf("no age key found (looked in %s): run cairn keys init", strings.Join(k.Searched, ", "))
	}
	for _, r := range k.Recipients() {
		fmt.Fprintln(o.IO.Out, r)
	}
	fmt.Fprintf(o.IO.ErrOut, "from %s\n", strings.Join(k.Sources, ", "))
	return nil
}

// confirm asks a yes/no question on the terminal; anything but y or yes,
// or a read error, is no.
func confirm(ios *IOStreams, question string) bool {
	fmt.Fprint(ios.ErrOut, question)
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	if err != nil && line == "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// stdinIsTerminal reports whether the command reads from a terminal, so
// that it may ask a question.
func stdinIsTerminal(ios *IOStreams) bool {
	f, ok := ios.In.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
