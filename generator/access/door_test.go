package access_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// renderers are the packages that write output for an audience. They may
// reach the site only through an access.View: this test fails when one of
// them names the site model's Site type, or reads files on its own (an
// attachment is read with View.ReadFile, which refuses what the portal may
// not see).
var renderers = []string{"../portal", "../search", "../runbook"}

// allowed lists the uses a renderer may make of the forbidden names, by
// file and name, each with its reason.
var allowed = map[string]string{
	"theme.go os.Stat":  "the theme folder is site-wide, not content",
	"theme.go os.DirFS": "the theme folder is site-wide, not content",
}

func TestRenderersReachTheSiteOnlyThroughTheView(t *testing.T) {
	forbidden := map[string]bool{
		"model.Site": true, "os.ReadFile": true, "os.Open": true, "os.OpenFile": true,
		"os.ReadDir": true, "os.DirFS": true, "os.Stat": true, "os.Lstat": true,
	}
	for _, dir := range renderers {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				name := x.Name + "." + sel.Sel.Name
				if forbidden[name] && allowed[filepath.Base(f)+" "+name] == "" {
					t.Errorf("%s uses %s: renderers reach the site and its files only through access.View", f, name)
				}
				return true
			})
		}
	}
}
