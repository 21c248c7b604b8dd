package semdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/gitrev"
)

// Formats are the values of cairn diff --format.
var Formats = []string{"text", "markdown", "json"}

// Write writes the report in format (one of Formats).
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "json":
		return WriteJSON(w, r)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// WriteJSON writes the report as one indented JSON object.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// named writes an item as "id (title)", the title left out when it adds
// nothing.
func named(it Item, esc func(string) string) string {
	if it.Title == "" || it.Title == it.ID || strings.HasSuffix(it.ID, "/"+it.Title) {
		return esc(it.ID)
	}
	return esc(it.ID) + " (" + esc(it.Title) + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// summary is the report's first line after its header.
func summary(r *Report) string {
	if r.Empty() {
		return "No changes to documentation, secrets, links or access."
	}
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(len(r.Added), "added", "added")
	add(len(r.Removed), "removed", "removed")
	add(len(r.Renamed), "renamed", "renamed")
	add(len(r.Changed), "changed", "changed")
	add(len(r.Secrets), "secrets file changed", "secrets files changed")
	add(len(r.Access), "portal affected", "portals affected")
	add(len(r.NewErrors), "new check error", "new check errors")
	add(len(r.FixedErrors), "check error fixed", "check errors fixed")
	if len(parts) == 0 {
		return "Only links changed."
	}
	return strings.Join(parts, ", ") + "."
}

// secretLines describes a secrets change as lines: "password: changed".
// What follows the last ": " of a line is fixed text without ": ".
func secretLines(sc SecretsChange) []string {
	var out []string
	add := func(keys []string, what string) {
		for _, k := range keys {
			out = append(out, k+": "+what)
		}
	}
	add(sc.Added, "added")
	add(sc.Removed, "removed")
	add(sc.Changed, "value changed")
	add(sc.Reencrypted, "re-encrypted, value unchanged")
	add(sc.Unknown, "changed or re-encrypted")
	for _, r := range sc.RecipientsAdded {
		out = append(out, "recipient "+r+": added (can decrypt it now)")
	}
	for _, r := range sc.RecipientsRemoved {
		out = append(out, "recipient "+r+": removed")
	}
	return out
}

func linkText(l Link) string { return l.From + " → " + l.To + " (" + l.Kind + ")" }

// fieldText describes a field change on one line; a multi-line text's
// diff follows on its own lines.
func fieldText(f FieldChange) string {
	switch {
	case f.Diff != "":
		return f.Path + ": text changed"
	case f.Op == "added":
		return f.Path + ": added " + f.New
	case f.Op == "removed":
		return f.Path + ": removed (was " + f.Old + ")"
	}
	return f.Path + ": " + f.Old + " → " + f.New
}

// WriteText writes the report for a terminal: plain text, every user
// value escaped.
func WriteText(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	e := diag.Escape
	fmt.Fprintf(b, "cairn diff %s → %s\n%s\n", e(r.Base), e(r.Head), summary(r))
	if r.AccessUnknown != "" {
		fmt.Fprintf(b, "\nAccess impact\n  unknown: %s\n", e(r.AccessUnknown))
	}
	if len(r.Access) > 0 {
		b.WriteString("\nAccess impact\n")
		for _, p := range r.Access {
			fmt.Fprintf(b, "  portal %s%s\n", e(p.Portal), portalNote(p, e))
			if p.SecretsPolicy != "" {
				fmt.Fprintf(b, "    secrets: %s\n", e(p.SecretsPolicy))
			}
			for _, it := range p.Shows {
				fmt.Fprintf(b, "    + now sees %s\n", named(it, e))
			}
			for _, it := range p.Hides {
				fmt.Fprintf(b, "    - no longer sees %s\n", named(it, e))
			}
			for _, s := range p.SecretsGained {
				fmt.Fprintf(b, "    + gains secret %s %s\n", e(s.Item), e(s.Key))
			}
			for _, s := range p.SecretsLost {
				fmt.Fprintf(b, "    - loses secret %s %s\n", e(s.Item), e(s.Key))
			}
			if len(p.Changed) > 0 {
				fmt.Fprintf(b, "    ~ sees changes to %s\n", e(strings.Join(p.Changed, ", ")))
			}
		}
	}
	if len(r.Added)+len(r.Removed)+len(r.Renamed)+len(r.Changed) > 0 {
		b.WriteString("\nItems\n")
		for _, it := range r.Added {
			fmt.Fprintf(b, "  + added %s\n", named(it, e))
		}
		for _, it := range r.Removed {
			fmt.Fprintf(b, "  - removed %s\n", named(it, e))
		}
		for _, rn := range r.Renamed {
			fmt.Fprintf(b, "  > renamed %s → %s (%d%% similar)\n", e(rn.From.ID), e(rn.To.ID), rn.Similarity)
		}
		for _, ch := range r.Changed {
			fmt.Fprintf(b, "  ~ changed %s\n", named(ch.Item, e))
			if ch.Hidden != "" {
				fmt.Fprintf(b, "      (%s)\n", ch.Hidden)
			}
			for _, f := range ch.Fields {
				fmt.Fprintf(b, "      %s\n", e(fieldText(f)))
				writeDiff(b, f.Diff, "        ")
			}
			if ch.Body == hiddenValue {
				b.WriteString("      body: changed (hidden)\n")
			} else if ch.Body != "" {
				b.WriteString("      body:\n")
				writeDiff(b, ch.Body, "        ")
			}
		}
	}
	if len(r.Secrets) > 0 {
		b.WriteString("\nSecrets (names only)\n")
		for _, sc := range r.Secrets {
			fmt.Fprintf(b, "  %s (%s)\n", e(sc.Item), e(sc.File))
			for _, l := range secretLines(sc) {
				fmt.Fprintf(b, "    %s\n", e(l))
			}
			if sc.Note != "" {
				fmt.Fprintf(b, "    note: %s\n", sc.Note)
			}
		}
	}
	if len(r.Links.Added)+len(r.Links.Removed) > 0 {
		b.WriteString("\nLinks\n")
		for _, l := range r.Links.Added {
			fmt.Fprintf(b, "  + %s\n", e(linkText(l)))
		}
		for _, l := range r.Links.Removed {
			fmt.Fprintf(b, "  - %s\n", e(linkText(l)))
		}
	}
	if len(r.NewErrors)+len(r.FixedErrors) > 0 {
		b.WriteString("\nCheck\n")
		for _, p := range r.NewErrors {
			fmt.Fprintf(b, "  new error: %s\n", e(problemText(p)))
		}
		for _, p := range r.FixedErrors {
			fmt.Fprintf(b, "  fixed: %s\n", e(problemText(p)))
		}
	}
	if len(r.Commits) > 0 {
		fmt.Fprintf(b, "\nCommits (%d)\n", len(r.Commits)+r.MoreCommits)
		for _, c := range r.Commits {
			fmt.Fprintf(b, "  %s\n", e(commitText(c)))
		}
		if r.MoreCommits > 0 {
			fmt.Fprintf(b, "  ... and %d more\n", r.MoreCommits)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// commitText is one commit on one line: short hash, date, author and
// subject.
func commitText(c gitrev.LogEntry) string {
	return c.Hash[:min(12, len(c.Hash))] + " " + c.When.Format("2006-01-02") + " " + c.Author + ": " + c.Subject
}

func portalNote(p PortalChange, esc func(string) string) string {
	var parts []string
	if p.Title != "" {
		parts = append(parts, esc(p.Title))
	}
	if p.Status != "" {
		parts = append(parts, p.Status)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func problemText(p Problem) string {
	pos := diag.Pos{File: p.File, Line: p.Line, Col: p.Col}
	return fmt.Sprintf("%s: %s [%s]", pos, p.Message, p.Code)
}

func writeDiff(b *strings.Builder, d, indent string) {
	for _, l := range splitLines(d) {
		b.WriteString(indent)
		b.WriteString(diag.Escape(l))
		b.WriteByte('\n')
	}
}
