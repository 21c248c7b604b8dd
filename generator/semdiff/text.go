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

// diffBudget bounds the time one report spends on line diffs; texts
// compared after it is spent are summarised instead (diffBudget.unified).
const diffBudget = 20 * time.Second

// budget is the time left for line diffs in one report.
type budget struct{ until time.Time }

// unified is unifiedAt within the budget: once it is spent, a one-line
// summary of the change instead of the diff.
func (b *budget) unified(a, c string, aLine, cLine int) string {
	if a == c {
		return ""
	}
	left := time.Until(b.until)
	if b.until.IsZero() {
		left = diffTimeout
	}
	if left <= 0 {
		return fmt.Sprintf("(text changed, %d lines to %d; the diff is left out: this report's time for diffs is spent)\n", len(splitLines(a)), len(splitLines(c)))
	}
	return unifiedTimeout(a, c, aLine, cLine, min(left, diffTimeout))
}

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
	return unifiedTimeout(a, b, aLine, bLine, diffTimeout)
}

func unifiedTimeout(a, b string, aLine, bLine int, timeout time.Duration) string {
	if a == b {
		return ""
	}
	var lines []line
	for _, d := range diff.DoWithTimeout(a, b, timeout) {
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

// lineSet is a file's lines counted, for similarity.
type lineSet struct {
	count map[string]int
	n     int
}

func newLineSet(data []byte) lineSet {
	ls := lineSet{count: map[string]int{}}
	for _, l := range splitLines(string(data)) {
		ls.count[l]++
		ls.n++
	}
	return ls
}

// similarity is git's measure of how alike two files are, in percent:
// twice the lines they share over the lines of both. Its cost is the
// smaller file's distinct lines.
func similarity(a, b lineSet) int {
	if a.n+b.n == 0 {
		return 100
	}
	if a.n > b.n {
		a, b = b, a
	}
	common := 0
	for l, n := range a.count {
		common += min(n, b.count[l])
	}
	return 200 * common / (a.n + b.n)
}
