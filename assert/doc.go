// Package assert judges a recorded run: every checker is a pure function
// of the timeline ([]sim.Event) that returns a verdict with evidence a
// person can act on; it never looks at a live system.
//
// Three layers, each used by the next:
//
//	events ──Apply──> State ──predicates──> (ok, why)   live wait/check steps
//	events ──checker(params)──────────────> Result      expect:, at the end
//
// State (state.go) folds events in order: which servers run, which are in
// lame duck or frozen, the active faults and partitions, where each client
// is, and each server's latest observation. The runner's live `wait` and
// `check` steps and every checker share this one fold. The predicates
// (predicates.go: Mesh, Discovered, Connected, Balanced) read a State.
// Properties (one file each) read the whole timeline and return a Result
// whose Verdict is a small enum; `error` is kept for I/O, which this
// package does not do.
//
// Adding a property: write one file, say widgets.go, with a parameter
// struct, a function
//
//	func checkWidgets(p WidgetsParams, events []sim.Event) Result
//
// and the one line that registers it:
//
//	func init() { Register("widgets", checkWidgets) }
//
// then widgets_test.go with a timeline where it must hold and one where it
// must fail. Evaluate, NewParams and Names find it in the registry, and
// the scenario format decodes `expect.widgets` straight into the struct
// (params.go): its yaml tags are the keys, `jsonschema:"required"` marks
// a key a file must write, a SetDefaults method (on the pointer) fills
// what a file leaves out, and a Validate() error method, returning
// ParamErrors that name the key, checks the values, so a bad one is
// reported at its line and column. The JSON Schema is generated from the
// same struct.
//
// A PASS says what it judged, as counts (clients, pairs, messages,
// windows, changes). A property whose subjects never appeared returns
// vacuousf: it fails with evidence that starts "vacuous: ", and never
// passes. NotEvaluated is for a record the timeline lacks (receipts before
// the fleet stops) and for unusable parameters.
//
// It imports sim, for the events, and no other natschaos package: not
// faults, workers or anything that runs a system, and not reports or
// scenarios, which read its results.
package assert
