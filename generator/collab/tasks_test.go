package collab_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/cairn-it/cairn/generator/collab"
	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
)

// TestApplyTasks ticks tasks whose text is Markdown (code, wiki links)
// changing only their box, refuses tasks not offered, and refuses a
// checklist whose lines moved since the form was made.
func TestApplyTasks(t *testing.T) {
	const src = "+++\ntitle = \"T\"\n+++\n\n- [ ] `SG-QC` works on [[configurations/pc1]] @lena\n  - [x] nested **bold** @sam\n"
	doc := markdown.NewParser().Parse([]byte(src[len("+++\ntitle = \"T\"\n+++\n"):]), 4, 1)
	it := &model.Item{Type: "checklists", Tasks: doc.Tasks}
	if len(it.Tasks) != 2 || it.Tasks[0].Line != 5 {
		t.Fatalf("tasks %+v", it.Tasks)
	}
	out, changed, err := collab.ApplyTasks(it, nil, []byte(src), []int{0, 1}, url.Values{"t.0": {"1"}})
	want := "+++\ntitle = \"T\"\n+++\n\n- [x] `SG-QC` works on [[configurations/pc1]] @lena\n  - [ ] nested **bold** @sam\n"
	if err != nil || string(out) != want || len(changed) != 2 {
		t.Errorf("got %q %q %v, want %q", out, changed, err, want)
	}
	var fe *collab.ForbiddenError
	if _, _, err := collab.ApplyTasks(it, nil, []byte(src), []int{1}, url.Values{"t.0": {"1"}}); !errors.As(err, &fe) {
		t.Errorf("a task not offered: %v, want ForbiddenError", err)
	}
	moved := "+++\ntitle = \"T\"\n+++\n\n- [ ] something else @dana\n  - [x] nested **bold** @sam\n"
	var ce *collab.ConflictError
	if _, _, err := collab.ApplyTasks(it, nil, []byte(moved), []int{0}, url.Values{"t.0": {"1"}}); !errors.As(err, &ce) {
		t.Errorf("a moved checklist: %v, want ConflictError", err)
	}
}
