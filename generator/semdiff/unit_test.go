package semdiff

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/gitrev"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sopsfile"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

func TestUnified(t *testing.T) {
	cases := []struct {
		name, a, b, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"added at the end", "a\n", "a\nb\n", "@@ -1 +1,2 @@\n a\n+b\n"},
		{"from nothing", "", "a\n", "@@ -0,0 +1 @@\n+a\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ny\n",
			"@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+y\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Unified(c.a, c.b); got != c.want {
				t.Errorf("Unified:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestUnifiedIsBounded(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 1000; i++ {
		a.WriteString("old line\n")
		b.WriteString("new line\n")
	}
	got := Unified(a.String(), b.String())
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != maxDiffLines+2 || lines[len(lines)-1] != "... 1600 more lines" {
		t.Errorf("a diff of 2000 changed lines has %d lines, ending %q", len(lines), lines[len(lines)-1])
	}
}

func parse(t *testing.T, s string) *tomldoc.Table {
	t.Helper()
	tab, err := tomldoc.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestGroupRows: rows are matched identical first, then by the group's
// key field, then (as many left on each side) by position.
func TestGroupRows(t *testing.T) {
	group := &schema.Schema{Fields: []*schema.Field{{Name: "emails", Kind: "group", Fields: []*schema.Field{{Name: "kind"}, {Name: "value"}}}}}
	cases := []struct {
		name, a, b string
		want       []string
	}{
		{"reordered rows are no change",
			"[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n[[emails]]\nkind = \"home\"\nvalue = \"b@x\"\n",
			"[[emails]]\nkind = \"home\"\nvalue = \"b@x\"\n[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n", nil},
		{"matched by key field",
			"[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n[[emails]]\nkind = \"home\"\nvalue = \"b@x\"\n",
			"[[emails]]\nkind = \"home\"\nvalue = \"c@x\"\n[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n",
			[]string{`changed emails[home].value "b@x" → "c@x"`}},
		{"edited in place by position",
			"[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n",
			"[[emails]]\nkind = \"office\"\nvalue = \"a@y\"\n",
			[]string{`changed emails[office].kind "work" → "office"`, `changed emails[office].value "a@x" → "a@y"`}},
		{"added and removed",
			"[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n",
			"[[emails]]\nkind = \"work\"\nvalue = \"a@x\"\n[[emails]]\nkind = \"home\"\nvalue = \"h@x\"\n",
			[]string{`added emails[home]   {kind = "home", value = "h@x"}`}},
		{"scalars and arrays",
			"name = \"a\"\ntags = [\"x\"]\nold = 1\n",
			"name = \"b\"\ntags = [\"x\", \"y\"]\n",
			[]string{`changed name "a" → "b"`, `added tags[]   "y"`, `removed old 1`}},
		{"array members",
			"tags = [\"a\", \"b\", \"b\"]\nports = [1, 2]\n",
			"tags = [\"b\", \"c\"]\nports = [2, 1]\n",
			[]string{`added tags[]   "c"`, `removed tags[] "a"`, `removed tags[] "b"`, `changed ports [1, 2] → [2, 1]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &fieldDiffer{schema: group, diffs: &budget{}}
			d.tables("", "", parse(t, c.a), parse(t, c.b), nil)
			var got []string
			for _, f := range d.out {
				got = append(got, strings.TrimSpace(f.Op+" "+f.Path+" "+f.Old+" "+arrow(f)+f.New))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func arrow(f FieldChange) string {
	if f.Op == "changed" {
		return "→ "
	}
	return " "
}

// TestMarkdownEscapes: nothing from a file adds markup, HTML, a mention
// or a line to the pull-request comment.
func TestMarkdownEscapes(t *testing.T) {
	cases := []struct{ in, code, text string }{
		{"plain", "`plain`", "plain"},
		{"a`b", "``a`b``", "a\\`b"},
		{"`x`", "`` `x` ``", "\\`x\\`"},
		{"<img src=x onerror=alert(1)>", "`<img src=x onerror=alert(1)>`", "&lt;img src=x onerror=alert\\(1\\)&gt;"},
		{"@team please #12", "`@team please #12`", "&#64;team please &#35;12"},
		{"two\nlines\u202e", "`two lines `", "two lines "},
	}
	for _, c := range cases {
		if got := code(c.in); got != c.code {
			t.Errorf("code(%q) = %q, want %q", c.in, got, c.code)
		}
		if got := mdText(c.in); got != c.text {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}

// TestMarkdownStaysUnderCommentLimit: a very large change still gives a
// comment GitHub accepts, with long lists cut and a note on what was left
// out.
func TestMarkdownStaysUnderCommentLimit(t *testing.T) {
	r := &Report{Base: "main", Head: "working tree"}
	for i := 0; i < 300; i++ {
		r.Added = append(r.Added, Item{ID: fmt.Sprintf("acme/contacts/c%03d", i), File: "x"})
	}
	big := strings.Repeat("a line of a long document\n", 300)
	for i := 0; i < 100; i++ {
		r.Changed = append(r.Changed, Change{Item: Item{ID: fmt.Sprintf("acme/documents/d%03d", i)}, Body: Unified(big, big+"one more\n"+big)})
	}
	r.NewErrors = []Problem{{File: "content/acme/org.toml", Code: "x", Message: "y"}}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > maxComment+200 {
		t.Errorf("the comment has %d bytes, over the limit", len(out))
	}
	if !strings.Contains(out, "- … and 100 more\n") {
		t.Error("the list of 300 added items is not cut at 200")
	}
	if !strings.HasSuffix(out, "sections are left out. Run `cairn diff` for all of it._\n") {
		t.Errorf("no note on what was left out; the comment ends %q", out[len(out)-200:])
	}
	if strings.Count(out, "<details>")+strings.Count(out, "<details><summary>") == 0 || strings.Count(out, "<details>") != strings.Count(out, "</details>") {
		t.Error("a collapsed block is not closed")
	}
	if strings.Count(out, "```diff")*2 != strings.Count(out, "```") {
		t.Error("a code block is not closed")
	}
}

// TestSecretsFile classifies the keys of a changed secrets file by
// ciphertext, and by decrypted value when a decrypter is given (here a
// fake that maps ciphertexts to values).
func TestSecretsFile(t *testing.T) {
	const meta = "sops:\n    lastmodified: \"2026-01-01T00:00:00Z\"\n    mac: ENC[AES256_GCM,data:m1,iv:i,tag:t,type:str]\n"
	file := func(kv ...string) []byte {
		var b strings.Builder
		for i := 0; i < len(kv); i += 2 {
			b.WriteString(kv[i] + ": " + kv[i+1] + "\n")
		}
		b.WriteString(meta)
		return []byte(b.String())
	}
	values := map[string]string{"ENC[a1]": "v1", "ENC[a2]": "v1", "ENC[a3]": "v2", "ENC[b1]": "w"}
	fake := DecryptFunc(func(rel string, data []byte) (map[string]string, error) {
		if strings.Contains(string(data), "ENC[bad]") {
			return nil, fmt.Errorf("cannot decrypt %s", rel)
		}
		out := map[string]string{}
		for k, ct := range sopsfile.Ciphertexts(data) {
			out[k] = values[ct]
		}
		return out, nil
	})
	cases := []struct {
		name     string
		old, new []byte
		dec      Decrypter
		want     string
	}{
		{"added and removed keys", file("password", "ENC[a1]"), file("otp_secret", "ENC[b1]"), nil,
			"added [otp_secret] removed [password] changed [] reencrypted [] unknown [] note \"\""},
		{"no key: cannot tell", file("password", "ENC[a1]"), file("password", "ENC[a3]"), nil,
			"added [] removed [] changed [] reencrypted [] unknown [password] note \"cannot tell a changed value from a re-encryption without a key (set SOPS_AGE_KEY_FILE)\""},
		{"a key: value changed", file("password", "ENC[a1]"), file("password", "ENC[a3]"), fake,
			"added [] removed [] changed [password] reencrypted [] unknown [] note \"\""},
		{"a key: re-encrypted", file("password", "ENC[a1]"), file("password", "ENC[a2]"), fake,
			"added [] removed [] changed [] reencrypted [password] unknown [] note \"re-encrypted without a value change\""},
		{"a key that does not open a side", file("password", "ENC[a1]"), file("password", "ENC[bad]"), fake,
			"added [] removed [] changed [] reencrypted [] unknown [password] note \"cannot tell a changed value from a re-encryption: no key available here opens both versions of the file\""},
		{"metadata only", file("password", "ENC[a1]"), []byte(strings.Replace(string(file("password", "ENC[a1]")), "m1", "m2", 1)), nil,
			"added [] removed [] changed [] reencrypted [] unknown [] note \"only the file's SOPS metadata changed (recipients, MAC or dates); no value changed\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cm := &comparer{opts: Options{Decrypter: c.dec}}
			sc := cm.secretsFile("acme/passwords/vpn", "old.sops.yaml", "new.sops.yaml", c.old, c.new)
			got := fmt.Sprintf("added %v removed %v changed %v reencrypted %v unknown %v note %q", sc.Added, sc.Removed, sc.Changed, sc.Reencrypted, sc.Unknown, sc.Note)
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestDiffBudget: once a report's time for diffs is spent, a changed text
// is summarised, not diffed.
func TestDiffBudget(t *testing.T) {
	spent := &budget{until: time.Now().Add(-time.Second)}
	if got, want := spent.unified("a\nb\n", "a\nc\nd\n", 1, 1), "(text changed, 2 lines to 3; the diff is left out: this report's time for diffs is spent)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := spent.unified("same\n", "same\n", 1, 1); got != "" {
		t.Errorf("equal texts: %q", got)
	}
	fresh := &budget{until: time.Now().Add(time.Minute)}
	if got, want := fresh.unified("a\n", "b\n", 5, 5), "@@ -5 +5 @@\n-a\n+b\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"a\nb\n", "a\nb\n", 100},
		{"a\nb\nc\nd\n", "a\nb\nx\ny\n", 50},
		{"a\na\nb\n", "a\nb\nb\n", 66},
		{"", "", 100},
		{"a\n", "", 0},
	}
	for _, c := range cases {
		if got := similarity(newLineSet([]byte(c.a)), newLineSet([]byte(c.b))); got != c.want {
			t.Errorf("similarity(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestCommitsSection: commits are listed in every format, their authors
// and subjects escaped in Markdown.
func TestCommitsSection(t *testing.T) {
	r := &Report{Base: "main", Head: "HEAD", Commits: []gitrev.LogEntry{
		{Hash: "0123456789abcdef0123", When: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC), Author: "Alice", Subject: "Ping @ops <b>now</b>"},
	}, MoreCommits: 2}
	var md, text strings.Builder
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if want := "<details><summary>3 commits</summary>\n\n- `0123456789ab` 2026-03-05 Alice: Ping &#64;ops &lt;b&gt;now&lt;/b&gt;\n- … and 2 more\n\n</details>\n"; !strings.HasSuffix(md.String(), want) {
		t.Errorf("markdown ends %q, want %q", md.String(), want)
	}
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if want := "\nCommits (3)\n  0123456789ab 2026-03-05 Alice: Ping @ops <b>now</b>\n  ... and 2 more\n"; !strings.HasSuffix(text.String(), want) {
		t.Errorf("text ends %q, want %q", text.String(), want)
	}
}

// TestSecretsSectionEscapesKeysWithColons: a secrets file's key names and
// recipients come from the pull request; one holding ": " must not split
// into Markdown outside a code span.
func TestSecretsSectionEscapesKeysWithColons(t *testing.T) {
	r := &Report{Base: "main", Head: "HEAD", Secrets: []SecretsChange{{
		Item: "acme/passwords/vpn", File: "content/acme/passwords/vpn.sops.yaml",
		Added:           []string{"x: <img src=x onerror=alert(1)> @ops"},
		RecipientsAdded: []string{"age1: <b>evil</b>"},
	}}}
	var md strings.Builder
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	want := "- `acme/passwords/vpn`: `x: <img src=x onerror=alert(1)> @ops` added; `recipient age1: <b>evil</b>` added (can decrypt it now)\n"
	if !strings.Contains(md.String(), want) {
		t.Errorf("markdown:\n%s\nwant a line %q", md.String(), want)
	}
}
