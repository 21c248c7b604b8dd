package itglue

import (
	"fmt"
	"strings"
)

// attachmentKinds maps the folders of attachments/ to IT Glue kinds.
var attachmentKinds = map[string]string{
	"configuration": "configurations", "contact": "contacts", "location": "locations", "password": "passwords",
	"domain": "domains", "sslcertificate": "ssl-certificates", "document": "documents",
	"flexibleasset": "flexible-assets", "organization": "organizations",
}

// mapAttachments copies attachments/<type>/<resource id>/<files> to the
// organization's files/<type>/<item slug>/ and links each from its item.
func (im *importer) mapAttachments() error {
	n := 0
	sl := map[string]*slugger{}
	for _, name := range im.exp.Names() {
		segs := strings.Split(name, "/")
		if len(segs) < 4 || !strings.EqualFold(segs[0], "attachments") {
			continue
		}
		n++
		if systemFile(segs[len(segs)-1]) {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: name, Message: systemFileSkipped})
			continue
		}
		norm := strings.TrimSuffix(strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(segs[1])), "s")
		kind := attachmentKinds[norm]
		if kind == "" {
			kind = "flexible-assets" // a flexible asset type's own folder
		}
		var it *item
		var o *org
		if kind == "organizations" {
			for _, c := range im.orgs {
				if c.id == segs[2] {
					o = c
				}
			}
		} else if it = im.byID[kind+"/"+segs[2]]; it != nil {
			o = it.org
		}
		if o == nil {
			im.rep.Skipped = append(im.rep.Skipped, Note{File: name, Message: fmt.Sprintf("attached to %s %s, which the export does not hold; not imported", segs[1], segs[2])})
			continue
		}
		folder := "content/" + o.slug + "/files/"
		if it != nil {
			folder += strings.ReplaceAll(it.typ, "assets/", "") + "/" + strings.ReplaceAll(it.slug, "/", "-")
		} else {
			folder += "organization"
		}
		s := sl[folder]
		if s == nil {
			s = newSlugger()
			sl[folder] = s
		}
		var sub []string
		for _, d := range segs[3 : len(segs)-1] {
			sub = append(sub, slugify(d, "folder"))
		}
		fname := segs[len(segs)-1]
		if len(sub) > 0 {
			fname = strings.Join(sub, "-") + "-" + fname
		}
		dest := folder + "/" + uniqueFile(s, fname)
		if !im.copy(dest, name) {
			continue
		}
		if it != nil {
			it.attached = append(it.attached, dest)
		} else {
			im.rep.Warnings = append(im.rep.Warnings, Note{File: name, Message: "an organization's attachment: copied to " + dest})
		}
	}
	if n > 0 {
		im.rep.Read["attachments/"] = n
	}
	return nil
}
