package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/natschaos/natschaos/faults"
)

// generateSchema reflects the scenario types into the JSON Schema that
// scenario.schema.json holds. It lives in a test, with the types'
// JSONSchema methods below, so that programs importing this package do
// not link the generator.
func generateSchema() []byte {
	r := newReflector()
	s := r.Reflect(&Scenario{})
	steps := r.ReflectFromType(stepsType())
	one := uint64(1)
	steps.MinProperties, steps.MaxProperties = &one, &one
	steps.Description = "One step: a map with exactly one key."
	steps.Version, steps.Definitions = "", mergeDefs(s.Definitions, steps.Definitions)
	s.Definitions["Step"] = steps
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

// newReflector reads the yaml tags the decoder reads.
func newReflector() *jsonschema.Reflector {
	return &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			switch t {
			case durationType:
				return &jsonschema.Schema{Ref: "#/$defs/Duration"}
			case reflect.TypeFor[Step]():
				return &jsonschema.Schema{Ref: "#/$defs/Step"}
			}
			return nil
		},
	}
}

// JSONSchema describes expect from assert's registry: one key per
// property, each taking its parameter struct's keys and warn.
func (Expect) JSONSchema() *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	for _, p := range Properties() {
		s.Properties.Set(string(p), paramsSchema(reflect.TypeOf(NewExpectation(p).Params).Elem()))
	}
	return s
}

// paramsSchema is a property's parameter struct, inline, with warn.
func paramsSchema(t reflect.Type) *jsonschema.Schema {
	r := newReflector()
	r.DoNotReference = true
	s := r.ReflectFromType(t)
	s.Version, s.ID = "", ""
	if d, ok := reflect.Zero(t).Interface().(interface{ Doc() string }); ok {
		s.Description = d.Doc()
	}
	s.Properties.Set("warn", &jsonschema.Schema{Type: "boolean", Description: "Evaluate and report, never fail the run."})
	return s
}

// JSONSchemaExtend adds each fault kind's parameters from faults'
// registry: every parameter a kind declares, and per kind (if kind is K)
// the ones it requires and the only ones it takes.
func (Fault) JSONSchemaExtend(s *jsonschema.Schema) {
	var own []string
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		own = append(own, p.Key)
	}
	for _, k := range faults.Kinds() {
		takes := append([]any(nil), anys(own)...)
		var required []string
		for _, p := range k.Params {
			ps := paramTypeSchema(p.Type)
			if prev, ok := s.Properties.Get(p.Name); ok {
				ps.Description = prev.Description + " " + k.Name + ": " + p.Doc
			} else {
				ps.Description = k.Name + ": " + p.Doc
			}
			s.Properties.Set(p.Name, ps)
			takes = append(takes, p.Name)
			if p.Required {
				required = append(required, p.Name)
			}
		}
		cond := jsonschema.NewProperties()
		cond.Set("kind", &jsonschema.Schema{Const: k.Name})
		s.AllOf = append(s.AllOf, &jsonschema.Schema{
			If:   &jsonschema.Schema{Properties: cond, Required: []string{"kind"}},
			Then: &jsonschema.Schema{Required: required, PropertyNames: &jsonschema.Schema{Enum: takes}},
		})
	}
}

// paramTypeSchema is the syntax of a fault parameter's type.
func paramTypeSchema(t faults.ParamType) *jsonschema.Schema {
	switch t {
	case faults.TypeDuration:
		return &jsonschema.Schema{Ref: "#/$defs/Duration"}
	case faults.TypeByteSize:
		return ByteSize(0).JSONSchema()
	case faults.TypeByteRate:
		return ByteRate(0).JSONSchema()
	case faults.TypeFloat:
		return &jsonschema.Schema{Type: "number"}
	case faults.TypeInt:
		return &jsonschema.Schema{Type: "integer"}
	case faults.TypeBool:
		return &jsonschema.Schema{Type: "boolean"}
	}
	return &jsonschema.Schema{Type: "string"}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
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
func (RunVerdict) JSONSchema() *jsonschema.Schema {
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
func (ClusterTopology) JSONSchema() *jsonschema.Schema {
	return enumSchema("full: every server lists every route; seed: routes only to the first server.", Topologies)
}

// JSONSchema describes fault kinds for editors.
func (FaultKind) JSONSchema() *jsonschema.Schema {
	desc := "The fault's kind; each takes its own parameters."
	for _, k := range faults.Kinds() {
		desc += " " + k.Name + ": " + k.Doc
	}
	return enumSchema(desc, FaultKinds())
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
	return enumSchema("An expectation's name.", Properties())
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

// stepsType is a struct with a field for each step this package
// registers, keyed and described as the registry says: the schema of a
// step is its properties. Steps registered elsewhere (by tests, by
// programs) are not in the checked-in schema.
func stepsType() reflect.Type {
	var fields []reflect.StructField
	for _, k := range StepKeys() {
		kind := stepKinds[k]
		if kind.typ.PkgPath() != reflect.TypeFor[Step]().PkgPath() {
			continue
		}
		fields = append(fields, reflect.StructField{
			Name: "F" + strings.ReplaceAll(k, "_", "U"),
			Type: reflect.PointerTo(kind.typ),
			Tag:  reflect.StructTag(fmt.Sprintf("yaml:%q jsonschema_description:%q", k, kind.doc)),
		})
	}
	return reflect.StructOf(fields)
}

// mergeDefs adds from's definitions to into and returns nil.
func mergeDefs(into, from jsonschema.Definitions) jsonschema.Definitions {
	for k, v := range from {
		if _, ok := into[k]; !ok {
			into[k] = v
		}
	}
	return nil
}

// JSONSchema describes the steps that take a server's name.
func (ServerStep) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: namePattern}
}

// JSONSchema describes a sleep.
func (Sleep) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Ref: "#/$defs/Duration"} }

// JSONSchema describes a check's list.
func (Check) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "array", Items: Property("").JSONSchema()}
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
