// Package sarifschema validates SARIF logs against the official SARIF
// 2.1.0 JSON schema (sarif-schema-2.1.0.json, from the OASIS SARIF TC; see
// sarif-schema-2.1.0.LICENSE.md), with a maintained JSON Schema library.
// Only tests import it.
package sarifschema

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// URL is the id the schema is compiled under.
const URL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// Validate returns nil when log is a SARIF 2.1.0 log the schema accepts,
// formats (uri, uri-reference, date-time) included, and otherwise an
// error that lists every place where it is not. Each call compiles the
// schema anew, so calls share nothing.
func Validate(log []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("reading the SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(URL, doc); err != nil {
		return fmt.Errorf("adding the SARIF schema: %w", err)
	}
	sch, err := c.Compile(URL)
	if err != nil {
		return fmt.Errorf("compiling the SARIF schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		return fmt.Errorf("the log is not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("the log is not valid SARIF 2.1.0: %w", err)
	}
	return nil
}
