package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cairn-it/cairn/docs"
	"github.com/cairn-it/cairn/generator/diag"
)

// explainRun prints the long form of one rule, cut from the reference page
// that documents it (diag.RuleDocs names the page): the docs are the one
// source, and the same text is in `cairn help advisor` and `cairn help
// check`.
func explainRun(opts *CheckOptions) error {
	var codes []string
	for _, r := range diag.RuleDocs() {
		codes = append(codes, r.Code)
		if r.Code != opts.Explain {
			continue
		}
		page, anchor, _ := strings.Cut(r.Doc, "#")
		text, ok := ruleSection(strings.TrimSuffix(page, ".md"), anchor)
		if !ok {
			return fmt.Errorf("the documentation of %s is missing from docs/%s", r.Code, page)
		}
		_, err := fmt.Fprint(opts.IO.Out, text)
		return err
	}
	return &usageError{errors.New("--explain " + fmt.Sprintf("%q", opts.Explain) + ": no such rule; " +
		diag.SuggestHint(opts.Explain, codes, "rules: "+strings.Join(codes, ", ")))}
}

// ruleSection returns the section of docs/<page>.md under the heading
// whose anchor is anchor, heading included, up to the next heading of the
// same or a higher level.
func ruleSection(page, anchor string) (string, bool) {
	data, ok := docs.Page(page)
	if !ok {
		return "", false
	}
	lines := strings.SplitAfter(string(data), "\n")
	fence := false
	start, level := -1, 0
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(l, "#") {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "#"))
		if start >= 0 && n <= level {
			return strings.Join(lines[start:i], ""), true
		}
		if start < 0 && diag.HeadingAnchor(l[n:]) == anchor {
			start, level = i, n
		}
	}
	if start < 0 {
		return "", false
	}
	return strings.Join(lines[start:], ""), true
}
