package semdiff

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// collapseAfter is how many entries a Markdown list shows before the
// rest go into a collapsed <details> block.
const collapseAfter = 10

// maxComment bounds the Markdown report: GitHub refuses comments over
// 65,536 characters. Blocks past it are left out, with a note saying so.
const maxComment = 60000

// maxListLines bounds one Markdown list; the rest is counted.
const maxListLines = 200

// WriteMarkdown writes the report as GitHub- and GitLab-flavoured
// Markdown, to be posted as a pull-request comment: the access impact
// first, then items, secrets, links and check errors; long lists, field
// changes and bodies collapsed. Every value from the site is in a code
// span or code block, or escaped, so no file can add markup, mentions or
// links to the comment. It stays under a comment's size limit: sections
// that do not fit are left out, and the last line says so.
func WriteMarkdown(w io.Writer, r *Report) error {
	head := fmt.Sprintf("### cairn diff: %s → %s\n\n%s\n\n", code(r.Base), code(r.Head), summary(r))
	var blocks []string
	if r.AccessUnknown != "" {
		blocks = append(blocks, "#### Access impact\n\nunknown: "+mdText(r.AccessUnknown)+"\n\n")
	}
	if len(r.Access) > 0 {
		blocks = append(blocks, "#### Access impact\n\n")
		for _, p := range r.Access {
			blocks = append(blocks, mdPortal(p))
		}
	}
	if len(r.Added)+len(r.Removed)+len(r.Renamed)+len(r.Changed) > 0 {
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
		blocks = append(blocks, "#### Items\n\n"+list(lines))
		for _, ch := range r.Changed {
			blocks = append(blocks, mdChange(ch))
		}
	}
	if len(r.Secrets) > 0 {
		var lines []string
		for _, sc := range r.Secrets {
			var parts []string
			for _, l := range secretLines(sc) {
				// The name may hold ": " (it comes from the file); what
				// follows the last one is secretLines' own text.
				i := strings.LastIndex(l, ": ")
				parts = append(parts, code(l[:i])+" "+l[i+2:])
			}
			line := code(sc.Item)
			if len(parts) > 0 {
				line += ": " + strings.Join(parts, "; ")
			}
			if sc.Note != "" {
				line += " — " + html.EscapeString(sc.Note)
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, "#### Secrets (names only)\n\n"+list(lines))
	}
	if len(r.Links.Added)+len(r.Links.Removed) > 0 {
		var lines []string
		for _, l := range r.Links.Added {
			lines = append(lines, "➕ "+code(l.From)+" → "+code(l.To)+" ("+l.Kind+")")
		}
		for _, l := range r.Links.Removed {
			lines = append(lines, "➖ "+code(l.From)+" → "+code(l.To)+" ("+l.Kind+")")
		}
		blocks = append(blocks, "#### Links\n\n"+list(lines))
	}
	if len(r.NewErrors)+len(r.FixedErrors) > 0 {
		var lines []string
		for _, p := range r.NewErrors {
			lines = append(lines, "❌ new error: "+code(problemText(p)))
		}
		for _, p := range r.FixedErrors {
			lines = append(lines, "✅ fixed: "+code(problemText(p)))
		}
		blocks = append(blocks, "#### Check\n\n"+list(lines))
	}
	if len(r.Commits) > 0 {
		var lines []string
		for _, c := range r.Commits {
			lines = append(lines, code(c.Hash[:min(12, len(c.Hash))])+" "+c.When.Format("2006-01-02")+" "+mdText(c.Author)+": "+mdText(c.Subject))
		}
		if r.MoreCommits > 0 {
			lines = append(lines, fmt.Sprintf("… and %d more", r.MoreCommits))
		}
		blocks = append(blocks, fmt.Sprintf("<details><summary>%s</summary>\n\n", plural(len(r.Commits)+r.MoreCommits, "commit", "commits"))+list(lines)+"</details>\n\n")
	}
	var b strings.Builder
	b.WriteString(head)
	for i, blk := range blocks {
		if b.Len()+len(blk) > maxComment {
			fmt.Fprintf(&b, "_The report is longer than a comment may be: %s left out. Run `cairn diff` for all of it._\n", plural(len(blocks)-i, "section is", "sections are"))
			break
		}
		b.WriteString(blk)
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// mdPortal writes one portal's access impact.
func mdPortal(p PortalChange) string {
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
	if n := len(p.Changed); n > 0 && n <= collapseAfter {
		ids := make([]string, n)
		for i, id := range p.Changed {
			ids[i] = code(id)
		}
		lines = append(lines, "✏️ sees changes to "+strings.Join(ids, ", "))
	} else if n > collapseAfter {
		// One line per item, which list collapses.
		for _, id := range p.Changed {
			lines = append(lines, "✏️ sees changes to "+code(id))
		}
	}
	return fmt.Sprintf("**Portal %s**%s\n\n", code(p.Portal), mdPortalNote(p)) + list(lines)
}

// list writes lines as a Markdown list followed by a blank line, the
// lines past collapseAfter in a collapsed block, and at most
// maxListLines of them.
func list(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	for i, l := range lines {
		if i == maxListLines {
			fmt.Fprintf(&b, "- … and %d more\n", len(lines)-maxListLines)
			break
		}
		if i == collapseAfter {
			fmt.Fprintf(&b, "\n<details><summary>%d more</summary>\n\n", len(lines)-collapseAfter)
		}
		b.WriteString("- " + l + "\n")
	}
	if len(lines) > collapseAfter {
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n")
	return b.String()
}

// mdChange writes one changed item: a collapsed block with its field
// changes and body diff.
func mdChange(ch Change) string {
	b := &strings.Builder{}
	what := plural(len(ch.Fields), "value", "values")
	switch {
	case ch.Body != "" && len(ch.Fields) == 0:
		what = "the text"
	case ch.Body != "":
		what += " and the text"
	case len(ch.Fields) == 0 && ch.Hidden != "":
		what = "not compared"
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
	return b.String()
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
