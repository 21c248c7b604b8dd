package history

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Report is the history of one item (or organization) as cairn history
// prints it: everything git says, for a reader of the repository (no
// portal's privacy rule applies: whoever runs it has the repository).
type Report struct {
	ID      string
	Title   string
	History FileHistory
	// Shallow is true when the repository is a shallow clone (the walk
	// reached its boundary somewhere).
	Shallow bool
	// Uncommitted are the item's files whose working copy differs from
	// HEAD or that are not committed at all.
	Uncommitted []string
}

const shortHash = 12

// WriteText writes the report for a terminal: a header, then one entry
// per revision, newest first, then what is unknown.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "History of %s", r.ID)
	if r.Title != "" && r.Title != r.ID {
		fmt.Fprintf(&b, " (%s)", r.Title)
	}
	fmt.Fprintf(&b, "\nFiles: %s\n", strings.Join(r.History.Files, ", "))
	if c, ok := r.History.LastChange(); ok {
		fmt.Fprintf(&b, "Last changed %s by %s\n", c.When.Format("2006-01-02"), c.Author)
	} else if r.History.Truncated != nil {
		fmt.Fprintf(&b, "Last changed on or before %s (the shallow clone does not say when)\n", r.History.Truncated.When.Format("2006-01-02"))
	}
	for _, rev := range r.History.Revisions {
		c := rev.Commit
		fmt.Fprintf(&b, "\n%s  %s  %s <%s>\n    %s\n", c.When.Format("2006-01-02 15:04 -0700"), c.Hash[:min(shortHash, len(c.Hash))], c.Author, c.Email, c.Subject)
		for _, fc := range rev.Changes {
			// A former path comes from any commit of the history: no
			// terminal escape in it reaches the terminal.
			if fc.Action == Renamed {
				fmt.Fprintf(&b, "    renamed %s → %s\n", clean(fc.From), clean(fc.Path))
			} else {
				fmt.Fprintf(&b, "    %s %s\n", fc.Action, clean(fc.Path))
			}
		}
	}
	if len(r.History.Revisions) == 0 && r.History.Truncated == nil {
		b.WriteString("\nNo commit holds these files yet: commit them to start their history.\n")
	}
	if r.History.Omitted {
		fmt.Fprintf(&b, "\nOlder revisions are omitted: cairn keeps the newest %d per file (git log --follow shows them all).\n", MaxRevisions)
	}
	if t := r.History.Truncated; t != nil {
		fmt.Fprintf(&b, "\nThe history is truncated: this is a shallow clone, and its oldest commit (%s, %s) already held these files; what happened to them up to that commit is unknown. Run git fetch --unshallow for the whole history.\n",
			t.Hash[:min(shortHash, len(t.Hash))], t.When.Format("2006-01-02"))
	}
	for _, f := range r.Uncommitted {
		fmt.Fprintf(&b, "\n%s has changes that are not committed.\n", f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonCommit struct {
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	Committed string `json:"committed"`
	Author    string `json:"author"`
	Email     string `json:"email"`
	Subject   string `json:"subject"`
}

type jsonChange struct {
	Path   string `json:"path"`
	Action Action `json:"action"`
	From   string `json:"from,omitempty"`
}

type jsonRevision struct {
	jsonCommit
	Changes []jsonChange `json:"changes"`
}

type jsonReport struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Files       []string       `json:"files"`
	LastChanged *jsonCommit    `json:"last_changed"`
	Revisions   []jsonRevision `json:"revisions"`
	// Omitted: older revisions exist beyond the MaxRevisions kept.
	Omitted bool `json:"omitted"`
	// Truncated is the shallow boundary commit, null when complete.
	Truncated   *jsonCommit `json:"truncated"`
	Shallow     bool        `json:"shallow"`
	Uncommitted []string    `json:"uncommitted"`
}

func toJSON(c Commit) jsonCommit {
	return jsonCommit{Commit: c.Hash, Date: c.When.Format(time.RFC3339), Committed: c.Committed.Format(time.RFC3339), Author: c.Author, Email: c.Email, Subject: c.Subject}
}

// WriteJSON writes the report as one JSON object (docs/history.md shows
// its shape). Dates are RFC 3339 in the zone the commit recorded.
func (r Report) WriteJSON(w io.Writer) error {
	out := jsonReport{ID: r.ID, Title: r.Title, Files: r.History.Files, Revisions: []jsonRevision{}, Omitted: r.History.Omitted,
		Shallow: r.Shallow, Uncommitted: r.Uncommitted}
	if out.Uncommitted == nil {
		out.Uncommitted = []string{}
	}
	if c, ok := r.History.LastChange(); ok {
		jc := toJSON(c)
		out.LastChanged = &jc
	}
	if t := r.History.Truncated; t != nil {
		jc := toJSON(*t)
		out.Truncated = &jc
	}
	for _, rev := range r.History.Revisions {
		jr := jsonRevision{jsonCommit: toJSON(rev.Commit)}
		for _, fc := range rev.Changes {
			jr.Changes = append(jr.Changes, jsonChange{Path: fc.Path, Action: fc.Action, From: fc.From})
		}
		out.Revisions = append(out.Revisions, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
