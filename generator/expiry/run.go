package expiry

import (
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// RunType is the type folder of checklist runs, the only items whose
// tasks fall due (a document's task list is text, not work to track).
const RunType = "checklists"

// RunStatus returns a checklist run's status field, or its schema default
// ("Not started") when it has none.
func RunStatus(it *model.Item) string {
	if v := it.Value("status"); v != nil && v.Kind == tomldoc.KindString {
		return v.Str
	}
	if it.Schema != nil {
		if f := it.Schema.Field("status"); f != nil && f.Default != nil && f.Default.Kind == tomldoc.KindString {
			return f.Default.Str
		}
	}
	return ""
}

// RunClosed reports whether a checklist run is over (status Done or
// Cancelled): its unticked tasks no longer fall due. cairn checklist,
// the portals and cairn expiring all ask it, so they agree on which runs
// are open.
func RunClosed(it *model.Item) bool {
	switch RunStatus(it) {
	case "Done", "Cancelled":
		return true
	}
	return false
}
