package scaffold

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/cairn-it/cairn/generator/jsonschema"
	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/schemas"
)

// editorFiles writes what editors need to validate a new site's items:
// the JSON Schema of every type in .cairn/schemas, as cairn schema export
// writes them, and a .taplo.toml mapping each type folder to its schema.
func editorFiles(dir string) error {
	core, err := schema.LoadCore()
	if err != nil {
		return err
	}
	var flex []*schema.Schema
	entries, err := fs.ReadDir(schemas.Defaults, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".toml")
		if e.IsDir() || !ok {
			continue
		}
		data, err := fs.ReadFile(schemas.Defaults, e.Name())
		if err != nil {
			return err
		}
		s, probs := schema.Parse("schemas/"+e.Name(), data, slug, false)
		if len(probs) > 0 {
			return fmt.Errorf("built-in schema %s:%d:%d: %s", e.Name(), probs[0].Pos.Line, probs[0].Pos.Col, probs[0].Msg)
		}
		flex = append(flex, s)
	}
	types := schema.NewRegistry(core, flex).Schemas()
	if _, err := jsonschema.Export(filepath.Join(dir, filepath.FromSlash(jsonschema.DefaultDir)), types); err != nil {
		return err
	}
	return WriteNew(filepath.Join(dir, jsonschema.TaploFile), jsonschema.Taplo(jsonschema.DefaultDir, types))
}
