package assert

import (
	"fmt"

	"github.com/natschaos/natschaos/sim"
)

// OrderedParams: `ordered: {}` takes no parameters.
type OrderedParams struct{}

// Doc says what the property judges, for the scenario schema.
func (OrderedParams) Doc() string {
	return "Per publisher, per subscriber, messages arrive in order."
}

func init() { Register("ordered", checkOrdered) }

// checkOrdered: per publisher, per subscriber, no message arrived after a
// higher sequence from the same publisher. NATS orders messages per
// subscription: a queue group's members receive on different connections
// at once, so their merged arrival order is no promise. Queue groups are
// reported in Details and never fail (a recorded kill/restart run showed
// such "reorderings" on a healthy cluster). Only queue groups, or no
// message received, leaves nothing judged: it fails as vacuous. No
// receipts at all is NotEvaluated: the fleet writes them when it stops,
// so a check step mid-run has not got them yet.
func checkOrdered(_ OrderedParams, events []sim.Event) Result {
	var plain []sim.Event
	var queues []string
	names := publisherNames(events)
	all := receiptsOf(events)
	for _, ev := range all {
		switch {
		case ev.Queue == "":
			plain = append(plain, ev)
		case ev.Reordered > 0:
			queues = append(queues, fmt.Sprintf("queue group %s: %d out of order from %s across members (not judged)", ev.Sub, ev.Reordered, pubName(names, ev.Pub)))
		}
	}
	r := receiptCounter(plain, names, "reordered messages", func(ev sim.Event) uint64 { return ev.Reordered })
	if r.Verdict == NotEvaluated && len(all) > 0 {
		r = vacuousf("only queue groups subscribed: their order across members is not judged, and no plain subscription was")
	}
	r.Details = append(r.Details, queues...)
	return r
}
