package assert

import "github.com/natschaos/natschaos/sim"

// NoDuplicatesParams: `no_duplicates: {}` takes no parameters.
type NoDuplicatesParams struct{}

func init() { Register("no_duplicates", checkNoDuplicates) }

// checkNoDuplicates: no logical subscriber received a message twice. A
// queue group is one logical subscriber, so a message delivered to two of
// its members is a duplicate.
func checkNoDuplicates(_ NoDuplicatesParams, events []sim.Event) Result {
	return receiptCounter(receiptsOf(events), publisherNames(events), "duplicates", func(ev sim.Event) uint64 { return ev.Duplicates })
}
