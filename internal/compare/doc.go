// Package compare decides whether one sample of a figure is worse than
// another: the statistics behind natschaos qualify and the lab's
// variant-against-baseline lines.
//
// Per figure it gives both sides' medians, the candidate's shift from the
// baseline with a confidence interval (the Hodges–Lehmann estimate and its
// distribution-free interval, read off the same Mann–Whitney U
// distribution the test uses), the U test's p-value (benchstat's test,
// golang.org/x/perf/benchmath), and one outcome: regression, improvement
// or no significant change. Pass/fail verdicts are compared as failure
// counts with Fisher's exact test. A significant change smaller than the
// figure's tolerance is no significant change.
//
// It imports no natschaos package: it knows numbers, directions and
// tolerances, not runs.
package compare
