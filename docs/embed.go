// Package docs embeds cairn's reference pages (docs/*.md) in the binary, so
// `cairn help TOPIC` prints the page a site without this repository lacks.
// A topic is a page's file name without ".md"; README.md is the index, not
// a topic.
package docs

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.md
var pages embed.FS

// Topic is one reference page.
type Topic struct {
	// Name is the file name without ".md": "format", "secrets".
	Name string
	// Summary is the page's line in README.md's table, else its title.
	Summary string
}

// Topics returns every topic, sorted by name. The embedded files are part of
// the binary, so it cannot fail; it may be called from any goroutine.
func Topics() []Topic {
	entries, _ := fs.ReadDir(pages, ".")
	index := summaries()
	var out []Topic
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || name == "README" {
			continue
		}
		sum := index[name]
		if sum == "" {
			sum = title(name)
		}
		out = append(out, Topic{Name: name, Summary: sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Page returns the text of a topic's page, exactly as docs/NAME.md holds
// it, and false when there is no such topic.
func Page(name string) ([]byte, bool) {
	if name == "README" || strings.ContainsAny(name, "/\\.") || name == "" {
		return nil, false
	}
	data, err := pages.ReadFile(name + ".md")
	if err != nil {
		return nil, false
	}
	return data, true
}

// summaries reads README.md's table rows "| [NAME.md](NAME.md) | summary |".
func summaries() map[string]string {
	data, _ := pages.ReadFile("README.md")
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 2 {
			continue
		}
		link := strings.TrimSpace(cells[0])
		if !strings.HasPrefix(link, "[") {
			continue
		}
		name, _, ok := strings.Cut(strings.TrimPrefix(link, "["), ".md]")
		if ok {
			out[name] = strings.TrimSpace(cells[1])
		}
	}
	return out
}

// title returns the text of a page's first "# " heading.
func title(name string) string {
	data, _ := pages.ReadFile(name + ".md")
	for _, line := range strings.Split(string(data), "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return name
}
