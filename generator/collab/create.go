package collab

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/secrets"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
)

// newPage is what the new-item template shows.
type newPage struct {
	Org     *model.Org
	Schema  *schema.Schema
	Action  string
	CSRF    string
	Slug    string
	SlugErr string
	Fields  []*Field
	Secrets []*Field
	Errors  []string
}

// creatable returns the organization and schema of a new-item path the
// user may use, or false.
func (q *request) creatable() (*model.Org, *schema.Schema, bool) {
	org, typ := q.r.PathValue("org"), q.r.PathValue("typ")
	if typ == "documents" || typ == "checklists" || !q.rights.CanCreate(org, typ) {
		return nil, nil, false
	}
	return q.site.Org(org), q.site.Schemas.Get(typ), true
}

// createFields are the fields a new item's form offers: every field of
// its schema but password, upload and header fields.
func createFields(s *schema.Schema) []*schema.Field {
	var out []*schema.Field
	for _, f := range s.Fields {
		if f.Kind != schema.Password && f.Kind != schema.Upload && f.Kind != schema.Header {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) newPage(q *request, o *model.Org, sc *schema.Schema, form url.Values) *newPage {
	action := "/new/" + o.Slug + "/" + sc.Type
	p := &newPage{Org: o, Schema: sc, Action: action, CSRF: s.tokens.Issue(q.rights.User.Email, action, s.opts.Now())}
	editable := map[string]bool{}
	for _, f := range createFields(sc) {
		editable[f.Name] = true
	}
	b := &formBuilder{site: q.site, rights: q.rights, org: o.Slug}
	p.Fields = b.fields(sc, nil, editable, func(string) bool { return true })
	for _, name := range sopsfile.SecretFields(sc) {
		f := sc.Field(name)
		// Secret inputs are never filled in again: a value typed once is
		// not sent back to the browser.
		p.Secrets = append(p.Secrets, &Field{Name: "s." + name, Label: f.DisplayLabel(), Hint: "Encrypted at once for the team; never shown again here.", Kind: schema.Password, Editable: true})
	}
	if form != nil {
		p.Slug = form.Get("slug")
		ip := &itemPage{Fields: p.Fields}
		s.overlay(ip, form)
	}
	return p
}

func (s *Server) newForm(q *request) {
	o, sc, ok := q.creatable()
	if !ok {
		s.forbidden(q)
		return
	}
	s.render(q, http.StatusOK, "new.html", map[string]any{"Title": "New " + strings.ToLower(sc.DisplaySingular()), "Page": s.newPage(q, o, sc, nil)})
}

func (s *Server) newSubmit(q *request) {
	o, sc, ok := q.creatable()
	if !ok {
		s.forbidden(q)
		return
	}
	form, ok := s.readForm(q, "/new/"+o.Slug+"/"+sc.Type)
	if !ok {
		return
	}
	secretNames := sopsfile.SecretFields(sc)
	fields := url.Values{}
	secretVals := map[string]string{}
	for k, v := range form {
		switch {
		case k == "slug":
		case strings.HasPrefix(k, "s."):
			if !contains(secretNames, k[2:]) || len(v) != 1 {
				s.forbidden(q)
				return
			}
			if v[0] != "" {
				secretVals[k[2:]] = v[0]
			}
		default:
			fields[k] = v
		}
	}
	editable := createFields(sc)
	_, _, err := ApplyForm(nil, nil, editable, fields)
	if err == nil {
		err = checkChoices(s.newPage(q, o, sc, nil).Fields, fields)
	}
	if _, forged := err.(*ForbiddenError); forged {
		s.forbidden(q)
		return
	}
	slug := strings.TrimSpace(form.Get("slug"))
	again := func(msg string, errs []string) {
		p := s.newPage(q, o, sc, form)
		p.SlugErr = msg
		p.Errors = errs
		s.render(q, http.StatusUnprocessableEntity, "new.html", map[string]any{"Title": "New " + strings.ToLower(sc.DisplaySingular()), "Page": p})
	}
	if !schema.IsSlug(slug) {
		again("The file name is lower-case letters, digits and hyphens, like "+suggestSlugFor(form)+".", nil)
		return
	}
	rel := path.Join("content", o.Slug, sc.Type, slug+".toml")
	if _, err := sitefs.ReadFile(s.opts.Repo.Dir(), rel, sitefs.MaxSourceFile); err == nil {
		again("An item with this name exists already: choose another.", nil)
		return
	}
	id := o.Slug + "/" + sc.Type + "/" + slug
	it := &model.Item{ID: id, Org: o.Slug, Type: sc.Type, Slug: slug, File: rel, Title: slug, Schema: sc}
	now := s.opts.Now()
	s.propose(q, it, form, func(dir string) (map[string][]byte, []string, error) {
		if _, err := sitefs.ReadFile(dir, rel, sitefs.MaxSourceFile); err == nil {
			return nil, nil, &ConflictError{Field: "An item with this name"}
		}
		data, changed, err := ApplyForm(nil, nil, editable, fields)
		if err != nil {
			return nil, nil, err
		}
		out := map[string][]byte{rel: data}
		changed = append([]string{"new " + strings.ToLower(sc.DisplaySingular())}, changed...)
		if len(secretVals) > 0 {
			f := secrets.NewFile()
			for _, name := range secretNames {
				if v, ok := secretVals[name]; ok {
					f.Set(name, v)
				}
			}
			srel := secrets.PathFor(it)
			enc, err := (&secrets.Store{Root: dir, Now: func() time.Time { return now }}).Encrypt(srel, f)
			if err != nil {
				return nil, nil, err
			}
			out[srel] = enc
			changed = append(changed, "a secret (encrypted with SOPS)")
		}
		return out, changed, nil
	}, func(written map[string][]byte, errs []diag.Diagnostic) {
		p := s.newPage(q, o, sc, form)
		p.Slug = slug
		p.Errors = attachErrors(p.Fields, written[rel], rel, q.redacted(errs))
		s.render(q, http.StatusUnprocessableEntity, "new.html", map[string]any{"Title": "New " + strings.ToLower(sc.DisplaySingular()), "Page": p})
	})
}

// suggestSlugFor proposes a file name from the form's first text value.
func suggestSlugFor(form url.Values) string {
	for _, k := range []string{"f.name", "f.first_name"} {
		if v := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(form.Get(k)), "-"), "-"); v != "" {
			return v
		}
	}
	return "reception-pc"
}
