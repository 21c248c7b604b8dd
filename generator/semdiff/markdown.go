package semdiff

import (
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
)

// collapseAfter is how many entries a Markdown list shows before the
// rest go into a collapsed <details> block.
const collapseAfter = 10

// WriteMarkdown writes the report as GitHub- and GitLab-flavoured
// Markdown, to be posted as a pull-request comment: the access impact
// first, then items, secrets, links and check errors; long lists, field
// changes and bodies collapsed. Every value from the site is in a code
// span or code block, or escaped, so no file can add markup, mentions or
// links to the comment.
func WriteMarkdown(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "### cairn diff: %s → %s\n\n%s\n", code(r.Base), code(r.Head), summary(r))
	if len(r.Access) > 0 {
		b.WriteString("\n#### Access impact\n\n")
		for _, p := range r.Access {
			fmt.Fprintf(b, "**Portal %s**%s\n\n", code(p.Portal), mdPortalNote(p))
			var lines []string
			if p.SecretsPolicy != "" {
				lines = append(lines, "secrets: "+code(p.SecretsPolicy))
			}
			for _, it := range p.Shows {
				lines = append(lines, "➕ now sees "+mdNamed(it))
			}
			for _, it := range p.Hides {
				lines = append(lines, "➖ no longer sees "+mdNamed(it))
			}
			for _, s := range p.SecretsGained {
				lines = append(lines, "🔑 gains secret "+code(s.Item)+" "+code(s.Key))
			}
			for _, s := range p.SecretsLost {
				lines = append(lines, "🔒 loses secret "+code(s.Item)+" "+code(s.Key))
			}
			if len(p.Changed) > 0 {
				ids := make([]string, len(p.Changed))
				for i, id := range p.Changed {
					ids[i] = code(id)
				}
				lines = append(lines, "✏️ sees changes to "+strings.Join(ids, ", "))
			}
			list(b, lines)
		}
	}
	if len(r.Added)+len(r.Removed)+len(r.Renamed)+len(r.Changed) > 0 {
		b.WriteString("\n#### Items\n\n")
		var lines []string
		for _, it := range r.Added {
			lines = append(lines, "added "+mdNamed(it))
		}
		for _, it := range r.Removed {
			lines = append(lines, "removed "+mdNamed(it))
		}
		for _, rn := range r.Renamed {
			lines = append(lines, fmt.Sprintf("renamed %s → %s (%d%% similar)", code(rn.From.ID), code(rn.To.ID), rn.Similarity))
		}
		list(b, lines)
		for _, ch := range r.Changed {
			mdChange(b, ch)
		}
	}
	if len(r.Secrets) > 0 {
		b.WriteString("\n#### Secrets (names only)\n\n")
		for _, sc := range r.Secrets {
			var parts []string
			for _, l := range secretLines(sc) {
				k, what, _ := strings.Cut(l, ": ")
				parts = append(parts, code(k)+" "+what)
			}
			line := "- " + code(sc.Item)
			if len(parts) > 0 {
				line += ": " + strings.Join(parts, "; ")
			}
			if sc.Note != "" {
				line += " — " + html.EscapeString(sc.Note)
			}
			b.WriteString(line + "\n")
		}
	}
	if len(r.Links.Added)+len(r.Links.Removed) > 0 {
		b.WriteString("\n#### Links\n\n")
		var lines []string
		for _, l := range r.Links.Added {
			lines = append(lines, "➕ "+code(l.From)+" → "+code(l.To)+" ("+l.Kind+")")
		}
		for _, l := range r.Links.Removed {
			lines = append(lines, "➖ "+code(l.From)+" → "+code(l.To)+" ("+l.Kind+")")
		}
		list(b, lines)
	}
	if len(r.NewErrors)+len(r.FixedErrors) > 0 {
		b.WriteString("\n#### Check\n\n")
		var lines []string
		for _, p := range r.NewErrors {
			lines = append(lines, "❌ new error: "+code(problemText(p)))
		}
		for _, p := range r.FixedErrors {
			lines = append(lines, "✅ fixed: "+code(problemText(p)))
		}
		list(b, lines)
	}
	// Sections and blocks each end with a blank line: keep one between
	// them. (Diff lines start with an op, so no diff has an empty line.)
	_, err := io.WriteString(w, blankLines.ReplaceAllString(b.String(), "\n\n"))
	return err
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// list writes lines as a Markdown list, the lines past collapseAfter in
// a collapsed block.
func list(b *strings.Builder, lines []string) {
	if len(lines) == 0 {
		return
	}
	for i, l := range lines {
		if i == collapseAfter {
			fmt.Fprintf(b, "\n<details><summary>%d more</summary>\n\n", len(lines)-collapseAfter)
		}
		b.WriteString("- " + l + "\n")
	}
	if len(lines) > collapseAfter {
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n")
}

// mdChange writes one changed item: a collapsed block with its field
// changes and body diff.
func mdChange(b *strings.Builder, ch Change) {
	what := plural(len(ch.Fields), "value", "values")
	switch {
	case ch.Body != "" && len(ch.Fields) == 0:
		what = "the text"
	case ch.Body != "":
		what += " and the text"
	}
	title := ""
	if ch.Title != "" && ch.Title != ch.ID {
		title = " " + html.EscapeString(oneLine(ch.Title))
	}
	fmt.Fprintf(b, "<details><summary>changed <code>%s</code>%s: %s</summary>\n\n", html.EscapeString(ch.ID), title, what)
	if ch.Hidden != "" {
		b.WriteString("_" + html.EscapeString(ch.Hidden) + "_\n\n")
	}
	var diffs []string
	for _, f := range ch.Fields {
		b.WriteString("- " + mdField(f) + "\n")
		if f.Diff != "" {
			diffs = append(diffs, f.Path+":\n"+f.Diff)
		}
	}
	if ch.Body != "" && ch.Body != hiddenValue {
		diffs = append(diffs, ch.Body)
	}
	if len(ch.Fields) > 0 {
		b.WriteString("\n")
	}
	for _, d := range diffs {
		fence := strings.Repeat("`", max(3, longestRun(d, '`')+1))
		b.WriteString(fence + "diff\n" + d)
		if !strings.HasSuffix(d, "\n") {
			b.WriteString("\n")
		}
		b.WriteString(fence + "\n\n")
	}
	b.WriteString("</details>\n\n")
}

func mdField(f FieldChange) string {
	switch {
	case f.Diff != "":
		return code(f.Path) + ": text changed"
	case f.Op == "added":
		return code(f.Path) + ": added " + code(f.New)
	case f.Op == "removed":
		return code(f.Path) + ": removed (was " + code(f.Old) + ")"
	}
	return code(f.Path) + ": " + code(f.Old) + " → " + code(f.New)
}

func mdPortalNote(p PortalChange) string {
	var parts []string
	if p.Title != "" {
		parts = append(parts, mdText(p.Title))
	}
	if p.Status != "" {
		parts = append(parts, "**"+p.Status+"**")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func mdNamed(it Item) string {
	if it.Title == "" || it.Title == it.ID || strings.HasSuffix(it.ID, "/"+it.Title) {
		return code(it.ID)
	}
	return code(it.ID) + " " + mdText(it.Title)
}

// code writes s as a Markdown code span, on one line, with a fence
// longer than any run of backticks in it.
func code(s string) string {
	s = oneLine(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdText escapes text so that Markdown shows it as it is: no markup, no
// HTML, no mentions or references.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("&#64;")
		case r == '#':
			b.WriteString("&#35;")
		case strings.ContainsRune("\\`*_{}[]()+-.!|~:", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine replaces line breaks and other control characters with spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return ' '
		}
		return r
	}, s)
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
