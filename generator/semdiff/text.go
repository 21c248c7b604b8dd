package semdiff

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffTimeout bounds the line diff of one text; past it the rest of the
// text is shown as removed and added, never a hang.
const diffTimeout = 2 * time.Second

// maxDiffLines bounds the lines of one unified diff in a report.
const maxDiffLines = 400

// contextLines is the number of unchanged lines shown around a change.
const contextLines = 3

type line struct {
	op   byte // ' ', '-' or '+'
	text string
}

// splitLines splits text into lines without their line breaks.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Unified returns the unified diff of two texts (hunks with three lines
// of context, no file header), "" when they are equal. It is bounded in
// time and in lines: a longer diff ends with a line saying how many lines
// were left out.
func Unified(a, b string) string { return unifiedAt(a, b, 1, 1) }

// unifiedAt is Unified for texts that start at line aLine and bLine of
// their files, so hunk headers give file lines.
func unifiedAt(a, b string, aLine, bLine int) string {
	if a == b {
		return ""
	}
	var lines []line
	for _, d := range diff.DoWithTimeout(a, b, diffTimeout) {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range splitLines(d.Text) {
			lines = append(lines, line{op, l})
		}
	}
	var out strings.Builder
	n := 0
	for i := 0; i < len(lines); {
		if lines[i].op == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before the change to context lines
		// after the last change that is not separated by more than
		// 2*contextLines unchanged lines.
		start := max(i-contextLines, 0)
		end := i
		for j := i; j < len(lines); j++ {
			if lines[j].op != ' ' {
				end = j
				continue
			}
			if j-end > 2*contextLines {
				break
			}
		}
		stop := min(end+contextLines+1, len(lines))
		aStart, bStart := aLine, bLine
		for _, l := range lines[:start] {
			if l.op != '+' {
				aStart++
			}
			if l.op != '-' {
				bStart++
			}
		}
		aLen, bLen := 0, 0
		for _, l := range lines[start:stop] {
			if l.op != '+' {
				aLen++
			}
			if l.op != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for k, l := range lines[start:stop] {
			if n == maxDiffLines {
				left := stop - start - k
				for _, r := range lines[stop:] {
					if r.op != ' ' {
						left++
					}
				}
				fmt.Fprintf(&out, "... %d more lines\n", left)
				return out.String()
			}
			out.WriteByte(l.op)
			out.WriteString(l.text)
			out.WriteByte('\n')
			n++
		}
		i = stop
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// similarity is git's measure of how alike two files are, in percent:
// twice the lines they share over the lines of both.
func similarity(a, b []byte) int {
	if string(a) == string(b) {
		return 100
	}
	la, lb := splitLines(string(a)), splitLines(string(b))
	if len(la)+len(lb) == 0 {
		return 100
	}
	count := map[string]int{}
	for _, l := range la {
		count[l]++
	}
	common := 0
	for _, l := range lb {
		if count[l] > 0 {
			count[l]--
			common++
		}
	}
	return 200 * common / (len(la) + len(lb))
}
