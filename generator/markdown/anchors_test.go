package markdown

import (
	"reflect"
	"testing"
)

// TestHeadingsNameNoLinkTarget: a heading's anchor and text (a page's
// table of contents, the same in every portal) take a wiki link's label,
// never its target, which in a portal that may not see the target would
// name the hidden item.
func TestHeadingsNameNoLinkTarget(t *testing.T) {
	d := NewParser().Parse([]byte("# T\n\n## Call [[contacts/sam-okafor]] first\n\n## Ask [[northwind/contacts/sam-okafor|the MSP]]\n\n## Plain heading\n"), 1, 1)
	want := []Heading{
		{Level: 1, Text: "T", Anchor: "t"},
		{Level: 2, Text: "Call  first", Anchor: "call--first"},
		{Level: 2, Text: "Ask the MSP", Anchor: "ask-the-msp"},
		{Level: 2, Text: "Plain heading", Anchor: "plain-heading"},
	}
	if !reflect.DeepEqual(d.Headings, want) {
		t.Errorf("headings = %+v, want %+v", d.Headings, want)
	}
}
