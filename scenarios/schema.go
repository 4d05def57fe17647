package scenarios

import (
	"bytes"
	_ "embed"
)

// SchemaID is the $id of the scenario JSON Schema.
const SchemaID = "https://github.com/natschaos/natschaos/scenarios/scenario.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of scenario files, for
// editors: point yaml-language-server at it (a modeline, or the editor's
// settings). It is scenario.schema.json, checked in next to this file and
// embedded; TestSchema generates it from the same struct tags the parser
// reads (go test ./scenarios -run TestSchema -update rewrites it), so it
// accepts the same keys. It checks shape and syntax only; Parse also
// checks meaning (server names, states, ...).
func Schema() []byte { return bytes.Clone(schemaJSON) }

//go:embed scenario.schema.json
var schemaJSON []byte

const namePattern = `^[A-Za-z0-9_-]+$`
