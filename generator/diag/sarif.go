package diag

import (
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strings"
)

// SARIFSchema is the URI of the SARIF 2.1.0 schema a SARIF log names.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// SARIFTool describes the tool that made a SARIF log.
type SARIFTool struct {
	// Name is the tool's name ("cairn").
	Name string
	// Version is the tool's version, left out when empty.
	Version string
	// InformationURI is the tool's home page.
	InformationURI string
	// DocsURI is the base of the rules' help pages: a rule's helpUri is
	// DocsURI followed by its RuleDoc.Doc (e.g. DocsURI "https://…/docs/"
	// and "check.md#unknown-field"). Empty leaves helpUri out.
	DocsURI string
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string    `json:"id"`
	ShortDescription sarifText `json:"shortDescription"`
	Help             sarifText `json:"help"`
	HelpURI          string    `json:"helpUri,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// WriteSARIF writes diagnostics as one SARIF 2.1.0 log, the format code
// scanning (GitHub's, GitLab's, editors' SARIF viewers) reads. The run's
// rules are the codes that occur in ds, sorted, each with its summary and
// help page (RuleDocs); every result names its rule, its level (error,
// warning, or note for info), its message with the hint on a second line, and its file as a
// URI relative to the site root, with the line and column where they are
// known. Control characters in messages are escaped as WriteText does.
// The same diagnostics give the same bytes.
func WriteSARIF(w io.Writer, ds []Diagnostic, tool SARIFTool) error {
	codes := map[string]int{}
	var ids []string
	for _, d := range ds {
		if _, ok := codes[d.Code]; !ok {
			codes[d.Code] = 0
			ids = append(ids, d.Code)
		}
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		codes[id] = i
		doc := ruleDoc(id)
		r := sarifRule{ID: id, ShortDescription: sarifText{doc.Summary}}
		r.Help.Text = doc.Summary
		if tool.DocsURI != "" {
			r.HelpURI = tool.DocsURI + doc.Doc
			r.Help.Text += " See " + r.HelpURI
		}
		rules = append(rules, r)
	}
	results := make([]sarifResult, 0, len(ds))
	for _, d := range ds {
		msg := Escape(d.Message)
		if d.Hint != "" {
			msg += "\nhint: " + escapeLines(d.Hint, "\n")
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(d.Pos.File)}}
		if d.Pos.Line > 0 {
			loc.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: d.Pos.Col}
		}
		results = append(results, sarifResult{
			RuleID: d.Code, RuleIndex: codes[d.Code], Level: sarifLevel(d.Severity),
			Message: sarifText{msg}, Locations: []sarifLocation{{loc}},
		})
	}
	log := sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{{
		Tool: sarifTool{Driver: sarifDriver{
			Name: tool.Name, Version: tool.Version, InformationURI: tool.InformationURI, Rules: rules,
		}},
		// cairn counts columns in bytes of UTF-8; SARIF has no such kind,
		// and code points are the nearest (equal for ASCII lines).
		ColumnKind: "unicodeCodePoints",
		Results:    results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// fileURI returns a slash-separated path relative to the site root as a
// relative URI reference: each segment percent-encoded, so a name with a
// space, '#', '?' or '%' stays one path.
func fileURI(file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.Join(segs, "/")
	if u == "" {
		return "."
	}
	if strings.Contains(segs[0], ":") {
		u = "./" + u // "a:b" would read as a scheme
	}
	return u
}

// sarifLevel is SARIF's word for a severity: info is a "note".
func sarifLevel(s Severity) string {
	if s == Info {
		return "note"
	}
	return s.String()
}
