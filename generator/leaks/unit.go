package leaks

import (
	"io/fs"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
)

// Scanner scans single files of a site as CheckSite does, with the
// site's rules, for callers that keep a checked site up to date
// (generator/site) and scan again only the files that changed. Its
// methods may be called from several goroutines at once.
type Scanner struct {
	rs    *Rules // nil: leaks.toml cannot be used, nothing is scanned
	files fs.FS
}

// NewScanner reads the site's leaks.toml from files (the site's folder)
// as CheckSite does. Its problems are reported by CheckSite, not here.
func NewScanner(files fs.FS) *Scanner {
	return &Scanner{rs: loadSiteRules(files, &diag.List{}), files: files}
}

// scan scans one file as CheckSite would, returning its findings sorted.
func (s *Scanner) scan(name string, src []byte, hint hinter, keys []string) []diag.Diagnostic {
	if s.rs == nil {
		return nil
	}
	c := &siteCheck{rs: s.rs, files: s.files, l: &diag.List{}}
	c.scan(name, src, hint, keys)
	return c.l.Sorted()
}

// Org scans an organization's org.toml.
func (s *Scanner) Org(o *model.Org) []diag.Diagnostic {
	return s.scan(o.File, nil, noSecretFields, nil)
}

// Item scans an item's file: src when the caller has its bytes, else
// read from the site.
func (s *Scanner) Item(it *model.Item, src []byte) []diag.Diagnostic {
	h, keys := itemScan(it)
	return s.scan(it.File, src, h, keys)
}

// Attachment scans an attachment, a path below content/
// ("acme/files/lan.pdf").
func (s *Scanner) Attachment(f string) []diag.Diagnostic {
	return s.scan("content/"+f, nil, attachmentHint, nil)
}
