package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCIMatrixSplitsRunbooksWithCaches checks that the documented CI
// matrix (docs/build.md sends readers there for --no-runbooks and
// --runbooks-only) builds pages and runbooks on their own runners, each
// job restoring its own incremental cache of the output folder.
func TestCIMatrixSplitsRunbooksWithCaches(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(ciDir, "github-matrix.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"cairn build --portal ${{ matrix.portal }} --output public --no-runbooks",
		"cairn build --portal ${{ matrix.portal }} --output public --runbooks-only",
		"uses: actions/cache@v4",
		"key: cairn-pages-${{ matrix.portal }}-${{ github.sha }}",
		"key: cairn-runbooks-${{ matrix.portal }}-${{ github.sha }}",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("github-matrix.yml does not hold %q", want)
		}
	}
}
