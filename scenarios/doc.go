// Package scenarios reads natschaos scenario files into typed, validated
// values, reporting every problem of a bad file at its file:line:col.
//
// The format is the contract in SCENARIO-FORMAT.md, whose big example is kept
// verbatim as testdata/contract.yaml. Parse decodes with goccy/go-yaml's
// syntax tree, driven by the struct tags of the types in this package; the
// JSON Schema for editors (Schema, checked in as scenario.schema.json) is
// generated from the same tags. The built-in scenarios are package library's
// files (library/); Builtin and Load parse them by name.
//
// The vocabulary of faults and expectations is not declared here: a
// fault's kind-specific keys are those faults' registry declares for its
// kind (fault_params.go), and `expect.<name>` is decoded into the
// parameter struct assert's registry gives for the property (expect.go).
// A kind or property registered elsewhere is read, validated, run and put
// in the schema like a built-in (see extend/).
//
// It owns the format and its validation and the runner (Execute). Each
// kind of step is one file, step_<key>.go: a type that decodes the step's
// value and implements StepAction (Validate, Run, Describe, Marshal),
// registered under its key with RegisterStep. A step declared elsewhere
// does the same, using StepValidator and StepEnv. Format and runner stay
// one package for that: a package of the format alone could not hold a
// step's Run, so every step would be two files.
//
// Other jobs live beside it: the built-in scenarios in library
// (scenarios/library, which imports no natschaos package), the lab in
// lab, and the go test helper in scenariotest (Run, RunScenario, OutDir).
//
// It imports sim, faults, assert, workers, reports and library, none of
// which may import it; lab, scenariotest, explore, qualify and cmd import
// it.
//
//	s, err := scenarios.Parse("upgrade.yaml", data)
//	if err != nil {
//		fmt.Println(err) // one "file:line:col: message" a line
//		return
//	}
//	for _, st := range s.Steps {
//		fmt.Println(s.Where(st.Pos), st.Key())
//	}
package scenarios
