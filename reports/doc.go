// Package reports judges a run from its timeline (events.jsonl) alone and
// renders it: report.json, junit.xml, summary.md, a self-contained
// report.html and the terminal summary. Judge is where every run is
// judged, by the runner once at its end and by `natschaos report` on a
// saved timeline, so a crashed or interrupted run can still be reported
// and a re-render reaches the runner's verdicts.
//
//	events ──Judge──> Report ──> report.json, junit.xml, summary.md, terminal
//	events ──series──> charts (gonum/plot SVG) ──> report.html
//
// It imports assert, sim and internal/compare; never faults, workers,
// scenarios or anything that runs a scenario.
package reports
