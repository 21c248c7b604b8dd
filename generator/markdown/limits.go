package markdown

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Limits on the shape of Markdown. Markdown has no syntax errors, but a
// few shapes make the parser's work grow with the square of the input
// (a list nested in every line's prefix, a table row of thousands of
// cells laid over every row, a word of thousands of unclosed link
// destinations). Text that exceeds these is not parsed at all; the
// Doc's Err says why and where (docs/format.md, "Limits"). Real documents
// stay far below them.
const (
	// MaxNesting is how many block quotes and list items may open at the
	// start of one line.
	MaxNesting = 32
	// MaxIndent is the widest indentation of a line that opens a list
	// item or block quote, in columns.
	MaxIndent = 128
	// MaxPipes is the most '|' on one line: a table of more than about
	// 250 columns.
	MaxPipes = 256
	// MaxLinkOpenings is the most "](" in one word (a run without spaces).
	MaxLinkOpenings = 16
	// MaxBrackets is the most '[' open at once in one paragraph.
	MaxBrackets = 32
	// MaxFootnotes is the most footnote definitions in one text.
	MaxFootnotes = 500
	// MaxRefDefs is the most lines of link reference definitions
	// ("[x]: /url", with their titles) in a row, without a blank line.
	MaxRefDefs = 200
)

// LimitError says that Markdown exceeds a limit, and where.
type LimitError struct {
	Line, Col int // in the file, like Link positions
	Msg       string
	Hint      string
}

func (e *LimitError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Check returns the problem that would stop src being parsed (invalid
// UTF-8 or a limit exceeded), positioned as Parse(src, line, col) would
// position it, or nil. It is a linear pass and builds no tree: for
// callers that must report such text without parsing it.
func Check(src []byte, line, col int) *LimitError {
	d := &Doc{Line: line, Col: col, lines: lineStarts(src)}
	return d.checkText(src)
}

// checkText returns the first problem of src that stops it being parsed:
// invalid UTF-8, or a limit above exceeded. It is one linear pass.
func (d *Doc) checkText(src []byte) *LimitError {
	fail := func(off int, hint, format string, args ...any) *LimitError {
		line, col := d.pos(off)
		return &LimitError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Hint: hint}
	}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, n := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fail(off, "save the file as UTF-8", "invalid UTF-8 (byte 0x%02X)", src[off])
	}
	var st textState
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		if e := d.checkLine(line, start, fail); e != nil {
			return e
		}
		if e := st.line(line, start, fail); e != nil {
			return e
		}
		start = end + 1
	}
	return nil
}

// textState carries the limits that span lines.
type textState struct {
	brackets  int // '[' open in the current paragraph
	footnotes int // footnote definitions so far
	refDefs   int // lines of link reference definitions in a row
}

func (st *textState) line(line []byte, start int, fail func(int, string, string, ...any) *LimitError) *LimitError {
	trimmed := bytes.TrimLeft(line, " \t>")
	if len(bytes.TrimSpace(line)) == 0 {
		st.brackets, st.refDefs = 0, 0
		return nil
	}
	def := bytes.HasPrefix(trimmed, []byte("[")) && bytes.Contains(trimmed, []byte("]:"))
	if def && bytes.HasPrefix(trimmed, []byte("[^")) {
		if st.footnotes++; st.footnotes > MaxFootnotes {
			return fail(start, "keep notes in the text or split the document", "more than %d footnotes", MaxFootnotes)
		}
		def = false
	}
	// A definition's title may run over many lines (which the parser
	// reads again for each), so every line until a blank one counts.
	if def || st.refDefs > 0 {
		if st.refDefs++; st.refDefs > MaxRefDefs {
			return fail(start, "put a blank line between groups of link definitions", "more than %d lines of link definitions in a row", MaxRefDefs)
		}
	}
	for k := 0; k < len(line); k++ {
		switch line[k] {
		case '\\':
			k++ // an escaped character opens nothing
		case '[':
			if st.brackets++; st.brackets > MaxBrackets {
				return fail(start+k, "close the brackets, or escape them as \\[", "more than %d '[' open at once", MaxBrackets)
			}
		case ']':
			if st.brackets > 0 {
				st.brackets--
			}
		}
	}
	return nil
}

func (d *Doc) checkLine(line []byte, start int, fail func(int, string, string, ...any) *LimitError) *LimitError {
	// Container openings at the start of the line.
	depth, col, i := 0, 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			col++
			i++
			continue
		case c == '\t':
			col += 4 - col%4
			i++
			continue
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 1
			} else {
				i = len(line) // text: the prefix ends
			}
			continue
		default:
			i = len(line)
			continue
		}
		col++
		if depth > MaxNesting {
			return fail(start+i-1, "flatten the structure: split the list or quote", "more than %d lists or quotes nested on one line", MaxNesting)
		}
	}
	// Only a line that opens a list or quote nests by its indentation;
	// deep indentation alone (code, continued text) costs nothing.
	if col > MaxIndent && depth > 0 {
		return fail(start, "indent less", "list or quote indented by more than %d columns", MaxIndent)
	}
	if n := bytes.Count(line, []byte("|")); n > MaxPipes {
		return fail(start, "split the table, or escape the | characters as \\|", "%d '|' on one line; the limit is %d (a table of at most about %d columns)", n, MaxPipes, MaxPipes-1)
	}
	// "](" per word.
	opens := 0
	for k := 0; k+1 < len(line); k++ {
		switch line[k] {
		case ' ', '\t':
			opens = 0
		case ']':
			if line[k+1] == '(' {
				opens++
				if opens > MaxLinkOpenings {
					return fail(start+k, "put spaces between links", "more than %d links in one word", MaxLinkOpenings)
				}
			}
		}
	}
	return nil
}
