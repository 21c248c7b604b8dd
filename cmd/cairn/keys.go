package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/secrets"
)

func newKeysCmd(f *Factory, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage your age key for secrets",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "init",
		Short: "Make your personal age key, where sops looks for it",
		Long: `Init makes a new age key and saves it where SOPS looks for keys: the file
SOPS_AGE_KEY_FILE names, else $XDG_CONFIG_HOME/sops/age/keys.txt
(~/.config/sops/age/keys.txt on Linux). It never overwrites a key file. It
prints the public key: add it to the recipients in .sops.yaml and ask a
colleague who can read the secrets to run cairn secret rekey.

Keep the key file private and backed up offline. Never commit it.`,
		Args: exactArgs(0, "keys init takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := secrets.KeyFileForNewKey(f.Getenv)
			if path == "" {
				return errors.New("cannot tell where to save the key: set SOPS_AGE_KEY_FILE or HOME")
			}
			text, rec, err := secrets.NewKeyFile(f.Now(), "cairn keys init: your personal age key for SOPS secrets.\nKeep it private, back it up offline, never commit it to git.")
			if err != nil {
				return err
			}
			if err := secrets.WriteNewKeyFile(path, text); err != nil {
				return err
			}
			fmt.Fprintln(f.IO.Out, rec)
			fmt.Fprintf(f.IO.ErrOut, "saved a new age key in %s\nnext: add the public key above to the age recipients in .sops.yaml, then have someone who can read the secrets run cairn secret rekey\n", path)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "Print the public keys of the age keys cairn can use, and where they are",
		Args:  exactArgs(0, "keys list takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var k *secrets.Keys
			var err error
			if _, st, lerr := openSecrets(cmd.Context(), g.Site, f.Getenv, f.Now); lerr == nil {
				k = st.Keys
			} else {
				k, err = secrets.LoadKeys(secrets.KeyOptions{Getenv: f.Getenv})
			}
			if err != nil {
				return err
			}
			if !k.Available() {
				return fmt.Errorf("no age key found (looked in %s): run cairn keys init", strings.Join(k.Searched, ", "))
			}
			for _, r := range k.Recipients() {
				fmt.Fprintln(f.IO.Out, r)
			}
			fmt.Fprintf(f.IO.ErrOut, "from %s\n", strings.Join(k.Sources, ", "))
			return nil
		},
	})
	return cmd
}
