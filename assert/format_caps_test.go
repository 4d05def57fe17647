package assert

import (
	"slices"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// capLines and joinCap keep n items untouched and count what they leave off.
func TestCapsKeepNAndCountTheRest(t *testing.T) {
	three := []string{"a", "b", "c"}
	if got := capLines(three, 3); !slices.Equal(got, three) {
		t.Errorf("capLines(3 lines, 3) = %q", got)
	}
	if got := capLines([]string{"a", "b", "c", "d"}, 2); !slices.Equal(got, []string{"a", "b", "… 2 more"}) {
		t.Errorf("capLines(4 lines, 2) = %q", got)
	}
	if got := joinCap(three, 3, ", "); got != "a, b, c" {
		t.Errorf("joinCap(3 items, 3) = %q", got)
	}
	if got := joinCap([]string{"a", "b", "c", "d"}, 2, ", "); got != "a, b, (+2 more)" {
		t.Errorf("joinCap(4 items, 2) = %q", got)
	}
}

func TestDiscoveryParamsValidate(t *testing.T) {
	if (DiscoveryParams{Within: 0}).Validate() == nil {
		t.Error("within 0 accepted")
	}
	if err := (DiscoveryParams{Within: 1}).Validate(); err != nil {
		t.Errorf("within 1ns refused: %v", err)
	}
}

// A timeline whose only step ends first: a kill after it is teardown.
func TestTeardownStartAfterAStepAtTheStart(t *testing.T) {
	evs := []sim.Event{stepEnd(0), {Kind: sim.ServerKill, Server: "A"}, {Kind: sim.ServerExit, Server: "A"}}
	if got := TeardownStart(evs); got != 1 {
		t.Errorf("TeardownStart = %d, want 1 (the kill after the last step)", got)
	}
}
