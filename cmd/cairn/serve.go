package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/history"
	"github.com/cairn-it/cairn/generator/serve"
)

// ServeOptions are the flags of cairn serve.
type ServeOptions struct {
	IO     *IOStreams
	Global *globalOptions
	Now    func() time.Time

	Portal string
	Port   int
	Bind   string
	Today  string
}

func newServeCmd(f *Factory, g *globalOptions, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IO, Global: g, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview a portal locally, rebuilding and reloading pages as files change",
		Long: `Serve builds one portal in memory and serves it on http://127.0.0.1:8088/.
It answers only requests for localhost, 127.0.0.1, [::1] or the --bind
address (others get 421), so a web page cannot read the preview by making its
own host name resolve to this machine (DNS rebinding).
It watches content/, schemas/, checklists/, themes/, cairn.toml and
access.toml; after a change it reloads and re-checks the site, renders the
portal again, and reloads the open pages whose bytes changed. When the site has
check errors, open pages show them (file:line:col: message) over the last good
version until they are fixed.

The portal is "internal" when access.toml has one, else the first by name;
--portal chooses another. Secret values are never shown (sealed portals show
placeholders). Runbooks are made when opened. Stop with Ctrl-C.`,
		Example: `  cairn serve
  cairn serve --portal acme --port 9000
  cairn serve --bind 0.0.0.0      # reachable from other machines: beware`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Portal, "portal", "", `the portal to serve (default: "internal", else the first)`)
	cmd.Flags().IntVar(&opts.Port, "port", 8088, "the TCP port to listen on (0: any free port)")
	cmd.Flags().StringVar(&opts.Bind, "bind", "127.0.0.1", "the address to listen on")
	cmd.Flags().StringVar(&opts.Today, "today", "", `the "as of" date for expiry badges (YYYY-MM-DD); default: the git HEAD commit's date, else today`)
	return cmd
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	if opts.Port < 0 || opts.Port > 65535 {
		return &usageError{fmt.Errorf("--port %d: want 0 to 65535", opts.Port)}
	}
	root := opts.Global.Site
	prov, err := siteProvenance(ctx, root, opts.Today, opts.Now)
	if err != nil {
		return err
	}
	todayFn := func() time.Time { return prov.AsOf }
	// Review badges count from git's last changes, read once at start
	// (edits made while serving count as changed now).
	var changes expiry.Changes
	switch ix, err := history.Load(ctx, root); {
	case err == nil:
		changes = lastChanges(ix, root, opts.IO.ErrOut)
	case !errors.Is(err, history.ErrNoRepository):
		return fmt.Errorf("reading the git history for review dates: %w", err)
	}
	srv := serve.New(serve.Options{
		Root:   root,
		Portal: opts.Portal,
		Render: serve.PortalRenderer(serve.RenderOptions{Today: todayFn, Changes: changes}),
		Files:  serve.PortalFiles(serve.RenderOptions{Today: todayFn, Changes: changes}),
		Items:  serve.PortalItems(serve.RenderOptions{Today: todayFn, Changes: changes}),
		Today:  todayFn,
		Log:    opts.IO.ErrOut,
		Hosts:  serveHosts(opts.Bind),
	})
	first, err := srv.Rebuild(ctx)
	if err != nil {
		return nil // interrupted before the first build
	}
	if first.Portal == "" {
		// No portal to serve: the site cannot be read, has no portals, or
		// has no portal of that name.
		last := first.Problems[len(first.Problems)-1]
		if opts.Portal != "" && last.Pos == "access.toml" {
			return &usageError{fmt.Errorf("--portal %s: %s", opts.Portal, diag.Escape(last.Message))}
		}
		return errors.New(last.String())
	}

	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return fmt.Errorf("listening on %s:%d: %w (is another cairn serve running? try --port)", opts.Bind, opts.Port, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Requests live in ctx, so stopping ends open pages' event streams.
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	addr := ln.Addr().String()
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(ta.Port))
	}
	fmt.Fprintf(opts.IO.ErrOut, "cairn serve: portal %s at http://%s/ (Ctrl-C to stop)\n", srv.Portal(), addr)

	watchErr := make(chan error, 1)
	go func() { watchErr <- srv.Watch(ctx, serve.DefaultDebounce, nil) }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-watchErr:
		runErr = err
	case err := <-serveErr:
		runErr = fmt.Errorf("serving: %w", err)
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stopping the server: %w", err)
	}
	_ = hs.Close()
	if runErr != nil {
		return runErr
	}
	fmt.Fprintln(opts.IO.ErrOut, "cairn serve: stopped")
	return nil
}

// serveHosts returns the host names serve answers to besides the
// loopback ones: the --bind address and, when it is unspecified (0.0.0.0,
// ::, ""), the IP addresses of this machine's interfaces. A name that a
// DNS-rebinding page controls is never among them.
func serveHosts(bind string) []string {
	ip := net.ParseIP(bind)
	if bind != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{bind}
	}
	var hosts []string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			hosts = append(hosts, n.IP.String())
		}
	}
	return hosts
}
