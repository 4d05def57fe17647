package faults

import (
	"github.com/Shopify/toxiproxy/v2/stream"
	"github.com/Shopify/toxiproxy/v2/toxics"
)

// limit_data closes each link after bytes bytes have passed in a touched
// direction (counted per link and direction, from when the fault reached it).
func init() {
	RegisterKind(Kind{
		Name: "limit_data",
		Doc:  "Close each link after bytes have passed in a touched direction.",
		Params: []Param{
			{Name: "bytes", Type: TypeByteSize, Required: true, Rule: positive, Doc: "close the link after this many bytes."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "natschaos_limit_data", Attrs: map[string]int64{"bytes": v.Bytes("bytes")}}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "limit_data", Attrs: map[string]any{"bytes": v.Bytes("bytes")}}, nil
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
