// Command gensite writes the two sites bench/hugo-compare.sh builds: a
// synthetic cairn site of N items (generator/testsite) and a Hugo site of
// N plain Markdown pages of about the same size and shape (a title, a
// table of fields, paragraphs, a numbered list, links between pages),
// spread over sections as cairn's items are spread over organizations.
//
//	go run ./bench/gensite -items 10000 -cairn DIR -hugo DIR
//
// The defaults are those of earlier issues' figures: one organization per
// 500 items plus two shared ones, seven portals (internal, helpdesk and
// five clients'), one Hugo section per 500 pages. Issue 14's shape (100
// organizations, items spread evenly, a single internal portal that sees
// everything, so a runbook per organization):
//
//	go run ./bench/gensite -items 10000 -orgs 100 -portals 1 -cairn DIR -hugo DIR
//
// With -orgs, the Hugo site has one section per organization instead.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/cairn-it/cairn/generator/testsite"
)

func main() {
	items := flag.Int("items", 10000, "number of items (cairn) and pages (Hugo)")
	cairnDir := flag.String("cairn", "", "write the cairn site here (empty: skip)")
	hugoDir := flag.String("hugo", "", "write the Hugo site here (empty: skip)")
	seed := flag.Int64("seed", 1, "random seed")
	orgs := flag.Int("orgs", 0, "organizations, items spread evenly over them (0: one per 500 items plus 2 shared; Hugo: one section per 500 pages)")
	portals := flag.Int("portals", 0, "portals: 1 is a single internal portal that sees everything, 2 adds helpdesk, more add client portals (0: internal, helpdesk and 5 clients')")
	flag.Parse()
	if *items < 0 || *orgs < 0 || *portals < 0 {
		fmt.Fprintln(os.Stderr, "gensite: -items, -orgs and -portals must be 0 or more")
		os.Exit(2)
	}
	if *cairnDir != "" {
		if err := testsite.Write(*cairnDir, testsite.Options{Items: *items, Orgs: *orgs, Portals: *portals, Seed: *seed}); err != nil {
			fmt.Fprintln(os.Stderr, "gensite:", err)
			os.Exit(1)
		}
	}
	if *hugoDir != "" {
		if err := writeHugo(*hugoDir, *items, *orgs, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "gensite:", err)
			os.Exit(1)
		}
	}
}

const layout = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<nav>{{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
`

const single = `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
`

const list = `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
`

// writeHugo writes a Hugo site of n pages, spread evenly over sections:
// one per 500 pages when sections is 0.
func writeHugo(dir string, n, sections int, seed int64) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 2))
	files := map[string]string{
		"hugo.toml":           "baseURL = \"https://docs.example/\"\ntitle = \"Bench\"\ndisableKinds = [\"taxonomy\", \"term\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
		"layouts/baseof.html": layout,
		"layouts/single.html": single,
		"layouts/list.html":   list,
		"static/style.css":    "body{font-family:sans-serif}\n",
		"content/_index.md":   "+++\ntitle = \"Home\"\n+++\nAll sections.\n",
	}
	if sections <= 0 {
		sections = (n + 499) / 500
	}
	for s := 0; s < sections; s++ {
		files[fmt.Sprintf("content/org%02d/_index.md", s)] = fmt.Sprintf("+++\ntitle = \"Organization %d\"\n+++\n", s)
	}
	for i := 0; i < n; i++ {
		s := i % sections
		var b bytes.Buffer
		fmt.Fprintf(&b, "+++\ntitle = \"Item %d\"\nsummary = \"Synthetic page %d\"\n+++\n\n", i, i)
		b.WriteString("| Field | Value |\n| --- | --- |\n")
		fmt.Fprintf(&b, "| Hostname | sv-%05d.org%02d.example |\n| IP address | 10.%d.%d.%d |\n| Serial | SN%08X |\n\n", i, s, s, rng.IntN(250), 1+rng.IntN(250), rng.Uint32())
		b.WriteString("## Purpose\n\n")
		for k := 0; k < 2+rng.IntN(2); k++ {
			b.WriteString(testsite.Sentence(rng.IntN(1<<30)) + " ")
		}
		other := rng.IntN(n)
		fmt.Fprintf(&b, "See [item %d](/org%02d/item%05d/).\n\n## Steps\n\n", other, other%sections, other)
		for k := 0; k < 2+rng.IntN(4); k++ {
			fmt.Fprintf(&b, "%d. %s\n", k+1, testsite.Sentence(rng.IntN(1<<30)))
		}
		b.WriteString("\n## Verify\n\n" + testsite.Sentence(rng.IntN(1<<30)) + "\n")
		files[fmt.Sprintf("content/org%02d/item%05d.md", s, i)] = b.String()
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}
