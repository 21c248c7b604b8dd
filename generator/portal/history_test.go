package portal

import (
	"reflect"
	"testing"
	"time"

	"github.com/cairn-it/cairn/generator/access"
	"github.com/cairn-it/cairn/generator/model"
)

// TestItemHistoryView: a portal showing git metadata gets commits (linked
// by the forge pattern), authors and subjects; one showing dates gets the
// dates only; an invalid pattern (which check reports) links nothing; a
// truncated or capped history says so everywhere.
func TestItemHistoryView(t *testing.T) {
	hash := "0123456789abcdef0123456789abcdef01234567"
	ih := ItemHistory{
		Revisions: []Revision{
			{Commit: hash, When: time.Date(2026, 3, 15, 23, 30, 0, 0, time.FixedZone("", -5*3600)), Author: "Dana Whitfield", Summary: "Rename fw01"},
			{Commit: "fedcba9876543210fedcba9876543210fedcba98", When: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Author: "Erin O'Neill", Summary: "Add fw01"},
		},
		Omitted: true, TruncatedAt: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), Path: "docs site/content/a/configurations/fw 01.toml",
	}
	github := model.Forge{CommitURL: "https://github.com/o/r/commit/{commit}", EditURL: "https://github.com/o/r/edit/main/{path}"}
	const edit = "https://github.com/o/r/edit/main/docs%20site/content/a/configurations/fw%2001.toml"
	tests := []struct {
		name    string
		history string
		forge   model.Forge
		want    ItemHistoryView
	}{
		{"full, with forge links", "", github, ItemHistoryView{
			LastChanged: "2026-03-15", LastAuthor: "Dana Whitfield", Omitted: true, TruncatedAt: "2025-12-01", EditURL: edit,
			Revisions: []RevisionView{
				{Date: "2026-03-15", Commit: "0123456789ab", CommitURL: "https://github.com/o/r/commit/" + hash, Author: "Dana Whitfield", Summary: "Rename fw01"},
				{Date: "2026-01-05", Commit: "fedcba987654", CommitURL: "https://github.com/o/r/commit/fedcba9876543210fedcba9876543210fedcba98", Author: "Erin O'Neill", Summary: "Add fw01"},
			}}},
		{"dates only", model.HistoryDates, github, ItemHistoryView{
			LastChanged: "2026-03-15", Omitted: true, TruncatedAt: "2025-12-01", EditURL: edit,
			Revisions: []RevisionView{{Date: "2026-03-15"}, {Date: "2026-01-05"}}}},
		// An edit pattern that opens the file at a commit gets the
		// page's last revision; a dates-only portal shows no commit
		// hash, so no such link.
		{"edit at a commit, full", "", model.Forge{EditURL: "https://gitea.example/o/r/_edit/{commit}/{path}"}, ItemHistoryView{
			LastChanged: "2026-03-15", LastAuthor: "Dana Whitfield", Omitted: true, TruncatedAt: "2025-12-01",
			EditURL: "https://gitea.example/o/r/_edit/" + hash + "/docs%20site/content/a/configurations/fw%2001.toml",
			Revisions: []RevisionView{
				{Date: "2026-03-15", Commit: "0123456789ab", Author: "Dana Whitfield", Summary: "Rename fw01"},
				{Date: "2026-01-05", Commit: "fedcba987654", Author: "Erin O'Neill", Summary: "Add fw01"},
			}}},
		{"edit at a commit, dates only", model.HistoryDates, model.Forge{EditURL: "https://gitea.example/o/r/_edit/{commit}/{path}"}, ItemHistoryView{
			LastChanged: "2026-03-15", Omitted: true, TruncatedAt: "2025-12-01",
			Revisions: []RevisionView{{Date: "2026-03-15"}, {Date: "2026-01-05"}}}},
		{"invalid patterns link nothing", "", model.Forge{CommitURL: "https://x/{sha}", EditURL: "javascript:{path}"}, ItemHistoryView{
			LastChanged: "2026-03-15", LastAuthor: "Dana Whitfield", Omitted: true, TruncatedAt: "2025-12-01",
			Revisions: []RevisionView{
				{Date: "2026-03-15", Commit: "0123456789ab", Author: "Dana Whitfield", Summary: "Rename fw01"},
				{Date: "2026-01-05", Commit: "fedcba987654", Author: "Erin O'Neill", Summary: "Add fw01"},
			}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := model.NewSite(t.TempDir(), model.Config{Forge: tc.forge}, model.Access{Portals: map[string]*model.Portal{"p": {Name: "p", History: tc.history}}}, nil, nil, nil, nil, nil)
			v, err := access.NewView(s, "p")
			if err != nil {
				t.Fatal(err)
			}
			got := (&Renderer{v: v}).itemHistory(ih)
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}
