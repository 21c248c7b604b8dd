package collab

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/cairn-it/cairn/generator/markdown"
	"github.com/cairn-it/cairn/generator/model"
)

// ApplyTasks ticks and unticks the tasks of a checklist file (src) as the
// form says, for the tasks at the indexes tickable only: each changed task
// has its "[ ]" or "[x]" rewritten in place and nothing else. shown are
// the tasks as the form showed them (nil: as it.Tasks): a box the user
// left as shown is no change, so a task ticked or unticked on the default
// branch meanwhile stays as it is. It returns the new bytes and the texts
// of the tasks changed. A form key for any other task is a
// *ForbiddenError.
func ApplyTasks(it *model.Item, shown []markdown.Task, src []byte, tickable []int, form url.Values) ([]byte, []string, error) {
	ok := map[int]bool{}
	for _, i := range tickable {
		ok[i] = true
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "csrf" || k == "action" || k == "base" {
			continue
		}
		i, err := strconv.Atoi(strings.TrimPrefix(k, "t."))
		if !strings.HasPrefix(k, "t.") || err != nil || !ok[i] {
			return nil, nil, &ForbiddenError{Key: k}
		}
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var changed []string
	for _, i := range tickable {
		t := it.Tasks[i]
		want := form.Get("t."+strconv.Itoa(i)) != ""
		if shown != nil {
			if i >= len(shown) || shown[i].Text != t.Text || shown[i].Assignee != t.Assignee {
				// The checklist changed since the form was made: its
				// boxes no longer say which task they are.
				if want != t.Done {
					return nil, nil, &ConflictError{Field: "The checklist"}
				}
				continue
			}
			if want == shown[i].Done {
				continue
			}
		}
		if want == t.Done {
			continue
		}
		if t.Line < 1 || t.Line > len(lines) {
			return nil, nil, fmt.Errorf("task %q is not at line %d", t.Text, t.Line)
		}
		line := lines[t.Line-1]
		if !sameTask(line, t) {
			return nil, nil, &ConflictError{Field: "The checklist"}
		}
		j := bytes.IndexByte(line, '[')
		if j < 0 || j+2 >= len(line) || line[j+2] != ']' {
			return nil, nil, fmt.Errorf("line %d holds no task box", t.Line)
		}
		nl := append([]byte(nil), line...)
		if want {
			nl[j+1] = 'x'
		} else {
			nl[j+1] = ' '
		}
		lines[t.Line-1] = nl
		changed = append(changed, t.Text)
	}
	if len(changed) == 0 {
		return src, nil, nil
	}
	return bytes.Join(lines, nil), changed, nil
}

// sameTask reports whether a line still holds the task the form showed
// (its text's first word and its assignee), so that a checklist changed
// meanwhile is not ticked at the wrong line. The task's text is plain
// text, the line Markdown, so only words are compared.
func sameTask(line []byte, t markdown.Task) bool {
	if t.Assignee != "" && !bytes.Contains(line, []byte("@"+strings.TrimPrefix(t.Assignee, "@"))) {
		return false
	}
	word := strings.FieldsFunc(t.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return len(word) == 0 || bytes.Contains(line, []byte(word[0]))
}
