package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// jsonError is how an error is written under --format json:
// {"error": {"kind": "usage", "message": "..."}}.
type jsonError struct {
	Error struct {
		// Kind is "usage" (exit 2), "problem" (exit 1) or "fatal" (exit 3).
		Kind    string `json:"kind"`
		Message string `json:"message"`
	} `json:"error"`
}

// printError writes an error to w: as one JSON object when asJSON, else as
// "cairn: MESSAGE" (a problem's message as it is) followed by more.
func printError(w io.Writer, asJSON bool, kind, msg, more string) {
	if asJSON {
		var e jsonError
		e.Error.Kind, e.Error.Message = kind, msg
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(e)
		return
	}
	if kind == "problem" {
		fmt.Fprintln(w, msg)
		return
	}
	fmt.Fprintf(w, "cairn: %s\n%s", msg, more)
}

// wantsJSON reports whether the command line asked for JSON output: the
// command's --format flag is json, or, when parsing stopped before it was
// read (an unknown flag or command before it), the arguments say
// --format json or --format=json before any "--".
func wantsJSON(cmd *cobra.Command, args []string) bool {
	if cmd != nil {
		if fl := cmd.Flags().Lookup("format"); fl != nil && fl.Changed {
			return fl.Value.String() == "json"
		}
	}
	for i, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--format=json":
			return true
		case a == "--format" && i+1 < len(args) && args[i+1] == "json":
			return true
		}
	}
	return false
}
