package markdown

import (
	"bytes"
	"strings"
	"testing"
)

type plainResolver struct{}

func (plainResolver) Wiki(target, anchor string) (string, string, bool) { return "", "", false }
func (plainResolver) Relative(dest string) string                       { return dest }

// markResolver marks every open task due on 2026-11-20, and nothing else.
type markResolver struct{ plainResolver }

func (markResolver) TaskClass(done bool, due string) string {
	if !done && due == "2026-11-20" {
		return "task-overdue"
	}
	return ""
}

func render(t *testing.T, r Resolver, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderHTML(&b, NewParser().Parse([]byte(src), 1, 1), r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTaskMarker: a TaskMarker's class lands on the task's <li> only;
// every other list item renders byte for byte as goldmark renders it.
func TestTaskMarker(t *testing.T) {
	src := "- plain\n- [ ] open due:2026-11-20\n  - [x] done due:2026-11-20\n  - [ ] later due:2026-12-01\n\n1. loose\n\n2. list\n\n- [ ] tight\n- item with\n\n  two paragraphs\n"
	plain := render(t, plainResolver{}, src)
	marked := render(t, markResolver{}, src)
	if n := strings.Count(marked, `<li class="task-overdue">`); n != 1 || !strings.Contains(marked, `<li class="task-overdue"><input disabled="" type="checkbox"> open due:2026-11-20`) {
		t.Fatalf("marked %d items:\n%s", n, marked)
	}
	if strings.Replace(marked, `<li class="task-overdue">`, "<li>", 1) != plain {
		t.Errorf("list items render differently with a TaskMarker:\n%s\nwant\n%s", marked, plain)
	}
}
