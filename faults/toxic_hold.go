package faults

import (
	"github.com/Shopify/toxiproxy/v2/stream"
	"github.com/Shopify/toxiproxy/v2/toxics"
)

// holdToxic lets nothing through and drops nothing: what a frozen process
// or a stalled network does to a byte stream. It reads ahead up to
// holdLimit bytes, roughly a socket buffer, so it still sees the sender
// hang up; past that the sender's writes block, as they would on a real
// full window. What it holds is flushed, in order, when it is removed.
//
// The held bytes live in the per-link State, not in Pipe's locals:
// toxiproxy interrupts Pipe whenever another toxic is added or removed on
// the link, and an interrupted hold must keep holding.
type holdToxic struct{}

type holdState struct {
	chunks []*stream.StreamChunk
	size   int
}

const holdLimit = 256 << 10

func (t *holdToxic) NewState() any { return new(holdState) }

func (t *holdToxic) Pipe(stub *toxics.ToxicStub) {
	st := stub.State.(*holdState)
	for {
		in := stub.Input
		if st.size >= holdLimit {
			in = nil // full: stop reading, the sender's window closes
		}
		select {
		case <-stub.Interrupt:
			return
		case c := <-in:
			if c == nil {
				// The sender hung up: its link is closing, and what it
				// sent before goes with it.
				st.chunks, st.size = nil, 0
				stub.Close()
				return
			}
			st.chunks = append(st.chunks, c)
			st.size += len(c.Data)
		}
	}
}

// Cleanup flushes what was held. The writer after the chain never stops
// reading (see linkWriter), so this waits at most for the peer to read or
// the link to close.
func (t *holdToxic) Cleanup(stub *toxics.ToxicStub) {
	st := stub.State.(*holdState)
	for _, c := range st.chunks {
		stub.Output <- c
	}
	st.chunks, st.size = nil, 0
}

func init() { toxics.Register("natschaos_hold", new(holdToxic)) }

// closeAndDrain ends a link from inside a toxic: closing the stub closes
// everything after it, down to the writer, which closes the sockets. The
// toxic must then keep reading its input until that closes too: stock
// toxics that close and return leave the toxic before them blocked on a
// send nobody receives, and the reader behind it, for good.
func closeAndDrain(stub *toxics.ToxicStub) {
	stub.Close()
	for range stub.Input {
	}
}
