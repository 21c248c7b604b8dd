package expiry

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
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
	if _, partial := changes.(incomplete); !known && changes != nil && !partial {
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
	pol, items := live(src)
	var out []ItemReview
	for _, it := range items {
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

// SiteSource is the Source of a whole site, for the commands that see
// everything (cairn expiring, cairn stale); portals pass their
// access.View instead.
func SiteSource(s *model.Site) Source { return siteSource{s} }

type siteSource struct{ s *model.Site }

func (s siteSource) Items() []*model.Item       { return s.s.Items }
func (s siteSource) Config() model.Config       { return s.s.Config }
func (s siteSource) Item(id string) *model.Item { return s.s.Item(id) }
func (s siteSource) Org(slug string) *model.Org { return s.s.Org(slug) }
func (s siteSource) Resolve(from string, kind model.RefKind, text string) (model.Target, bool) {
	return s.s.Graph.Resolve(from, kind, text)
}

// Overdue returns the reviews that are stale, and those nothing dates
// (outside git, without reviewed_on), which cairn stale lists apart.
func Overdue(rs []ItemReview) (stale, unknown []ItemReview) {
	for _, r := range rs {
		switch {
		case !r.Known:
			unknown = append(unknown, r)
		case r.Stale():
			stale = append(stale, r)
		}
	}
	sort.SliceStable(stale, func(i, j int) bool {
		if !stale[i].Due.Equal(stale[j].Due) {
			return stale[i].Due.Before(stale[j].Due)
		}
		return stale[i].Item.ID < stale[j].Item.ID
	})
	return stale, unknown
}

// WriteStaleText writes the overdue documents in columns, then those
// whose last review nothing says.
func WriteStaleText(w io.Writer, stale, unknown []ItemReview) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DUE\tDAYS LATE\tORGANIZATION\tDOCUMENT\tLAST REVIEW\tEVERY")
	for _, r := range stale {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s %s\t%s (%s)\n", r.Due.Format(dateLayout), -r.Days, r.Item.Org, r.Item.ID, r.Last.Format(dateLayout), r.LastFrom, r.Every, r.From)
	}
	for _, r := range unknown {
		fmt.Fprintf(tw, "?\t?\t%s\t%s\tunknown (no git date, no %s)\t%s (%s)\n", r.Item.Org, r.Item.ID, ReviewedKey, r.Every, r.From)
	}
	return tw.Flush()
}

// WriteStaleJSON writes the overdue documents as one JSON object.
func WriteStaleJSON(w io.Writer, asOf time.Time, stale, unknown []ItemReview) error {
	type doc struct {
		ID         string `json:"id"`
		Title      string `json:"title"`
		Org        string `json:"org"`
		Every      string `json:"every"`
		EveryFrom  string `json:"every_from"`
		LastReview string `json:"last_review,omitempty"`
		LastFrom   string `json:"last_review_from,omitempty"`
		Due        string `json:"due,omitempty"`
		DaysLate   int    `json:"days_late,omitempty"`
	}
	out := struct {
		AsOf    string `json:"as_of"`
		Stale   []doc  `json:"stale"`
		Unknown []doc  `json:"unknown"`
	}{asOf.Format(dateLayout), []doc{}, []doc{}}
	for _, r := range stale {
		out.Stale = append(out.Stale, doc{r.Item.ID, r.Item.Title, r.Item.Org, r.Every.String(), r.From, r.Last.Format(dateLayout), r.LastFrom, r.Due.Format(dateLayout), -r.Days})
	}
	for _, r := range unknown {
		out.Unknown = append(out.Unknown, doc{ID: r.Item.ID, Title: r.Item.Title, Org: r.Item.Org, Every: r.Every.String(), EveryFrom: r.From})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
