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
	// IsTTY is true when ErrOut is a terminal: colour, progress and prompts
	// only then.
	IsTTY bool
	// ColorOut and ColorErr allow colour on Out and on ErrOut: each is a
	// terminal, and neither NO_COLOR (https://no-color.org) nor TERM=dumb
	// says otherwise (colorAllowed).
	ColorOut, ColorErr bool
}

// colorAllowed reports whether a stream that is (or is not) a terminal may
// carry colour in the environment getenv reads.
func colorAllowed(isTerminal bool, getenv func(string) string) bool {
	return isTerminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
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
	errTTY := term.IsTerminal(int(os.Stderr.Fd()))
	return &Factory{
		IO: &IOStreams{
			In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
			IsTTY:    errTTY,
			ColorOut: colorAllowed(term.IsTerminal(int(os.Stdout.Fd())), os.Getenv),
			ColorErr: colorAllowed(errTTY, os.Getenv),
		},
		Now:    time.Now,
		Getenv: os.Getenv,
	}
}
