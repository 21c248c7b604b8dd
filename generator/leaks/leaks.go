// Package leaks finds secrets written in plain text in every text file of a
// site that can reach a portal: settings, organizations, items, documents,
// checklists, schemas, attachments and theme files. It knows private keys,
// cloud access keys, API tokens, "password: ..." lines in several
// languages, credentials in URLs and on command lines, Wi-Fi keys and
// PINs, a password on the line after its label and password columns of
// Markdown tables. Rules are in the gitleaks configuration format: built in
// (rules.toml) and extended by the site's leaks.toml, with an allowlist. It
// reports positioned diagnostics and never repeats the secret it found.
package leaks

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unsafe"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

//go:embed rules.toml
var builtinRules []byte

// ConfigFile is the site's own rules file, at the site root.
const ConfigFile = "leaks.toml"

// AllowMarker on a line turns every rule off for that line, for a
// document that must show a secret-like example.
const AllowMarker = "leaks:allow"

// Rule is one kind of secret.
type Rule struct {
	ID          string   `toml:"id"`
	Description string   `toml:"description"`
	Regex       string   `toml:"regex"`
	Keywords    []string `toml:"keywords"`
	// Entropy is the least Shannon entropy, in bits per character, of the
	// secret; 0 accepts any.
	Entropy float64 `toml:"entropy"`
	// Path, when set, limits the rule to files whose path matches it. A
	// rule with a path and no regex reports every file whose path matches
	// (a key store such as a .pfx), at the file, without reading it.
	Path string `toml:"path"`
	// Kind is how the regex is used: "" (the default) matches it in each
	// line; "next-line" matches a label alone on its line, and the secret
	// is the value on the next line that is not blank; "table" matches a
	// header cell of a Markdown table, and the secrets are the cells below
	// it. Kinds other than "" are cairn's extension of the format.
	Kind string      `toml:"kind"`
	Pos  tomldoc.Pos `toml:",pos"`

	re   *regexp.Regexp
	path *regexp.Regexp
	// pre says from the regex alone which lines it cannot match, and so
	// do minLen (no line shorter can) and runs.
	pre    prefilter
	minLen int
	runs   runs
	// at, when set, runs re only where a match can start (anchor.go).
	at *anchored
}

// Allowlist says what is never reported.
type Allowlist struct {
	Description string `toml:"description"`
	// Paths are regexes of file paths (relative to the site root) not
	// scanned at all.
	Paths []string `toml:"paths"`
	// Regexes match secrets that are not reported.
	Regexes []string `toml:"regexes"`
	// Stopwords: a secret containing one (case-insensitively) is not
	// reported.
	Stopwords []string `toml:"stopwords"`

	paths, regexes []*regexp.Regexp
}

// config is the file format, built-in or the site's.
type config struct {
	Title     string    `toml:"title"`
	Rules     []*Rule   `toml:"rules"`
	Allowlist Allowlist `toml:"allowlist"`
	// Disabled names built-in rules the site turns off.
	Disabled []string `toml:"disabled"`
}

// Rules is a compiled rule set with its allowlist. It is immutable and
// safe for concurrent use.
type Rules struct {
	rules []*Rule
	allow Allowlist
	// kw finds every rule's keywords in a file at once; nil for a rule
	// set with too many keywords, whose files are searched by loopHits.
	kw *keywordIndex
}

// newRules compiles the keyword index of a rule set.
func newRules(rules []*Rule, allow Allowlist) *Rules {
	return &Rules{rules: rules, allow: allow, kw: newKeywordIndex(rules)}
}

// IDs returns the rule ids, in order.
func (rs *Rules) IDs() []string {
	var out []string
	for _, r := range rs.rules {
		out = append(out, r.ID)
	}
	return out
}

// Builtin returns the built-in rules.
func Builtin() *Rules {
	rs, probs := Load(nil, "")
	if len(probs) > 0 {
		panic("leaks: built-in rules.toml: " + probs[0].Message) // a bug in the binary, caught by tests
	}
	return rs
}

// Load returns the built-in rules extended by a site's leaks.toml (its
// text in site, or nil when the site has none; file names it in
// diagnostics). A site rule with a built-in rule's id replaces it;
// disabled = ["id"] drops built-in rules; allowlists are merged. Problems
// in the site's file are returned as diagnostics, and the rules that are
// sound are still used.
func Load(site []byte, file string) (*Rules, []diag.Diagnostic) {
	var diags []diag.Diagnostic
	base, err := parse(builtinRules, "rules.toml (built in)", &diags)
	if err != nil {
		return nil, diags
	}
	if site == nil {
		return newRules(base.Rules, base.Allowlist), diags
	}
	ext, err := parse(site, file, &diags)
	if err != nil {
		return newRules(base.Rules, base.Allowlist), diags
	}
	disabled := map[string]bool{}
	for _, id := range ext.Disabled {
		disabled[id] = true
	}
	replaced := map[string]bool{}
	for _, r := range ext.Rules {
		replaced[r.ID] = true
	}
	known := map[string]bool{}
	var rules []*Rule
	for _, r := range base.Rules {
		known[r.ID] = true
		if !disabled[r.ID] && !replaced[r.ID] {
			rules = append(rules, r)
		}
	}
	for _, id := range ext.Disabled {
		if !known[id] {
			diags = append(diags, diag.Diagnostic{Pos: diag.Pos{File: file}, Code: "leaks-config",
				Message: fmt.Sprintf("disabled names no built-in rule %q", id), Hint: "built-in rules: " + strings.Join(ruleIDs(base.Rules), ", ")})
		}
	}
	rules = append(rules, ext.Rules...)
	allow := base.Allowlist
	allow.Paths = append(allow.Paths, ext.Allowlist.Paths...)
	allow.Regexes = append(allow.Regexes, ext.Allowlist.Regexes...)
	allow.Stopwords = append(allow.Stopwords, ext.Allowlist.Stopwords...)
	allow.paths = append(append([]*regexp.Regexp{}, base.Allowlist.paths...), ext.Allowlist.paths...)
	allow.regexes = append(append([]*regexp.Regexp{}, base.Allowlist.regexes...), ext.Allowlist.regexes...)
	return newRules(rules, allow), diags
}

func ruleIDs(rs []*Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// parse decodes and compiles one rules file, reporting problems; it
// returns an error only when the file is not TOML at all.
func parse(data []byte, file string, diags *[]diag.Diagnostic) (*config, error) {
	add := func(p tomldoc.Pos, hint, format string, args ...any) {
		*diags = append(*diags, diag.Diagnostic{Pos: diag.Pos{File: file, Line: p.Line, Col: p.Col}, Code: "leaks-config", Message: fmt.Sprintf(format, args...), Hint: hint})
	}
	root, err := tomldoc.Parse(data)
	if err != nil {
		if se, ok := err.(*tomldoc.SyntaxError); ok {
			add(se.Pos, "fix the TOML at this place", "TOML syntax: %s", se.Msg)
		} else {
			add(tomldoc.Pos{}, "", "%v", err)
		}
		return nil, err
	}
	var c config
	for _, e := range tomldoc.Decode(root, &c) {
		add(e.Pos, e.Hint, "%s", e.Msg)
	}
	out := &config{}
	out.Allowlist = c.Allowlist
	out.Disabled = c.Disabled
	seen := map[string]bool{}
	for _, r := range c.Rules {
		switch {
		case r.ID == "":
			add(r.Pos, `give it an id such as id = "acme-api-token"`, "rule has no id")
			continue
		case seen[r.ID]:
			add(r.Pos, "rule ids must be unique", "rule %q is defined twice", r.ID)
			continue
		case r.Regex == "" && (r.Path == "" || r.Kind != ""):
			add(r.Pos, "add regex = '''...''' (or, to report files by name, path = '''...''' alone)", "rule %q has no regex", r.ID)
			continue
		case r.Kind != "" && r.Kind != KindNextLine && r.Kind != KindTable:
			add(r.Pos, `kind is "next-line", "table" or left out`, "rule %q: unknown kind %q", r.ID, r.Kind)
			continue
		}
		seen[r.ID] = true
		if r.Regex != "" {
			re, err := regexp.Compile(r.Regex)
			if err != nil {
				add(r.Pos, "regexes use Go's RE2 syntax: https://github.com/google/re2/wiki/Syntax", "rule %q: bad regex: %v", r.ID, err)
				continue
			}
			r.re = re
			r.pre, r.minLen, r.runs = analyse(r.Regex)
			r.at = anchor(r.Regex)
		}
		if r.Path != "" {
			var err error
			if r.path, err = regexp.Compile(r.Path); err != nil {
				add(r.Pos, "regexes use Go's RE2 syntax", "rule %q: bad path regex: %v", r.ID, err)
				continue
			}
		}
		for i, k := range r.Keywords {
			r.Keywords[i] = strings.ToLower(k)
		}
		if r.Description == "" {
			r.Description = r.ID
		}
		out.Rules = append(out.Rules, r)
	}
	for _, p := range c.Allowlist.Paths {
		if re, err := regexp.Compile(p); err == nil {
			out.Allowlist.paths = append(out.Allowlist.paths, re)
		} else {
			add(root.Pos, "regexes use Go's RE2 syntax", "allowlist path %q: %v", p, err)
		}
	}
	for _, p := range c.Allowlist.Regexes {
		if re, err := regexp.Compile(p); err == nil {
			out.Allowlist.regexes = append(out.Allowlist.regexes, re)
		} else {
			add(root.Pos, "regexes use Go's RE2 syntax", "allowlist regex %q: %v", p, err)
		}
	}
	for i, w := range out.Allowlist.Stopwords {
		out.Allowlist.Stopwords[i] = strings.ToLower(w)
	}
	return out, nil
}

// The kinds of rule, besides the default one-line regex.
const (
	KindNextLine = "next-line"
	KindTable    = "table"
)

// Finding is one secret found in a file.
type Finding struct {
	RuleID      string
	Description string
	// Line and Col place the secret (1-based; Col in bytes, as the rest
	// of cairn's positions). Line is 0 for a rule that reports a whole
	// file by its name.
	Line, Col int
}

// Message is what check reports for a finding: never the secret itself.
func (f Finding) Message() string {
	return fmt.Sprintf("%s in plain text (leaks rule %s)", f.Description, f.RuleID)
}

// Skip reports whether the allowlist excludes a whole file.
func (rs *Rules) Skip(path string) bool {
	for _, re := range rs.allow.paths {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// OwnedKeys are the TOML keys whose values the checker itself reports
// (plaintext-secret) in every item, whatever its type.
var OwnedKeys = []string{"password", "otp_secret"}

// Scan returns the findings in one file's text, by line then column. path
// is the file's path relative to the site root; it decides the allowlist
// and rule paths, and whether the text is TOML (by its .toml extension).
// text nil means the file is not text (binary): only the rules that
// report files by name run. Scan treats a TOML file as an item's: see
// ScanKeys with OwnedKeys.
func (rs *Rules) Scan(path string, text []byte) []Finding {
	return rs.ScanKeys(path, text, OwnedKeys)
}

// ScanKeys is Scan where keys are the TOML keys the checker reports as
// plaintext-secret in this file (OwnedKeys and the password fields of an
// item's type; none for a file that is not an item): a line that sets one
// of them (password = "...") is left to the checker rather than reported
// twice. The same words inside a value (notes = "password: x") are still
// a leak. text must not change while ScanKeys runs; it is not kept.
func (rs *Rules) ScanKeys(path string, text []byte, keys []string) []Finding {
	if rs.Skip(path) {
		return nil
	}
	var out []Finding
	for _, r := range rs.rules {
		if r.re == nil && r.path != nil && r.path.MatchString(path) {
			out = append(out, Finding{RuleID: r.ID, Description: r.Description})
		}
	}
	if text == nil {
		return out
	}
	// The text is read as a string without a copy: ScanKeys does not
	// change it, and no finding keeps a piece of it (a finding holds a
	// rule and a position), so nothing refers to the bytes once it
	// returns. The caller must not change them while it runs.
	str := unsafe.String(unsafe.SliceData(text), len(text))
	var kw *keywordHits
	if rs.kw != nil {
		kw = rs.kw.hits(str)
	} else {
		kw = loopHits(rs.rules, str)
	}
	return append(out, rs.scanText(path, str, keys, kw)...)
}

// scanText runs the rules that read text on str, a file's text, whose
// rules' keywords are at kw; it returns the findings by line then column.
func (rs *Rules) scanText(path, str string, keys []string, kw *keywordHits) []Finding {
	s := &scan{rs: rs, path: path, lines: strings.Split(str, "\n"), kw: kw}
	if strings.HasSuffix(path, ".toml") && len(keys) > 0 {
		s.owned = map[string]bool{}
		for _, k := range keys {
			s.owned[k] = true
		}
	}
	for ri, r := range rs.rules {
		if r.re == nil || (r.path != nil && !r.path.MatchString(path)) || !kw.file[ri] {
			continue // most rules' keywords are in no line of a file
		}
		switch r.Kind {
		case KindNextLine:
			s.nextLine(ri, r)
		case KindTable:
			s.table(r)
		default:
			s.inLines(ri, r)
		}
	}
	out := s.found
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}

// scan is the state of one Scan: the lines, what was found and where.
type scan struct {
	rs    *Rules
	path  string
	lines []string
	// kw says which lines hold each rule's keywords.
	kw *keywordHits
	// lowered caches lines in lower case for the rules' prefilters; ascii
	// says, per line, 0 not yet lowered, 1 all ASCII, 2 not.
	lowered []string
	ascii   []uint8
	owned   map[string]bool
	found   []Finding
	// spans already reported, per line (0-based): a later (more
	// generic) rule matching the same text is not reported again.
	spans map[int][][2]int
}

// report records the secret lines[i][start:end] for rule r, unless the
// line is marked, the secret is allowlisted or already reported.
func (s *scan) report(r *Rule, i, start, end int) {
	line := s.lines[i]
	if strings.Contains(line, AllowMarker) || s.rs.allowed(line[start:end]) {
		return
	}
	for _, sp := range s.spans[i] {
		if start < sp[1] && sp[0] < end {
			return
		}
	}
	if s.spans == nil {
		s.spans = map[int][][2]int{}
	}
	s.spans[i] = append(s.spans[i], [2]int{start, end})
	s.found = append(s.found, Finding{RuleID: r.ID, Description: r.Description, Line: i + 1, Col: start + 1})
}

// inLines runs a one-line rule, the ri-th, on every line that holds
// one of its keywords.
func (s *scan) inLines(ri int, r *Rule) {
	s.kw.onLines(ri, len(s.lines), func(i int) {
		line := s.lines[i]
		if len(line) < r.minLen {
			return // the regex cannot match this line
		}
		var ms [][]int
		if r.pre != nil || r.runs != nil || r.at != nil {
			lower, ascii := s.lower(i)
			if !r.pre.mayMatch(lower, ascii) || !r.runs.mayMatch(line, ascii) {
				return
			}
			if r.at != nil && ascii {
				ms = r.at.findAll(line, lower)
			} else {
				ms = r.re.FindAllStringSubmatchIndex(line, -1)
			}
		} else {
			ms = r.re.FindAllStringSubmatchIndex(line, -1)
		}
		for _, m := range ms {
			start, end := secretSpan(m)
			if s.ownedKey(line, m[0]) {
				continue
			}
			if r.Entropy > 0 && Entropy(line[start:end]) < r.Entropy {
				continue
			}
			s.report(r, i, start, end)
		}
	})
}

// lower returns line i in lower case, and whether it is all ASCII (when
// not, prefilters let it through and the text returned is not used).
func (s *scan) lower(i int) (string, bool) {
	if s.ascii == nil {
		s.lowered, s.ascii = make([]string, len(s.lines)), make([]uint8, len(s.lines))
	}
	if s.ascii[i] == 0 {
		s.ascii[i] = 1
		line := s.lines[i]
		for k := 0; k < len(line); k++ {
			if line[k] >= 0x80 {
				s.ascii[i] = 2
				break
			}
		}
		if s.ascii[i] == 1 {
			s.lowered[i] = strings.ToLower(line)
		}
	}
	return s.lowered[i], s.ascii[i] == 1
}

// secretSpan returns where the secret of a match is: its first capture
// group that took part in the match, else the whole match.
func secretSpan(m []int) (start, end int) {
	for g := 2; g+1 < len(m); g += 2 {
		if m[g] >= 0 {
			return m[g], m[g+1]
		}
	}
	return m[0], m[1]
}

var tomlKey = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=`)

// ownedKey reports whether a match starting at byte at of a TOML line is
// the line's own key, and the key is one the checker reports.
func (s *scan) ownedKey(line string, at int) bool {
	if s.owned == nil || at != len(line)-len(strings.TrimLeft(line, " \t")) {
		return false
	}
	m := tomlKey.FindStringSubmatch(line)
	return m != nil && s.owned[strings.ToLower(m[1])]
}

func hasKeyword(lower string, kws []string) bool {
	if len(kws) == 0 {
		return true
	}
	for _, k := range kws {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

func (rs *Rules) allowed(secret string) bool {
	lower := strings.ToLower(secret)
	for _, w := range rs.allow.Stopwords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	for _, re := range rs.allow.regexes {
		if re.MatchString(secret) {
			return true
		}
	}
	return false
}

// Entropy returns the Shannon entropy of s in bits per character.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	var h float64
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}
