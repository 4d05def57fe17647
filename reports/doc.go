// Package reports renders a run from its timeline (events.jsonl) alone —
// report.json, junit.xml, summary.md and a self-contained report.html — so
// a crashed or interrupted run can still be reported, and every verdict is
// reached by assert.Judge exactly as the runner reached it.
//
//	events ──Judge──> Report ──> report.json, junit.xml, summary.md
//	events ──series──> charts (gonum/plot SVG) ──> report.html
package reports
