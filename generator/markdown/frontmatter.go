package markdown

import (
	"bytes"
	"errors"
)

// ErrNoFrontMatter is returned by SplitFrontMatter for a file that does not
// start with a +++ line.
var ErrNoFrontMatter = errors.New("no front matter: the file must start with a +++ line, then TOML, then another +++ line")

// FrontMatterError is front matter that is opened but never closed.
type FrontMatterError struct{ Line int }

func (e *FrontMatterError) Error() string {
	return "front matter opened with +++ on line 1 is never closed: add a +++ line after the TOML"
}

// SplitFrontMatter splits a Markdown file into its TOML front matter
// (between +++ lines) and body. frontLine and bodyLine are the file lines
// where each begins.
func SplitFrontMatter(data []byte) (front []byte, frontLine int, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM some editors write
	first, rest, ok := cutLine(data)
	if !ok && len(first) == 0 || string(bytes.TrimRight(first, " \t\r")) != "+++" {
		return nil, 0, data, 1, ErrNoFrontMatter
	}
	line := 2
	start := len(data) - len(rest)
	for off := start; off <= len(data); {
		l, r, more := cutLine(data[off:])
		if string(bytes.TrimRight(l, " \t\r")) == "+++" {
			return data[start:off], 2, data[len(data)-len(r):], line + 1, nil
		}
		if !more {
			break
		}
		off = len(data) - len(r)
		line++
	}
	return nil, 0, nil, 0, &FrontMatterError{Line: 1}
}

func cutLine(b []byte) (line, rest []byte, more bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}
