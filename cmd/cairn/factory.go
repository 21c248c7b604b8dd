package main

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// IOStreams is where a command reads and writes: data to Out, status and
// diagnostics to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTTY is true when ErrOut is a terminal: colour and prompts only then.
	IsTTY bool
}

// Factory holds what commands depend on, so tests can fill it with fakes.
type Factory struct {
	IO *IOStreams
	// Now returns the current time; commands take "today" from it unless a
	// flag fixes the date.
	Now func() time.Time
	// Getenv reads the environment.
	Getenv func(string) string
}

func newSystemFactory() *Factory {
	return &Factory{
		IO: &IOStreams{
			In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
			IsTTY: term.IsTerminal(int(os.Stderr.Fd())),
		},
		Now:    time.Now,
		Getenv: os.Getenv,
	}
}
