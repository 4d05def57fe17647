package explore

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// roundTrip checks that Parse(Marshal(sc)) is sc again: the same text when
// marshalled once more, and equal field by field once positions are wiped.
func roundTrip(t *testing.T, sc *scenarios.Scenario) []byte {
	t.Helper()
	out, err := Marshal(sc)
	if err != nil {
		t.Fatalf("marshal %s: %v", sc.Name, err)
	}
	back, err := scenarios.Parse(sc.Name+".yaml", out)
	if err != nil {
		t.Fatalf("parse of the marshalled %s:\n%s\n%v", sc.Name, out, err)
	}
	again, err := Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(out) {
		t.Fatalf("%s: marshal is not a fixpoint:\n%s\n---\n%s", sc.Name, out, again)
	}
	a, b := *sc, *back
	a.File, b.File = "", ""
	wipePos(reflect.ValueOf(&a).Elem())
	wipePos(reflect.ValueOf(&b).Elem())
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%s: Parse(Marshal(sc)) differs from sc:\n%s\n%+v\n%+v", sc.Name, out, a, b)
	}
	return out
}

// wipePos zeroes every Pos field, which only says where text was.
func wipePos(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			wipePos(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[scenarios.Pos]() {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				wipePos(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			wipePos(v.Index(i))
		}
	}
}

func TestMarshalRoundTripFiles(t *testing.T) {
	files, _ := filepath.Glob("../scenarios/library/*.yaml")
	more, _ := filepath.Glob("../scenarios/testdata/*.yaml")
	leaf, _ := filepath.Glob("../scenarios/testdata/leaf/*.yaml")
	files = append(append(files, more...), leaf...)
	if len(files) == 0 {
		t.Fatal("no scenario files found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { roundTrip(t, sc) })
	}
}

func TestMarshalQuotesWhatYAMLWouldMisread(t *testing.T) {
	sc, err := scenarios.Parse("x.yaml", []byte(`
name: q
cluster: {servers: [A]}
clients:
  - {name: s, subscribe: [">", "*.x", {subject: "a.>", queue: "on"}]}
steps:
  - heal: all
  - check: [mesh]
expect: {mesh: {}, no_loss: {}}
`))
	if err != nil {
		t.Fatal(err)
	}
	out := roundTrip(t, sc)
	if !strings.Contains(string(out), "no_loss: {}") {
		t.Errorf("an expectation without parameters should read {}:\n%s", out)
	}
}
