// Command cairn checks, renders and prints IT documentation kept as TOML
// and Markdown in a git repository. See docs/ for the reference.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Every catchable way of being told to stop cancels the command's
	// context: builds leave every portal as it was, secret edit removes its
	// plaintext.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], newSystemFactory())
	stop()
	os.Exit(code)
}
