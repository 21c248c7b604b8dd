package jsonschema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// DefaultDir is where a site keeps its exported schemas, relative to the
// site root. It is committed with the site, so every editor that opens
// the repository finds them.
const DefaultDir = ".cairn/schemas"

// TaploFile is the taplo configuration file at the site root, read by
// taplo and by Even Better TOML.
const TaploFile = ".taplo.toml"

// Export writes the JSON Schema of every type into dir (created when
// missing), one FileName per type, each file replaced atomically, and
// returns the files written, in the order of types. A failure leaves the
// files not yet written as they were.
func Export(dir string, types []*schema.Schema) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("making the schema folder: %w", err)
	}
	var written []string
	for _, s := range types {
		data, err := Generate(s)
		if err != nil {
			return written, err
		}
		p := filepath.Join(dir, FileName(s.Type))
		if err := atomicfile.WriteFile(p, data, 0o644); err != nil {
			return written, fmt.Errorf("writing the schema of %s: %w", s.Type, err)
		}
		written = append(written, p)
	}
	return written, nil
}

// ExportSite writes the schemas into the site's DefaultDir, as Export
// does, and removes the schema files of types the site no longer has,
// after making sure no folder on the way is a symbolic link or not
// a folder: a site is untrusted input, and a linked .cairn could lead the
// files out of it.
func ExportSite(root string, types []*schema.Schema) ([]string, error) {
	p := root
	for _, part := range strings.Split(DefaultDir, "/") {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			break // Export makes the rest
		}
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a folder (a symbolic link or a file): cairn writes schemas only inside the site; remove it, or name a folder: cairn schema export DIR", p)
		}
	}
	dir := filepath.Join(root, filepath.FromSlash(DefaultDir))
	written, err := Export(dir, types)
	if err != nil {
		return written, err
	}
	return written, removeStale(dir, written)
}

// removeStale removes the schema files in dir that Export did not write
// this time: the schemas of types the site no longer has, which would
// otherwise linger in git and in editors' completions.
func removeStale(dir string, written []string) error {
	keep := make(map[string]bool, len(written))
	for _, p := range written {
		keep[filepath.Base(p)] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".schema.json") && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("removing a stale schema: %w", err)
			}
		}
	}
	return nil
}

// Glob returns the files below the site root that hold items of type typ,
// as a slash-separated glob: "content/*/configurations/*.toml". Documents
// and checklists are Markdown, which TOML editors do not read; they have
// none ("").
func Glob(typ string) string {
	if typ == "documents" || typ == "checklists" {
		return ""
	}
	return "content/*/" + typ + "/*.toml"
}

// Taplo returns a .taplo.toml for a site whose schemas are in schemaDir
// (slash-separated, relative to the site root): one rule per TOML type
// mapping its files to its schema. Taplo resolves both relative to the
// file's folder, the site root.
func Taplo(schemaDir string, types []*schema.Schema) []byte {
	var b strings.Builder
	b.WriteString("# Editor validation and completion for items (taplo, Even Better TOML).\n")
	b.WriteString("# Written by cairn: cairn schema export --taplo rewrites it with the schemas.\n")
	for _, s := range types {
		glob := Glob(s.Type)
		if glob == "" {
			continue
		}
		fmt.Fprintf(&b, "\n[[rule]]\nname = %s\ninclude = [%s]\nschema.path = %s\n",
			tomldoc.Quote(s.Type), tomldoc.Quote(glob), tomldoc.Quote(path.Join(schemaDir, FileName(s.Type))))
	}
	return []byte(b.String())
}

// Directive returns the #:schema line that points a TOML item of type
// typ (in content/<org>/<typ>/) to its schema in schemaDir (relative to
// the site root, slash-separated), by a path relative to the item so the
// site can be moved; "" for the Markdown types. It is a TOML comment:
// cairn reads past it.
func Directive(schemaDir, typ string) string {
	if Glob(typ) == "" {
		return ""
	}
	depth := 3 + strings.Count(typ, "/") // content/<org>/<type>/
	return "#:schema " + strings.Repeat("../", depth) + path.Join(schemaDir, FileName(typ)) + "\n"
}
