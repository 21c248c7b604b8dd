package itglue

import (
	"strings"
	"testing"

	"github.com/cairn-it/cairn/generator/importer/itglue/itgluetest"

	"github.com/cairn-it/cairn/generator/tomldoc"
)

func TestSlugify(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Café Ünïcode / Büro", "cafe-unicode-buro"},
		{"Straße & Søn", "strasse-and-son"},
		{"../../etc/passwd", "etc-passwd"},
		{"  ", "x"},
		{"日本", "x"},
		{"DC01", "dc01"},
	} {
		if got := slugify(c.in, "x"); got != c.want {
			t.Errorf("slugify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	s := newSlugger()
	s.take("dc01")
	if a, b := s.next("dc01"), s.next("dc01"); a != "dc01-2" || b != "dc01-3" {
		t.Errorf("slugger gave %s, %s", a, b)
	}
}

func TestParseCSVAwkwardInput(t *testing.T) {
	data := "\xef\xbb\xbfID,Name,Notes\r\n1,\"a, b\",\"line 1\r\nline 2\"\r\n\r\n2,short\r\n3,\"say \"\"hi\"\"\",<p>x</p>\r\n"
	tb, enc, err := parseCSV("x.csv", []byte(data))
	if err != nil || enc != "" {
		t.Fatal(err, enc)
	}
	if strings.Join(tb.header, "|") != "id|name|notes" || len(tb.rows) != 3 {
		t.Fatalf("header %v rows %d", tb.header, len(tb.rows))
	}
	r := tb.rows[0]
	if r.get("name") != "a, b" || r.get("notes") != "line 1\nline 2" || r.line != 2 {
		t.Errorf("row 1: %q %q line %d", r.get("name"), r.get("notes"), r.line)
	}
	if tb.rows[1].get("notes") != "" || tb.rows[1].line != 5 || tb.rows[2].get("name") != `say "hi"` {
		t.Errorf("rows: %+v", tb.rows)
	}
	empty, _, err := parseCSV("e.csv", nil)
	if err != nil || len(empty.rows) != 0 {
		t.Errorf("empty file: %v", err)
	}
}

func TestInferredKinds(t *testing.T) {
	fixture := itgluetest.Basic(t)
	dir, k := newSite(t), newKey(t)
	runImport(t, fixture, dir, k, nil)
	got := tree(t, dir)["schemas/active-directory.toml"]
	for _, want := range []string{
		"name = \"domain_name\"\nlabel = \"Domain Name\"\nkind = \"text\"\nuse_for_title = true",
		"name = \"domain_controllers\"\nlabel = \"Domain Controllers\"\nkind = \"tag\"\ntargets = [\"configurations\"]\nmultiple = true",
		"name = \"recycle_bin\"\nlabel = \"Recycle Bin\"\nkind = \"checkbox\"",
		"name = \"last_health_check\"\nlabel = \"Last Health Check\"\nkind = \"date\"",
		"name = \"structure_notes\"\nlabel = \"Structure Notes\"\nkind = \"textbox\"",
		"name = \"password\"\nlabel = \"Password\"\nkind = \"password\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("schema lacks\n%s\n---\n%s", want, got)
		}
	}
	if !strings.Contains(tree(t, dir)["schemas/email.toml"], "kind = \"url\"") {
		t.Error("url column not inferred")
	}
}

func TestMultilineRoundTrips(t *testing.T) {
	for _, s := range []string{`a "quoted" word`, `three """ quotes`, "\"\"\"\"\"", `back\slash`, "tab\there", "ctrl\x01char", "ends with quote\""} {
		doc := "v = " + multiline(s) + "\n"
		tb, err := tomldoc.Parse([]byte(doc))
		if err != nil {
			t.Fatalf("%q: %v\n%s", s, err, doc)
		}
		if got := tb.Get("v").Str; got != s+"\n" && !(strings.HasSuffix(s, "\n") && got == s) {
			t.Errorf("%q came back as %q", s, got)
		}
	}
}

func TestMarkdownOfCellsHasNoAccidentalLinks(t *testing.T) {
	conv := newConverter()
	for _, c := range []struct{ in, want string }{
		{"see [[runbook]] and [x](../y.md)", `see \[\[runbook]] and \[x](../y.md)`},
		{"plain [note] text", "plain [note] text"},
		{"<p>see [[runbook]]</p>", `see \[\[runbook]]`},
		{`<p><a href="../other.html">other</a> and <a href="#top">top</a> <img src="gone.png" alt="diagram"></p>`, "other and top diagram"},
		{`<p><a href="https://example.com/x">x</a></p>`, "[x](https://example.com/x)"},
		{`<p><a href="mailto:help@example.com">mail</a> <a href="JavaScript:alert(1)">js</a> <a href="vbscript:x">vb</a></p>`, "[mail](mailto:help@example.com) js vb"},
		{`<p>shot <img src="data:image/png;base64,iVBORw0KGgo=" alt="pasted"></p>`, "shot pasted"},
		{"<p>a</p><p>&nbsp;</p><p>\u00a0 </p><p>b</p>", "a\n\nb"},
		// IT Glue's tables: no header row, spans, several lines in a cell
		{`<table><tbody><tr><td colspan="2"><b>Span</b></td></tr><tr><td>line1<br>line2</td><td><p>para</p><p>two</p></td></tr><tr><td>a|b</td><td>c</td></tr></tbody></table>`,
			"| **Span** |  |\n|---|---|\n| line1<br />line2 | para<br />two |\n| a\\|b | c |"},
	} {
		got, err := toMarkdown(conv, c.in, nil, nil)
		if err != nil || got != c.want {
			t.Errorf("toMarkdown(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestPadTables(t *testing.T) {
	in := "text\n\n| Host          | IP |\n|:--------------|---:|\n| [[configurations/fw01\\|fw01]] | 192.0.2.1 |\n\nafter"
	want := "text\n\n| Host                          | IP        |\n| :---------------------------- | --------: |\n| [[configurations/fw01\\|fw01]] | 192.0.2.1 |\n\nafter"
	if got := padTables(in); got != want {
		t.Errorf("padTables:\n%s\nwant:\n%s", got, want)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("\xef\xbb\xbfid,name\r\n1,\"a\r\nb\"\r\n"))
	f.Add([]byte("a,\"b\"c\",d\n\"unterminated"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, _, err := parseCSV("x.csv", data)
		if err == nil {
			for _, r := range tb.rows {
				_ = r.get("id", "name")
				_ = r.at(len(tb.header) + 3)
			}
		}
	})
}

func FuzzToMarkdown(f *testing.F) {
	f.Add("<p>a <a href=\"../x.html\">b</a> <img src=\"y.png\"></p>")
	f.Add("<table><tr><td>[[x]]</td></tr></table>")
	f.Add("plain [[x]] text")
	conv := newConverter()
	f.Fuzz(func(t *testing.T, s string) {
		link := func(string) string { return wikiScheme + "documents/x" }
		if _, err := toMarkdown(conv, s, link, nil); err != nil {
			t.Skip()
		}
	})
}

func TestParseCSVReadsWindows1252(t *testing.T) {
	for _, c := range []struct {
		name, data, wantEnc, wantName string
	}{
		{"utf-8", "id,name\n1,Müller “Bau” – €\n", "", "Müller “Bau” – €"},
		// what Excel on Windows saves: the same text in Windows-1252
		{"windows-1252", "id,name\n1,M\xfcller \x93Bau\x94 \x96 \x80\n", "Windows-1252", "Müller “Bau” – €"},
	} {
		tb, enc, err := parseCSV("x.csv", []byte(c.data))
		if err != nil {
			t.Fatal(err)
		}
		if enc != c.wantEnc || tb.rows[0].get("name") != c.wantName {
			t.Errorf("%s: read as %q: %q, want %q: %q", c.name, enc, tb.rows[0].get("name"), c.wantEnc, c.wantName)
		}
	}
}
