package faults

import (
	"errors"

	"github.com/Shopify/toxiproxy/v2/stream"
	"github.com/Shopify/toxiproxy/v2/toxics"
)

// limit_data closes each link after bytes bytes have passed in a touched
// direction (counted per link and direction, from when the fault reached it).
func init() {
	registerKind(kind{
		name:   "limit_data",
		params: []string{"bytes"},
		build: func(p params) (effect, error) {
			n, err := p.size("bytes", 0)
			if err != nil {
				return effect{}, err
			}
			if n <= 0 {
				return effect{}, errors.New("bytes is required and must be positive")
			}
			return effect{toxic: "natschaos_limit_data", attrs: map[string]int64{"bytes": n}}, nil
		},
	})
	toxics.Register("natschaos_limit_data", new(limitDataToxic))
}

// limitDataToxic is toxiproxy's limit_data, fixed so that no goroutine is
// left blocked when it closes its link (see closeAndDrain).
type limitDataToxic struct {
	Bytes int64 `json:"bytes"`
}

type limitDataState struct{ passed int64 }

func (t *limitDataToxic) NewState() any { return new(limitDataState) }

func (t *limitDataToxic) Pipe(stub *toxics.ToxicStub) {
	st := stub.State.(*limitDataState)
	for {
		if st.passed >= t.Bytes {
			closeAndDrain(stub)
			return
		}
		select {
		case <-stub.Interrupt:
			return
		case c := <-stub.Input:
			if c == nil {
				stub.Close()
				return
			}
			if left := t.Bytes - st.passed; int64(len(c.Data)) > left {
				c = &stream.StreamChunk{Data: c.Data[:left], Timestamp: c.Timestamp}
			}
			stub.Output <- c
			st.passed += int64(len(c.Data))
		}
	}
}
