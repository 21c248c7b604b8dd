package main

import (
	"context"
	"time"

	"github.com/cairn-it/cairn/generator/provenance"
)

// siteProvenance says what output made now from the site at root is made
// from: its commit, uncommitted changes and as-of date, with a --today
// flag value ("" when not given) deciding the date. Every command that
// stamps output (build, serve, runbook) calls it, so they agree.
func siteProvenance(ctx context.Context, root, todayFlag string, now func() time.Time) (provenance.Provenance, error) {
	var day *time.Time
	if todayFlag != "" {
		t, err := today(todayFlag, now)
		if err != nil {
			return provenance.Provenance{}, err
		}
		day = &t
	}
	return provenance.Of(ctx, root, day, now)
}
