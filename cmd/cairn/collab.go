package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"time"

	git "github.com/go-git/go-git/v5"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/collab"
	"github.com/cairn-it/cairn/generator/collab/forge"
	"github.com/cairn-it/cairn/generator/load"
	"github.com/cairn-it/cairn/themes"
)

// CollabOptions are the flags of cairn collab.
type CollabOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time
	Getenv func(string) string

	Remote       string
	State        string
	Branch       string
	Bind         string
	Port         int
	TrustedProxy string
	Header       string
	DevUser      string
	Rate         int
}

func newCollabCmd(f *Factory, g *globalOptions, runF func(*CollabOptions) error) *cobra.Command {
	opts := &CollabOptions{IO: f.IO, Global: g, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "collab",
		Short: "Serve forms in which clients suggest changes that become pull requests",
		Long: `Collab serves web forms in which the users of access.toml suggest changes to the
items their groups may edit ([groups.<name>.edit]). Each valid suggestion is
checked as cairn check checks it, committed in the server's own clone on a new
branch from the latest default branch (authored as the user), pushed to the
remote, and opened as a pull request on the forge of cairn.toml's [collab]
table (token in CAIRN_FORGE_TOKEN).

The user is the email in the identity header an authenticating reverse proxy
sets (X-Forwarded-Email, as oauth2-proxy does; --header to change it). The
server listens on loopback only unless --trusted-proxy names the proxy's
addresses, and then believes the header only from them. --dev-user signs every
request in as one user, for a local trial.

The clone and the server's state (CSRF key, used form tokens, suggestions) live
in --state, by default a folder per remote under the user cache folder; the
working tree cairn was started from is never written. See docs/collaboration.md.`,
		Example: `  cairn collab --dev-user karen.li@brightsmile.example
  cairn collab --remote git@forge.example:msp/docs.git --trusted-proxy 127.0.0.1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return collabRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Remote, "remote", "", "the repository suggestions are pushed to (default: the site's origin remote)")
	cmd.Flags().StringVar(&opts.State, "state", "", "the folder of the server's clone and state (default: under the user cache folder)")
	cmd.Flags().StringVar(&opts.Branch, "branch", "", `the default branch (default: [collab] branch, else "main")`)
	cmd.Flags().StringVar(&opts.Bind, "bind", "127.0.0.1", "the address to listen on (beyond loopback only with --trusted-proxy)")
	cmd.Flags().IntVar(&opts.Port, "port", 8089, "the TCP port to listen on")
	cmd.Flags().StringVar(&opts.TrustedProxy, "trusted-proxy", "", "addresses or CIDR prefixes of the authenticating proxy, comma-separated")
	cmd.Flags().StringVar(&opts.Header, "header", collab.DefaultHeader, "the request header holding the signed-in user's email")
	cmd.Flags().StringVar(&opts.DevUser, "dev-user", "", "sign every request in as this access.toml user (local trials only)")
	cmd.Flags().IntVar(&opts.Rate, "rate", collab.DefaultRate, "requests per user per minute")
	return cmd
}

// collabListen checks the listening flags: beyond loopback only behind a
// trusted proxy, and --dev-user only on loopback without one.
func collabListen(opts *CollabOptions) ([]netip.Prefix, error) {
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, &usageError{fmt.Errorf("--port %d: want 0 to 65535", opts.Port)}
	}
	trusted, err := collab.ParseTrusted(opts.TrustedProxy)
	if err != nil {
		return nil, &usageError{fmt.Errorf("--trusted-proxy: %w", err)}
	}
	ip, err := netip.ParseAddr(opts.Bind)
	loopback := opts.Bind == "localhost" || err == nil && ip.IsLoopback()
	if !loopback && len(trusted) == 0 {
		return nil, &usageError{fmt.Errorf("--bind %s: cairn collab listens beyond loopback only behind an authenticating proxy: give its addresses with --trusted-proxy", opts.Bind)}
	}
	if opts.DevUser != "" && (len(trusted) > 0 || !loopback) {
		return nil, &usageError{errors.New("--dev-user is for local trials: it cannot be combined with --trusted-proxy or a non-loopback --bind")}
	}
	if opts.Rate < 1 {
		return nil, &usageError{fmt.Errorf("--rate %d: want 1 or more", opts.Rate)}
	}
	return trusted, nil
}

func collabRun(ctx context.Context, opts *CollabOptions) error {
	trusted, err := collabListen(opts)
	if err != nil {
		return err
	}
	remote := opts.Remote
	if remote == "" {
		r, err := git.PlainOpenWithOptions(opts.Global.Site, &git.PlainOpenOptions{DetectDotGit: true})
		if err != nil {
			return &usageError{errors.New("no --remote, and the site is not a git repository: give --remote URL")}
		}
		rem, err := r.Remote("origin")
		if err != nil || len(rem.Config().URLs) == 0 {
			return &usageError{errors.New("no --remote, and the site's repository has no origin remote: give --remote URL")}
		}
		remote = rem.Config().URLs[0]
	}
	if abs, err := filepath.Abs(remote); err == nil && !isURL(remote) {
		remote = abs
	}
	state := opts.State
	if state == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return &usageError{fmt.Errorf("no --state, and no user cache folder: %w", err)}
		}
		sum := sha256.Sum256([]byte(remote))
		state = filepath.Join(cache, "cairn", "collab", hex.EncodeToString(sum[:6]))
	}
	if err := os.MkdirAll(state, 0o700); err != nil {
		return fmt.Errorf("making the state folder: %w", err)
	}
	token := opts.Getenv("CAIRN_FORGE_TOKEN")
	var auth *githttp.BasicAuth
	if token != "" && isURL(remote) {
		auth = &githttp.BasicAuth{Username: "cairn-collab", Password: token}
	}
	branch := opts.Branch
	repoOpts := collab.RepoOptions{Dir: filepath.Join(state, "clone"), Remote: remote, Branch: branch}
	if auth != nil {
		repoOpts.Auth = auth
	}
	if branch == "" {
		// The [collab] table of the site decides; read it from the site
		// cairn was started in (the clone has the same file).
		if s, _, err := load.Load(ctx, opts.Global.Site); err == nil && s.Config.Collab != nil {
			repoOpts.Branch = s.Config.Collab.Branch
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "cairn collab: preparing the clone of %s in %s\n", remote, repoOpts.Dir)
	repo, err := collab.OpenRepo(ctx, repoOpts)
	if err != nil {
		return err
	}
	s, _, err := load.Load(ctx, repo.Dir())
	if err != nil {
		return fmt.Errorf("reading the clone: %w", err)
	}
	var fg forge.Forge
	if c := s.Config.Collab; c != nil && c.Forge != "" {
		if token == "" {
			fmt.Fprintln(opts.IO.ErrOut, "cairn collab: CAIRN_FORGE_TOKEN is not set: the forge will refuse to open pull requests")
		}
		fg, err = forge.New(forge.Options{Kind: c.Forge, API: c.ForgeAPI, Repo: c.Repo, Token: token})
		if err != nil {
			return fmt.Errorf("cairn.toml [collab]: %w", err)
		}
	} else {
		fmt.Fprintln(opts.IO.ErrOut, "cairn collab: cairn.toml has no [collab] forge: suggestions are pushed as branches only")
	}
	theme, err := fs.Sub(themes.Default, "default")
	if err != nil {
		return err
	}
	srv, err := collab.New(collab.Options{Repo: repo, Forge: fg, Header: opts.Header, DevUser: opts.DevUser, Trusted: trusted,
		StateDir: state, Rate: opts.Rate, Theme: theme, Now: opts.Now, Log: opts.IO.ErrOut})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return fmt.Errorf("listening on %s:%d: %w (try --port)", opts.Bind, opts.Port, err)
	}
	// Requests do not end with Ctrl-C: Shutdown lets a suggestion being
	// committed and pushed finish (up to 30 seconds) instead of cutting
	// the push short.
	reqCtx := context.WithoutCancel(ctx)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		BaseContext: func(net.Listener) context.Context { return reqCtx }}
	who := ""
	if opts.DevUser != "" {
		who = " as " + opts.DevUser + " (--dev-user: local trial only)"
	}
	fmt.Fprintf(opts.IO.ErrOut, "cairn collab: http://%s/%s (Ctrl-C to stop)\n", ln.Addr(), who)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		runErr = fmt.Errorf("serving: %w", err)
	}
	sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer scancel()
	// Shutdown waits for suggestions being committed and pushed.
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}
	if runErr != nil {
		return runErr
	}
	fmt.Fprintln(opts.IO.ErrOut, "cairn collab: stopped")
	return nil
}

func isURL(s string) bool {
	for _, p := range []string{"https://", "http://", "ssh://", "git://", "file://"} {
		if len(s) > len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}
