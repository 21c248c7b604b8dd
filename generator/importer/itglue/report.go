package itglue

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Note is one line of the report: a file of the export (or of the site)
// and, for a CSV, the line of the row. It never holds a secret value.
type Note struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// String is the note as the text report prints it: file:line: message.
func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.File, n.Line, n.Message)
	}
	return fmt.Sprintf("%s: %s", n.File, n.Message)
}

// Report is what an import read, wrote and left alone.
type Report struct {
	Export string `json:"export"`
	Site   string `json:"site"`
	DryRun bool   `json:"dry_run"`
	// Read counts the rows of each CSV file (and the HTML documents and
	// attachment files) of the export.
	Read map[string]int `json:"read"`
	// Items counts the items the export maps to, per type folder
	// ("organizations", "configurations", "assets/email", ...), and
	// "embedded passwords" for passwords stored in their parent's secrets.
	Items map[string]int `json:"items"`
	// Files counts site files by what the import did (or would do):
	// created, updated, unchanged, kept (changed by hand; not overwritten).
	Files map[string]int `json:"files"`
	// Changes lists the files created or updated, sorted.
	Changes []Change `json:"changes"`
	// Kept lists files changed since the last import that were left alone.
	Kept []Note `json:"kept"`
	// Skipped lists what was not imported, and why.
	Skipped []Note `json:"skipped"`
	// Ambiguous lists names that could not be resolved to one item.
	Ambiguous []Note `json:"ambiguous"`
	// Warnings lists values that were moved to notes, and other notices.
	Warnings []Note `json:"warnings"`
}

// Change is one file an import writes.
type Change struct {
	Path   string `json:"path"`
	Action string `json:"action"` // create or update
}

func newReport() *Report {
	return &Report{Read: map[string]int{}, Items: map[string]int{}, Files: map[string]int{}}
}

func (r *Report) sort() {
	for _, l := range [][]Note{r.Kept, r.Skipped, r.Ambiguous, r.Warnings} {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].File != l[j].File {
				return l[i].File < l[j].File
			}
			if l[i].Line != l[j].Line {
				return l[i].Line < l[j].Line
			}
			return l[i].Message < l[j].Message
		})
	}
	sort.Slice(r.Changes, func(i, j int) bool { return r.Changes[i].Path < r.Changes[j].Path })
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person: counts first, then each list.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	verb := "imported"
	if r.DryRun {
		verb = "would import (dry run: nothing written)"
	}
	fmt.Fprintf(&b, "%s %s into %s\n", verb, r.Export, r.Site)
	b.WriteString("read:\n")
	for _, k := range sortedKeys(r.Read) {
		fmt.Fprintf(&b, "  %-32s %6d\n", k, r.Read[k])
	}
	b.WriteString("items:\n")
	for _, k := range sortedKeys(r.Items) {
		fmt.Fprintf(&b, "  %-32s %6d\n", k, r.Items[k])
	}
	fmt.Fprintf(&b, "files: %d created, %d updated, %d unchanged, %d kept (changed by hand)\n",
		r.Files["created"], r.Files["updated"], r.Files["unchanged"], r.Files["kept"])
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "  %s %s\n", c.Action, c.Path)
	}
	for _, l := range []struct {
		title string
		notes []Note
	}{{"kept (changed since the last import; not overwritten)", r.Kept}, {"skipped", r.Skipped},
		{"ambiguous or unknown names (kept as text)", r.Ambiguous}, {"warnings", r.Warnings}} {
		if len(l.notes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s: %d\n", l.title, len(l.notes))
		for _, n := range l.notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
