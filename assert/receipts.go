package assert

import (
	"fmt"

	"github.com/natschaos/natschaos/sim"
)

// Receipts are written by the fleet when it stops, one per (logical
// subscriber, publisher): Sub, Subject and Queue name the subscriber,
// Client is (one of) its client(s), and Pub is the publisher's index,
// unique in the fleet and 1-based, as on its PublishProgress events. A
// receipt with Pub 0 only carries the subscriber's Dropped count.

// pubName names publisher pub for people: its client, as its progress
// events said, or "pub N".
func pubName(names map[int]string, pub int) string {
	if n := names[pub]; n != "" {
		return n
	}
	return fmt.Sprintf("pub %d", pub)
}

// publisherNames maps publisher indexes to their clients.
func publisherNames(events []sim.Event) map[int]string {
	out := map[int]string{}
	for _, ev := range events {
		if ev.Kind == sim.PublishProgress || ev.Kind == sim.PublishEnd || ev.Kind == sim.PublishRefused {
			out[ev.Pub] = ev.Client
		}
	}
	return out
}

func receiptsOf(events []sim.Event) []sim.Event {
	var out []sim.Event
	for _, ev := range events {
		if ev.Kind == sim.Receipt {
			out = append(out, ev)
		}
	}
	return out
}

// receivedIn counts the messages the receipts say were received, and the
// receipts that name a publisher (a receipt of publisher 0 only carries a
// subscriber's Dropped count).
func receivedIn(rs []sim.Event) (messages uint64, pairs int) {
	for _, r := range rs {
		if r.Pub == 0 {
			continue
		}
		pairs++
		messages += countIn(normalized(r.Received), 1, ^uint64(0))
	}
	return messages, pairs
}

// receiptCounter is ordered: a counter that must be zero on every
// receipt in rs. Receipts that hold no message judge nothing: then it
// fails as vacuous.
func receiptCounter(rs []sim.Event, names map[int]string, noun string, count func(sim.Event) uint64) Result {
	if len(rs) == 0 {
		return notEvaluatedf("no receipts recorded: the fleet reports what its subscribers received when it stops")
	}
	msgs, pairs := receivedIn(rs)
	var lines []string
	var total uint64
	for _, r := range rs {
		if n := count(r); n > 0 {
			total += n
			lines = append(lines, fmt.Sprintf("sub %s got %d %s from %s", r.Sub, n, noun, pubName(names, r.Pub)))
		}
	}
	if total == 0 {
		if msgs == 0 {
			return vacuousf("no message received over %d (subscriber, publisher) receipts: no order to judge", pairs)
		}
		return passf("no %s among %d messages over %d (subscriber, publisher) receipts", noun, msgs, pairs)
	}
	res := failf(0, "%s", lines[0])
	if len(lines) > 1 {
		res.Evidence += fmt.Sprintf(" (%d %s in all, %d of %d receipts)", total, noun, len(lines), pairs)
	}
	res.Details = capLines(lines, 50)
	return res
}
