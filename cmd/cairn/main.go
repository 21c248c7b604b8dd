// Command cairn checks, renders and prints IT documentation kept as TOML
// and Markdown in a git repository. See docs/ for the reference.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], newSystemFactory())
	stop()
	os.Exit(code)
}
