package leaks

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// passwordShape is what a value must look like to be reported as a
// password where only the layout, not the syntax, says it is one: a
// single token holding a digit or a symbol, so that "see the vault" or
// "unchanged" is not reported.
var passwordShape = regexp.MustCompile("^[^\\s\"'`<>\\[\\]()|]*[0-9!@#$%^&*+=?~][^\\s\"'`<>\\[\\]()|]*$")

// nextLine runs a next-line rule: r.re matches a line that is only a
// label ("Password:", "**PIN**"), and the secret is the value on the
// next line that is neither blank nor a code fence, when it is a single
// token shaped like a password.
func (s *scan) nextLine(ri int, r *Rule) {
	s.kw.onLines(ri, len(s.lines), func(i int) {
		line := s.lines[i]
		if len(line) < r.minLen || !r.re.MatchString(line) || strings.Contains(line, AllowMarker) {
			return
		}
		for j := i + 1; j < len(s.lines) && j <= i+4; j++ {
			t := strings.TrimSpace(s.lines[j])
			if t == "" || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
				continue
			}
			start, end := valueSpan(s.lines[j])
			if start < end && passwordShape.MatchString(s.lines[j][start:end]) {
				s.report(r, j, start, end)
			}
			break
		}
	})
}

// valueLead is what may come before a value on its own line: indentation,
// quote and list markers, a definition list's colon.
var valueLead = regexp.MustCompile(`^(?:\s*(?:>|[-*+]|\d{1,3}[.)]|:)(?:\s|$))*\s*`)

// valueSpan returns where the value of a line is: the line without its
// leading markers and trailing blanks, and without one pair of wrapping
// ** or __, backticks or quotes.
func valueSpan(line string) (start, end int) {
	start = len(valueLead.FindString(line))
	end = len(strings.TrimRightFunc(line, unicode.IsSpace))
	if end < start {
		return start, start
	}
	return unwrap(line, start, end)
}

// unwrap narrows line[start:end] to what is inside one pair of **, __,
// backticks or quotes around it, each at most once and in that order.
func unwrap(line string, start, end int) (int, int) {
	for _, w := range []string{"**", "__", "`", `"`, "'"} {
		if end-start >= 2*len(w)+1 && strings.HasPrefix(line[start:end], w) && strings.HasSuffix(line[start:end], w) {
			start, end = start+len(w), end-len(w)
		}
	}
	return start, end
}

// delimiterRow is a Markdown table's second line: | --- | :---: |
var delimiterRow = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$`)

// table runs a table rule: r.re matches a header cell of a Markdown
// table ("Password", "WLAN key"), and every cell below it that holds a
// value (not a placeholder, link or sentence) is a secret; so is the
// cell right of a row's label cell ("| Password | S3cret! |").
func (s *scan) table(r *Rule) {
	if sep := delimiter(s.path, s.lines[0]); sep != 0 {
		s.delimited(r, sep)
		return
	}
	for i := 0; i+1 < len(s.lines); i++ {
		head, delim := s.lines[i], s.lines[i+1]
		if !strings.Contains(head, "|") || !strings.Contains(delim, "|") || !delimiterRow.MatchString(delim) {
			continue
		}
		var cols []int
		for c, cell := range cells(head) {
			if s.isLabel(r, head, cell) {
				cols = append(cols, c)
			}
		}
		j := i + 2
		for ; j < len(s.lines) && strings.Contains(s.lines[j], "|"); j++ {
			line := s.lines[j]
			row := cells(line)
			for c, cell := range row {
				// a column under a password header, or the cell right of
				// a password label in a two-column "field | value" table
				if !slices.Contains(cols, c) && (c == 0 || !s.isLabel(r, line, row[c-1])) {
					continue
				}
				a, b := unwrap(line, cell[0], cell[1])
				if cellSecret(line[a:b]) {
					s.report(r, j, a, b)
				}
			}
		}
		i = j - 1
	}
}

// delimiter returns the separator of a .csv or .tsv file's columns, by
// its header line: tab, semicolon or comma, whichever it has most of; 0
// for other files.
func delimiter(path, header string) byte {
	lower := strings.ToLower(path)
	if !strings.HasSuffix(lower, ".csv") && !strings.HasSuffix(lower, ".tsv") {
		return 0
	}
	best, n := byte(0), 0
	for _, c := range []byte{'\t', ';', ','} {
		if k := strings.Count(header, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

// delimited runs a table rule on a .csv or .tsv file: the first line is
// the header, every other line a row.
func (s *scan) delimited(r *Rule, sep byte) {
	split := func(line string) [][2]int {
		var out [][2]int
		from := 0
		for k := 0; k <= len(line); k++ {
			if k == len(line) || line[k] == sep {
				a, b := from, k
				for a < b && line[a] == ' ' {
					a++
				}
				for b > a && (line[b-1] == ' ' || line[b-1] == '\r') {
					b--
				}
				out = append(out, [2]int{a, b})
				from = k + 1
			}
		}
		return out
	}
	var cols []int
	for c, cell := range split(s.lines[0]) {
		if s.isLabel(r, s.lines[0], cell) {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return
	}
	for j := 1; j < len(s.lines); j++ {
		row := split(s.lines[j])
		for _, c := range cols {
			if c < len(row) {
				a, b := unwrap(s.lines[j], row[c][0], row[c][1])
				if cellSecret(s.lines[j][a:b]) {
					s.report(r, j, a, b)
				}
			}
		}
	}
}

// isLabel reports whether a table cell is a password label for r.
func (s *scan) isLabel(r *Rule, line string, cell [2]int) bool {
	a, b := unwrap(line, cell[0], cell[1])
	return hasKeyword(strings.ToLower(line[a:b]), r.Keywords) && r.re.MatchString(line[a:b])
}

// cells returns the spans of a table row's cells, trimmed of blanks,
// without the empty cells outside a leading and a trailing pipe. A pipe
// escaped with a backslash or inside a code span does not split.
func cells(line string) [][2]int {
	var out [][2]int
	from, code := 0, false
	add := func(a, b int) {
		for a < b && (line[a] == ' ' || line[a] == '\t') {
			a++
		}
		for b > a && (line[b-1] == ' ' || line[b-1] == '\t' || line[b-1] == '\r') {
			b--
		}
		out = append(out, [2]int{a, b})
	}
	for k := 0; k < len(line); k++ {
		switch {
		case line[k] == '\\':
			k++
		case line[k] == '`':
			code = !code
		case line[k] == '|' && !code:
			add(from, k)
			from = k + 1
		}
	}
	add(from, len(line))
	if strings.HasPrefix(strings.TrimSpace(line), "|") && len(out) > 0 {
		out = out[1:]
	}
	if strings.HasSuffix(strings.TrimSpace(line), "|") && len(out) > 0 && out[len(out)-1][0] == out[len(out)-1][1] {
		out = out[:len(out)-1]
	}
	return out
}

// notSecretWords are single words a password column holds that are not
// passwords: where it is, or whether there is one.
var notSecretWords = map[string]bool{
	"none": true, "unknown": true, "unset": true, "unchanged": true, "changed": true, "required": true,
	"optional": true, "same": true, "default": true, "empty": true, "blank": true, "vault": true,
	"keepass": true, "bitwarden": true, "lastpass": true, "1password": true, "sso": true, "ldap": true,
	"saml": true, "oauth": true, "entra": true, "expired": true, "rotated": true, "reset": true,
	"disabled": true, "enabled": true, "locked": true, "random": true, "generated": true,
	"pending": true, "todo": true, "tbd": true, "various": true, "secret": true, "password": true,
	"yes": true, "no": true, "n/a": true,
}

// cellSecret reports whether a table cell under a password header holds
// a value: four or more characters in one token, not a placeholder, a
// link or one of notSecretWords.
func cellSecret(v string) bool {
	if len(v) < 4 || strings.ContainsAny(v, " \t") || strings.Contains(v, "[[") || strings.Contains(v, "](") ||
		strings.HasPrefix(v, "(") || strings.HasPrefix(v, "[") {
		return false
	}
	if notSecretWords[strings.ToLower(v)] {
		return false
	}
	if passwordShape.MatchString(v) {
		return true
	}
	for _, c := range v {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}
