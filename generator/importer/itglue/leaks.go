package itglue

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cairn-it/cairn/generator/leaks"
	"github.com/cairn-it/cairn/generator/sitefs"
)

// maxLeakPasses bounds how often a file is scanned again after moving the
// secrets found in it (each pass removes at least one finding or stops).
const maxLeakPasses = 8

// tokenEnd ends a secret found by a leaks rule: the characters its rules
// never take into a value.
const tokenEnd = " \t\n\"'`<>[]()|"

var mdUnescape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

// siteRules returns the leaks rules cairn check will use on this site.
func (im *importer) siteRules() *leaks.Rules {
	conf, err := sitefs.ReadFile(im.opts.Site, leaks.ConfigFile, sitefs.MaxSourceFile)
	if err != nil {
		conf = nil
	}
	rs, _ := leaks.Load(conf, leaks.ConfigFile)
	return rs
}

// moveLeaks scans the text of an item's file as cairn check does. Secrets
// the export held in plain text (a password in a configuration's notes, a
// PIN in a document) are cut out of the text, replaced by a link to a new
// password item of the organization that holds them in its SOPS file, and
// reported (never with the value). It returns the text to write.
func (im *importer) moveLeaks(rs *leaks.Rules, it *item, rel, text string) string {
	if rs.Skip(rel) {
		return text
	}
	var found []string
	var holder *item
	for pass := 0; pass < maxLeakPasses; pass++ {
		fs := rs.Scan(rel, []byte(text))
		if len(fs) == 0 {
			break
		}
		lines := strings.SplitAfter(text, "\n")
		offsets := make([]int, len(lines)+1)
		for i, l := range lines {
			offsets[i+1] = offsets[i] + len(l)
		}
		moved := 0
		limit := len(text) // replacements go from the end, so earlier positions hold
		var values []string
		for k := len(fs) - 1; k >= 0; k-- {
			f := fs[k]
			if f.Line <= 0 || f.Line > len(lines) {
				continue
			}
			start := offsets[f.Line-1] + f.Col - 1
			if start >= limit {
				continue // inside a span already moved
			}
			end := start + strings.IndexAny(text[start:]+"\n", tokenEnd)
			if strings.Contains(strings.ToUpper(text[start:end]), "-----BEGIN") {
				if i := strings.Index(text[start:], "-----END"); i >= 0 {
					if j := strings.Index(text[start+i+8:], "-----"); j >= 0 {
						end = start + i + 8 + j + 5
					}
				}
			}
			if end <= start || end > limit {
				continue
			}
			value := text[start:end]
			if strings.HasSuffix(rel, ".toml") {
				value = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(value)
			} else {
				value = mdUnescape.ReplaceAllString(value, "$1")
			}
			if holder == nil {
				holder = im.leakHolder(it)
			}
			values = append([]string{value}, values...)
			text = text[:start] + "(moved to [[passwords/" + holder.slug + "]])" + text[end:]
			limit = start
			moved++
			where := it.where()
			where.Message = fmt.Sprintf("%s, in what became %s: moved to content/%s/passwords/%s.sops.yaml (password, one value a line)", f.Message(), rel, it.org.slug, holder.slug)
			im.rep.Warnings = append(im.rep.Warnings, where)
		}
		found = append(found, values...)
		if moved == 0 {
			break
		}
	}
	if holder != nil {
		holder.secrets = map[string]string{"password": strings.Join(found, "\n")}
		im.addItemFiles(holder)
	}
	return text
}

// leakHolder makes the password item that holds the secrets found in
// another item's text.
func (im *importer) leakHolder(it *item) *item {
	h := &item{typ: "passwords", itgType: it.itgType, id: it.id + "/secrets-in-text", org: it.org, parent: it,
		name: "Secrets found in " + fallbackName(it.name, it.slug)}
	dir := "content/" + it.org.slug + "/passwords/"
	if f, ok := im.itemImport[h.importID()]; ok && strings.HasPrefix(f, dir) && !strings.Contains(strings.TrimPrefix(f, dir), "/") {
		h.slug = strings.TrimSuffix(strings.TrimPrefix(f, dir), ".toml")
	} else {
		h.slug = im.folderSlugger(strings.TrimSuffix(dir, "/")).next(strings.ReplaceAll(it.slug, "/", "-") + "-secrets")
	}
	h.name = im.uniqueTitle(it.org, h.name, []string{fmt.Sprintf("%s (%s)", h.name, it.ref())}, it.where())
	var t tomlBuf
	t.str("name", h.name)
	t.str("category", "Other")
	h.body = t.String()
	h.notes = "Values that the IT Glue export held in plain text in [[" + it.ref() + "]], moved here by cairn import: one a line, in the order they stood. Split them into proper password items and delete this one."
	im.rep.Items["passwords (secrets found in text)"]++
	return h
}
