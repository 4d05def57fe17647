package faults

import (
	"strings"
	"testing"
	"time"
)

// With OpaqueRoutes only client-link faults are taken: a partition, a
// freeze or a route fault would miss the links whose dialler is unknown.
func TestOpaqueRoutesRefusesInexactFaults(t *testing.T) {
	l := New(nil, Options{ClientProxies: true, OpaqueRoutes: true})
	defer l.Close()
	for _, n := range []string{"A", "B"} {
		if _, _, err := l.Attach(n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Partition([][]string{{"A"}, {"B"}}, "", 0); err == nil || !strings.Contains(err.Error(), "OpaqueRoutes") {
		t.Errorf("partition: %v", err)
	}
	if _, err := l.Freeze("A", 0); err == nil || !strings.Contains(err.Error(), "OpaqueRoutes") {
		t.Errorf("freeze: %v", err)
	}
	if _, err := l.Inject(Spec{Kind: "latency", Target: "route:A-B", Params: Values{"latency": 10 * time.Millisecond}}); err == nil || !strings.Contains(err.Error(), "OpaqueRoutes") {
		t.Errorf("route fault: %v", err)
	}
	id, err := l.Inject(Spec{Kind: "latency", Target: "client:A", Params: Values{"latency": 10 * time.Millisecond}})
	if err != nil {
		t.Fatalf("client fault: %v", err)
	}
	if err := l.Heal(id); err != nil {
		t.Fatal(err)
	}
}
