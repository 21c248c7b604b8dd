package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-it/cairn/generator/runbook"
)

// TestContentErrorFailsOnePortal: a runbook that cannot be laid out (a
// content error found while rendering) fails its own portal only; the
// other portal's files are all written, and an I/O error still stops the
// whole build.
func TestContentErrorFailsOnePortal(t *testing.T) {
	ok := func(context.Context) ([]byte, error) { return []byte("x"), nil }
	layout := func(context.Context) ([]byte, error) {
		return nil, &runbook.LayoutError{File: "content/acme/documents/long.md", Line: 3, Msg: "the runbook would have more than 20000 pages"}
	}
	names := []string{"acme", "other"}
	jobs := []job{
		{portal: 0, File: File{Path: "index.html", Page: true, Make: ok}},
		{portal: 0, File: File{Path: "runbooks/acme.pdf", Make: layout}},
		{portal: 0, File: File{Path: "later.html", Page: true, Make: ok}},
		{portal: 1, File: File{Path: "index.html", Page: true, Make: ok}},
		{portal: 1, File: File{Path: "runbooks/other.pdf", Make: ok}},
	}
	tmp := t.TempDir()
	counts, failed, _, err := writePortals(context.Background(), tmp, names, jobs, 1, nil)
	if err != nil {
		t.Fatalf("writePortals: %v", err)
	}
	var le *runbook.LayoutError
	if !errors.As(failed[0], &le) || failed[1] != nil {
		t.Fatalf("failed = %v, want acme's layout error only", failed)
	}
	if counts[1].Files != 2 || counts[1].Pages != 1 {
		t.Errorf("portal other: %+v, want both files written", counts[1])
	}
	if _, err := os.Stat(filepath.Join(tmp, "acme", "later.html")); err == nil {
		t.Error("portal acme went on after its content error")
	}

	broken := append([]job(nil), jobs...)
	broken[4].Make = func(context.Context) ([]byte, error) { return nil, errors.New("disk full") }
	broken[1].Make = ok
	if _, _, _, err := writePortals(context.Background(), t.TempDir(), names, broken, 1, nil); err == nil {
		t.Error("an error that is not the content's did not stop the build")
	}
}
