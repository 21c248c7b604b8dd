package markdown

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// bombs generate Markdown of about n bytes whose parse time once grew
// with the square of n; each must now grow linearly.
var bombs = []struct {
	name string
	gen  func(n int) string
}{
	{"nested lists by indentation", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat("  ", i))
			b.WriteString("- [ ] x [a](b.md)\n")
		}
		return b.String()
	}},
	{"nested lists on one line", func(n int) string { return strings.Repeat("- ", n/2) + "x\n" }},
	{"nested quotes on one line", func(n int) string { return strings.Repeat(">", n) + " x\n" }},
	{"nested quotes by line", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat(">", i))
			b.WriteString(" x\n")
		}
		return b.String()
	}},
	{"unclosed link destinations", func(n int) string { return strings.Repeat("[a](", n/4) + "\n" }},
	{"unclosed wiki links", func(n int) string { return strings.Repeat("[[a ", n/4) + "\n" }},
	{"wide table header", func(n int) string {
		cols := n / 4
		return "|" + strings.Repeat("a|", cols) + "\n|" + strings.Repeat("-|", cols) + "\n" + strings.Repeat("|a|b|\n", n/12)
	}},
	// Within the limits: the deepest allowed shapes, repeated.
	{"deepest allowed nesting, repeated", func(n int) string {
		var b strings.Builder
		for b.Len() < n {
			for d := 0; d < MaxNesting; d++ {
				b.WriteString(strings.Repeat("> ", d))
				b.WriteString("- x\n")
			}
			b.WriteString("\n")
		}
		return b.String()
	}},
	{"most allowed link openings per word, repeated", func(n int) string {
		w := strings.Repeat("[a](", MaxLinkOpenings)
		return strings.Repeat(w+" ", n/(len(w)+1)) + "\n"
	}},
	{"widest allowed table", func(n int) string {
		cols := MaxPipes - 1
		row := "|" + strings.Repeat("a|", cols) + "\n"
		return row + "|" + strings.Repeat("-|", cols) + "\n" + strings.Repeat(row, n/len(row))
	}},
	{"nested brackets", func(n int) string { return strings.Repeat("[", n/2) + "a" + strings.Repeat("]", n/2) + "(b)\n" }},
	{"footnotes", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "[^%d]\n\n[^%d]: x\n", i, i)
		}
		return b.String()
	}},
	{"link definitions in a row", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "[r%d]: /u\n", i)
		}
		return b.String()
	}},
	{"link definitions in groups", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "[r%d]: /u\n", i)
			if i%MaxRefDefs == MaxRefDefs-1 {
				b.WriteString("\n")
			}
		}
		return b.String() + strings.Repeat("[r1] ", 100)
	}},
	{"link definition with a long title", func(n int) string { return "[r]: /u '" + strings.Repeat("a\n", n/2) + "'\n" }},
	{"longest allowed link definition titles, repeated", func(n int) string {
		d := "[r]: /u '" + strings.Repeat("a\n", MaxRefDefs-1) + "'\n\n"
		return strings.Repeat(d, n/len(d))
	}},
	{"most allowed open brackets, repeated", func(n int) string {
		p := strings.Repeat("[", MaxBrackets) + "a" + strings.Repeat("]", MaxBrackets) + "(b)\n\n"
		return strings.Repeat(p, n/len(p))
	}},
	{"many identical headings", func(n int) string { return strings.Repeat("# a\n\n", n/5) }},
	{"emphasis", func(n int) string { return strings.Repeat("*a **b ", n/7) + "\n" }},
	{"links", func(n int) string { return strings.Repeat("[a](b.md) ", n/10) + "\n" }},
}

// parseTime is the fastest of a few parses of src.
func parseTime(p *Parser, src []byte) time.Duration {
	best := time.Duration(1 << 62)
	for i := 0; i < 3; i++ {
		start := time.Now()
		p.Parse(src, 1, 1)
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}

// TestParseTimeIsLinear parses each bomb at two sizes in one run and
// asserts that twice the input takes less than three times as long (a
// quadratic parse takes four times). No absolute time is asserted.
func TestParseTimeIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	p := NewParser()
	const n = 32 << 10
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			small, large := []byte(b.gen(n)), []byte(b.gen(2*n))
			var ratio float64
			// A shared machine can stall one measurement: retry before
			// calling it quadratic.
			for try := 0; try < 3; try++ {
				t1, t2 := parseTime(p, small), parseTime(p, large)
				ratio = float64(t2) / float64(max(t1, time.Microsecond))
				if ratio < 3 {
					return
				}
			}
			t.Errorf("%d bytes took %.1fx the time of %d bytes; want < 3x", len(large), ratio, len(small))
		})
	}
}

func BenchmarkBombs(b *testing.B) {
	p := NewParser()
	for _, bomb := range bombs {
		src := []byte(bomb.gen(160 << 10))
		b.Run(bomb.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for i := 0; i < b.N; i++ {
				p.Parse(src, 1, 1)
			}
		})
	}
}

func TestLimitErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{strings.Repeat("- ", 33) + "x\n", "1:65: more than 32 lists or quotes nested on one line (hint: flatten the structure: split the list or quote)"},
		{"ok\n" + strings.Repeat(">", 40) + "\n", "2:33: more than 32 lists or quotes nested on one line (hint: flatten the structure: split the list or quote)"},
		{strings.Repeat(" ", 127) + "- x\n", "1:1: list or quote indented by more than 128 columns (hint: indent less)"},
		{"```\n" + strings.Repeat(" ", 130) + "> x\n```\n", "2:1: list or quote indented by more than 128 columns (hint: indent less)"},
		{"|" + strings.Repeat("a|", 256) + "\n", "1:1: 257 '|' on one line; the limit is 256 (a table of at most about 255 columns) (hint: split the table, or escape the | characters as \\|)"},
		{"x " + strings.Repeat("[a](", 17) + "\n", "1:69: more than 16 links in one word (hint: put spaces between links)"},
		{"# Title\n\nbad \xff byte\n", "3:5: invalid UTF-8 (byte 0xFF) (hint: save the file as UTF-8)"},
		{"é\xc3", "1:3: invalid UTF-8 (byte 0xC3) (hint: save the file as UTF-8)"},
		{"a [b [c\n" + strings.Repeat("[", 31) + "\n", "2:31: more than 32 '[' open at once (hint: close the brackets, or escape them as \\[)"},
		{strings.Repeat("[^1]: x\n", 501), "501:1: more than 500 footnotes (hint: keep notes in the text or split the document)"},
		{strings.Repeat("[r]: /u\n", 201), "201:1: more than 200 lines of link definitions in a row (hint: put a blank line between groups of link definitions)"},
		{"text\n\n[r]: /u 'a\n" + strings.Repeat("title\n", 200) + "'\n", "203:1: more than 200 lines of link definitions in a row (hint: put a blank line between groups of link definitions)"},
	}
	p := NewParser()
	for _, c := range cases {
		d := p.Parse([]byte(c.src), 1, 1)
		got := "<nil>"
		if d.Err != nil {
			got = fmt.Sprintf("%v (hint: %s)", d.Err, d.Err.Hint)
		}
		if got != c.want {
			t.Errorf("%.30q:\n got %s\nwant %s", c.src, got, c.want)
		}
		if e := Check([]byte(c.src), 1, 1); e == nil || *e != *d.Err {
			t.Errorf("%.30q: Check = %v, Parse = %v", c.src, e, d.Err)
		}
		if d.Root().ChildCount() != 0 || len(d.Links) != 0 {
			t.Errorf("%.30q: text over a limit was parsed", c.src)
		}
	}
	// Brackets close at a blank line and when escaped.
	for _, src := range []string{
		strings.Repeat("[", 32) + "\n\n" + strings.Repeat("[", 32) + "\n", strings.Repeat(`\[`, 100) + "\n",
		strings.Repeat("[a] ", 100) + "\n", strings.Repeat("[r]: /u\n", 200) + "\n" + strings.Repeat("[s]: /u\n", 200),
	} {
		if d := p.Parse([]byte(src), 1, 1); d.Err != nil {
			t.Errorf("%.30q: %v", src, d.Err)
		}
	}
	// At the limits, text is parsed; so is deep indentation that opens
	// nothing (code, continued text).
	for _, src := range []string{
		"```\n" + strings.Repeat(" ", 300) + "x: y\n```\n", strings.Repeat(" ", 126) + "- x\n",
		strings.Repeat("- ", 32) + "x\n", strings.Repeat(" ", 128) + "x\n", "|" + strings.Repeat("a|", 255) + "\n",
		strings.Repeat("[a](", 16) + "\n", "- 1234567890. x\n",
	} {
		if d := p.Parse([]byte(src), 1, 1); d.Err != nil {
			t.Errorf("%.30q: %v", src, d.Err)
		}
	}
}
