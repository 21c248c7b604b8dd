package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/secrets/otp"
	"github.com/cairn-it/cairn/generator/secrets/passgen"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// SecretOptions are the arguments and flags of the cairn secret commands.
type SecretOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	ID    string
	Field string
	Path  string

	// TempDir is where secret edit makes its private folder ("": /dev/shm
	// when there is one, else the system's temporary folder).
	TempDir string

	Length    int
	NoSymbols bool
	Words     int
	Today     string
}

func newSecretCmd(f *Factory, g *globalOptions, runF func(verb string, opts *SecretOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret",
		Short: "Read and change secret values (SOPS-encrypted <slug>.sops.yaml files)",
		Long: `Secret values (the password-kind fields of items: password and otp_secret of
password items, and any password field of a flexible asset) live in
<slug>.sops.yaml beside the item, encrypted with SOPS for the age recipients
that .sops.yaml names for the item's path. These commands read and write them;
the files stay readable with the stock sops CLI. Keys are read from
SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default key file, as sops reads them.
See cairn help secrets.`,
	}
	do := func(cmd *cobra.Command, verb string, o *SecretOptions) error {
		if runF != nil {
			return runF(verb, o)
		}
		return secretRun(cmd.Context(), verb, o)
	}
	opts := func() *SecretOptions {
		return &SecretOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	}
	idField := func(use, short, long, example string, verb string) *cobra.Command {
		o := opts()
		c := &cobra.Command{
			Use: use, Short: short, Long: long, Example: example,
			Args: func(cmd *cobra.Command, args []string) error {
				if len(args) < 1 || len(args) > 2 {
					return &usageError{fmt.Errorf("%s takes an item id and optionally a field: cairn secret %s ID [FIELD]", verb, verb)}
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				o.ID, o.Field = args[0], ""
				if len(args) == 2 {
					o.Field = args[1]
				}
				return do(cmd, verb, o)
			},
		}
		if verb == "rotate" {
			addGenerateFlags(c, o)
			c.Flags().StringVar(&o.Today, "today", "", "record this date (YYYY-MM-DD) as last_rotated instead of the clock's")
		}
		return c
	}
	cmd.AddCommand(
		idField("get ID [FIELD]", "Print a secret value (default field: password)",
			"Get decrypts the item's secrets file and prints one field to stdout.",
			"  cairn secret get northwind/passwords/domain-admin\n  cairn secret get acme/assets/wireless/office psk", "get"),
		idField("set ID [FIELD]", "Store a secret value, from a prompt or stdin",
			`Set encrypts a value into the item's secrets file, for the recipients
.sops.yaml gives for its path. On a terminal it prompts twice without echo;
otherwise it reads the value from stdin (one trailing newline is dropped).`,
			"  cairn secret set acme/passwords/domain-admin\n  pwgen 24 1 | cairn secret set acme/passwords/wifi", "set"),
		idField("rotate ID [FIELD]", "Generate a new value, store it, record last_rotated",
			`Rotate generates a new random value (see cairn secret generate), stores it,
prints it to stdout so you can set it on the system, and records
last_rotated = YYYY-MM-DD in the item's TOML (other lines untouched).`,
			"  cairn secret rotate acme/passwords/domain-admin --length 32", "rotate"),
		idField("otp ID", "Print the current one-time code (TOTP) from otp_secret",
			"Otp computes the current RFC 6238 code from the item's otp_secret: a base32\nsecret (SHA1, 6 digits, 30 s) or an otpauth://totp/ URI.",
			"  cairn secret otp northwind/passwords/m365-admin", "otp"),
	)
	edit := opts()
	editCmd := &cobra.Command{
		Use:   "edit ID",
		Short: "Edit an item's secrets in $EDITOR",
		Long: `Edit decrypts the item's secrets file to a temporary file in a private
folder (0700, on the /dev/shm memory file system when there is one), opens
$VISUAL or $EDITOR on it, encrypts the result and overwrites and removes the
temporary file. While the editor runs, the plaintext is in that file (and in
any swap or backup file the editor makes): cairn help secrets says how to keep
editors from writing those. If cairn is interrupted or terminated (SIGINT,
SIGTERM, SIGHUP, SIGQUIT), it stops the editor, removes the file and saves
nothing.`,
		Args: exactArgs(1, "edit takes one item id: cairn secret edit ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			edit.ID = args[0]
			return do(cmd, "edit", edit)
		},
	}
	editCmd.Flags().StringVar(&edit.TempDir, "temp-dir", "", "make the private folder for the plaintext in this folder (default: /dev/shm when there is one, else the system's temporary folder)")
	gen := opts()
	genCmd := &cobra.Command{
		Use:   "generate",
		Short: "Print a random password or word passphrase",
		Long: `Generate prints a random password (crypto/rand) to stdout and its entropy in
bits to stderr. --words N makes a passphrase of N words from an embedded list
of common English words instead.`,
		Example: "  cairn secret generate\n  cairn secret generate --length 32 --no-symbols\n  cairn secret generate --words 6",
		Args:    exactArgs(0, "generate takes no arguments"),
		RunE:    func(cmd *cobra.Command, args []string) error { return do(cmd, "generate", gen) },
	}
	addGenerateFlags(genCmd, gen)
	rekey := opts()
	rekeyCmd := &cobra.Command{
		Use:   "rekey [PATH]",
		Short: "Re-encrypt every secrets file under PATH for the recipients .sops.yaml gives now",
		Long: `Rekey re-encrypts every *.sops.yaml under PATH (default content/) under a new
data key, for the recipients the current .sops.yaml gives for it. Run it after
changing .sops.yaml: when someone joins, and when someone leaves (then also
rotate every secret they could read: old versions stay readable to them in
git history).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &usageError{errors.New("rekey takes at most one path")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			rekey.Path = "content"
			if len(args) == 1 {
				rekey.Path = args[0]
			}
			return do(cmd, "rekey", rekey)
		},
	}
	cmd.AddCommand(editCmd, genCmd, rekeyCmd)
	return cmd
}

func addGenerateFlags(c *cobra.Command, o *SecretOptions) {
	c.Flags().IntVar(&o.Length, "length", 24, "password length in characters")
	c.Flags().BoolVar(&o.NoSymbols, "no-symbols", false, "letters and digits only")
	c.Flags().IntVar(&o.Words, "words", 0, "make a passphrase of this many words instead")
}

func secretRun(ctx context.Context, verb string, o *SecretOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if verb == "generate" {
		r, err := passgen.Generate(passgen.Options{Length: o.Length, NoSymbols: o.NoSymbols, Words: o.Words})
		if err != nil {
			return &usageError{err}
		}
		fmt.Fprintln(o.IO.Out, r.Value)
		fmt.Fprintf(o.IO.ErrOut, "entropy: %.0f bits (%s)\n", r.Bits, r.Desc)
		return nil
	}
	s, st, err := openSecrets(ctx, o.Global.Site, o.Getenv, o.Now)
	if err != nil {
		return err
	}
	if verb == "rekey" {
		return rekeyRun(ctx, o, st)
	}
	it, field, err := secretTarget(s, o.ID, o.Field, verb)
	if err != nil {
		return err
	}
	switch verb {
	case "get":
		f, err := openItemSecrets(st, it)
		if err != nil {
			return err
		}
		v, ok := f.Get(field)
		if !ok {
			return fmt.Errorf("%s has no %s in %s: store one with cairn secret set %s %s", it.ID, field, it.Secrets, it.ID, field)
		}
		fmt.Fprintln(o.IO.Out, v)
		return nil
	case "otp":
		f, err := openItemSecrets(st, it)
		if err != nil {
			return err
		}
		v, ok := f.Get(field)
		if !ok {
			return fmt.Errorf("%s has no otp_secret in %s: store one with cairn secret set %s otp_secret", it.ID, it.Secrets, it.ID)
		}
		p, err := otp.Parse(v)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Secrets, err)
		}
		code, left := p.Code(o.Now())
		fmt.Fprintln(o.IO.Out, code)
		fmt.Fprintf(o.IO.ErrOut, "valid for %d more seconds\n", left)
		return nil
	case "set":
		v, err := readSecret(o.IO, fmt.Sprintf("%s of %s", field, it.ID))
		if err != nil {
			return err
		}
		return storeSecret(o, st, it, field, v)
	case "rotate":
		r, err := passgen.Generate(passgen.Options{Length: o.Length, NoSymbols: o.NoSymbols, Words: o.Words})
		if err != nil {
			return &usageError{err}
		}
		day, err := today(o.Today, o.Now)
		if err != nil {
			return err
		}
		if err := storeSecret(o, st, it, field, r.Value); err != nil {
			return err
		}
		if it.Schema.Field("last_rotated") != nil {
			if err := secrets.SetTOMLDate(filepath.Join(s.Root, filepath.FromSlash(it.File)), "last_rotated", day.Format("2006-01-02")); err != nil {
				return fmt.Errorf("the new value is stored, but recording last_rotated failed: %w", err)
			}
			fmt.Fprintf(o.IO.ErrOut, "recorded last_rotated = %s in %s\n", day.Format("2006-01-02"), it.File)
		}
		fmt.Fprintf(o.IO.ErrOut, "new %s (%.0f bits); set it on the system now:\n", field, r.Bits)
		fmt.Fprintln(o.IO.Out, r.Value)
		return nil
	case "edit":
		return editRun(ctx, o, st, it)
	}
	return fmt.Errorf("unknown secret command %q", verb)
}

// openSecrets loads the site (without checking it) and a secrets store
// with the user's keys, plus the site's demo key file if cairn.toml names
// one.
func openSecrets(ctx context.Context, root string, getenv func(string) string, now func() time.Time) (*model.Site, *secrets.Store, error) {
	s, _, err := load.Load(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	keys, err := loadSiteKeys(s, getenv)
	if err != nil {
		return nil, nil, err
	}
	return s, &secrets.Store{Root: s.Root, Keys: keys, Now: now}, nil
}

func loadSiteKeys(s *model.Site, getenv func(string) string) (*secrets.Keys, error) {
	var siteKey string
	if s.Config.SopsAgeKeyFile != "" {
		siteKey = filepath.Join(s.Root, filepath.FromSlash(s.Config.SopsAgeKeyFile))
	}
	return secrets.LoadKeys(secrets.KeyOptions{Getenv: getenv, SiteKeyFile: siteKey})
}

// secretTarget finds the item and checks the field is one of its
// password-kind fields (default: password, or otp_secret for otp).
func secretTarget(s *model.Site, id, field, verb string) (*model.Item, string, error) {
	id = strings.Trim(id, "/")
	it := s.Item(id)
	if it == nil {
		var ids []string
		for _, x := range s.Items {
			ids = append(ids, x.ID)
		}
		msg := fmt.Sprintf("no item %q", id)
		if sug := diag.Suggest(id, ids); sug != "" {
			msg += fmt.Sprintf("; did you mean %s?", sug)
		}
		return nil, "", &usageError{errors.New(msg + " (ids look like acme/passwords/domain-admin)")}
	}
	fields := sopsfile.SecretFields(it.Schema)
	if len(fields) == 0 {
		return nil, "", &usageError{fmt.Errorf("%s has no password fields: its type %s keeps no secrets", id, it.Type)}
	}
	if field == "" {
		switch {
		case verb == "otp":
			field = "otp_secret"
		case len(fields) == 1:
			field = fields[0]
		default:
			field = "password"
		}
	}
	if !sopsfile.IsSecretField(it, field) {
		return nil, "", &usageError{fmt.Errorf("%q is not a password field of %s; its password fields: %s", field, id, strings.Join(fields, ", "))}
	}
	return it, field, nil
}

func openItemSecrets(st *secrets.Store, it *model.Item) (*secrets.File, error) {
	if it.Secrets == "" {
		return nil, fmt.Errorf("%s has no secrets file: store a value with cairn secret set %s", it.ID, it.ID)
	}
	return st.Open(it.Secrets)
}

// readSecret reads a value: from a no-echo prompt, twice, when stdin is
// a terminal; else all of stdin, less one trailing newline.
func readSecret(ios *IOStreams, what string) (string, error) {
	if f, ok := ios.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(ios.ErrOut, "%s: ", what)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("reading the value: %w", err)
		}
		fmt.Fprintf(ios.ErrOut, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("reading the value: %w", err)
		}
		if !bytes.Equal(a, b) {
			return "", errors.New("the two entries differ: nothing stored")
		}
		if len(a) == 0 {
			return "", errors.New("empty value: nothing stored")
		}
		return string(a), nil
	}
	data, err := io.ReadAll(io.LimitReader(ios.In, 1<<20+1))
	if err != nil {
		return "", fmt.Errorf("reading the value from stdin: %w", err)
	}
	if len(data) > 1<<20 {
		return "", errors.New("the value on stdin is over 1 MiB: nothing stored")
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
	if v == "" {
		return "", errors.New("empty value on stdin: nothing stored (pipe the value in, or run on a terminal to be prompted)")
	}
	return v, nil
}

func storeSecret(o *SecretOptions, st *secrets.Store, it *model.Item, field, value string) error {
	rel := secrets.PathFor(it)
	f := secrets.NewFile()
	if it.Secrets != "" {
		var err error
		if f, err = st.Open(it.Secrets); err != nil {
			return fmt.Errorf("%w (the other values must be kept, so the file must be readable)", err)
		}
	}
	f.Set(field, value)
	if err := st.Save(rel, f); err != nil {
		return err
	}
	recs, _ := st.Recipients(rel)
	fmt.Fprintf(o.IO.ErrOut, "stored %s of %s in %s, encrypted for %s\n", field, it.ID, rel, plural(len(recs), "recipient"))
	return nil
}

func rekeyRun(ctx context.Context, o *SecretOptions, st *secrets.Store) error {
	n, failed := 0, 0
	err := st.RekeyAll(ctx, o.Path, func(r secrets.RekeyResult) {
		n++
		if r.Err != nil {
			fmt.Fprintf(o.IO.ErrOut, "%s: %v\n", r.File, r.Err)
			failed++
			return
		}
		fmt.Fprintf(o.IO.ErrOut, "rekeyed %s for %s\n", r.File, plural(r.Recipients, "recipient"))
	})
	if errors.Is(err, secrets.ErrOutsideSite) {
		return &usageError{err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "rekeyed %d of %s\n", n-failed, plural(n, "secrets file"))
	if failed > 0 {
		return &problemError{fmt.Sprintf("%d secrets files were not rekeyed: someone who can read them must run cairn secret rekey", failed)}
	}
	return nil
}

// editRun decrypts into a private temporary file, runs the editor, and
// encrypts the result.
func editRun(ctx context.Context, o *SecretOptions, st *secrets.Store, it *model.Item) error {
	f := secrets.NewFile()
	if it.Secrets != "" {
		var err error
		if f, err = st.Open(it.Secrets); err != nil {
			return err
		}
	}
	plain, err := f.Plain()
	if err != nil {
		return err
	}
	if len(plain) == 0 {
		fields := sopsfile.SecretFields(it.Schema)
		var b strings.Builder
		b.WriteString("# Secret values of " + it.ID + ", one per line: field: value\n")
		for _, name := range fields {
			b.WriteString("# " + name + ": ...\n")
		}
		plain = []byte(b.String())
	}
	// Every catchable termination signal stops the editor and lets the
	// deferred shred remove the plaintext; SIGKILL cannot be caught.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer stop()
	dir, err := privateTempDir(o.TempDir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, strings.ReplaceAll(it.Slug, "/", "-")+".yaml")
	defer shred(dir, path)
	if err := os.WriteFile(path, plain, 0o600); err != nil {
		return fmt.Errorf("writing the temporary file: %w", err)
	}
	editor := o.Getenv("VISUAL")
	if editor == "" {
		editor = o.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	cmd := exec.CommandContext(ctx, args[0], append(args[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = o.IO.In, o.IO.Out, o.IO.ErrOut
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 3 * time.Second // then the editor is killed
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return errInterrupted
	}
	if runErr != nil {
		return fmt.Errorf("the editor %q failed (%v): nothing was saved", editor, runErr)
	}
	edited, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the edited file: %w", err)
	}
	if bytes.Equal(edited, plain) {
		fmt.Fprintln(o.IO.ErrOut, "no changes")
		return nil
	}
	nf, err := secrets.ParsePlain(edited)
	if err != nil {
		return fmt.Errorf("the edited secrets are %v: nothing was saved", err)
	}
	var bad []string
	for _, k := range nf.Keys() {
		if !sopsfile.IsSecretField(it, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s not a password field of %s (its password fields: %s): nothing was saved",
			strings.Join(quoteAll(bad), ", ")+map[bool]string{true: " is", false: " are"}[len(bad) == 1], it.ID, strings.Join(sopsfile.SecretFields(it.Schema), ", "))
	}
	if len(nf.Keys()) == 0 {
		return fmt.Errorf("the edited file has no values: nothing was saved (to drop every secret of %s, delete its secrets file)", it.ID)
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	rel := secrets.PathFor(it)
	if err := st.Save(rel, nf); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "saved %s\n", rel)
	return nil
}

// errInterrupted is what secret edit returns when a signal stopped it.
var errInterrupted = errors.New("interrupted: the editor was stopped, the temporary file removed and nothing saved")

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// privateTempDir makes a 0700 folder for the plaintext of secret edit:
// in base when it is not "", else on /dev/shm (memory, never written to
// a disk) when it exists, else in the system's temporary folder.
func privateTempDir(base string) (string, error) {
	chosen := base != ""
	if fi, err := os.Stat("/dev/shm"); !chosen && err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "cairn-secret-")
	if err != nil && base != "" && !chosen {
		dir, err = os.MkdirTemp("", "cairn-secret-")
	}
	if err != nil {
		return "", fmt.Errorf("making a private temporary folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// shred overwrites the file with zeros before removing the folder: on a
// disk this is best effort (journals and SSDs may keep old blocks), which
// is why /dev/shm is preferred.
func shred(dir, path string) {
	if fi, err := os.Stat(path); err == nil {
		if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			f.Write(make([]byte, fi.Size()))
			f.Sync()
			f.Close()
		}
	}
	os.RemoveAll(dir)
}
