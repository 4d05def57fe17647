package scenarios

import (
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/faults"
)

// schemaNode is the part of a JSON Schema this test reads.
type schemaNode struct {
	Ref           string                 `json:"$ref"`
	Type          string                 `json:"type"`
	Enum          []any                  `json:"enum"`
	Const         any                    `json:"const"`
	Properties    map[string]*schemaNode `json:"properties"`
	Required      []string               `json:"required"`
	AllOf         []*schemaNode          `json:"allOf"`
	If            *schemaNode            `json:"if"`
	Then          *schemaNode            `json:"then"`
	PropertyNames *schemaNode            `json:"propertyNames"`
	AnyOf         []*schemaNode          `json:"anyOf"`
	Pattern       string                 `json:"pattern"`
	Items         *schemaNode            `json:"items"`
	Defs          map[string]*schemaNode `json:"$defs"`
}

// names are an enum's strings.
func names(enum []any) []string {
	var out []string
	for _, v := range enum {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// sameSet reports, both ways, what one list has and the other lacks.
func sameSet(t *testing.T, what string, schema, registry []string) {
	t.Helper()
	for _, s := range schema {
		if !slices.Contains(registry, s) {
			t.Errorf("%s: the schema has %q, the registry does not", what, s)
		}
	}
	for _, r := range registry {
		if !slices.Contains(schema, r) {
			t.Errorf("%s: the registry has %q, the schema does not", what, r)
		}
	}
}

// The checked-in schema and the registries (faults' kinds and their
// parameters, assert's properties and their parameter structs) name the
// same things: nothing is missing from either side, nothing is extra.
func TestSchemaAgreesWithRegistries(t *testing.T) {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var root schemaNode
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	defs := root.Defs

	// Fault kinds and their parameters.
	sameSet(t, "fault kinds", names(defs["FaultKind"].Enum), strs(FaultKinds()))
	fault := defs["Fault"]
	own := fieldsOf(reflect.TypeFor[Fault]()).keys
	var allParams []string
	byKind := map[string]*schemaNode{}
	for _, c := range fault.AllOf {
		if name, ok := c.If.Properties["kind"].Const.(string); ok {
			byKind[name] = c.Then
		}
	}
	sameSet(t, "fault kinds with parameter rules", slices.Sorted(maps.Keys(byKind)), strs(FaultKinds()))
	for _, k := range faults.Kinds() {
		var required []string
		for _, p := range k.Params {
			allParams = append(allParams, p.Name)
			if p.Required {
				required = append(required, p.Name)
			}
			got, _ := json.Marshal(fault.Properties[p.Name])
			want, _ := json.Marshal(paramTypeSchema(p.Type))
			var g, w schemaNode
			_ = json.Unmarshal(got, &g)
			_ = json.Unmarshal(want, &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("fault parameter %s.%s: schema %s, registry type %s", k.Name, p.Name, got, p.Type)
			}
		}
		then := byKind[k.Name]
		if then == nil {
			continue
		}
		sameSet(t, "keys of "+k.Name+" faults", names(then.PropertyNames.Enum), append(slices.Clone(own), k.ParamNames()...))
		sameSet(t, "required parameters of "+k.Name+" faults", then.Required, required)
	}
	sameSet(t, "fault keys", slices.Sorted(maps.Keys(fault.Properties)), append(slices.Clone(own), allParams...))

	// Properties and their parameter structs.
	// A check step lists properties by name.
	check := defs["Check"]
	if check == nil || check.Items == nil {
		t.Fatal("the schema has no check step listing properties")
	}
	sameSet(t, "properties a check step names", names(check.Items.Enum), strs(Properties()))
	expect := defs["Expect"]
	sameSet(t, "expect keys", slices.Sorted(maps.Keys(expect.Properties)), strs(Properties()))
	for _, p := range Properties() {
		s := expect.Properties[string(p)]
		if s == nil {
			continue
		}
		st := reflect.TypeOf(NewExpectation(p).Params).Elem()
		var required []string
		for i := range st.NumField() {
			f := st.Field(i)
			if key, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); key != "" && key != "-" && isRequired(f) {
				required = append(required, key)
			}
		}
		sameSet(t, "keys of expect."+string(p), slices.Sorted(maps.Keys(s.Properties)), append(slices.Clone(fieldsOf(st).keys), "warn"))
		sameSet(t, "required keys of expect."+string(p), slices.Sorted(slices.Values(s.Required)), slices.Sorted(slices.Values(required)))
	}
}

// Every parameter type faults declares can be read from a file and has
// its syntax in the schema.
func TestEveryParamTypeIsReadable(t *testing.T) {
	for _, pt := range faults.ParamTypes {
		if _, ok := goTypes[pt]; !ok {
			t.Errorf("parameter type %s: the decoder has no Go type for it", pt)
		}
		if s := paramTypeSchema(pt); s.Ref == "" && s.Type == "" && len(s.AnyOf) == 0 {
			t.Errorf("parameter type %s: no schema", pt)
		}
	}
}
