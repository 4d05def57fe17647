package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/scenarios/library"
)

// completeScenarios offers the built-in scenario names that start with
// what is typed, and lets the shell complete file names as well
// (`natschaos completion bash|zsh|fish|powershell` writes the script).
func completeScenarios(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var names []string
	for _, b := range library.List() {
		if strings.HasPrefix(b.Name, toComplete) {
			names = append(names, b.Name+"\t"+firstSentence(b.Description))
		}
	}
	return names, cobra.ShellCompDirectiveDefault
}

// completeOneScenario completes the first argument only (lab takes one).
func completeOneScenario(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return completeScenarios(cmd, args, toComplete)
}

// firstSentence keeps a built-in's description short enough for a
// completion menu.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
