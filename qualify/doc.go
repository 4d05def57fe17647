// Package qualify answers a release engineer's question: does the
// candidate release reconnect, rediscover, redistribute or lose messages
// worse than the baseline?
//
// It runs every scenario of a suite on both sides, interleaved (baseline,
// candidate, baseline, …) with the same seeds, reads each run's figures
// from its timeline with the checkers that reach the run's verdicts
// (figures.go), compares the two sides' samples figure by figure with
// internal/compare, and writes qualify.md, qualify.json, qualify.html and
// junit.xml.
//
//	suite ──scenarios.Execute×2N──> events ──Extract──> samples ──compare──> Report
//
// It imports scenarios, assert, sim, workers, internal/compare and
// explore (to write each run's scenario file); nothing imports it but
// cmd/natschaos.
package qualify
