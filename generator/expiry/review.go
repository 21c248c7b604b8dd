package expiry

import (
	"time"

	"github.com/cairn-it/cairn/generator/model"
)

// Review is where a document stands against its review cadence.
type Review struct {
	// Every is the cadence and From where it was set (review_every,
	// "[review] sops", `[review] "*"`).
	Every Duration
	From  string
	// Known is false when nothing says when the document was last
	// reviewed: outside git, without a reviewed_on date. Last, LastFrom,
	// Due and Days are then zero.
	Known bool
	// Last is the later of its last change in git and its reviewed_on
	// date; LastFrom says which ("in git", "by reviewed_on").
	Last     time.Time
	LastFrom string
	// Due is Last plus Every; Days is how many days from the as-of date
	// to Due (negative when overdue).
	Due  time.Time
	Days int
}

// Stale reports whether the review is overdue: known and past its date.
func (r Review) Stale() bool { return r.Known && r.Days < 0 }

// ReviewOf returns a document's review state as of asOf, and false when
// nothing gives it a cadence (it is not a document, or neither its front
// matter nor [review] covers it). changes is nil outside git. It depends
// on its arguments alone, so a portal's badges are the same bytes for the
// same as-of date.
func ReviewOf(it *model.Item, pol Policy, changes Changes, asOf time.Time) (Review, bool) {
	every, from, ok := pol.Cadence(it)
	if !ok {
		return Review{}, false
	}
	r := Review{Every: every, From: from}
	last, lastFrom, known := lastDate(it, ReviewedKey, changes)
	if !known && changes != nil {
		// In git but not committed yet: it is being written now.
		last, lastFrom, known = dateOf(asOf), "uncommitted", true
	}
	if known {
		r.Known, r.Last, r.LastFrom = true, last, lastFrom
		r.Due = every.After(last)
		r.Days = Days(asOf, r.Due)
	}
	return r, true
}

// Reviews returns the review state of every document of the source that has
// a cadence, overdue or not, in the order of the source's items. Archived
// documents are left out.
func Reviews(src Source, changes Changes, asOf time.Time) []ItemReview {
	pol, _ := NewPolicy(src.Config())
	var out []ItemReview
	for _, it := range src.Items() {
		if it.Archived || it.Broken {
			continue
		}
		if r, ok := ReviewOf(it, pol, changes, asOf); ok {
			out = append(out, ItemReview{Item: it, Review: r})
		}
	}
	return out
}

// ItemReview is one document's review state.
type ItemReview struct {
	Item *model.Item
	Review
}
