// Package reports turns a finished (or interrupted) run into what its
// readers need: report.json for tools, and the files built on it.
package reports
