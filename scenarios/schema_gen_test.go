package scenarios

import (
	"encoding/json"
	"reflect"

	"github.com/invopop/jsonschema"
)

// generateSchema reflects the scenario types into the JSON Schema that
// scenario.schema.json holds. It lives in a test, with the types'
// JSONSchema methods below, so that programs importing this package do
// not link the generator.
func generateSchema() []byte {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t == durationType {
				return &jsonschema.Schema{Ref: "#/$defs/Duration"}
			}
			return nil
		},
	}
	s := r.Reflect(&Scenario{})
	s.ID = SchemaID
	s.Title = "natschaos scenario"
	s.Description = "A chaos test of NATS reconnection behaviour: a cluster, its clients, steps and expectations."
	s.Definitions["Duration"] = &jsonschema.Schema{
		Description: "Go duration syntax: 150ms, 2s, 1m30s.",
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^-?([0-9]+(\.[0-9]+)?(ns|us|µs|μs|ms|s|m|h))+$`},
			{Const: 0},
		},
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("scenarios: cannot marshal the schema: " + err.Error()) // a bug, not an input problem
	}
	return append(out, '\n')
}

// JSONSchema describes user kinds for editors.
func (UserKind) JSONSchema() *jsonschema.Schema {
	return enumSchema("password (default) | token | nkey: generated per run.", UserKinds)
}

// JSONSchema describes strategy kinds for editors.
func (StrategyKind) JSONSchema() *jsonschema.Schema {
	return enumSchema("backoff_full_jitter, jittered_failover, lame_duck_move or rebalance.", StrategyKinds())
}

// JSONSchema describes storages for editors.
func (StorageKind) JSONSchema() *jsonschema.Schema {
	return enumSchema("file (default) or memory.", StorageKinds)
}

// JSONSchema describes consumer modes for editors.
func (ConsumerMode) JSONSchema() *jsonschema.Schema {
	return enumSchema("pull (default) or push.", ConsumerModes)
}

// JSONSchema describes leader actions for editors.
func (LeaderAction) JSONSchema() *jsonschema.Schema {
	return enumSchema("kill | stop | lame_duck | restart | isolate (partition it from every other server).", LeaderActions)
}

// JSONSchema describes expected verdicts for editors.
func (Verdict) JSONSchema() *jsonschema.Schema {
	return enumSchema("pass or fail.", ExpectedVerdicts)
}

func enumSchema[T ~string](desc string, vs []T) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "string", Description: desc}
	for _, v := range vs {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

// JSONSchema describes topologies for editors.
func (Topology) JSONSchema() *jsonschema.Schema {
	return enumSchema("full: every server lists every route; seed: routes only to the first server.", Topologies)
}

// JSONSchema describes fault kinds for editors.
func (FaultKind) JSONSchema() *jsonschema.Schema {
	return enumSchema("The fault's kind; each takes its own parameters.", FaultKinds)
}

// JSONSchema describes directions for editors.
func (Direction) JSONSchema() *jsonschema.Schema {
	return enumSchema("upstream: towards the server; downstream: back.", Directions)
}

// JSONSchema describes partition modes for editors.
func (PartitionMode) JSONSchema() *jsonschema.Schema {
	return enumSchema("close (default): cut links reset at once; stall: silent, found by pings.", PartitionModes)
}

// JSONSchema describes wait conditions for editors.
func (WaitCondition) JSONSchema() *jsonschema.Schema {
	return enumSchema("mesh | discovered | connected | balanced | healed (every fault, partition and freeze with a duration has ended) | js_current", WaitConditions)
}

// JSONSchema describes property names for editors.
func (Property) JSONSchema() *jsonschema.Schema {
	return enumSchema("An expectation's name.", Properties)
}

// JSONSchema describes sizes for editors.
func (ByteSize) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "Bytes: an integer, or with a unit (KB = 1024): 128, 64KB, 8MB.",
		AnyOf: []*jsonschema.Schema{
			{Type: "integer"},
			{Type: "string", Pattern: "^" + sizePattern + "$"},
		},
	}
}

// JSONSchema describes rates for editors.
func (Rate) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: "^" + ratePattern + "$", Description: "Events per second: 500/s."}
}

// JSONSchema describes byte rates for editors.
func (ByteRate) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: "^" + sizePattern + "/s$", Description: "Bytes per second: 64KB/s."}
}

// JSONSchema describes heal targets for editors.
func (Heal) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "all, the name of a fault, partition or freeze step, or its number among them (from 1).",
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: namePattern},
			{Type: "integer", Minimum: "1"},
		},
	}
}

// JSONSchemaExtend makes a step a one-key map.
func (Step) JSONSchemaExtend(s *jsonschema.Schema) {
	one := uint64(1)
	s.MinProperties, s.MaxProperties = &one, &one
	s.Description = "One step: a map with exactly one key."
}

// JSONSchemaExtend allows top-level x- keys, which the parser ignores (a
// place for YAML anchors and notes).
func (Scenario) JSONSchemaExtend(s *jsonschema.Schema) {
	s.PatternProperties = map[string]*jsonschema.Schema{"^x-": jsonschema.TrueSchema}
	superclusterSchema(s)
}

// JSONSchemaExtend accepts `servers: [A, B]`.
func (Server) JSONSchemaExtend(s *jsonschema.Schema) {
	orScalar(s, &jsonschema.Schema{Type: "string", Pattern: namePattern})
}

// JSONSchemaExtend accepts `restart: A`.
func (Restart) JSONSchemaExtend(s *jsonschema.Schema) {
	orScalar(s, &jsonschema.Schema{Type: "string", Pattern: namePattern})
}

// JSONSchemaExtend accepts `freeze: B`.
func (Freeze) JSONSchemaExtend(s *jsonschema.Schema) {
	orScalar(s, &jsonschema.Schema{Type: "string", Pattern: namePattern})
}

// JSONSchemaExtend accepts `wait: mesh`.
func (Wait) JSONSchemaExtend(s *jsonschema.Schema) {
	orScalar(s, &jsonschema.Schema{Ref: "#/$defs/WaitCondition"})
}

// JSONSchemaExtend accepts a plain subject.
func (Subscription) JSONSchemaExtend(s *jsonschema.Schema) {
	orScalar(s, &jsonschema.Schema{Type: "string"})
}

// orScalar turns an object schema into "this scalar, or the object".
func orScalar(s, scalar *jsonschema.Schema) {
	obj := *s
	obj.Description = ""
	*s = jsonschema.Schema{Description: s.Description, OneOf: []*jsonschema.Schema{scalar, &obj}}
}
