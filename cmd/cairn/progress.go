package main

import (
	"fmt"
	"io"
)

// statusLine shows what a long command is doing on one line of a
// terminal, rewritten in place and cleared before anything else is
// written. On anything but a terminal (a pipe, a file, a CI log) it writes
// nothing, so logs hold only the results. Not safe for concurrent use:
// call it from the command's goroutine (build's Progress is).
type statusLine struct {
	w     io.Writer
	on    bool
	shown bool
}

// newStatusLine returns a status line on the command's ErrOut, live only
// when ErrOut is a terminal.
func newStatusLine(ios *IOStreams) *statusLine {
	return &statusLine{w: ios.ErrOut, on: ios.IsTTY}
}

// Show replaces the line's text. The text must be cairn's own (portal
// names, counts), never text read from the site unescaped.
func (s *statusLine) Show(format string, args ...any) {
	if !s.on {
		return
	}
	fmt.Fprintf(s.w, "\r\x1b[K"+format, args...)
	s.shown = true
}

// Clear removes the line, leaving the cursor at its start. It may be
// called any number of times.
func (s *statusLine) Clear() {
	if s.shown {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.shown = false
	}
}
