package assert

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// discovery skips client events that cannot make it hold (convergence's
// failing): its outcomes, evidence and details must be exactly those of
// evaluating after every relevant event, whether it holds or fails.
func TestDiscoverySkipIsExact(t *testing.T) {
	for _, learners := range []int{6, 5, 0} {
		t.Run(fmt.Sprintf("%d of 6 learn", learners), func(t *testing.T) {
			b := newTL(t)
			b.at(0).start("A", "B")
			for i := 1; i <= 6; i++ {
				srv := []string{"A", "B"}[i%2]
				b.connect(fmt.Sprintf("c-%d", i), srv, "A", "B")
			}
			b.at(2).start("C")
			for i := 1; i <= learners; i++ {
				// Each learns twice: a repeat is a client event that
				// changes nothing.
				b.at(2 + 0.1*float64(i)).add(clientDiscovered(fmt.Sprintf("c-%d", i), "A", "B", "C"))
				b.at(2 + 0.1*float64(i) + 0.01).add(clientDiscovered(fmt.Sprintf("c-%d", i), "A", "B", "C"))
			}
			b.at(3.5).disconnect("c-1", "A", "EOF").kill("A")
			b.at(3.6).reconnect("c-1", "B", "B", "C")
			b.at(5).add(clientDiscovered("c-2", "B", "C"))
			evs := b.events()
			skipping := convergence{within: time.Second, trigger: func(st *State) Change { return st.Membership }, relevant: discoveryRelevant, failing: discovered}
			every := skipping
			every.failing, every.holds = nil, Discovered
			got, want := skipping.run(evs), every.run(evs)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("skipping:\n%+v\nevery event:\n%+v", got, want)
			}
			if g, w := skipping.verdict("discovery", got), every.verdict("discovery", want); !reflect.DeepEqual(g, w) {
				t.Fatalf("verdicts differ:\n%+v\n%+v", g, w)
			}
			if wantFail := learners < 6; skipping.verdict("discovery", got).Verdict == Pass == wantFail {
				t.Fatalf("verdict %v with %d learners", skipping.verdict("discovery", got).Verdict, learners)
			}
		})
	}
}
