package portal

import (
	"bytes"
	"encoding/json"
	"html/template"

	"github.com/cairn-it/cairn/generator/urls"
)

// OrgsScript is the path, in a portal, of the script that lists the
// portal's organizations for the sidebar's organization switcher
// (static/cairn.js loads it when the switcher is opened). Only the home
// page carries the list in its HTML: on every other page it would be most
// of the page's bytes (docs/performance.md, issue 14 item 4).
const OrgsScript = "orgs.js"

// orgsScriptVersion is the format of OrgsScript's data, checked by
// cairn.js.
const orgsScriptVersion = 1

// OrgsScript returns the script at OrgsScript: it sets window.cairnOrgs
// to {"v":1,"orgs":[{"n":name,"h":path from the portal root},...]}, the
// organizations in the sidebar's order. Names are JSON with <, > and &
// escaped, so no name can end the script; cairn.js inserts them as text.
func (r *Renderer) OrgsScript() ([]byte, error) {
	type org struct {
		Name string `json:"n"`
		Href string `json:"h"`
	}
	data := struct {
		V    int   `json:"v"`
		Orgs []org `json:"orgs"`
	}{V: orgsScriptVersion, Orgs: []org{}}
	for _, o := range r.v.Orgs() {
		data.Orgs = append(data.Orgs, org{Name: o.Name, Href: urls.Org(o.Slug)})
	}
	j, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("window.cairnOrgs=")
	b.Write(j)
	b.WriteString(";\n")
	return b.Bytes(), nil
}

// frameParts are the parts of a page's frame that depend only on how deep
// the page is (its Root): the theme's asset URLs and the organization
// links. They are made once per depth and shared by every page of it,
// read only.
type frameParts struct {
	static map[string]template.URL
	orgs   []Link
}

// frame returns the frame parts of pages at path p's depth.
func (r *Renderer) frame(p string) *frameParts {
	root := urls.Root(p)
	if f, ok := r.frames.Load(root); ok {
		return f.(*frameParts)
	}
	f := &frameParts{static: make(map[string]template.URL, len(r.theme.assets))}
	for _, a := range r.theme.assets {
		f.static[a] = r.rel(p, urls.Static(a))
	}
	for _, o := range r.v.Orgs() {
		f.orgs = append(f.orgs, Link{Text: o.Name, Href: r.rel(p, urls.Org(o.Slug)), Hint: o.Kind})
	}
	got, _ := r.frames.LoadOrStore(root, f)
	return got.(*frameParts)
}
