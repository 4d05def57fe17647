package scenarios

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite scenario.schema.json from Schema()")

const schemaFile = "scenario.schema.json"

// The checked-in schema is what editors load; it must match the structs.
func TestSchema(t *testing.T) {
	got := generateSchema()
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v\nregenerate it: go test ./scenarios -run TestSchema -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with the structs in this package\nregenerate it: go test ./scenarios -run TestSchema -update", schemaFile)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlToJSONValue reads YAML the way an editor's YAML language server does.
func yamlToJSONValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every valid file the package knows is valid for editors too.
func TestSchemaAcceptsExamples(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("testdata/*.yaml")
	lib, _ := filepath.Glob("library/*.yaml")
	files = append(files, lib...)
	if len(files) < 4 {
		t.Fatalf("only %d example files", len(files))
	}
	for _, f := range files {
		if err := sch.Validate(yamlToJSONValue(t, mustRead(t, f))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	base := "name: x\ncluster: {servers: [{name: A}]}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", base + "stesp: []\n", "stesp"},
		{"two-key step", base + "steps: [{kill: A, stop: A}]\n", "maxProperties"},
		{"bad duration", base + "timeout: soon\n", "timeout"},
		{"bad rate", base + "clients: [{name: p, publish: {subject: a, rate: 5}}]\n", "rate"},
		{"bad kind", base + "steps: [{fault: {target: client:A, kind: lag}}]\n", "kind"},
		{"bad name", "name: a b\ncluster: {servers: [{name: A}]}\n", "name"},
		{"missing cluster", "name: x\n", "cluster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sch.Validate(yamlToJSONValue(t, []byte(tc.yaml)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want an error mentioning %q, got %v", tc.want, err)
			}
		})
	}
}

// The generator is a test dependency only: programs that import this
// package do not link invopop/jsonschema.
func TestSchemaGeneratorIsNotLinked(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(imp, "invopop/jsonschema") {
			t.Fatalf("a non-test file of package scenarios imports %s: put JSONSchema methods in schema_gen_test.go", imp)
		}
	}
}
