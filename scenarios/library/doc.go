// Package library owns natschaos's built-in scenarios: the YAML files in
// this folder, embedded in the binary. It gives their names, their
// descriptions (List) and their bytes (Read); scenarios parses them
// (scenarios.Builtin, and scenarios.Load for a name that is no file).
//
// A new built-in is one more <name>.yaml here: nothing else to edit.
//
// It imports no natschaos package, so every package may import it.
package library
