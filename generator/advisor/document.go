package advisor

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// Patterns of structured data in text. Each match is checked further
// (boundaries, a parse) before it counts: see scanText.
var (
	ipv4Re  = regexp.MustCompile(`[0-9]{1,3}(?:\.[0-9]{1,3}){3}`)
	ipv6Re  = regexp.MustCompile(`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}`)
	macTxt  = regexp.MustCompile(`[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}`)
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
	// phoneRe matches at a + or a (; phoneDashRe within a token.
	phoneRe     = regexp.MustCompile(`^(?:\+[0-9][0-9 ().-]{5,}[0-9]|\([0-9]{3}\) ?[0-9]{3}[-. ][0-9]{4})`)
	phoneDashRe = regexp.MustCompile(`[0-9]{3}[-.][0-9]{3}[-.][0-9]{4}`)
)

// placeholderLocals are the local parts of example addresses in
// instructions (user@..., first.last@...), not anyone's address.
var placeholderLocals = map[string]bool{"user": true, "username": true, "name": true, "someone": true, "firstname.lastname": true,
	"first.last": true, "firstname": true, "you": true, "me": true, "email": true, "test": true, "example": true}

// match is one datum found in a text.
type match struct {
	d     datum
	text  string
	start int
}

// isWord reports whether c continues a word or a number.
func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func at(src []byte, i int) byte {
	if i < 0 || i >= len(src) {
		return ' '
	}
	return src[i]
}

// maxMatches bounds the data reported in one document or checklist: a
// text that is mostly addresses gets its first ones reported, and the
// work per document stays linear.
const maxMatches = 100

// scanText finds the IP and MAC addresses, email addresses and phone
// numbers of src. It leaves out what only looks like one: a network
// (10.0.0.0/8), a range's ends, a version (v1.2.3.4, 10.0.19045.1), a
// subnet mask, a placeholder address (user@example.com).
//
// Regular expressions are slow per byte, so the text is cut into
// whitespace-separated tokens first, and each pattern runs only on the
// tokens that have the characters it needs (an @, three dots, colons);
// phone numbers, which span spaces, are tried only where a + or a ( is.
func scanText(src []byte) []match {
	var out []match
	for s := 0; s < len(src) && len(out) < maxMatches; {
		for s < len(src) && isSpace(src[s]) {
			s++
		}
		e := s
		for e < len(src) && !isSpace(src[e]) {
			e++
		}
		if e > s {
			out = scanToken(src, s, e, out)
		}
		s = e
	}
	for i := 0; i < len(src) && len(out) < maxMatches; i++ {
		c := src[i]
		if (c != '+' && c != '(') || !isDigit(at(src, i+1)) {
			continue
		}
		loc := phoneRe.FindIndex(src[i:min(len(src), i+40)])
		if loc != nil && loc[0] == 0 {
			out = addPhone(src, i, i+loc[1], out)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasDigitIn(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

// scanToken finds data in the token src[s:e].
func scanToken(src []byte, s, e int, out []match) []match {
	tok := src[s:e]
	hasDigit := false
	dots, colons, dashes, at := 0, 0, 0, false
	for _, c := range tok {
		switch {
		case isDigit(c):
			hasDigit = true
		case c == '.':
			dots++
		case c == ':':
			colons++
		case c == '-':
			dashes++
		case c == '@':
			at = true
		}
	}
	find := func(re *regexp.Regexp) [][]int {
		locs := re.FindAllIndex(tok, -1)
		for _, l := range locs {
			l[0] += s
			l[1] += s
		}
		return locs
	}
	if hasDigit && (colons >= 5 || dashes >= 5 || dots >= 2) {
		for _, loc := range find(macTxt) {
			out = addMAC(src, loc[0], loc[1], out)
		}
	}
	if hasDigit && dots >= 3 {
		for _, loc := range find(ipv4Re) {
			out = addIPv4(src, loc[0], loc[1], out)
		}
	}
	if hasDigit && colons >= 2 {
		for _, loc := range find(ipv6Re) {
			out = addIPv6(src, loc[0], loc[1], out)
		}
	}
	if at {
		for _, loc := range find(emailRe) {
			out = addEmail(src, loc[0], loc[1], out)
		}
	}
	if hasDigit && dashes+dots >= 2 {
		for _, loc := range find(phoneDashRe) {
			out = addPhone(src, loc[0], loc[1], out)
		}
	}
	return out
}

// taken reports whether [s, e) overlaps a match found already.
func taken(out []match, s, e int) bool {
	for _, m := range out {
		if s < m.start+len(m.text) && m.start < e {
			return true
		}
	}
	return false
}

func addMAC(src []byte, s, e int, out []match) []match {
	if isWord(at(src, s-1)) || isWord(at(src, e)) || at(src, s-1) == ':' || at(src, e) == ':' || at(src, s-1) == '-' || at(src, e) == '-' {
		return out
	}
	if n, ok := normMAC(string(src[s:e])); ok {
		out = append(out, match{datum{kindMAC, n}, string(src[s:e]), s})
	}
	return out
}

func addIPv4(src []byte, s, e int, out []match) []match {
	before, after := at(src, s-1), at(src, e)
	if isWord(before) || before == '.' || isWord(after) || (after == '.' && isWord(at(src, e+1))) ||
		(after == '-' && isWord(at(src, e+1))) || (before == '-' && isWord(at(src, s-2))) {
		return out
	}
	if versionBefore(src, s) {
		return out
	}
	text := string(src[s:e])
	n, ok := normIP(text)
	if !ok || strings.HasSuffix(n, ".0") || strings.HasPrefix(n, "255.") || n == "0.0.0.0" || network(src, e, n) {
		return out
	}
	return append(out, match{datum{kindIP, n}, text, s})
}

// network reports whether the address n, which ends at src[e], is written
// as a network: followed by a prefix length that leaves no host bits
// (10.20.0.0/16, 2001:db8::/32), or by a prefix length it does not take.
// A host's address with its prefix length (10.20.100.1/24) is an address,
// and so is one followed by a path (https://10.1.2.3/login).
func network(src []byte, e int, n string) bool {
	if at(src, e) != '/' {
		return false
	}
	i, bits := e+1, 0
	for i < len(src) && i-e <= 3 && isDigit(src[i]) {
		bits = bits*10 + int(src[i]-'0')
		i++
	}
	if i == e+1 || isWord(at(src, i)) {
		return false // a path
	}
	ip, err := netip.ParseAddr(n)
	if err != nil {
		return true
	}
	p, err := ip.Prefix(bits)
	return err != nil || p.Addr() == ip
}

func addIPv6(src []byte, s, e int, out []match) []match {
	if isWord(at(src, s-1)) || at(src, s-1) == ':' || isWord(at(src, e)) || at(src, e) == ':' || taken(out, s, e) {
		return out
	}
	text := string(src[s:e])
	if !strings.ContainsAny(text, "0123456789") || (strings.Count(text, ":") < 7 && !strings.Contains(text, "::")) || pairs(text) {
		return out
	}
	ip, err := netip.ParseAddr(text)
	if err != nil || !ip.Is6() || ip.Is4In6() || ip.IsUnspecified() || strings.Count(strings.Trim(text, ":"), ":") < 1 || network(src, e, ip.String()) {
		return out
	}
	return append(out, match{datum{kindIP, ip.String()}, text, s})
}

func addEmail(src []byte, s, e int, out []match) []match {
	text := strings.TrimRight(string(src[s:e]), ".-")
	local, domain, _ := strings.Cut(text, "@")
	if placeholderLocals[strings.ToLower(local)] || strings.EqualFold(domain, "example.com") || !strings.Contains(domain, ".") {
		return out
	}
	// A domain ends in a name (ssh admin@10.40.99.1 and foo@1.2.3 have
	// none), and a git remote (git@github.com:org/repo) is no mailbox.
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	if len(tld) < 2 || strings.Trim(tld, "0123456789-") == "" || (at(src, s+len(text)) == ':' && isWord(at(src, s+len(text)+1))) {
		return out
	}
	return append(out, match{datum{kindEmail, strings.ToLower(text)}, text, s})
}

// pairs reports whether text is eight colon-separated groups of one or two
// hex digits (aa:bb:cc:dd:ee:ff:00:11, 1:2:3:4:5:6:7:8): an EUI-64, a
// key's fingerprint or a ratio, which nobody writes as an IPv6 address.
func pairs(text string) bool {
	groups := strings.Split(text, ":")
	if len(groups) != 8 {
		return false
	}
	for _, g := range groups {
		if len(g) == 0 || len(g) > 2 {
			return false
		}
	}
	return true
}

func addPhone(src []byte, s, e int, out []match) []match {
	// A number joined to a word by a dash is a ticket or order number
	// (INC-555-123-4567); one after "+1-" is found whole at its +.
	if isWord(at(src, s-1)) || at(src, s-1) == '.' || isWord(at(src, e)) || (at(src, s-1) == '-' && isWord(at(src, s-2))) || taken(out, s, e) {
		return out
	}
	text := string(src[s:e])
	n, ok := normPhone(text)
	if !ok || len(strings.TrimPrefix(n, "+")) > 15 {
		return out
	}
	return append(out, match{datum{kindPhone, n}, text, s})
}

// versionBefore reports whether the text before offset s names a version
// ("v1.2.3.4", "version 1.2.3.4", "build 10.0.1.2").
func versionBefore(src []byte, s int) bool {
	if c := at(src, s-1); c == 'v' || c == 'V' {
		return true
	}
	// Skip what separates a label from its value: "Firmware: 7.2.5.1",
	// "version=1.2.3.4", "| Firmware | 7.2.5.1 |", "**Build:** 10.0.1.2".
	i, spaced := s-1, true
	for i >= 0 && strings.IndexByte(" \t:=|*`", src[i]) >= 0 {
		spaced = spaced && (src[i] == ' ' || src[i] == '\t')
		i--
	}
	j := i
	for j >= 0 && isWord(src[j]) {
		j--
	}
	switch strings.ToLower(string(src[j+1 : i+1])) {
	case "version", "ver", "build", "firmware", "release":
		return true
	case "v":
		return spaced // "v 1.2.3.4", not a switch: "mstsc /v:10.1.2.3"
	}
	return false
}

// serials finds the words of src that are serial numbers some item of the
// organization holds: a serial is only reported where an item has it, to
// keep part numbers and other codes out. A word is a run of letters,
// digits and _ . / - that starts and ends with a letter or digit.
func serials(src []byte, held map[datum][]holding) []match {
	var out []match
	inWord := func(c byte) bool { return isWord(c) || c == '.' || c == '/' || c == '-' }
	for s := 0; s < len(src) && len(out) < maxMatches; {
		for s < len(src) && !isWord(src[s]) || (s < len(src) && src[s] == '_') {
			s++
		}
		e := s
		for e < len(src) && inWord(src[e]) {
			e++
		}
		end := e
		for end > s && !(isWord(src[end-1]) && src[end-1] != '_') {
			end--
		}
		if end-s >= 4 && hasDigitIn(src[s:end]) {
			text := string(src[s:end])
			d := datum{kindSerial, strings.ToUpper(text)}
			if len(held[d]) > 0 {
				out = append(out, match{d, text, s})
			}
		}
		if e == s {
			e++
		}
		s = e
	}
	return out
}

// documentData reports structured data written in the text of documents
// and checklists (their Markdown and the text fields of their front
// matter: title, summary) and of checklist templates. When an item of the
// organization holds the value, the hint names it; when the paragraph
// links that item already, the hint says to drop the copy.
func (a *advisor) documentData() {
	for _, it := range a.site.Items {
		if it.Body == nil || it.Broken {
			continue
		}
		what := singular(it)
		a.frontMatterData(it.File, it.Org, what, it.Schema, it.Fields, it.Pos)
		if it.Body.Err != nil || len(it.Body.Source) == 0 {
			continue
		}
		src := it.Body.Source
		paras := paragraphs(src)
		for _, m := range a.scan(it.Org, src) {
			hs := a.holders(it.Org, m.d)
			line, col := it.Body.Pos(m.start)
			hint := dataHint(it.Org, m.d, hs)
			if h, ok := a.linkedNearby(it, paras, line, hs); ok {
				hint = fmt.Sprintf("drop the copy: the text links [[%s]] already, which holds it (%s) and stays right when it changes", linkID(it.Org, h.item), h.field)
			}
			a.addData(diag.Pos{File: it.File, Line: line, Col: col}, m, what, hint)
		}
	}
	// A template belongs to no organization: only the items of shared
	// ones, which it links with full ids, may hold its values.
	const tmpl = "checklist template"
	for _, t := range a.site.Templates {
		if t.Broken {
			continue
		}
		a.frontMatterData(t.File, "", tmpl, a.site.Schemas.Get("checklists"), t.Fields, func(p tomldoc.Pos) diag.Pos {
			return diag.Pos{File: t.File, Line: p.Line + t.FieldsLine - 1, Col: p.Col}
		})
		if t.Body == nil || t.Body.Err != nil {
			continue
		}
		for _, m := range scanText(t.Body.Source) {
			line, col := t.Body.Pos(m.start)
			a.addData(diag.Pos{File: t.File, Line: line, Col: col}, m, tmpl, dataHint("", m.d, a.holders("", m.d)))
		}
	}
}

// scan finds the data of src, a text of the organization org: the
// addresses and numbers scanText finds, and the serial numbers its items
// hold.
func (a *advisor) scan(org string, src []byte) []match {
	ms := scanText(src)
	if org != "" && a.holdsSerials(org) {
		ms = append(ms, serials(src, a.data()[org])...)
	}
	return ms
}

// holders returns where the items of the organization org ("" for a
// checklist template) hold d; when none does, where the items of the
// shared organizations (Northwind's own servers), which org's documents
// may link, hold it.
func (a *advisor) holders(org string, d datum) []holding {
	if hs := a.orgHolders(org, d); len(hs) > 0 {
		return hs
	}
	var hs []holding
	for _, o := range a.sharedOrgs() {
		if o != org {
			hs = append(hs, a.orgHolders(o, d)...)
		}
	}
	return hs
}

func (a *advisor) orgHolders(org string, d datum) []holding {
	hs := a.data()[org][d]
	if len(hs) == 0 && d.kind == kindPhone {
		hs = a.samePhone(org, d.norm)
	}
	return hs
}

func (a *advisor) addData(pos diag.Pos, m match, what, hint string) {
	a.add(finding{rule: RuleDataInDocument, pos: pos,
		msg: fmt.Sprintf("%s %s written in the text of a %s", m.d.kind, m.text, what), hint: hint})
}

// frontMatterData reports the data in the title and summary of a front
// matter. A value written plainly on one line
// gets each datum's column; one with escapes or on several lines, the
// value's place.
func (a *advisor) frontMatterData(file, org, what string, s *schema.Schema, fields *tomldoc.Table, at func(tomldoc.Pos) diag.Pos) {
	if s == nil || fields == nil {
		return
	}
	for _, f := range s.Fields {
		// The prose of a front matter: its title and summary, not the
		// values that name things (an assignee, a template, a cadence).
		if (f.Kind != schema.Text && f.Kind != schema.Textbox) || (!f.UseForTitle && f.Name != "summary") {
			continue
		}
		v := fields.Get(f.Name)
		if v == nil || v.Kind != tomldoc.KindString {
			continue
		}
		plain := !v.Multiline && len(v.Raw) == len(v.Str)+2 && v.Raw[1:len(v.Raw)-1] == v.Str
		for _, m := range a.scan(org, []byte(v.Str)) {
			pos := at(v.Pos)
			if plain {
				pos.Col += 1 + m.start
			}
			a.addData(pos, m, what, dataHint(org, m.d, a.holders(org, m.d)))
		}
	}
}

// phoneTail is how many last digits samePhones files a number under: the
// fewest normPhone keeps.
const phoneTail = 7

// samePhone returns the holdings of the organization's phone numbers that
// are norm written with or without its country code: "(555) 010-1234"
// in a document is the contact's "+1 555 010 1234".
func (a *advisor) samePhone(org, norm string) []holding {
	var out []holding
	for _, d := range a.samePhones(org, norm) {
		out = append(out, a.data()[org][d]...)
	}
	return out
}

// samePhones returns the organization's phone numbers, other than norm,
// that are norm written with or without its country code, sorted. Numbers
// that both have a country code, or both lack one, are the same only when
// equal.
func (a *advisor) samePhones(org, norm string) []datum {
	tails, ok := a.phoneTails[org]
	if !ok {
		tails = map[string][]datum{}
		for d := range a.data()[org] {
			if d.kind == kindPhone {
				t := d.norm[len(d.norm)-phoneTail:]
				tails[t] = append(tails[t], d)
			}
		}
		for _, ds := range tails {
			sort.Slice(ds, func(i, j int) bool { return ds[i].norm < ds[j].norm })
		}
		a.phoneTails[org] = tails
	}
	var out []datum
	for _, d := range tails[norm[len(norm)-phoneTail:]] {
		local, intl := norm, d.norm
		if strings.HasPrefix(local, "+") {
			local, intl = intl, local
		}
		if !strings.HasPrefix(local, "+") && strings.HasPrefix(intl, "+") && strings.HasSuffix(intl, local) {
			out = append(out, d)
		}
	}
	return out
}

// holdsSerials reports whether an item of the organization holds a serial
// number (with a digit: serials() looks only for those).
func (a *advisor) holdsSerials(org string) bool {
	if v, ok := a.serialOrgs[org]; ok {
		return v
	}
	has := false
	for d := range a.data()[org] {
		if d.kind == kindSerial && hasDigitIn([]byte(d.norm)) {
			has = true
			break
		}
	}
	a.serialOrgs[org] = has
	return has
}

func singular(it *model.Item) string {
	if it.Type == "checklists" {
		return "checklist"
	}
	return "document"
}

// linkID is the id a text of the organization org links it by: its id
// within org, or its full id in another (shared) organization.
func linkID(org string, it *model.Item) string {
	if it.Org == org {
		return localID(it)
	}
	return it.ID
}

// dataHint says what to do instead of writing a datum in a document of
// the organization org.
func dataHint(org string, d datum, hs []holding) string {
	// Name the items whose own value it is (the server, not the LANs
	// that list it as their DNS server), when there are any.
	var own []holding
	for _, h := range hs {
		if h.identity {
			own = append(own, h)
		}
	}
	if len(own) > 0 {
		hs = own
	}
	if len(hs) > 0 {
		ids := map[string]bool{}
		var links []string
		for _, h := range hs {
			id := linkID(org, h.item)
			if !ids[id] {
				ids[id] = true
				links = append(links, fmt.Sprintf("[[%s]] (%s)", id, h.field))
			}
		}
		return fmt.Sprintf("link the item that holds it instead of copying the value: %s", joinLimit(links, 3))
	}
	switch d.kind {
	case kindPhone, kindEmail:
		return "record it on a contact or location and link that item here, like [[contacts/...]]"
	default:
		return "record it on the item it belongs to (a configuration's primary_ip or interfaces) and link that item here, like [[configurations/...]]"
	}
}

// paragraphs returns, for each line of src (0-based), the first line of
// its paragraph: lines between blank lines.
func paragraphs(src []byte) []int {
	var out []int
	start, line := 0, 0
	for _, l := range strings.Split(string(src), "\n") {
		if strings.TrimSpace(l) == "" {
			start = line + 1
		}
		out = append(out, start)
		line++
	}
	return out
}

// linkedNearby returns the holding among hs whose item the paragraph of
// line (a file line) links, if any.
func (a *advisor) linkedNearby(it *model.Item, paras []int, line int, hs []holding) (holding, bool) {
	para := func(fileLine int) int {
		i := fileLine - it.Body.Line
		if i < 0 || i >= len(paras) {
			return -1
		}
		return paras[i]
	}
	p := para(line)
	for _, l := range it.Body.Links {
		if para(l.Line) != p {
			continue
		}
		t, ok := a.site.Graph.Resolve(it.ID, model.RefID, l.Target)
		if !ok && !l.Wiki {
			t, ok = a.site.Graph.Resolve(it.ID, model.RefPath, l.Target)
		}
		if !ok {
			continue
		}
		for _, h := range hs {
			if h.item.ID == t.ID {
				return h, true
			}
		}
	}
	return holding{}, false
}
