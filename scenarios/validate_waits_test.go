package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// warningsOf parses a valid src and returns its warnings as
// "line:col: message".
func warningsOf(t *testing.T, src string) []string {
	t.Helper()
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	var out []string
	for _, w := range s.Warnings {
		if w.File != "t.yaml" || !strings.HasPrefix(w.Msg, "warning: ") {
			t.Errorf("warning without its file or prefix: %+v", w)
		}
		out = append(out, fmt.Sprintf("%d:%d: %s", w.Line, w.Col, strings.TrimPrefix(w.Msg, "warning: ")))
	}
	return out
}

// waitHead declares servers A and B; the first step is line 5.
const waitHead = "name: t\ncluster:\n  servers: [A, B]\nsteps:\n"

// Waits that may not wait for what their author meant are valid, but
// validation says so at their line and column.
func TestWaitWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, steps string
		want        []string
	}{
		{"mesh inside a timed partition",
			"  - partition: {groups: [[A], [B]], duration: 10s}\n  - wait: {until: mesh}\n",
			[]string{"6:19: steps[1].wait: while the partition at line 5 may still be in force, mesh is judged on the route graph it leaves, so it can hold at once; to go on after its 10s, put wait: {until: healed} before this wait"}},
		{"mesh inside a partition without a duration",
			"  - partition: {groups: [[A], [B]]}\n  - wait: mesh\n",
			[]string{"6:11: steps[1].wait: while the partition at line 5 is in force, mesh is judged on the route graph it leaves, so it can hold at once; to wait for the whole cluster, heal it before this wait"}},
		{"discovered while a client link is down",
			"  - fault: {target: client:A, kind: down, duration: 2s}\n  - wait: discovered\n",
			[]string{"6:11: steps[1].wait: while the down fault on client:A at line 5 may still be in force, discovered is judged on the servers it leaves reachable"}},
		{"balanced while a server is frozen",
			"  - freeze: B\n  - wait: balanced\n",
			[]string{"6:11: steps[1].wait: while the freeze of B at line 5 is in force, balanced is judged on the servers it leaves unfrozen"}},
		{"mesh after a cutting route fault",
			"  - fault: {target: route:A-B, kind: reset_peer}\n  - wait: mesh\n",
			[]string{"6:11: steps[1].wait: while the reset_peer fault on route:A-B at line 5 is in force, mesh is judged"}},
		{"healed does not wait for a fault without a duration",
			"  - partition: {groups: [[A], [B]]}\n  - wait: healed\n",
			[]string{"6:11: steps[1].wait: healed does not wait for the partition at line 5: it has no duration, so only a heal step ends it"}},
		{"healed timeout shorter than the partition",
			"  - partition: {groups: [[A], [B]], duration: 10s}\n  - sleep: 1s\n  - wait: {until: healed, timeout: 5s}\n",
			[]string{"7:36: steps[2].wait.timeout 5s may be shorter than what is left of the partition at line 5 (up to 9s)"}},
		{"healed default timeout shorter than the partition",
			"  - partition: {groups: [[A], [B]], duration: 1m}\n  - wait: healed\n",
			[]string{"6:11: steps[1].wait.timeout 30s may be shorter than what is left of the partition at line 5 (up to 1m0s)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantPrefixes(t, "warnings", warningsOf(t, waitHead+tc.steps), tc.want)
		})
	}
}

// Each way a fault stops being in force, as far as the file can tell,
// silences the warning: a healed wait, a heal step, or sleeps that add
// up to its duration. Faults that cut nothing never warn.
func TestWaitWarningsSilenced(t *testing.T) {
	for name, steps := range map[string]string{
		"healed wait first":     "  - partition: {groups: [[A], [B]], duration: 10s}\n  - wait: healed\n  - wait: mesh\n",
		"heal all":              "  - partition: {groups: [[A], [B]]}\n  - heal: all\n  - wait: mesh\n",
		"heal by name":          "  - partition: {groups: [[A], [B]], name: p}\n  - heal: p\n  - wait: mesh\n",
		"heal by number":        "  - freeze: B\n  - partition: {groups: [[A], [B]]}\n  - heal: 2\n  - wait: mesh\n",
		"slept it out":          "  - partition: {groups: [[A], [B]], duration: 1s}\n  - sleep: 600ms\n  - sleep: 400ms\n  - wait: mesh\n",
		"latency cuts nothing":  "  - fault: {target: route:A-B, kind: latency, latency: 10ms}\n  - wait: mesh\n  - wait: discovered\n",
		"connected is stricter": "  - partition: {groups: [[A], [B]]}\n  - freeze: A\n  - wait: connected\n  - heal: all\n",
		"nothing to wait for":   "  - wait: healed\n  - kill: A\n  - wait: mesh\n",
	} {
		t.Run(name, func(t *testing.T) {
			got := warningsOf(t, waitHead+steps)
			if name == "heal by number" {
				// Healing the partition leaves the freeze, which mesh skips.
				if len(got) != 1 || !strings.Contains(got[0], "freeze of B") {
					t.Fatalf("want only the freeze's warning, got:\n%s", strings.Join(got, "\n"))
				}
				return
			}
			if len(got) > 0 {
				t.Fatalf("unexpected warnings:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// The contract's own example uses healed after a heal step: nothing to
// warn about.
func TestContractExampleHasNoWarnings(t *testing.T) {
	s := mustParse(t, "contract.yaml", mustRead(t, "testdata/contract.yaml"))
	for _, w := range s.Warnings {
		t.Error(w)
	}
}
