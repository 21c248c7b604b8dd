package itglue

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
)

// docFolder is the folder IT Glue writes a document into:
// DOC-<organization id>-<document id> <Name>.
var docFolder = regexp.MustCompile(`^DOC-(\d+)-(\d+)(?:\s+(.*))?$`)

// readDocuments makes the documents of documents.csv and finds each one's
// HTML under documents/, with its folders; an HTML document the CSV does
// not list is imported too, named by its folder.
func (im *importer) readDocuments() error {
	if t := im.tables["documents"]; t != nil {
		for _, r := range t.rows {
			im.newItem("documents", "documents", r, r.get("name", "title"))
		}
	}
	im.docFiles = map[string]string{}
	type found struct {
		html    string
		folders []string
		orgID   string
		name    string
	}
	byDoc := map[string]found{}
	var ids []string
	for _, n := range im.exp.Names() {
		segs := strings.Split(n, "/")
		if len(segs) < 3 || !strings.EqualFold(segs[0], "documents") || !strings.EqualFold(path.Ext(n), ".html") && !strings.EqualFold(path.Ext(n), ".htm") {
			continue
		}
		di := -1
		var m []string
		for i := 1; i < len(segs)-1; i++ {
			if m = docFolder.FindStringSubmatch(segs[i]); m != nil {
				di = i
				break
			}
		}
		if di < 0 {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: n, Message: "an HTML file outside a DOC-<organization>-<document> folder; not imported"})
			continue
		}
		if di != len(segs)-2 {
			continue // a file of the document's own subfolders (an HTML attachment)
		}
		id := m[2]
		if prev, ok := byDoc[id]; ok {
			// Prefer the HTML named like the document.
			if strings.EqualFold(strings.TrimSuffix(path.Base(n), path.Ext(n)), m[3]) && !strings.EqualFold(strings.TrimSuffix(path.Base(prev.html), path.Ext(prev.html)), m[3]) {
				byDoc[id] = found{html: n, folders: prev.folders, orgID: m[1], name: m[3]}
			}
			continue
		}
		var folders []string
		for i, s := range segs[1:di] {
			if i == 0 && im.orgNamed(m[1], s) {
				continue // a folder per organization: the organization is the site's folder already
			}
			folders = append(folders, slugify(s, "folder"))
		}
		byDoc[id] = found{html: n, folders: folders, orgID: m[1], name: m[3]}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return numericLess(ids[i], ids[j]) })
	im.rep.Read["documents/ (HTML)"] = len(ids)
	for _, id := range ids {
		f := byDoc[id]
		it := im.byID["documents/"+id]
		if it == nil {
			var o *org
			for _, c := range im.orgs {
				if c.id == f.orgID {
					o = c
				}
			}
			if o == nil {
				im.rep.Skipped = append(im.rep.Skipped, Note{File: f.html, Message: "its organization (id " + f.orgID + ") is not in organizations.csv; not imported"})
				continue
			}
			name := f.name
			if name == "" {
				name = strings.TrimSuffix(path.Base(f.html), path.Ext(f.html))
			}
			t := &table{file: f.html}
			it = &item{typ: "documents", itgType: "documents", id: id, name: name, org: o, row: row{t: t}}
			im.byID["documents/"+id] = it
			im.items = append(im.items, it)
			im.rep.Warnings = append(im.rep.Warnings, Note{File: f.html, Message: "not listed in documents.csv: imported, named by its folder"})
		}
		it.htmlFile, it.folders = f.html, f.folders
		im.docFiles[f.html] = id
	}
	for _, it := range im.items {
		if it.typ == "documents" && it.htmlFile == "" {
			im.rep.Warnings = append(im.rep.Warnings, note(it.row, fmt.Sprintf("document %q has no HTML in the export: imported with its title only", it.name)))
		}
	}
	return nil
}

// orgNamed reports whether the organization with IT Glue id id is named
// name.
func (im *importer) orgNamed(id, name string) bool {
	for _, o := range im.orgs {
		if o.id == id {
			return orgKey(o.name) == orgKey(name)
		}
	}
	return false
}

// itgLink is a link into IT Glue: https://<account>.itglue.com/<org id>/<kind>/<id>,
// or the same path without the host, as the IT Glue editor also writes it.
var itgLink = regexp.MustCompile(`(?i)^(?:https?://[^/]+\.itglue\.com)?/(\d+)/(docs|documents|configurations|passwords|contacts|locations|domains|ssl_certificates|assets/[^/]+/records)/(\d+)`)

var linkKinds = map[string]string{"docs": "documents", "documents": "documents", "configurations": "configurations",
	"passwords": "passwords", "contacts": "contacts", "locations": "locations", "domains": "domains", "ssl_certificates": "ssl-certificates"}

// mapDocuments converts each document's HTML to Markdown: links into IT
// Glue become [[wiki links]], images are copied to the organization's
// files/ and linked relatively; any other file of the document's folder
// (a second HTML file too) is copied there and listed as its attachment.
func (im *importer) mapDocuments() error {
	names := im.exp.Names() // sorted: a folder's files are one run
	for _, it := range im.items {
		if it.typ != "documents" {
			continue
		}
		if err := im.ctx.Err(); err != nil {
			return err
		}
		if it.row.t.header != nil {
			m := im.newMapper(it, im.core["documents"])
			m.take("name", "title")
			m.rest()
			it.body = ""
		}
		if it.htmlFile == "" {
			continue
		}
		data, err := im.exp.ReadFile(it.htmlFile, MaxTextFile)
		if err != nil {
			return err
		}
		dir := path.Dir(it.htmlFile)
		self := it.rel()
		images := newSlugger()
		copied := map[string]string{}
		link := func(href string) string {
			target := im.linkTarget(it, dir, href)
			if target == nil {
				return ""
			}
			return wikiScheme + target.ref()
		}
		img := func(src string) string {
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(src)), "data:") {
				return im.pastedImage(it, src, images, self)
			}
			file := im.findImage(dir, src)
			if file == "" {
				if !strings.HasPrefix(src, "data:") && !strings.Contains(src, "://") {
					im.rep.Warnings = append(im.rep.Warnings, Note{File: it.htmlFile, Message: fmt.Sprintf("image %q is not in the export; left as it is", truncate(src, 120))})
				}
				return ""
			}
			dest, ok := copied[file]
			if !ok {
				dest = "content/" + it.org.slug + "/files/documents/" + it.slug + "/" + uniqueFile(images, path.Base(file))
				if !im.copy(dest, file) {
					dest = ""
				}
				copied[file] = dest
			}
			if dest == "" {
				return ""
			}
			return relLink(self, dest)
		}
		md, err := toMarkdown(im.conv, string(data), link, img)
		if err != nil {
			return fmt.Errorf("%s: converting to Markdown: %w", it.htmlFile, err)
		}
		it.notes = md
		for i := sort.SearchStrings(names, dir+"/"); i < len(names) && strings.HasPrefix(names[i], dir+"/"); i++ {
			f := names[i]
			if _, done := copied[f]; done || f == it.htmlFile {
				continue
			}
			if systemFile(path.Base(f)) {
				im.rep.Skipped = append(im.rep.Skipped, Note{File: f, Message: systemFileSkipped})
				continue
			}
			dest := "content/" + it.org.slug + "/files/documents/" + it.slug + "/" + uniqueFile(images, strings.ReplaceAll(strings.TrimPrefix(f, dir+"/"), "/", "-"))
			if im.copy(dest, f) {
				it.attached = append(it.attached, dest)
			}
		}
	}
	return nil
}

// linkTarget returns the item an href in a document names, or nil.
func (im *importer) linkTarget(from *item, dir, href string) *item {
	var target *item
	if m := itgLink.FindStringSubmatch(href); m != nil {
		kind := linkKinds[strings.ToLower(m[2])]
		if kind == "" {
			kind = "flexible-assets"
		}
		target = im.byID[kind+"/"+m[3]]
		if target == nil {
			im.rep.Ambiguous = append(im.rep.Ambiguous, withMessage(from.where(), fmt.Sprintf("link to IT Glue %s %s, which the export does not hold; kept as a URL", kind, m[3])))
			return nil
		}
	} else if !strings.Contains(href, ":") && strings.Contains(strings.ToLower(href), ".htm") {
		p, err := url.PathUnescape(strings.SplitN(strings.SplitN(href, "#", 2)[0], "?", 2)[0])
		if err != nil {
			return nil
		}
		if id, ok := im.docFiles[im.exp.Find(path.Join(dir, p))]; ok {
			target = im.byID["documents/"+id]
		}
		if target == nil {
			return nil
		}
	} else {
		return nil
	}
	if target.org != from.org {
		im.rep.Ambiguous = append(im.rep.Ambiguous, withMessage(from.where(), fmt.Sprintf("link to %s in another organization (%s); kept as a URL", target.name, target.org.name)))
		return nil
	}
	return target
}

// pastedImages are the kinds of image a document may hold inline
// (data:<kind>;base64,...), by the extension their file gets.
var pastedImages = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

// pastedImage saves an image pasted into a document (a data: URI) as a
// file of the document, pasted-image.<ext>, and returns its link from
// self; "" (the alt text stays) when it is not a base64 image of a kind a
// portal shows, or is larger than an attachment may be, reported.
func (im *importer) pastedImage(it *item, src string, images *slugger, self string) string {
	meta, b64, _ := strings.Cut(strings.TrimSpace(src), ",")
	kind, _, _ := strings.Cut(strings.TrimPrefix(strings.ToLower(meta), "data:"), ";")
	warn := func(why string) string {
		im.rep.Warnings = append(im.rep.Warnings, Note{File: it.htmlFile, Message: fmt.Sprintf("an image pasted into the document (data:%s)%s; left its alt text", truncate(kind, 40), why)})
		return ""
	}
	ext, ok := pastedImages[kind]
	if !ok || !strings.HasSuffix(strings.ToLower(meta), ";base64") {
		return warn(", not an image")
	}
	if int64(base64.StdEncoding.DecodedLen(len(b64))) > im.opts.maxAttachment {
		return warn(fmt.Sprintf(" of more than the %d bytes a site's attachment may have", im.opts.maxAttachment))
	}
	data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil || len(data) == 0 {
		return warn(" that is not valid base64")
	}
	dest := "content/" + it.org.slug + "/files/documents/" + it.slug + "/" + images.next("pasted-image") + ext
	im.add(&output{rel: dest, data: data})
	return relLink(self, dest)
}

// cellLink rewrites the links into IT Glue in a cell of from's row (notes,
// a textbox) to wiki links, as in documents.
func (im *importer) cellLink(from *item) rewrite {
	return func(href string) string {
		if !itgLink.MatchString(href) {
			return ""
		}
		if target := im.linkTarget(from, "", href); target != nil {
			return wikiScheme + target.ref()
		}
		return ""
	}
}

// systemFileSkipped is the report's reason for skipping a systemFile.
const systemFileSkipped = "a file the operating system made (.DS_Store, Thumbs.db); not imported"

// systemFile reports whether a file name is one an operating system
// leaves in folders (Finder's .DS_Store and ._ files, Explorer's
// Thumbs.db and desktop.ini), which no one attached on purpose.
func systemFile(name string) bool {
	switch strings.ToLower(name) {
	case ".ds_store", "thumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(name, "._")
}

// withMessage returns n saying msg.
func withMessage(n Note, msg string) Note { n.Message = msg; return n }

// findImage returns the export file an image source names: relative to
// the document's HTML, else by its name beside the HTML.
func (im *importer) findImage(dir, src string) string {
	if strings.HasPrefix(src, "data:") {
		return ""
	}
	p := strings.SplitN(strings.SplitN(src, "?", 2)[0], "#", 2)[0]
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if !strings.Contains(p, "://") {
		if c := cleanName(path.Join(dir, p)); c != "" && strings.HasPrefix(c, dir+"/") {
			if f := im.exp.Find(c); f != "" {
				return f
			}
		}
	}
	if f := im.exp.Find(dir + "/" + path.Base(p)); f != "" && path.Base(p) != "" {
		return f
	}
	return ""
}

// uniqueFile returns a safe file name for name that s has not handed out.
func uniqueFile(s *slugger, name string) string {
	safe := safeFileName(name)
	ext := path.Ext(safe)
	return s.next(strings.TrimSuffix(safe, ext)) + ext
}

// safeFileName makes a file name of slugs: name.ext.
func safeFileName(name string) string {
	ext := strings.ToLower(path.Ext(name))
	base := slugify(strings.TrimSuffix(name, path.Ext(name)), "file")
	if e := slugify(strings.TrimPrefix(ext, "."), ""); e != "" {
		return base + "." + e
	}
	return base
}
