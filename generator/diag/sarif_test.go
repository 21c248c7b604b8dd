package diag

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-it/cairn/internal/sarifschema"
)

var testTool = SARIFTool{Name: "cairn", InformationURI: "https://github.com/cairn-it/cairn", DocsURI: "https://example.org/docs/"}

func TestWriteSARIF(t *testing.T) {
	ds := []Diagnostic{
		{Pos: Pos{File: "content/acme/configurations/fw01.toml", Line: 9, Col: 1}, Severity: Error, Code: "unknown-field",
			Message: `unknown field "colour" for Configurations`, Hint: `did you mean "color"?`},
		{Pos: Pos{File: "content/acme/contacts/Jo Smith.toml"}, Severity: Error, Code: "bad-slug", Message: `"Jo Smith" is not a valid slug`},
		{Pos: Pos{File: "checklists/empty.md", Line: 4}, Severity: Warning, Code: "empty-checklist", Message: "checklist template has no tasks"},
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, ds, testTool); err != nil {
		t.Fatal(err)
	}
	want := `{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "cairn",
          "informationUri": "https://github.com/cairn-it/cairn",
          "rules": [
            {
              "id": "bad-slug",
              "shortDescription": {
                "text": "A file or folder name, a link target, or a group or portal name that is not a slug (lower-case letters, digits, single hyphens)."
              },
              "help": {
                "text": "A file or folder name, a link target, or a group or portal name that is not a slug (lower-case letters, digits, single hyphens). See https://example.org/docs/check.md#bad-slug"
              },
              "helpUri": "https://example.org/docs/check.md#bad-slug"
            },
            {
              "id": "empty-checklist",
              "shortDescription": {
                "text": "A checklist template with no tasks."
              },
              "help": {
                "text": "A checklist template with no tasks. See https://example.org/docs/check.md#empty-checklist-warning"
              },
              "helpUri": "https://example.org/docs/check.md#empty-checklist-warning"
            },
            {
              "id": "unknown-field",
              "shortDescription": {
                "text": "A key that the item's type (or the settings file) does not have."
              },
              "help": {
                "text": "A key that the item's type (or the settings file) does not have. See https://example.org/docs/check.md#unknown-field"
              },
              "helpUri": "https://example.org/docs/check.md#unknown-field"
            }
          ]
        }
      },
      "columnKind": "unicodeCodePoints",
      "results": [
        {
          "ruleId": "unknown-field",
          "ruleIndex": 2,
          "level": "error",
          "message": {
            "text": "unknown field \"colour\" for Configurations\nhint: did you mean \"color\"?"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "content/acme/configurations/fw01.toml"
                },
                "region": {
                  "startLine": 9,
                  "startColumn": 1
                }
              }
            }
          ]
        },
        {
          "ruleId": "bad-slug",
          "ruleIndex": 0,
          "level": "error",
          "message": {
            "text": "\"Jo Smith\" is not a valid slug"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "content/acme/contacts/Jo%20Smith.toml"
                }
              }
            }
          ]
        },
        {
          "ruleId": "empty-checklist",
          "ruleIndex": 1,
          "level": "warning",
          "message": {
            "text": "checklist template has no tasks"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "checklists/empty.md"
                },
                "region": {
                  "startLine": 4
                }
              }
            }
          ]
        }
      ]
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if err := sarifschema.Validate(b.Bytes()); err != nil {
		t.Error(err)
	}
}

// TestWriteSARIFValidForHostileInput writes what a pull request can make
// cairn report (control characters, names that are no URI as they are, no
// diagnostics at all) and validates each log against the SARIF schema.
func TestWriteSARIFValidForHostileInput(t *testing.T) {
	cases := map[string][]Diagnostic{
		"none":    nil,
		"hostile": hostile(),
		"names": {
			{Pos: Pos{File: "content/acme/files/50% off #1?.txt", Line: 1, Col: 1}, Code: "secret-leak", Message: "m"},
			{Pos: Pos{File: "a:b.toml"}, Code: "stray-file", Message: "m"},
			{Pos: Pos{File: "content/acme/documents/caf\u00e9 \u202e.md", Line: 2}, Code: "no-such-code", Message: "m"},
			{Pos: Pos{File: ""}, Code: "read", Message: "m"},
		},
	}
	for name, ds := range cases {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSARIF(&b, ds, testTool); err != nil {
				t.Fatal(err)
			}
			if err := sarifschema.Validate(b.Bytes()); err != nil {
				t.Fatal(err)
			}
			assertNoControl(t, strings.ReplaceAll(mustUnquoteMessages(t, b.Bytes()), "\n", " "))
		})
	}
}

// mustUnquoteMessages returns the decoded message texts and URIs of a
// SARIF log, joined: what a viewer would show.
func mustUnquoteMessages(t *testing.T, log []byte) string {
	t.Helper()
	var l struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(log, &l); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, r := range l.Runs[0].Results {
		parts = append(parts, r.Message.Text, r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	return strings.Join(parts, " ")
}

// TestRuleDocsMatchCheckMd keeps RuleDocs and docs/check.md in step:
// every rule heading there has a RuleDoc pointing at it, and every
// RuleDoc points at a heading that exists.
func TestRuleDocsMatchCheckMd(t *testing.T) {
	docs := filepath.Join("..", "..", "docs")
	anchors := map[string]map[string]bool{}
	headingRe := regexp.MustCompile(`(?m)^#+ (.+)$`)
	page := func(name string) map[string]bool {
		if a, ok := anchors[name]; ok {
			return a
		}
		data, err := os.ReadFile(filepath.Join(docs, name))
		if err != nil {
			t.Fatal(err)
		}
		a := map[string]bool{}
		for _, m := range headingRe.FindAllStringSubmatch(string(data), -1) {
			a[githubAnchor(m[1])] = true
		}
		anchors[name] = a
		return a
	}
	byCode := map[string]RuleDoc{}
	for _, r := range RuleDocs() {
		if _, dup := byCode[r.Code]; dup {
			t.Errorf("code %s documented twice", r.Code)
		}
		byCode[r.Code] = r
		file, frag, ok := strings.Cut(r.Doc, "#")
		if !ok || !page(file)[frag] {
			t.Errorf("%s: %s names no heading of docs/", r.Code, r.Doc)
		}
		if !strings.HasSuffix(r.Summary, ".") {
			t.Errorf("%s: the summary is not a sentence: %q", r.Code, r.Summary)
		}
	}
	data, err := os.ReadFile(filepath.Join(docs, "check.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rules, ok := strings.Cut(string(data), "\n## Rules\n")
	if !ok {
		t.Fatal("docs/check.md has no ## Rules section")
	}
	rules, _, _ = strings.Cut(rules, "\n## ")
	n := 0
	for _, m := range regexp.MustCompile(`(?m)^### (.+)$`).FindAllStringSubmatch(rules, -1) {
		code := strings.Fields(m[1])[0]
		if code == "Control" {
			continue // "Control characters in messages" is about all rules
		}
		n++
		if r, ok := byCode[code]; !ok {
			t.Errorf("docs/check.md documents %s, RuleDocs does not", code)
		} else if want := "check.md#" + githubAnchor(m[1]); r.Doc != want {
			t.Errorf("%s: Doc = %s, want %s", code, r.Doc, want)
		}
	}
	if n < 30 {
		t.Errorf("found only %d rule headings in docs/check.md", n)
	}
}

// githubAnchor is HeadingAnchor, by the name these tests know it.
func githubAnchor(heading string) string { return HeadingAnchor(heading) }
