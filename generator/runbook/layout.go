package runbook

import (
	"fmt"

	"github.com/yuin/goldmark/ast"

	"github.com/cairn-it/cairn/generator/markdown"
)

// maxPages bounds one book: a layout that would print more pages than this
// stops with a LayoutError instead of growing without bound. Real books
// are far shorter (the demo site's largest is under a hundred pages); the
// limit is there so that no input, however hostile, makes Write run or
// allocate without end.
const maxPages = 20000

// maxIndent is the deepest indent, in mm, that nested lists and quotes
// reach: deeper levels print at this indent, so text always has at least
// textW-maxIndent of width.
const maxIndent = textW / 2

// LayoutError is a book that cannot be laid out: it names the source file
// and line being printed when layout stopped, and why.
type LayoutError struct {
	File string // relative to the site root, like content/acme/documents/x.md
	Line int    // 0 when only the file is known
	Msg  string
}

func (e *LayoutError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// at records the source position being printed, for LayoutErrors.
func (b *book) at(file string, line int) {
	b.srcFile, b.srcLine = file, line
}

// fail stops the layout pass with a LayoutError at the current source
// position; the first failure wins. Loops that may run long check
// b.err and return.
func (b *book) fail(format string, args ...any) {
	if b.err == nil {
		b.err = &LayoutError{File: b.srcFile, Line: b.srcLine, Msg: fmt.Sprintf(format, args...)}
	}
}

// lineOf returns the file line of a block node: of its first source line,
// else of its first text.
func lineOf(d *markdown.Doc, n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			l, _ := d.Pos(t.Segment.Start)
			return l
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			l, _ := d.Pos(c.Lines().At(0).Start)
			return l
		}
	}
	return d.Line
}
