package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cairn-it/cairn/generator/build"
	"github.com/cairn-it/cairn/generator/provenance"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// buildUpToDate scans the site and reports done when the output already
// holds what a build would write (build.UpToDate): then it prints so and
// nothing is loaded, checked or rendered. Otherwise it returns the scan,
// for the build to key its files with. A cairn.toml it cannot read, or an
// output folder a build would refuse, is left for the build to report.
func buildUpToDate(ctx context.Context, opts *BuildOptions, prov provenance.Provenance) (*build.Inputs, bool, error) {
	root := opts.Global.Site
	out, explicit := opts.Output, opts.Output != ""
	if !explicit {
		var ok bool
		if out, ok = configuredOutput(root); !ok {
			return nil, false, nil
		}
	}
	out, err := build.CheckOutput(root, out, explicit)
	if err != nil {
		return nil, false, nil
	}
	in, err := build.ScanInputs(ctx, root, out)
	if err != nil {
		return nil, false, err
	}
	mode := build.ModeAll
	switch {
	case opts.RunbooksOnly:
		mode = build.ModeRunbooks
	case opts.NoRunbooks:
		mode = build.ModePages
	}
	fp := in.Fingerprint(prov.AsOf, prov.Commit, prov.Dirty, mode)
	up, files := build.UpToDate(out, opts.Portals, fp, mode)
	if !up {
		return in, false, nil
	}
	fmt.Fprintf(opts.IO.ErrOut, "nothing changed since the last build: 0 of %s files rewritten in %s\n", thousands(files), out)
	fmt.Fprintf(opts.IO.ErrOut, "%s\n", prov)
	return nil, true, nil
}

// configuredOutput returns cairn.toml's output folder (default "public")
// relative to the site, without loading the site; ok is false when
// cairn.toml cannot be read.
func configuredOutput(root string) (string, bool) {
	data, err := sitefs.ReadFile(root, "cairn.toml", sitefs.MaxSourceFile)
	if err != nil {
		return "", false
	}
	t, err := tomldoc.Parse(data)
	if err != nil {
		return "", false
	}
	out := "public"
	if v := t.Get("output"); v != nil {
		if v.Kind != tomldoc.KindString {
			return "", false
		}
		out = v.Str
	}
	if out == "" {
		out = "public"
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	return out, true
}

// thousands formats n with commas: 10,214.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
