package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/natschaos/natschaos/sim"
)

// ReplayCommand is `natschaos run <file-or-name> --seed N`, rebuilt from
// the run's RunStart event: the file as typed (or the built-in's name),
// the seed, and --clients-scale when it was not 1. The runner prints the
// same string, so a re-rendered report carries the command the run did.
func ReplayCommand(start sim.Event) string {
	target := start.File
	if target == "" {
		target = start.Scenario
	}
	if target == "" {
		return ""
	}
	cmd := fmt.Sprintf("natschaos run %s --seed %d", shellQuote(target), start.Seed)
	if x := start.ClientsScale; x > 0 && x != 1 {
		cmd += " --clients-scale " + strconv.FormatFloat(x, 'g', -1, 64)
	}
	return cmd
}

// shellQuote leaves ordinary paths alone and single-quotes the rest, so the
// command can be pasted into a shell.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@+=,", r)
	}
	for _, r := range s {
		if !safe(r) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
