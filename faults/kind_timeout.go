package faults

import (
	"time"

	"github.com/Shopify/toxiproxy/v2/toxics"
)

// timeout is a black hole: data in the touched directions is dropped and
// the connection stays open, or closes timeout after the fault reached it
// when timeout is set. On heal, a link that lost bytes is closed, since
// its stream has a hole no NATS parser can cross; one that lost nothing
// carries on.
func init() {
	RegisterKind(Kind{
		Name: "timeout",
		Doc:  "Drop data in the touched directions; close timeout after, when set.",
		Cuts: true,
		Params: []Param{
			{Name: "timeout", Type: TypeDuration, Rule: nonNegative, Doc: "close the link after this (absent: hold data forever)."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "natschaos_timeout", Attrs: map[string]int64{"timeout": millis(v.Duration("timeout"))}}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "timeout", Attrs: map[string]any{"timeout": millis(v.Duration("timeout"))}}, nil
		},
	})
	toxics.Register("natschaos_timeout", new(timeoutToxic))
}

// timeoutToxic is toxiproxy's timeout toxic, fixed so that no goroutine
// is left blocked when it closes its link (see closeAndDrain).
type timeoutToxic struct {
	Timeout int64 `json:"timeout"` // milliseconds; 0 never closes
}

type timeoutState struct {
	since   time.Time // when the toxic reached this link
	dropped int64
}

func (t *timeoutToxic) NewState() any { return &timeoutState{since: time.Now()} }

func (t *timeoutToxic) Pipe(stub *toxics.ToxicStub) {
	st := stub.State.(*timeoutState)
	var expired <-chan time.Time
	if t.Timeout > 0 {
		tm := time.NewTimer(time.Until(st.since.Add(time.Duration(t.Timeout) * time.Millisecond)))
		defer tm.Stop()
		expired = tm.C
	}
	for {
		select {
		case <-stub.Interrupt:
			return
		case <-expired:
			closeAndDrain(stub)
			return
		case c := <-stub.Input:
			if c == nil {
				stub.Close()
				return
			}
			st.dropped += int64(len(c.Data))
		}
	}
}

// Cleanup closes a link that lost bytes. It runs under the collection's
// lock, which the link's writer needs to finish, so the draining that
// closeAndDrain does inline happens on a goroutine of its own; it ends as
// soon as the link's reader sees its socket closed.
func (t *timeoutToxic) Cleanup(stub *toxics.ToxicStub) {
	if stub.State.(*timeoutState).dropped == 0 {
		return
	}
	stub.Close()
	go func() {
		for range stub.Input {
		}
	}()
}
