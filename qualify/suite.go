package qualify

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenarios/library"
)

// SuiteJetStream names the built-ins that qualify JetStream: slower than
// the core suite, so they stand apart (`--suite jetstream`).
const SuiteJetStream = "jetstream"

// herdFigures are built-ins expected to FAIL (they show a known herd or
// balance behaviour) whose figures still matter to a release: a candidate
// with a higher peak or skew there is worse.
var herdFigures = []string{"herd-single-kill", "herd-late-joiner", "herd-no-randomize", "herd-rolling-drift"}

// DefaultSuite is every built-in expected to PASS, plus the herd and
// balance built-ins of herdFigures. Left out: the JetStream built-ins
// (SuiteJetStream) and those whose servers declare their own releases
// (upgrade, downgrade): every server of those already runs a fixed
// release, so they would compare a release with itself. With clients (a
// nats.go qualification, fleets in workers) it also leaves out the
// scenarios with security, which workers cannot run yet.
func DefaultSuite(clients bool) []string {
	var out []string
	for _, b := range library.List() {
		sc, _, err := scenarios.Builtin(b.Name)
		if err != nil || isJetStream(b.Name) || pinsReleases(sc) || clients && sc.Cluster.Security != nil {
			continue
		}
		if sc.ExpectedVerdict == "" || sc.ExpectedVerdict == scenarios.VerdictPass || slices.Contains(herdFigures, b.Name) {
			out = append(out, b.Name)
		}
	}
	return out
}

// JetStreamSuite is every JetStream built-in.
func JetStreamSuite() []string {
	var out []string
	for _, b := range library.List() {
		if isJetStream(b.Name) {
			out = append(out, b.Name)
		}
	}
	return out
}

func isJetStream(name string) bool { return strings.HasPrefix(name, "js-") }

func pinsReleases(sc *scenarios.Scenario) bool {
	for _, s := range sc.Cluster.Servers {
		if s.Version != "" && s.Version != scenarios.DefaultVersion {
			return true
		}
	}
	return false
}

// Resolve turns SUITE arguments (files, folders of .yaml files, built-in
// names, or "jetstream") into scenario references Load accepts; none
// means DefaultSuite(clients). Every one is loaded once so bad input
// fails before anything runs.
func Resolve(args []string, clients bool) ([]string, error) {
	if len(args) == 0 {
		return DefaultSuite(clients), nil
	}
	var out []string
	for _, a := range args {
		if a == SuiteJetStream {
			out = append(out, JetStreamSuite()...)
			continue
		}
		st, err := os.Stat(a)
		if err == nil && st.IsDir() {
			files, _ := filepath.Glob(filepath.Join(a, "*.yaml"))
			more, _ := filepath.Glob(filepath.Join(a, "*.yml"))
			files = append(files, more...)
			if len(files) == 0 {
				return nil, fmt.Errorf("%s: no .yaml scenario in this folder", a)
			}
			slices.Sort(files)
			out = append(out, files...)
			continue
		}
		out = append(out, a)
	}
	for _, ref := range out {
		sc, err := scenarios.Load(ref)
		if err != nil {
			return nil, err
		}
		if clients && sc.Cluster.Security != nil {
			return nil, fmt.Errorf("%s: a nats.go qualification runs the clients in workers, which cannot run clients of a cluster with security (TLS, users) yet", ref)
		}
	}
	return out, nil
}
