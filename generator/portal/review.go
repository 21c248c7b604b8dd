package portal

import (
	"fmt"
	"html/template"

	expirydays "github.com/cairn-it/cairn/generator/expiry"
	"github.com/cairn-it/cairn/generator/model"
)

// Review is a document's review state against its cadence (review_every,
// cairn.toml's [review]), as of the build's date, for its page and its
// row in lists. Stale is true when the review is overdue; Text says so
// ("Review overdue by 34 days", "Review due 2027-01-05").
type Review struct {
	Stale bool
	Text  string
	// Due and Last are YYYY-MM-DD ("" when nothing dates the last
	// review: outside git, without reviewed_on); Every is the cadence
	// ("6mo").
	Due, Last, Every string
}

// review returns a document's review state, or nil when it has no
// cadence. It depends on the as-of date and the git dates alone, so the
// same site gives the same page.
func (r *Renderer) review(it *model.Item) *Review {
	rv, ok := expirydays.ReviewOf(it, r.policy, r.opts.Changes, r.today)
	if !ok {
		return nil
	}
	out := &Review{Every: rv.Every.String()}
	switch {
	case !rv.Known:
		out.Text = "Last review unknown"
	case rv.Stale():
		out.Stale = true
		out.Due, out.Last = rv.Due.Format("2006-01-02"), rv.Last.Format("2006-01-02")
		if rv.Days == -1 {
			out.Text = "Review overdue by 1 day"
		} else {
			out.Text = fmt.Sprintf("Review overdue by %d days", -rv.Days)
		}
	default:
		out.Due, out.Last = rv.Due.Format("2006-01-02"), rv.Last.Format("2006-01-02")
		out.Text = "Review due " + out.Due
	}
	return out
}

// calendar returns the URL of the portal's calendar feed from the page at
// from, or "" when the build writes none.
func (r *Renderer) calendar(from string) template.URL {
	if !r.opts.Calendar {
		return ""
	}
	return r.rel(from, expirydays.ICSFile)
}
