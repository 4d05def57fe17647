// Package lab runs one scenario across variants of its settings (the
// `natschaos lab` command) and compares them: each variant's n-th run has
// the same seed, so variants differ by their settings alone. It writes
// every run's outputs and lab.json, lab.md and lab.html, whose figures it
// reads back from each run's events.jsonl.
//
//	c, err := lab.Run(ctx, "herd-single-kill", lab.Options{Axes: axes, Out: "out/lab"})
//
// The variants themselves (Axis, Variant.Apply) are part of the scenario
// format, in scenarios; the comparison and its renderers are reports'.
//
// It imports scenarios, reports, assert and sim; nothing imports it but
// cmd/natschaos.
package lab
